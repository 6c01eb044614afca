"""Delivery price lists (``/sale/shipping-rates``) and the delivery methods they may use."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.allegro.models.accounts import AllegroAccount
from shop.core.models import TimeStampedModel

# Allegro refuses a seller's 251st price list; nothing can be deleted.
MAX_SHIPPING_RATES = 250


class ShippingRatesType(models.TextChoices):
    PHYSICAL = "PHYSICAL", _("fizyczna (paczki)")
    ELECTRONIC = "ELECTRONIC", _("elektroniczna")


class AllegroDeliveryMethod(models.Model):
    """One entry of ``GET /sale/delivery-methods``, cached per account (they change rarely)."""

    account = models.ForeignKey(
        AllegroAccount, on_delete=models.CASCADE, related_name="delivery_methods"
    )
    allegro_id = models.CharField(max_length=64)
    name = models.CharField(_("nazwa"), max_length=255)
    # The carrier service both payment variants share (the name without " pobranie").
    carrier = models.CharField(_("przewoźnik"), max_length=255)
    payment_policy = models.CharField(max_length=32)
    allowed = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    raw = models.JSONField(default=dict)
    fetched_at = models.DateTimeField()

    class Meta:
        verbose_name = _("metoda dostawy Allegro")
        verbose_name_plural = _("metody dostawy Allegro")
        ordering = ["account", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "allegro_id"], name="allegro_delivery_method_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def constraints(self) -> dict[str, object]:
        value = self.raw.get("shippingRatesConstraints") or {}
        return value if isinstance(value, dict) else {}


class AllegroShippingRates(TimeStampedModel):
    """The mirror of one of the seller's price lists, with the whole last payload in ``raw``."""

    account = models.ForeignKey(
        AllegroAccount, on_delete=models.CASCADE, related_name="shipping_rate_sets"
    )
    allegro_id = models.CharField(_("identyfikator w Allegro"), max_length=64)
    name = models.CharField(_("nazwa"), max_length=64)
    rates_type = models.CharField(
        _("rodzaj"), max_length=16, choices=ShippingRatesType.choices, blank=True
    )
    dispatch_country = models.CharField(_("kraj nadania"), max_length=2, blank=True)
    managed_by_allegro = models.BooleanField(_("zarządzany przez Allegro"), default=False)
    cheapest_first_item = models.DecimalField(
        _("najtańsza pierwsza sztuka"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    hidden = models.BooleanField(_("ukryty"), default=False, db_index=True)
    created_here = models.BooleanField(_("utworzony w sklepie"), default=False)
    last_modified = models.DateTimeField(_("zmieniony w Allegro"), null=True, blank=True)
    # Hash of the content last read from Allegro; a different hash on Allegro means drift.
    fingerprint = models.CharField(max_length=64, blank=True)
    synced_at = models.DateTimeField(_("odczytano z Allegro"), null=True, blank=True)
    raw = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("cennik dostawy")
        verbose_name_plural = _("cenniki dostawy")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "allegro_id"], name="allegro_shipping_rates_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def method_ids(self) -> list[str]:
        return [
            str((rate.get("deliveryMethod") or {}).get("id") or "")
            for rate in self.raw.get("rates") or []
        ]
