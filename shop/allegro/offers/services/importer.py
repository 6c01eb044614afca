"""Offers that live on Allegro, mirrored here: full import, the event journal, reconciliation.

* ``offers_import`` reads every offer of the account (``GET /sale/offers``, 1000 a page: one
  request per thousand offers), upserts the mirrors, then matches them to products
  (``matching``): by external id (the SKU) and by the EAN/GTIN/ISBN in the offer's parameters.
  Only a corroborated, unambiguous match is linked; the rest wait under "Do potwierdzenia".
* ``offer_events_follow`` reads ``/sale/offer-events`` from the stored cursor and refreshes the
  offers they name (in batches of ``GET /sale/offers?offer.id=…``); the cursor moves in the
  same transaction as the data.
* Allegro keeps offer events for 24 hours only, so a periodic full read (the same import)
  catches anything the journal missed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from allegro_api.models.offers import OfferListing
from shop.allegro.common.client import client_for
from shop.allegro.models import AllegroAccount, AllegroOffer, OfferStatus
from shop.allegro.offers.mapping import offer_fields_from_allegro
from shop.allegro.offers.services.matching import offers_match
from shop.core.bulk import rows_insert
from shop.scheduler.models import TaskRun
from shop.scheduler.registry import job_get
from shop.scheduler.services.runs import job_queue
from shop.scheduler.services.schedule import periodic_task_find

# The scheduled full read of all offers; "Pobierz oferty z Allegro" queues a run of it.
RECONCILE_JOB = "allegro.offers_reconcile"

logger = logging.getLogger(__name__)

EVENT_PAGE = 1000
IDS_PER_LOOKUP = 100
LISTING_FIELDS = [
    "name",
    "category_id",
    "selling_format",
    "price",
    "starting_price",
    "minimal_price",
    "stock_available",
    "stock_sold",
    "image_url",
    "shipping_rates_id",
    "external_id",
    "status",
    "raw",
    "synced_at",
]


def _listing_fields(listing: OfferListing) -> dict[str, Any]:
    fields = offer_fields_from_allegro(listing)
    fields.pop("validation_errors")
    fields.pop("has_errors")
    if fields["status"] == "rejected":
        fields["status"] = OfferStatus.INACTIVE
    return fields


def offers_upsert(*, account: AllegroAccount, listings: Iterable[OfferListing]) -> dict[str, int]:
    """Create or update mirrors from listing entries (linking is ``offers_match``'s job)."""
    listings = [entry for entry in listings if entry.id]
    ids = [str(entry.id) for entry in listings]
    existing = {
        o.allegro_id: o
        for o in AllegroOffer.objects.filter(account=account, allegro_id__in=ids).exclude(
            status=OfferStatus.PUBLISHING
        )
    }
    publishing = set(
        AllegroOffer.objects.filter(
            account=account, allegro_id__in=ids, status=OfferStatus.PUBLISHING
        ).values_list("allegro_id", flat=True)
    )
    now = timezone.now()
    created, updated = [], []
    for entry in listings:
        offer_id = str(entry.id)
        if offer_id in publishing:
            continue  # our own edit is in flight; its result will be read back
        fields = _listing_fields(entry)
        fields["raw"] = entry.to_api()
        fields["synced_at"] = now
        offer = existing.get(offer_id)
        if offer is None:
            created.append(AllegroOffer(account=account, **fields))
        else:
            for key in LISTING_FIELDS:
                value = fields.get(key)
                if key in {"price", "starting_price", "minimal_price"} and value is None:
                    continue
                setattr(offer, key, value)
            updated.append(offer)
    with transaction.atomic():
        rows_insert(AllegroOffer, created)
        AllegroOffer.objects.bulk_update(updated, LISTING_FIELDS, batch_size=500)
    return {"created": len(created), "updated": len(updated)}


def offers_import(*, account: AllegroAccount) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "linked": 0, "to_review": 0}
    batch: list[OfferListing] = []
    with client_for(account) as client:
        for listing in client.offers.iter_all():
            batch.append(listing)
            if len(batch) >= 1000:
                for key, value in offers_upsert(account=account, listings=batch).items():
                    counts[key] += value
                batch = []
        if batch:
            for key, value in offers_upsert(account=account, listings=batch).items():
                counts[key] += value
        counts.update(offers_match(account=account, client=client))
    AllegroAccount.objects.filter(pk=account.pk).update(offers_reconciled_at=timezone.now())
    return counts


def offer_events_follow(*, account: AllegroAccount) -> dict[str, int]:
    """Apply the offer events since the stored cursor; one listing read per 100 offers."""
    counts = {"events": 0, "offers": 0}
    with client_for(account) as client:
        cursor = account.offer_events_cursor or None
        while True:
            page = client.offer_events.list(from_=cursor, limit=EVENT_PAGE)
            events = page.offer_events or []
            if not events:
                break
            ids = list(
                dict.fromkeys(
                    str((e.offer or {}).get("id")) for e in events if (e.offer or {}).get("id")
                )
            )
            listings: list[OfferListing] = []
            for start in range(0, len(ids), IDS_PER_LOOKUP):
                chunk = ids[start : start + IDS_PER_LOOKUP]
                listings.extend(client.offers.list(offer_ids=chunk, limit=len(chunk)).offers)
            cursor = str(events[-1].id)
            with transaction.atomic():
                offers_upsert(account=account, listings=listings)
                AllegroAccount.objects.filter(pk=account.pk).update(offer_events_cursor=cursor)
            counts["events"] += len(events)
            counts["offers"] += len(listings)
            if len(events) < EVENT_PAGE:
                break
    account.offer_events_cursor = cursor or ""
    return counts


def offers_import_queue() -> TaskRun:
    """Queue the full read of every linked account's offers (the page follows the run)."""
    task = periodic_task_find(job=job_get(RECONCILE_JOB))
    return job_queue(job=RECONCILE_JOB, periodic_task_id=task.pk if task else None)
