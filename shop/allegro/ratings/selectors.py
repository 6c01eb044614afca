"""Reads of ratings: the list, what the seller may still do, the response-time guard."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.allegro.common.awaiting import AwaitingReply, awaiting_source
from shop.allegro.common.selectors import menu_badge
from shop.allegro.models import AllegroAccount, AllegroRating


def ratings_list(*, account: AllegroAccount, show: str = "all") -> QuerySet[AllegroRating]:
    found = AllegroRating.objects.filter(account=account).select_related("form")
    if show == "negative":
        found = found.filter(recommended=False)
    elif show == "unanswered":
        found = found.filter(recommended=False, answer="")
    return found.order_by("-rated_at", "-id")


def negative_unanswered(*, account: AllegroAccount | None = None) -> QuerySet[AllegroRating]:
    found = AllegroRating.objects.filter(recommended=False, answer="")
    if account is not None:
        found = found.filter(account=account)
    return found


#: The menu badge: negative ratings without an answer (empty when none).
ratings_badge = menu_badge("ratings", lambda account: negative_unanswered(account=account))


def removal_allowed(rating: AllegroRating, *, now: datetime | None = None) -> tuple[bool, str]:
    """Whether "Poproś o usunięcie" may be offered, and why not.

    Allegro lets the seller ask only about a "not recommended" rating (allegro/allegro-api#5427),
    once, and only until ``removal.possibleTo``.
    """
    if rating.recommended:
        return False, _("Usunięcia można prosić tylko przy ocenie negatywnej.")
    if rating.removal_requested_at is not None:
        return False, _("Prośba o usunięcie została już wysłana.")
    if rating.removal_possible_to is None:
        return False, _("Allegro nie pozwala prosić o usunięcie tej oceny.")
    if rating.removal_possible_to <= (now or timezone.now()):
        return False, _("Minął czas, w którym Allegro pozwala prosić o usunięcie oceny.")
    return True, ""


@awaiting_source("rating")
def awaiting_ratings(moment: datetime) -> Iterable[AwaitingReply]:
    """Negative ratings without the seller's answer (one query). Allegro sets no deadline."""
    for rating in negative_unanswered().order_by("rated_at"):
        yield AwaitingReply(
            kind="rating",
            title=_("Ocena negatywna: %(login)s") % {"login": rating.buyer_login},
            url=reverse("allegro:ratings") + f"#rating-{rating.pk}",
            waiting_since=rating.rated_at or rating.created_at,
            account_id=rating.account_id,
        )
