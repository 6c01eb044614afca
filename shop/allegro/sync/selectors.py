"""Reads for the stock and price sync page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from shop.allegro.models import AllegroAccount, AllegroOffer, OfferStatus, SellingFormat
from shop.allegro.models.sync import (
    CommandStatus,
    DriftReport,
    DriftRow,
    HeldChange,
    OfferSync,
    SyncCommand,
    SyncSettings,
)
from shop.allegro.sync.rules import price_compute, quantity_compute, rule_from


def sync_commands_recent(account: AllegroAccount, limit: int = 20) -> list[SyncCommand]:
    return list(SyncCommand.objects.filter(account=account).order_by("-id")[:limit])


def sync_commands_open(account: AllegroAccount) -> int:
    return SyncCommand.objects.filter(
        account=account, status__in=[CommandStatus.PENDING, CommandStatus.SENT]
    ).count()


def sync_offers_pending(account: AllegroAccount) -> int:
    return AllegroOffer.objects.filter(account=account, needs_push=True).count()


def sync_failures(account: AllegroAccount, limit: int = 100) -> list[OfferSync]:
    return list(
        OfferSync.objects.filter(offer__account=account)
        .exclude(last_error="")
        .select_related("offer", "offer__product")
        .order_by("-failed", "-updated_at")[:limit]
    )


def drift_report_latest(account: AllegroAccount) -> DriftReport | None:
    return DriftReport.objects.filter(account=account).order_by("-id").first()


def drift_rows(report: DriftReport) -> QuerySet[DriftRow]:
    return report.rows.select_related("offer", "offer__product").order_by("id")


def linked_offers(account: AllegroAccount) -> QuerySet[AllegroOffer]:
    return (
        AllegroOffer.objects.filter(
            account=account,
            product__isnull=False,
            status__in=[OfferStatus.ACTIVE, OfferStatus.ACTIVATING],
        )
        .exclude(allegro_id="")
        .select_related("product", "sync")
        .order_by("name", "id")
    )


@dataclass(frozen=True)
class OfferOrigin:
    """Where a linked offer's price and quantity come from, as the offer form tells it."""

    price_override: Decimal | None
    quantity_override: int | None
    # What the product gives under the rules; None where the sync does not set it.
    rule_price: Decimal | None
    stock_quantity: int | None
    live: bool

    @property
    def overridden(self) -> bool:
        return self.price_override is not None or self.quantity_override is not None


def offer_origin(*, offer: AllegroOffer, conf: SyncSettings) -> OfferOrigin | None:
    """None for an offer the sync does not follow (no product or not on Allegro yet)."""
    if offer.product is None or not offer.allegro_id:
        return None
    own = OfferSync.objects.filter(offer=offer).first()
    buy_now = offer.selling_format == SellingFormat.BUY_NOW
    return OfferOrigin(
        price_override=own.price_override if own else None,
        quantity_override=own.quantity_override if own else None,
        rule_price=(
            price_compute(offer.product.price, rule_from(conf, own))
            if conf.price_enabled and buy_now
            else None
        ),
        stock_quantity=(
            quantity_compute(offer.product.stock, conf.safety_reserve)
            if conf.stock_enabled
            else None
        ),
        live=offer.status in (OfferStatus.ACTIVE, OfferStatus.ACTIVATING),
    )


def held_changes_open(account: AllegroAccount) -> QuerySet[HeldChange]:
    """The changes waiting for the merchant, grouped by offer (oldest offer first)."""
    return (
        HeldChange.objects.filter(
            offer__account=account, offer__product__isnull=False, resolved_at__isnull=True
        )
        .select_related("offer", "offer__product")
        .order_by("offer__name", "offer_id", "field")
    )


def held_changes_count(account: AllegroAccount | None = None) -> int:
    """Open held changes of one account, or of all accounts (the start page, the menu badge)."""
    # An offer unlinked meanwhile has nothing to send: its old proposals are not the merchant's.
    rows = HeldChange.objects.filter(resolved_at__isnull=True, offer__product__isnull=False)
    if account is not None:
        rows = rows.filter(offer__account=account)
    return rows.count()
