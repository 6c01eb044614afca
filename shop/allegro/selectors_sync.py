"""Reads for the stock and price sync page."""

from __future__ import annotations

from django.db.models import QuerySet

from shop.allegro.models import AllegroAccount, AllegroOffer, OfferStatus
from shop.allegro.models.sync import (
    CommandStatus,
    DriftReport,
    DriftRow,
    OfferSync,
    SyncCommand,
)


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
