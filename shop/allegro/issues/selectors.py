"""Reads of discussions and complaints: lists, the response-time guard, what the seller may do."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.allegro.common.awaiting import AwaitingReply, awaiting_source
from shop.allegro.common.selectors import menu_badge
from shop.allegro.models import AllegroAccount, AllegroIssue, AllegroRating

# Flag a deadline this far ahead (a claim left undecided counts as accepted).
DEADLINE_WARNING_HOURS = 48


def issues_awaiting(*, account: AllegroAccount | None = None) -> QuerySet[AllegroIssue]:
    found = AllegroIssue.objects.filter(waiting_since__isnull=False)
    if account is not None:
        found = found.filter(account=account)
    return found


#: The menu badge: discussions and complaints awaiting the seller (empty when none).
issues_badge = menu_badge("issues", lambda account: issues_awaiting(account=account))


def issues_list(*, account: AllegroAccount, show: str = "open") -> QuerySet[AllegroIssue]:
    found = AllegroIssue.objects.filter(account=account).select_related("form")
    if show == "awaiting":
        found = found.filter(waiting_since__isnull=False)
    elif show == "open":
        found = found.filter(status__in=("DISPUTE_ONGOING", "CLAIM_SUBMITTED"))
    return found.order_by("-opened_at", "-id")


def issues_of_form(form_id: int) -> list[AllegroIssue]:
    return list(AllegroIssue.objects.filter(form_id=form_id).order_by("-opened_at"))


def ratings_of_form(form_id: int) -> list[AllegroRating]:
    return list(AllegroRating.objects.filter(form_id=form_id).order_by("-rated_at"))


def deadline_state(deadline: datetime | None, *, now: datetime | None = None) -> str:
    """``overdue`` / ``soon`` (within the warning hours) / ``ok`` / ``none``."""
    if deadline is None:
        return "none"
    moment = now or timezone.now()
    if deadline <= moment:
        return "overdue"
    if (deadline - moment).total_seconds() <= DEADLINE_WARNING_HOURS * 3600:
        return "soon"
    return "ok"


def claim_decisions_allowed(
    issue: AllegroIssue, *, now: datetime | None = None
) -> tuple[bool, str]:
    """Whether the seller may accept or reject now, and why not (Allegro's rules: only a claim,
    only while it is submitted, only before ``decisionDueDate``)."""
    if issue.kind != "CLAIM":
        return False, _("W dyskusji nie ma decyzji do podjęcia – odpowiedz kupującemu.")
    if issue.status != "CLAIM_SUBMITTED":
        return False, _("Reklamacja została już rozpatrzona.")
    moment = now or timezone.now()
    if issue.decision_due_at is not None and issue.decision_due_at <= moment:
        return False, _(
            "Termin decyzji minął – Allegro uznaje reklamację bez odpowiedzi za przyjętą."
        )
    return True, ""


@awaiting_source("issue")
def awaiting_issues(moment: datetime) -> Iterable[AwaitingReply]:
    """Discussions and complaints whose buyer waits for the seller (one query)."""
    for issue in issues_awaiting().select_related("account"):
        kind = _("Reklamacja") if issue.kind == "CLAIM" else _("Dyskusja")
        assert issue.waiting_since is not None
        yield AwaitingReply(
            kind="claim" if issue.kind == "CLAIM" else "issue",
            title=f"{kind}: {issue.buyer_login}",
            url=reverse("allegro:issue", args=[issue.pk]),
            waiting_since=issue.waiting_since,
            deadline=issue.decision_due_at,
            account_id=issue.account_id,
        )
