"""Allegro fees ("Rozliczenia"): the billing entries mirrored per account."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models import TimeStampedModel


class FeeGroup(models.TextChoices):
    COMMISSION = "commission", _("Prowizje")
    DELIVERY = "delivery", _("Opłaty za dostawę")
    PROMOTION = "promotion", _("Promowanie")
    OTHER = "other", _("Inne opłaty")


class AllegroBillingEntry(TimeStampedModel):
    """One entry of ``GET /billing/billing-entries``; amounts are signed (a fee is negative)."""

    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="billing_entries"
    )
    entry_id = models.CharField(_("identyfikator operacji"), max_length=64, unique=True)
    occurred_at = models.DateTimeField(_("data operacji"), db_index=True)
    type_id = models.CharField(_("typ"), max_length=16, db_index=True)
    type_name = models.CharField(_("nazwa typu"), max_length=200, blank=True)
    group = models.CharField(
        _("grupa opłat"), max_length=16, choices=FeeGroup.choices, default=FeeGroup.OTHER
    )
    amount = models.DecimalField(_("kwota"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("waluta"), max_length=3, default="PLN")
    tax_percentage = models.DecimalField(
        _("stawka VAT"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    tax_annotation = models.CharField(_("uwaga do VAT"), max_length=32, blank=True)
    balance = models.DecimalField(
        _("saldo"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    offer_id = models.CharField(_("oferta"), max_length=64, blank=True, db_index=True)
    offer_name = models.CharField(_("tytuł oferty"), max_length=255, blank=True)
    # Allegro's order id (the checkout form id); empty for fees Allegro ties to no order.
    order_ref = models.CharField(_("zamówienie Allegro"), max_length=64, blank=True, db_index=True)
    form = models.ForeignKey(
        "allegro.AllegroCheckoutForm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="billing_entries",
    )
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("operacja rozliczeniowa Allegro")
        verbose_name_plural = _("operacje rozliczeniowe Allegro")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["account", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.type_id} {self.amount} {self.currency}"

    @property
    def fee(self) -> Decimal:
        """The cost to the seller: a charge positive, a refund of a fee negative."""
        return -self.amount


class BillingImportState(TimeStampedModel):
    """How far the account's fees are read: the next run starts a little before ``synced_until``."""

    account = models.OneToOneField(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="billing_import"
    )
    synced_until = models.DateTimeField(_("pobrano do"), null=True, blank=True)

    class Meta:
        verbose_name = _("stan importu rozliczeń Allegro")
        verbose_name_plural = _("stany importu rozliczeń Allegro")

    def __str__(self) -> str:
        return f"{self.account_id}: {self.synced_until}"
