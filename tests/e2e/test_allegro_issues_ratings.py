"""Discussions, complaints and ratings in the browser: answer a discussion and a rating (each
arrives once at Allegro), and nothing a buyer wrote runs on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fake_allegro.issues.state import issues_of
from fake_allegro.messaging.state import SAMPLE_PNG
from fake_allegro.ratings.state import ratings_of
from shop.allegro.issues.services import issues_import
from shop.allegro.models import AllegroCheckoutForm, AllegroIssue, AllegroRating
from shop.allegro.orders.services.importer import orders_import
from shop.allegro.ratings.services import ratings_import
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)"> '
    "javascript:alert(3) Zdjęcia: https://allegro.pl/pomoc"
)


def _fill(live_emulator: Any, account: Any) -> AllegroCheckoutForm:
    created: Any = live_emulator.control("/purchases", {"synthetic": True})
    form_id = str(created["checkoutFormIds"][0])
    orders_import(account=account, sweep=False)
    live_emulator.control(
        "/issues", {"checkoutFormId": form_id, "type": "DISPUTE", "text": HOSTILE}
    )
    live_emulator.control(
        "/issues", {"checkoutFormId": form_id, "type": "CLAIM", "text": "Uszkodzony."}
    )
    live_emulator.control(
        "/ratings", {"checkoutFormId": form_id, "recommended": False, "comment": HOSTILE}
    )
    live_emulator.control(
        "/ratings", {"checkoutFormId": form_id, "recommended": True, "comment": "Polecam"}
    )
    issues_import(account=account)
    ratings_import(account=account)
    return AllegroCheckoutForm.objects.get(form_id=form_id)


def _no_dialogs(page: Any) -> list[str]:
    dialogs: list[str] = []

    def seen(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", seen)
    return dialogs


def test_answer_a_discussion_once_with_the_buyer_text_inert(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    dialogs = _no_dialogs(page)
    form = _fill(live_emulator, linked_live_account)
    dispute = AllegroIssue.objects.get(kind="DISPUTE")

    page.goto(f"{page.base_url}/backend/allegro/issues/?show=awaiting")
    rows = page.locator("#issue-list tbody tr")
    assert rows.count() == 2
    assert "dyskusja" in page.locator("#issue-list").inner_text()
    assert page.locator("#issue-list .deadline").count() == 1  # only the claim has one
    screenshot(page, "allegro_issues_list")

    page.click(f"tr[data-issue='{dispute.allegro_id}'] a.bo-btn")
    page.wait_for_url(f"**/issues/{dispute.pk}/")
    buyer = page.locator(".chat-message[data-role='BUYER']").first
    assert "<script>alert(1)</script>" in buyer.inner_text()  # shown as text
    assert buyer.locator("script, img").count() == 0
    link = buyer.locator("a.buyer-link")
    assert link.count() == 1
    assert link.get_attribute("href") == "https://allegro.pl/pomoc"
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    assert page.locator("#decision").count() == 0  # a discussion has no decision

    page.fill("#answer-text", "Dzień dobry,\nsprawdzamy przesyłkę.")
    page.set_input_files(
        "#answer-attachment",
        files=[{"name": "list.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}],
    )
    page.click("#send-answer")
    page.wait_for_url(f"**/issues/{dispute.pk}/")
    assert "sprawdzamy przesyłkę" in page.locator(".chat-message[data-role='SELLER']").inner_text()
    screenshot(page, "allegro_issue_answered")

    stored = issues_of(live_emulator.emulator.world).issues[dispute.allegro_id]
    assert [m.text for m in stored.messages if m.role == "SELLER"] == [
        "Dzień dobry,\nsprawdzamy przesyłkę."
    ]
    assert issues_of(live_emulator.emulator.world).seller_messages == 1
    assert [a.file_name for a in stored.messages[-1].attachments] == ["list.pdf"]

    claim = AllegroIssue.objects.get(kind="CLAIM")
    page.goto(f"{page.base_url}/backend/allegro/issues/{claim.pk}/")
    assert page.locator("#decision-form").count() == 1
    photo = page.locator(".chat-message[data-role='BUYER'] a.issue-attachment")
    assert photo.inner_text() == "uszkodzenie.png"
    screenshot(page, "allegro_claim")
    with page.expect_download() as download_info:
        photo.click()
    download = download_info.value
    assert download.suggested_filename == "uszkodzenie.png"
    assert Path(download.path()).read_bytes() == SAMPLE_PNG

    page.goto(f"{page.base_url}/backend/allegro/orders/{form.pk}/")
    section = page.locator("#order-feedback")
    assert section.locator(".order-issue").count() == 2
    assert section.locator("script, img").count() == 0
    section.scroll_into_view_if_needed()
    screenshot(page, "allegro_order_feedback")
    assert dialogs == []


def test_answer_a_rating_once_and_ask_for_removal(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    dialogs = _no_dialogs(page)
    _fill(live_emulator, linked_live_account)
    negative = AllegroRating.objects.get(recommended=False)

    page.goto(f"{page.base_url}/backend/allegro/ratings/")
    card = page.locator(f"#rating-{negative.pk}")
    assert "nie poleca" in card.inner_text()
    assert card.locator("script, img").count() == 0
    assert "<script>alert(1)</script>" in card.locator(".buyer-text").inner_text()
    screenshot(page, "allegro_ratings")

    card.locator(".answer-form textarea").fill("Przepraszamy, wyślemy nowy egzemplarz.")
    card.locator(".answer-form button").click()
    page.wait_for_selector(f"#rating-{negative.pk} .rating-answer")
    assert (
        "wyślemy nowy egzemplarz"
        in page.locator(f"#rating-{negative.pk} .rating-answer").inner_text()
    )
    assert ratings_of(live_emulator.emulator.world).answers_received == 1

    card = page.locator(f"#rating-{negative.pk}")
    card.locator("details.removal summary").click()
    card.locator(".removal-form textarea").fill("Sprawa została wyjaśniona.")
    card.locator(".removal-form button").click()
    page.wait_for_selector(f"#rating-{negative.pk} .removal-sent")
    assert ratings_of(live_emulator.emulator.world).removals_received == 1
    screenshot(page, "allegro_ratings_answered")
    assert dialogs == []
