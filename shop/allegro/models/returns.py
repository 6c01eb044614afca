"""Customer returns mirrored from Allegro and refunds of buyers' payments sent from the shop.

A return comes from ``GET /order/customer-returns`` (polled: Allegro has no event feed for
them). Allegro knows no "accepted" state (#6487): accepting is the shop's decision, recorded
here, that puts the returned items back on stock once; the money goes back with a refund.
A refund row is written with its ``command_id`` before the request, so a retry reuses it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.core.models.base import TimeStampedModel


class ReturnStatus(models.TextChoices):
    """``CustomerReturn.status`` as Allegro sends it."""

    CREATED = "CREATED", _("zgłoszony")
    DISPATCHED = "DISPATCHED", _("nadany przez kupującego")
    IN_TRANSIT = "IN_TRANSIT", _("w drodze")
    DELIVERED = "DELIVERED", _("dostarczony")
    FINISHED = "FINISHED", _("zakończony (wpłata zwrócona)")
    FINISHED_APT = "FINISHED_APT", _("zakończony przez Allegro Protect")
    REJECTED = "REJECTED", _("odrzucony")
    COMMISSION_REFUND_CLAIMED = "COMMISSION_REFUND_CLAIMED", _("złożono wniosek o rabat")
    COMMISSION_REFUNDED = "COMMISSION_REFUNDED", _("prowizja zwrócona")
    WAREHOUSE_DELIVERED = "WAREHOUSE_DELIVERED", _("dostarczony do magazynu Allegro")
    WAREHOUSE_VERIFICATION = "WAREHOUSE_VERIFICATION", _("weryfikacja w magazynie Allegro")


class ReturnDecision(models.TextChoices):
    """What the shop decided about the return."""

    PENDING = "pending", _("do decyzji")
    ACCEPTED = "accepted", _("przyjęty")
    REJECTED = "rejected", _("odrzucony")


class RejectionCode(models.TextChoices):
    """``CustomerReturnRefundRejectionRequest.rejection.code``."""

    REFUND_REJECTED = "REFUND_REJECTED", _("odmowa zwrotu wpłaty")
    NEW_ITEM_SENT = "NEW_ITEM_SENT", _("wysłano nowy towar")
    ITEM_FIXED = "ITEM_FIXED", _("towar naprawiono")
    MISSING_PART_SENT = "MISSING_PART_SENT", _("dosłano brakującą część")
    ITEM_MISMATCH = "ITEM_MISMATCH", _("zwrócono inny towar niż zgłoszony")
    BUSINESS_PURCHASE = "BUSINESS_PURCHASE", _("zakup na firmę")
    NO_RETURN_RIGHT = "NO_RETURN_RIGHT", _("towar nie podlega zwrotowi")


class AllegroCustomerReturn(TimeStampedModel):
    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="customer_returns"
    )
    return_id = models.CharField(_("identyfikator zwrotu"), max_length=64, unique=True)
    reference_number = models.CharField(_("numer zwrotu"), max_length=64, blank=True)
    order_form_id = models.CharField(_("zamówienie Allegro"), max_length=64, db_index=True)
    form = models.ForeignKey(
        "allegro.AllegroCheckoutForm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer_returns",
    )
    status = models.CharField(
        _("status zwrotu"), max_length=32, choices=ReturnStatus.choices, db_index=True
    )
    buyer_login = models.CharField(_("login kupującego"), max_length=100, blank=True)
    buyer_email = models.CharField(_("e-mail kupującego"), max_length=254, blank=True)
    allegro_created_at = models.DateTimeField(_("zgłoszono"), null=True, blank=True, db_index=True)
    parcels = models.JSONField(_("paczki"), default=list, blank=True)
    rejection = models.JSONField(_("odmowa"), default=dict, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    decision = models.CharField(
        _("decyzja"),
        max_length=16,
        choices=ReturnDecision.choices,
        default=ReturnDecision.PENDING,
        db_index=True,
    )
    decided_at = models.DateTimeField(_("kiedy zdecydowano"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("zwrot Allegro")
        verbose_name_plural = _("zwroty Allegro")
        ordering = ["-allegro_created_at", "-id"]
        indexes = [models.Index(fields=["account", "-allegro_created_at"])]

    def __str__(self) -> str:
        return self.reference_number or self.return_id


class AllegroReturnItem(models.Model):
    """One returned offer of a return, matched to the order's line item; stock goes back once."""

    customer_return = models.ForeignKey(
        AllegroCustomerReturn, on_delete=models.CASCADE, related_name="items"
    )
    offer_id = models.CharField(_("oferta"), max_length=32)
    name = models.CharField(_("nazwa"), max_length=255, blank=True)
    quantity = models.PositiveIntegerField(_("ilość"))
    price = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    currency = models.CharField(max_length=3, default="PLN")
    reason = models.CharField(_("powód"), max_length=32, blank=True)
    reason_comment = models.TextField(_("komentarz kupującego"), blank=True)
    line = models.ForeignKey(
        "allegro.AllegroLineItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="return_items",
    )
    # Handled once on acceptance; how many units went back (the line's taken units cap it).
    stock_returned = models.BooleanField(default=False)
    stock_quantity_back = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("zwracany przedmiot")
        verbose_name_plural = _("zwracane przedmioty")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"


class RefundState(models.TextChoices):
    PENDING = "pending", _("wysyłany")
    SENT = "sent", _("zlecony w Allegro")
    FAILED = "failed", _("odrzucony przez Allegro")


class AllegroRefund(TimeStampedModel):
    """A refund of the buyer's payment (``POST /payments/refunds``) ordered from the shop."""

    account = models.ForeignKey(
        "allegro.AllegroAccount", on_delete=models.CASCADE, related_name="refunds"
    )
    form = models.ForeignKey(
        "allegro.AllegroCheckoutForm", on_delete=models.CASCADE, related_name="refunds"
    )
    customer_return = models.ForeignKey(
        AllegroCustomerReturn,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refunds",
    )
    command_id = models.UUIDField(_("identyfikator polecenia"), unique=True)
    payment_id = models.CharField(_("płatność"), max_length=64)
    reason = models.CharField(_("powód"), max_length=32, default="REFUND")
    # [{"line_item_id", "quantity", "amount"}]: units of each line item and their value.
    lines = models.JSONField(default=list, blank=True)
    delivery_amount = models.DecimalField(
        _("zwrot za dostawę"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    total = models.DecimalField(_("kwota"), max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="PLN")
    state = models.CharField(
        _("stan"),
        max_length=16,
        choices=RefundState.choices,
        default=RefundState.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(default=0)
    allegro_id = models.CharField(_("identyfikator w Allegro"), max_length=64, blank=True)
    allegro_status = models.CharField(_("status w Allegro"), max_length=32, blank=True)
    error = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("zwrot wpłaty Allegro")
        verbose_name_plural = _("zwroty wpłat Allegro")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.total} {self.currency} ({self.get_state_display()})"
