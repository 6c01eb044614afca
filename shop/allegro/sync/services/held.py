"""The merchant's decisions on held changes ("Wstrzymane zmiany") and on first syncs after a link.

Accepting a held change records the decision and marks its offer: the next flush plans the
change through the one command path, and the guard lets exactly that ``current → proposed``
through, so it is sent once (and again only as a retry of a failed command). Rejecting keeps
Allegro's value; the guard does not propose the same value again while the target stays.
When the last open change of an offer still in its first-sync preview is decided, the link
counts as accepted and the offer syncs normally (with the guard) from then on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from shop.allegro.models import AllegroAccount, AllegroOffer
from shop.allegro.models.sync import HeldChange, HeldResolution, OfferSync
from shop.allegro.sync.services.push import flush_schedule, queue_touch


@dataclass
class Resolved:
    done: int = 0
    # Rows whose proposed value moved (or that were decided) since the page showed them.
    stale: int = 0


def held_changes_resolve(
    *,
    account: AllegroAccount,
    seen: Mapping[int, Decimal],
    accept: bool,
    user: Any = None,
) -> Resolved:
    """Decide the open held changes ``seen`` (id → the proposed value the merchant saw)."""
    result = Resolved()
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            HeldChange.objects.select_for_update()
            .filter(pk__in=list(seen), offer__account=account, resolved_at__isnull=True)
            .order_by("pk")
        )
        chosen = [row for row in rows if row.proposed == seen[row.pk]]
        result.stale = len(seen) - len(chosen)
        if not chosen:
            return result
        HeldChange.objects.filter(pk__in=[row.pk for row in chosen]).update(
            resolved_at=now,
            resolution=HeldResolution.ACCEPTED if accept else HeldResolution.REJECTED,
            resolved_by=user if getattr(user, "pk", None) else None,
        )
        offer_ids = {row.offer_id for row in chosen}
        still_open = set(
            HeldChange.objects.filter(offer_id__in=offer_ids, resolved_at__isnull=True)
            .values_list("offer_id", flat=True)
            .distinct()
        )
        _links_accept(offer_ids - still_open, now)
        if accept:
            AllegroOffer.objects.filter(pk__in=offer_ids).update(needs_push=True)
            queue_touch(account_ids=[account.pk])
            transaction.on_commit(lambda: flush_schedule(account_ids=[account.pk], countdown=0.0))
        result.done = len(chosen)
    return result


def held_changes_accepted_record(
    *, changes: Iterable[tuple[AllegroOffer, str, Decimal, Decimal]], reason: str, user: Any = None
) -> None:
    """Record values the merchant chose elsewhere (offer, field, current, proposed) as accepted,
    so the guard lets exactly them through; an open held change of the same field is closed."""
    now = timezone.now()
    rows = list(changes)
    with transaction.atomic():
        for offer, field, _current, _proposed in rows:
            HeldChange.objects.filter(offer=offer, field=field, resolved_at__isnull=True).delete()
        HeldChange.objects.bulk_create(
            HeldChange(
                offer=offer,
                field=field,
                current=current,
                proposed=proposed,
                reason=reason,
                resolved_at=now,
                resolution=HeldResolution.ACCEPTED,
                resolved_by=user if getattr(user, "pk", None) else None,
            )
            for offer, field, current, proposed in rows
        )


def offers_link_accept(*, offers: Iterable[AllegroOffer]) -> int:
    """Count the offers' current links as accepted: no first-sync preview for them.

    For links the merchant has checked another way (a benchmark's or a migration's own offers);
    the page accepts links through ``held_changes_resolve``.
    """
    ids = {offer.pk for offer in offers}
    with transaction.atomic():
        _links_accept(ids, timezone.now())
    return len(ids)


def _links_accept(offer_ids: set[int], now: Any) -> None:
    if not offer_ids:
        return
    OfferSync.objects.bulk_create(
        [OfferSync(offer_id=pk) for pk in offer_ids], ignore_conflicts=True
    )
    OfferSync.objects.filter(offer_id__in=offer_ids).update(link_accepted_at=now)
