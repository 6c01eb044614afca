"""Wysyłam z Allegro: parcels created through ``/shipment-management`` and their settings.

``AllegroShipment`` (in ``orders``) holds the tracking numbers of an order; a parcel here is
the shipment Allegro creates (with its label) and gives its number to that list once done.
The command id is stored before the create command is sent, so a retry follows the same
command instead of creating a second parcel.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models.base import TimeStampedModel


class ParcelState(models.TextChoices):
    PENDING = "pending", _("tworzona w Allegro")
    CREATED = "created", _("utworzona")
    FAILED = "failed", _("odrzucona")
    CANCELLED = "cancelled", _("anulowana")


#: States in which a parcel exists (or may exist) in Allegro: no second one for the order.
LIVE_STATES = (ParcelState.PENDING, ParcelState.CREATED)


class PackageType(models.TextChoices):
    PACKAGE = "PACKAGE", _("paczka")
    DOX = "DOX", _("koperta (dokumenty)")
    PALLET = "PALLET", _("paleta")
    OTHER = "OTHER", _("inna")


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("w kolejce")
    RUNNING = "running", _("trwa")
    DONE = "done", _("zakończone")


class ParcelBatch(TimeStampedModel):
    """Parcels for many orders at once, with the default package; the page polls it."""

    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="parcel_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    form_ids = models.JSONField(default=list)
    # Orders refused before anything was sent: {form pk: message}.
    refusals = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("stan"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    # The courier pickup ordered for the batch (command id stored before sending).
    pickup_command_id = models.CharField(max_length=36, blank=True)
    pickup_date = models.CharField(_("termin odbioru"), max_length=40, blank=True)
    pickup_id = models.CharField(max_length=64, blank=True)
    carrier_pickup_id = models.CharField(_("numer odbioru"), max_length=64, blank=True)
    pickup_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("zbiorcze tworzenie przesyłek")
        verbose_name_plural = _("zbiorcze tworzenie przesyłek")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk}"


class AllegroParcel(TimeStampedModel):
    form = models.ForeignKey(
        "allegro.AllegroCheckoutForm", on_delete=models.CASCADE, related_name="parcels"
    )
    batch = models.ForeignKey(
        ParcelBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="parcels"
    )
    command_id = models.CharField(max_length=36, unique=True)
    shipment_id = models.CharField(_("identyfikator przesyłki"), max_length=64, blank=True)
    waybill = models.CharField(_("numer przesyłki"), max_length=64, blank=True)
    carrier_id = models.CharField(_("przewoźnik"), max_length=32, blank=True)
    delivery_method_id = models.CharField(max_length=64, blank=True)
    service_name = models.CharField(_("usługa"), max_length=200, blank=True)
    package_type = models.CharField(
        _("rodzaj paczki"), max_length=8, choices=PackageType.choices, default="PACKAGE"
    )
    length = models.DecimalField(_("długość (cm)"), max_digits=6, decimal_places=1)
    width = models.DecimalField(_("szerokość (cm)"), max_digits=6, decimal_places=1)
    height = models.DecimalField(_("wysokość (cm)"), max_digits=6, decimal_places=1)
    weight = models.DecimalField(_("waga (kg)"), max_digits=7, decimal_places=2)
    cod_amount = models.DecimalField(
        _("pobranie"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    insurance = models.DecimalField(
        _("ubezpieczenie"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    point = models.CharField(_("punkt odbioru"), max_length=64, blank=True)
    state = models.CharField(
        _("stan"), max_length=16, choices=ParcelState.choices, default=ParcelState.PENDING
    )
    # Allegro's errors[] of a failed command: code, path, userMessage (shown per field).
    errors = models.JSONField(default=list, blank=True)
    cancel_command_id = models.CharField(max_length=36, blank=True)
    tracking_attached = models.BooleanField(default=False)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("przesyłka Wysyłam z Allegro")
        verbose_name_plural = _("przesyłki Wysyłam z Allegro")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.waybill or self.command_id


class ParcelSettings(models.Model):
    """Per account: who sends, the default package, and whether a parcel marks the order sent."""

    account = models.OneToOneField(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="parcel_settings"
    )
    sender_name = models.CharField(_("nadawca"), max_length=100, blank=True)
    sender_street = models.CharField(_("ulica"), max_length=100, blank=True)
    sender_post_code = models.CharField(_("kod pocztowy"), max_length=10, blank=True)
    sender_city = models.CharField(_("miasto"), max_length=100, blank=True)
    sender_email = models.EmailField(_("e-mail"), blank=True)
    sender_phone = models.CharField(_("telefon"), max_length=20, blank=True)
    length = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal(30))
    width = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal(20))
    height = models.DecimalField(max_digits=6, decimal_places=1, default=Decimal(10))
    weight = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("1.00"))
    mark_sent = models.BooleanField(
        _("Oznacz zamówienie jako wysłane po utworzeniu przesyłki"), default=True
    )

    class Meta:
        verbose_name = _("ustawienia Wysyłam z Allegro")
        verbose_name_plural = _("ustawienia Wysyłam z Allegro")

    def __str__(self) -> str:
        return str(self.account)
