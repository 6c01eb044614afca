"""Commission refund claims ("wnioski o rabat transakcyjny", ``/order/refund-claims``)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models.base import TimeStampedModel


class ClaimStatus(models.TextChoices):
    # Ours: the request is on its way, or its outcome is unknown (timeout, 5xx) and Allegro's
    # list is checked before anything is sent again; REFUSED: Allegro said no to the filing.
    SENDING = "SENDING", _("wysyłanie")
    UNCONFIRMED = "UNCONFIRMED", _("do sprawdzenia w Allegro")
    REFUSED = "REFUSED", _("odrzucony przy składaniu")
    # Allegro's (RefundClaim.status).
    IN_PROGRESS = "IN_PROGRESS", _("rozpatrywany")
    WAITING_FOR_PAYMENT_REFUND = "WAITING_FOR_PAYMENT_REFUND", _("czeka na zwrot wpłaty")
    GRANTED = "GRANTED", _("przyznany")
    REJECTED = "REJECTED", _("odrzucony")
    REJECTED_AFTER_APPEAL = "REJECTED_AFTER_APPEAL", _("odrzucony po odwołaniu")
    CANCELLED = "CANCELLED", _("wycofany")
    APPEALED = "APPEALED", _("odwołanie w toku")


#: Claims whose state Allegro may still change (or that must be looked up first).
FOLLOWED_STATUSES = (
    ClaimStatus.UNCONFIRMED,
    ClaimStatus.IN_PROGRESS,
    ClaimStatus.WAITING_FOR_PAYMENT_REFUND,
    ClaimStatus.APPEALED,
)


class ClaimReason(models.TextChoices):
    CANCELLED = "cancelled", _("zakup anulowany")
    UNPAID = "unpaid", _("kupujący nie zapłacił")
    RETURNED = "returned", _("zwrot towaru")


class AllegroRefundClaim(TimeStampedModel):
    """One claim per line item (Allegro takes no second one, allegro-api #9992)."""

    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="refund_claims"
    )
    line_item = models.OneToOneField(
        "allegro.AllegroLineItem", on_delete=models.CASCADE, related_name="refund_claim"
    )
    quantity = models.PositiveIntegerField(_("liczba sztuk"), default=1)
    reason = models.CharField(_("powód"), max_length=16, choices=ClaimReason.choices, blank=True)
    # Stored before the first request: a row with it and no claim id was (maybe) sent.
    request_key = models.UUIDField(default=uuid.uuid4, editable=False)
    claim_id = models.CharField(_("numer wniosku w Allegro"), max_length=64, blank=True)
    status = models.CharField(
        _("stan"), max_length=32, choices=ClaimStatus.choices, default=ClaimStatus.SENDING
    )
    claim_type = models.CharField(max_length=16, blank=True)  # MANUAL / AUTOMATIC
    # Allegro's gross amount once known; our estimate before that.
    commission = models.DecimalField(
        _("prowizja"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    commission_estimated = models.BooleanField(default=True)
    currency = models.CharField(max_length=3, default="PLN")
    attempts = models.PositiveIntegerField(default=0)
    sending_since = models.DateTimeField(null=True, blank=True)
    filed_at = models.DateTimeField(_("złożono"), null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("ostatni błąd"), blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("wniosek o zwrot prowizji")
        verbose_name_plural = _("wnioski o zwrot prowizji")
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self) -> str:
        return f"{self.claim_id or self.request_key} ({self.status})"
