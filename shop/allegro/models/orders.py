"""Allegro orders: the checkout-form mirror, its line items, the import state and quarantine.

A checkout form is the truth about an Allegro order; the mirror keeps its whole last payload
(``raw``) plus the columns the pages filter on. Each mirror points at the shop order it became.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models.base import TimeStampedModel


class StockPoint(models.TextChoices):
    """When an Allegro order takes the products off the shop's stock."""

    BOUGHT = "BOUGHT", _("po zakupie (kupione)")
    READY_FOR_PROCESSING = "READY_FOR_PROCESSING", _("po opłaceniu (gotowe do realizacji)")


class FormStatus(models.TextChoices):
    BOUGHT = "BOUGHT", _("kupione")
    FILLED_IN = "FILLED_IN", _("uzupełnione")
    READY_FOR_PROCESSING = "READY_FOR_PROCESSING", _("gotowe do realizacji")
    CANCELLED = "CANCELLED", _("anulowane")


class FulfillmentStatus(models.TextChoices):
    NEW = "NEW", _("nowe")
    PROCESSING = "PROCESSING", _("w realizacji")
    READY_FOR_SHIPMENT = "READY_FOR_SHIPMENT", _("gotowe do wysłania")
    READY_FOR_PICKUP = "READY_FOR_PICKUP", _("gotowe do odbioru")
    SENT = "SENT", _("wysłane")
    PICKED_UP = "PICKED_UP", _("odebrane")
    CANCELLED = "CANCELLED", _("anulowane")
    SUSPENDED = "SUSPENDED", _("wstrzymane")
    RETURNED = "RETURNED", _("zwrócone")


class OrderImportState(TimeStampedModel):
    """Per account: the event cursor, back-fill progress, sweep mark and import settings."""

    account = models.OneToOneField(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="order_import"
    )
    # Settings.
    stock_point = models.CharField(
        _("zdejmij ze stanu"),
        max_length=24,
        choices=StockPoint.choices,
        default=StockPoint.READY_FOR_PROCESSING,
    )
    backfill_days = models.PositiveIntegerField(
        _("pobierz zamówienia z ostatnich (dni)"),
        default=30,
        help_text=_("Przy pierwszym imporcie (najwyżej 365)."),
    )
    sweep_every_minutes = models.PositiveIntegerField(
        _("przegląd zmienionych zamówień co (minut)"), default=10
    )
    # The id of the last event whose checkout forms are stored (exclusive ``from``).
    cursor = models.CharField(max_length=32, blank=True)
    # Back-fill: the event id to continue from once done, and how far (boughtAt) it got.
    backfill_done = models.BooleanField(default=False)
    backfill_cursor = models.CharField(max_length=32, blank=True)
    backfill_started = models.BooleanField(default=False)
    backfill_from = models.DateTimeField(null=True, blank=True)
    backfill_until = models.DateTimeField(null=True, blank=True)
    backfill_progress = models.DateTimeField(null=True, blank=True)
    # The safety sweep: forms updated at or after this are read again (minus a margin).
    sweep_mark = models.DateTimeField(null=True, blank=True)
    last_sweep_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(_("ostatni udany import"), null=True, blank=True)

    class Meta:
        verbose_name = _("stan importu zamówień Allegro")
        verbose_name_plural = _("stany importu zamówień Allegro")

    def __str__(self) -> str:
        return f"{self.account}: {self.cursor or '-'}"


class AllegroCheckoutForm(TimeStampedModel):
    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="checkout_forms"
    )
    form_id = models.CharField(_("identyfikator formularza"), max_length=64, unique=True)
    revision = models.CharField(_("rewizja"), max_length=64, blank=True)
    status = models.CharField(
        _("status Allegro"), max_length=24, blank=True, db_index=True, choices=FormStatus.choices
    )
    fulfillment_status = models.CharField(
        _("status realizacji"),
        max_length=24,
        blank=True,
        db_index=True,
        choices=FulfillmentStatus.choices,
    )
    buyer_login = models.CharField(_("login kupującego"), max_length=100, blank=True)
    buyer_email = models.CharField(_("e-mail kupującego"), max_length=254, blank=True)
    buyer_name = models.CharField(_("kupujący"), max_length=200, blank=True)
    payment_type = models.CharField(_("rodzaj płatności"), max_length=32, blank=True)
    total = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, default="PLN")
    bought_at = models.DateTimeField(_("kupiono"), null=True, blank=True, db_index=True)
    allegro_updated_at = models.DateTimeField(_("zmieniono w Allegro"), null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    order = models.OneToOneField(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allegro_form",
    )
    # A merged payment replaced this form; its line items now belong to ``superseded_by``.
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    # Allegro answered 404 for this id (merged away or withdrawn).
    gone = models.BooleanField(default=False)
    # The seller status the shop wants Allegro to show, until sent; the last refusal.
    fulfillment_pending = models.CharField(max_length=24, blank=True)
    fulfillment_error = models.TextField(blank=True)
    # Order fields the merchant set in the shop: a newer revision from Allegro leaves them be.
    merchant_fields = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("formularz zamówienia Allegro")
        verbose_name_plural = _("formularze zamówień Allegro")
        ordering = ["-bought_at", "-id"]
        indexes = [
            models.Index(fields=["account", "-bought_at"]),
            models.Index(fields=["account", "allegro_updated_at"]),
        ]

    def __str__(self) -> str:
        return self.form_id


class AllegroLineItem(models.Model):
    form = models.ForeignKey(AllegroCheckoutForm, on_delete=models.CASCADE, related_name="items")
    line_item_id = models.CharField(max_length=64, unique=True)
    offer_id = models.CharField(_("oferta"), max_length=32, blank=True, db_index=True)
    offer_name = models.CharField(_("tytuł oferty"), max_length=255, blank=True)
    external_id = models.CharField(_("sygnatura"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    price = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    order_item = models.OneToOneField(
        "orders.OrderItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allegro_line",
    )
    # Exactly-once stock bookkeeping of this line.
    stock_taken = models.BooleanField(default=False)
    # How many units the line really took: less than its quantity when the shop ran out
    # (the order is then flagged, and only this much goes back on cancellation).
    stock_quantity_taken = models.PositiveIntegerField(default=0)
    stock_returned = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("pozycja zamówienia Allegro")
        verbose_name_plural = _("pozycje zamówień Allegro")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.offer_name}"


class AllegroShipment(models.Model):
    """A tracking number of an order: sent from the shop or found on Allegro."""

    form = models.ForeignKey(
        AllegroCheckoutForm, on_delete=models.CASCADE, related_name="shipments"
    )
    allegro_id = models.CharField(max_length=128, blank=True)
    carrier_id = models.CharField(_("przewoźnik"), max_length=32)
    carrier_name = models.CharField(_("nazwa przewoźnika"), max_length=30, blank=True)
    waybill = models.CharField(_("numer przesyłki"), max_length=64)
    line_item_ids = models.JSONField(default=list, blank=True)
    from_shop = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("numer przesyłki Allegro")
        verbose_name_plural = _("numery przesyłek Allegro")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "carrier_id", "waybill"], name="allegro_shipment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.carrier_id} {self.waybill}"


class OrderQuarantine(TimeStampedModel):
    """A checkout form that could not be processed: kept aside, retried, never blocking."""

    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="order_quarantine"
    )
    form_id = models.CharField(max_length=64)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)
    retry_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("zamówienie Allegro w kwarantannie")
        verbose_name_plural = _("zamówienia Allegro w kwarantannie")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "form_id"], name="allegro_order_quarantine_unique"
            )
        ]

    def __str__(self) -> str:
        return self.form_id
