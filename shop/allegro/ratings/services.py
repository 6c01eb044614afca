"""Ratings: the incremental import per account, answers and removal requests.

Both writes are PUTs Allegro refuses to repeat (a second answer, a second request), so a retry
after a lost answer cannot add a copy; the rating is read again after a refusal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allegro_api import AllegroClient, AllegroError
from allegro_api.models.ratings import UserRating
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.issues.mapping import normalized_text
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroRating,
    FeedbackImportState,
)
from shop.allegro.ratings.mapping import rating_columns
from shop.core.errors import ApplicationError

T = TypeVar("T")

MAX_TEXT_LENGTH = 500  # UserRatingAnswerRequest / removal message maxLength
# Read a little before the last change seen: a rating edited in the same second is not lost.
OVERLAP = timedelta(minutes=5)


def _store(account: AllegroAccount, rating: UserRating) -> tuple[AllegroRating, bool]:
    columns = rating_columns(rating)
    columns["form"] = AllegroCheckoutForm.objects.filter(
        account=account, form_id=columns["form_allegro_id"]
    ).first()
    row, created = AllegroRating.objects.update_or_create(
        allegro_id=rating.id, defaults={"account": account, **columns}
    )
    return row, created


def ratings_import(
    *, account: AllegroAccount, client: AllegroClient | None = None
) -> dict[str, int]:
    """Ratings changed since the last run (``lastChangedAt.gte``), newest first."""
    client = client or client_for(account)
    state, _created = FeedbackImportState.objects.get_or_create(account=account)
    since = state.ratings_changed_until - OVERLAP if state.ratings_changed_until else None
    counts: Counter[str] = Counter()
    newest: datetime | None = state.ratings_changed_until
    for remote in client.ratings.iter_changed(since=since):
        with transaction.atomic():
            row, created = _store(account, remote)
        counts["ratings_new" if created else "ratings_updated"] += 1
        if not row.recommended:
            counts["negative"] += int(created)
        if row.last_changed_at and (newest is None or row.last_changed_at > newest):
            newest = row.last_changed_at
    state.ratings_changed_until = newest
    state.save(update_fields=["ratings_changed_until", "updated_at"])
    counts["unanswered_negative"] = AllegroRating.objects.filter(
        account=account, recommended=False, answer=""
    ).count()
    return dict(counts)


def _text(text: str) -> str:
    text = normalized_text(text)
    if not text:
        raise ApplicationError(_("Wpisz treść."))
    if len(text) > MAX_TEXT_LENGTH:
        raise ApplicationError(_("Allegro przyjmuje najwyżej 500 znaków."))
    return text


def _reread(rating: AllegroRating, client: AllegroClient) -> AllegroRating:
    try:
        row, _created = _store(rating.account, client.ratings.get(rating.allegro_id))
    except AllegroError:
        return rating
    return row


def _send(
    rating: AllegroRating,
    client: AllegroClient,
    call: Callable[[], T],
    *,
    arrived: Callable[[AllegroRating], bool],
) -> T | AllegroRating:
    """Make the write; after a refusal read the rating again: an earlier attempt whose answer
    was lost has arrived (the row read back is returned), or the refusal is shown."""
    try:
        return call()
    except AllegroError as exc:
        fresh = _reread(rating, client)
        if arrived(fresh):
            return fresh
        raise ApplicationError(describe_error(exc)) from exc


def rating_answer(
    *, rating: AllegroRating, text: str, client: AllegroClient | None = None
) -> AllegroRating:
    """Publish the seller's answer (once: Allegro keeps the first)."""
    if rating.answer:
        raise ApplicationError(_("Na tę ocenę już odpowiedziano."))
    text = _text(text)
    client = client or client_for(rating.account)
    answer = _send(
        rating,
        client,
        lambda: client.ratings.answer(rating.allegro_id, message=text),
        arrived=lambda fresh: bool(fresh.answer),
    )
    if isinstance(answer, AllegroRating):
        return answer
    rating.answer = answer.message or text
    rating.answered_at = answer.created_at or timezone.now()
    rating.save(update_fields=["answer", "answered_at", "updated_at"])
    return rating


def rating_removal_request(
    *, rating: AllegroRating, text: str, client: AllegroClient | None = None
) -> AllegroRating:
    """Ask the buyer to remove a negative rating, while Allegro allows it."""
    from shop.allegro.ratings.selectors import removal_allowed

    allowed, why = removal_allowed(rating)
    if not allowed:
        raise ApplicationError(why)
    text = _text(text)
    client = client or client_for(rating.account)
    removal = _send(
        rating,
        client,
        lambda: client.ratings.request_removal(rating.allegro_id, message=text),
        arrived=lambda fresh: fresh.removal_requested_at is not None,
    )
    if isinstance(removal, AllegroRating):
        return removal
    request = removal.request
    rating.removal_requested_at = (request.created_at if request else None) or timezone.now()
    rating.removal_message = (request.message if request else None) or text
    rating.save(update_fields=["removal_requested_at", "removal_message", "updated_at"])
    return rating
