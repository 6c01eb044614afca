"""Discussions, complaints and ratings: import, answers sent once, Allegro's rules for decisions
and removal requests, and the response-time guard."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from fake_allegro import Emulator
from fake_allegro.issues.state import issues_of
from fake_allegro.ratings.state import ratings_of
from shop.allegro.common.awaiting import awaiting_replies
from shop.allegro.common.client import client_for
from shop.allegro.issues.services import claim_decide, issue_message_send, issues_import
from shop.allegro.models import (
    AllegroCheckoutForm,
    AllegroIssue,
    AllegroIssueMessage,
    AllegroRating,
    IssueMessageState,
)
from shop.allegro.orders.services.importer import orders_import
from shop.allegro.ratings.selectors import removal_allowed
from shop.allegro.ratings.services import rating_answer, rating_removal_request, ratings_import
from shop.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script> zobacz https://allegro.pl/pomoc"


def control(emulator: Emulator, method: str, path: str, **payload: Any) -> dict[str, Any]:
    with emulator.http_client() as http:
        response = http.request(method, f"/_emulator{path}", json=payload)
    assert response.status_code < 300, response.text
    data: dict[str, Any] = response.json()
    return data


def bought(emulator: Emulator, account: Any) -> AllegroCheckoutForm:
    ids = control(emulator, "POST", "/purchases", synthetic=True)["checkoutFormIds"]
    orders_import(account=account, sweep=False)
    return AllegroCheckoutForm.objects.get(form_id=ids[0])


def calls(emulator: Emulator, method: str, suffix: str) -> int:
    return sum(
        1
        for e in emulator.requests.entries()
        if e["method"] == method and e["path"].endswith(suffix) and "/_emulator" not in e["path"]
    )


def test_import_links_issues_to_orders_and_reads_only_changed_chats(
    allegro: Emulator, linked_account: Any
) -> None:
    form = bought(allegro, linked_account)
    opened = control(
        allegro, "POST", "/issues", checkoutFormId=form.form_id, type="CLAIM", text=HOSTILE
    )
    counts = issues_import(account=linked_account)
    assert counts["issues_new"] == 1 and counts["messages_new"] == 1

    issue = AllegroIssue.objects.get()
    assert issue.allegro_id == opened["id"]
    assert issue.form == form
    assert issue.kind == "CLAIM" and issue.status == "CLAIM_SUBMITTED"
    assert issue.decision_due_at is not None
    assert issue.waiting_since is not None
    assert issue.messages.get().text == HOSTILE

    again = issues_import(account=linked_account)
    assert again.get("chats_read", 0) == 0  # nothing moved: no chat read
    assert calls(allegro, "GET", "/chat") == 1

    control(allegro, "POST", f"/issues/{issue.allegro_id}/messages", text="Halo?")
    assert issues_import(account=linked_account)["messages_new"] == 1


def test_an_answer_is_sent_once_and_stops_the_wait(allegro: Emulator, linked_account: Any) -> None:
    form = bought(allegro, linked_account)
    control(allegro, "POST", "/issues", checkoutFormId=form.form_id, type="DISPUTE")
    issues_import(account=linked_account)
    issue = AllegroIssue.objects.get()
    assert [a.kind for a in awaiting_replies()] == ["issue"]

    message = issue_message_send(issue=issue, text="Dzień dobry,\r\nsprawdzamy.")
    assert message.state == IssueMessageState.RECEIVED
    stored = issues_of(allegro.world).issues[issue.allegro_id].messages[-1]
    assert (stored.role, stored.text) == ("SELLER", "Dzień dobry,\nsprawdzamy.")
    assert calls(allegro, "POST", "/message") == 1
    issue.refresh_from_db()
    assert issue.waiting_since is None
    assert awaiting_replies() == []

    issues_import(account=linked_account)  # the chat read adopts the message, no copy
    assert AllegroIssueMessage.objects.filter(issue=issue, role="SELLER").count() == 1


def test_a_pending_answer_that_arrived_is_not_posted_again(
    allegro: Emulator, linked_account: Any
) -> None:
    form = bought(allegro, linked_account)
    control(allegro, "POST", "/issues", checkoutFormId=form.form_id, type="DISPUTE")
    issues_import(account=linked_account)
    issue = AllegroIssue.objects.get()
    # A first attempt reached Allegro but its answer was lost: stored pending, present remotely.
    AllegroIssueMessage.objects.create(
        issue=issue, role="SELLER", text="Wysłaliśmy paczkę.", state=IssueMessageState.PENDING
    )
    client_for(linked_account).issues.add_message(issue.allegro_id, text="Wysłaliśmy paczkę.")
    before = calls(allegro, "POST", "/message")

    message = issue_message_send(issue=issue, text="Wysłaliśmy paczkę.")
    assert message.state == IssueMessageState.RECEIVED
    assert calls(allegro, "POST", "/message") == before  # not posted twice
    assert issues_of(allegro.world).seller_messages == 1


def test_a_closed_discussion_refuses_answers_with_allegros_reason(
    allegro: Emulator, linked_account: Any
) -> None:
    form = bought(allegro, linked_account)
    opened = control(allegro, "POST", "/issues", checkoutFormId=form.form_id, type="DISPUTE")
    issues_import(account=linked_account)
    issue = AllegroIssue.objects.get()
    control(allegro, "POST", f"/issues/{opened['id']}/close")
    # The shop still thinks the chat is open: Allegro's 409 is shown and nothing is kept pending.
    with pytest.raises(ApplicationError, match="resolved"):
        issue_message_send(issue=issue, text="Halo")
    assert issue.messages.get(role="SELLER").state == IssueMessageState.FAILED
    issues_import(account=linked_account)
    issue.refresh_from_db()
    assert not issue.chat_active and issue.waiting_since is None
    with pytest.raises(ApplicationError):
        issue_message_send(issue=issue, text="Halo")


def test_claim_decisions_follow_allegros_rules(allegro: Emulator, linked_account: Any) -> None:
    form = bought(allegro, linked_account)
    control(allegro, "POST", "/issues", checkoutFormId=form.form_id, type="CLAIM")
    control(allegro, "POST", "/issues", checkoutFormId=form.form_id, type="DISPUTE")
    issues_import(account=linked_account)
    claim = AllegroIssue.objects.get(kind="CLAIM")
    dispute = AllegroIssue.objects.get(kind="DISPUTE")

    with pytest.raises(ApplicationError):
        claim_decide(issue=dispute, decision="ACCEPTED_REFUND", message="x")
    with pytest.raises(ApplicationError, match="kwotę"):
        claim_decide(issue=claim, decision="ACCEPTED_PARTIAL_REFUND", message="Częściowo")
    late = claim.decision_due_at + timedelta(minutes=1)
    with pytest.raises(ApplicationError, match="Termin"):
        claim_decide(issue=claim, decision="ACCEPTED_REFUND", message="x", now=late)
    assert calls(allegro, "POST", "/status") == 0

    decided = claim_decide(
        issue=claim,
        decision="ACCEPTED_PARTIAL_REFUND",
        message="Zwrot 10 zł",
        partial_refund="10,00",
    )
    assert decided.status == "CLAIM_ACCEPTED"
    assert calls(allegro, "POST", "/status") == 1


def test_ratings_import_is_incremental(allegro: Emulator, linked_account: Any) -> None:
    form = bought(allegro, linked_account)
    control(
        allegro, "POST", "/ratings", checkoutFormId=form.form_id, recommended=False, comment=HOSTILE
    )
    assert ratings_import(account=linked_account)["ratings_new"] == 1
    rating = AllegroRating.objects.get()
    assert rating.form == form and not rating.recommended and rating.comment == HOSTILE

    list_calls = [e for e in allegro.requests.entries() if e["path"].endswith("/sale/user-ratings")]
    ratings_import(account=linked_account)
    after = [e for e in allegro.requests.entries() if e["path"].endswith("/sale/user-ratings")]
    assert len(after) == len(list_calls) + 1
    assert "lastChangedAt.gte" in after[-1]["query"]
    assert [a.kind for a in awaiting_replies()] == ["rating"]


def test_a_rating_is_answered_once(allegro: Emulator, linked_account: Any) -> None:
    form = bought(allegro, linked_account)
    control(allegro, "POST", "/ratings", checkoutFormId=form.form_id, recommended=False)
    ratings_import(account=linked_account)
    rating = AllegroRating.objects.get()

    rating_answer(rating=rating, text="Przepraszamy,\r\nwyślemy nowy.")
    assert ratings_of(allegro.world).answers_received == 1
    with pytest.raises(ApplicationError):
        rating_answer(rating=rating, text="Drugi raz")
    assert calls(allegro, "PUT", "/answer") == 1
    assert awaiting_replies() == []


def test_removal_is_offered_only_where_allegro_allows_it(
    allegro: Emulator, linked_account: Any
) -> None:
    form = bought(allegro, linked_account)
    control(allegro, "POST", "/ratings", checkoutFormId=form.form_id, recommended=True)
    control(allegro, "POST", "/ratings", checkoutFormId=form.form_id, recommended=False, daysAgo=40)
    control(allegro, "POST", "/ratings", checkoutFormId=form.form_id, recommended=False)
    ratings_import(account=linked_account)
    positive, old, fresh = AllegroRating.objects.order_by("-recommended", "rated_at")

    assert removal_allowed(positive)[0] is False
    assert "negatywnej" in removal_allowed(positive)[1]
    assert removal_allowed(old)[0] is False
    assert "Minął" in removal_allowed(old)[1]
    assert removal_allowed(fresh) == (True, "")

    with pytest.raises(ApplicationError):
        rating_removal_request(rating=old, text="Proszę")
    assert calls(allegro, "PUT", "/removal") == 0
    rating_removal_request(rating=fresh, text="Sprawa wyjaśniona")
    assert ratings_of(allegro.world).removals_received == 1
    assert removal_allowed(fresh)[0] is False
    assert fresh.removal_requested_at is not None
    assert timezone.now() - fresh.removal_requested_at < timedelta(minutes=5)


def test_an_answer_carries_its_attachment(allegro: Emulator, linked_account: Any) -> None:
    form = bought(allegro, linked_account)
    control(allegro, "POST", "/issues", checkoutFormId=form.form_id, type="CLAIM")
    issues_import(account=linked_account)
    issue = AllegroIssue.objects.get()
    pdf = b"%PDF-1.4\n%%EOF\n"
    message = issue_message_send(
        issue=issue,
        text="Protokół w załączniku.",
        attachment=("protokol.pdf", pdf, "application/pdf"),
    )
    assert message.state == IssueMessageState.RECEIVED
    stored = issues_of(allegro.world).issues[issue.allegro_id].messages[-1]
    assert [(a.file_name, a.content) for a in stored.attachments] == [("protokol.pdf", pdf)]
    assert calls(allegro, "PUT", "/attachments/" + stored.attachments[0].id) == 1
