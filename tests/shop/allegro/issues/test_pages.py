"""The Dyskusje i reklamacje and Oceny pages: lists, answering, buyer text shown as text."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fake_allegro import Emulator
from fake_allegro.issues.state import issues_of
from fake_allegro.ratings.state import ratings_of
from shop.allegro.issues.services import issues_import
from shop.allegro.models import AllegroCheckoutForm, AllegroIssue, AllegroRating
from shop.allegro.orders.services.importer import orders_import
from shop.allegro.ratings.services import ratings_import

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> javascript:alert(3) https://allegro.pl/pomoc?a=1&b=2.'


def control(emulator: Emulator, path: str, **payload: Any) -> dict[str, Any]:
    with emulator.http_client() as http:
        response = http.post(f"/_emulator{path}", json=payload)
    assert response.status_code < 300, response.text
    data: dict[str, Any] = response.json()
    return data


@pytest.fixture
def feedback(allegro: Emulator, linked_account: Any) -> AllegroCheckoutForm:
    ids = control(allegro, "/purchases", synthetic=True)["checkoutFormIds"]
    orders_import(account=linked_account, sweep=False)
    form = AllegroCheckoutForm.objects.get(form_id=ids[0])
    control(allegro, "/issues", checkoutFormId=form.form_id, type="CLAIM", text=HOSTILE)
    control(allegro, "/ratings", checkoutFormId=form.form_id, recommended=False, comment=HOSTILE)
    issues_import(account=linked_account)
    ratings_import(account=linked_account)
    return form


def assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert (
        '<a href="https://allegro.pl/pomoc?a=1&amp;b=2" target="_blank" '
        'rel="noopener noreferrer nofollow" class="buyer-link">'
    ) in html


def test_issue_list_shows_kind_status_deadline_and_order(
    site_client: Client, feedback: AllegroCheckoutForm
) -> None:
    response = site_client.get(reverse("allegro:issues") + "?show=awaiting")
    html = response.content.decode()
    assert response.status_code == 200
    assert "reklamacja" in html and "reklamacja złożona" in html
    assert reverse("allegro:order_detail", args=[feedback.pk]) in html
    assert "na decyzję" in html or "zostało" in html
    assert "CLAIM_SUBMITTED" not in html


def test_issue_page_escapes_the_buyer_and_sends_the_answer_once(
    allegro: Emulator, site_client: Client, feedback: AllegroCheckoutForm
) -> None:
    issue = AllegroIssue.objects.get()
    page = site_client.get(reverse("allegro:issue", args=[issue.pk]))
    assert_inert(page.content.decode())
    assert "Decyzja w sprawie reklamacji" in page.content.decode()

    sent = site_client.post(
        reverse("allegro:issue_answer", args=[issue.pk]), {"text": "Dzień dobry"}
    )
    assert sent.status_code == 302
    assert issues_of(allegro.world).seller_messages == 1


def test_ratings_page_highlights_negative_and_explains_refused_removal(
    allegro: Emulator, site_client: Client, feedback: AllegroCheckoutForm
) -> None:
    control(allegro, "/ratings", checkoutFormId=feedback.form_id, recommended=True, comment="OK")
    ratings_import(account=feedback.account)
    html = site_client.get(reverse("allegro:ratings")).content.decode()
    assert_inert(html)
    assert "nie poleca" in html and "Poproś o usunięcie" in html
    assert "Nie można poprosić o usunięcie" not in html  # positive ones have no removal line

    rating = AllegroRating.objects.get(recommended=False)
    site_client.post(reverse("allegro:rating_answer", args=[rating.pk]), {"text": "Przepraszamy"})
    site_client.post(reverse("allegro:rating_answer", args=[rating.pk]), {"text": "Jeszcze raz"})
    assert ratings_of(allegro.world).answers_received == 1


def test_order_page_shows_its_discussions_and_rating(
    site_client: Client, feedback: AllegroCheckoutForm
) -> None:
    html = site_client.get(reverse("allegro:order_detail", args=[feedback.pk])).content.decode()
    assert 'id="order-feedback"' in html
    assert reverse("allegro:issue", args=[AllegroIssue.objects.get().pk]) in html
    assert_inert(html)


def test_menu_badges_count_what_waits(site_client: Client, feedback: AllegroCheckoutForm) -> None:
    from shop.allegro.issues.selectors import issues_badge
    from shop.allegro.ratings.selectors import ratings_badge

    response = site_client.get(reverse("allegro:issues"))
    request = response.wsgi_request
    assert issues_badge(request) == "1"
    assert ratings_badge(request) == "1"


def _attachment_gets(emulator: Emulator) -> int:
    return sum(
        1
        for e in emulator.requests.entries()
        if e["method"] == "GET" and "/sale/issues/attachments/" in e["path"]
    )


def test_a_buyer_photo_is_a_download_with_a_checked_type(
    allegro: Emulator, site_client: Client, feedback: AllegroCheckoutForm
) -> None:
    from fake_allegro.messaging.state import SAMPLE_PNG

    claim = AllegroIssue.objects.get(kind="CLAIM")
    message = claim.messages.get(role="BUYER")
    ((attachment_id, file_name),) = message.files
    url = reverse("allegro:issue_attachment", args=[claim.pk, message.pk, attachment_id])
    page = site_client.get(reverse("allegro:issue", args=[claim.pk])).content.decode()
    assert f'href="{url}"' in page
    assert "uszkodzenie.png</a>" in page

    allegro.requests.clear()
    response = site_client.get(url)
    assert response.status_code == 200
    assert response.content == SAMPLE_PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'attachment; filename="{file_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert _attachment_gets(allegro) == 1

    other = reverse("allegro:issue_attachment", args=[claim.pk, message.pk, "not-of-this-message"])
    refused = site_client.get(other)
    assert refused.status_code == 302
    assert _attachment_gets(allegro) == 1  # an id the chat does not name is never asked for


def test_a_page_sent_as_an_attachment_is_not_served(
    allegro: Emulator, site_client: Client, feedback: AllegroCheckoutForm, linked_account: Any
) -> None:
    claim = AllegroIssue.objects.get(kind="CLAIM")
    html = b"<script>alert(1)</script>"
    control(
        allegro,
        f"/issues/{claim.allegro_id}/messages",
        text="Zobacz",
        attachments=[
            {
                "fileName": "strona.html",
                "mimeType": "text/html",
                "contentBase64": base64.b64encode(html).decode(),
            }
        ],
    )
    issues_import(account=linked_account)
    message = claim.messages.get(text="Zobacz")
    ((attachment_id, _name),) = message.files
    url = reverse("allegro:issue_attachment", args=[claim.pk, message.pk, attachment_id])
    allegro.requests.clear()
    response = site_client.get(url, follow=True)
    assert _attachment_gets(allegro) == 1
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/html")  # the back office page, not the file
    assert "<script>alert(1)</script>" not in body
    assert "Allegro podało nieoczekiwany typ pliku" in body
