"""The claims page, the order page's section, bulk filing by POST, the job and the reminder."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fake_allegro import Emulator
from fake_allegro.claims.state import claims_of as remote_claims
from shop.allegro.claims.jobs import follow_claims
from shop.allegro.models import AllegroAccount, AllegroLineItem, AllegroRefundClaim, ClaimStatus
from shop.backoffice.dashboard import claims_to_file_card
from tests.shop.allegro.claims.test_services import imported_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cancelled(allegro: Emulator, linked_account: AllegroAccount) -> list[AllegroLineItem]:
    return [
        imported_item(allegro, linked_account, cancel="BUYER_CANCELLED", cancelAfter="BOUGHT")
        for _ in range(2)
    ]


def post_file(client: Client, items: list[AllegroLineItem], **extra: Any) -> Any:
    data = {"item": [str(i.pk) for i in items], **extra}
    return client.post(reverse("allegro:claims_file"), data)


def test_the_page_lists_candidates_and_a_double_submit_files_each_once(
    site_client: Client, allegro: Emulator, two_cancelled: list[AllegroLineItem]
) -> None:
    page = site_client.get(reverse("allegro:claims"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Złóż wnioski" in html
    for item in two_cancelled:
        assert f'data-item="{item.line_item_id}"' in html

    first = post_file(site_client, two_cancelled)
    again = post_file(site_client, two_cancelled)

    assert first.status_code == again.status_code == 302
    assert AllegroRefundClaim.objects.filter(status=ClaimStatus.IN_PROGRESS).count() == 2
    assert len(remote_claims(allegro.world).claims) == 2
    html = site_client.get(reverse("allegro:claims")).content.decode()
    assert "rozpatrywany" in html
    assert "IN_PROGRESS" not in html.replace('data-status="IN_PROGRESS"', "")


def test_the_order_page_files_its_own_claim(
    site_client: Client, allegro: Emulator, two_cancelled: list[AllegroLineItem]
) -> None:
    item = two_cancelled[0]
    url = reverse("allegro:order_detail", args=[item.form.pk])
    html = site_client.get(url).content.decode()
    assert 'id="order-claims"' in html
    assert "Złóż wniosek o zwrot prowizji" in html

    response = post_file(site_client, [item], next=url)

    assert response.status_code == 302
    assert response["Location"] == url
    html = site_client.get(url).content.decode()
    assert f'data-claim="{item.line_item_id}"' in html
    assert "Złóż wniosek o zwrot prowizji" not in html


def test_the_job_follows_claims_and_counts_what_is_left(
    allegro: Emulator,
    linked_account: AllegroAccount,
    two_cancelled: list[AllegroLineItem],
    site_client: Client,
) -> None:
    post_file(site_client, two_cancelled[:1])
    allegro.world.clock.advance(3 * 3600)

    counts = follow_claims(linked_account.pk)

    assert counts["to_granted"] == 1
    assert counts["to_file"] == 1
    assert counts["closing_soon"] == 0
    html = site_client.get(reverse("allegro:claims")).content.decode()
    assert "przyznany" in html


def test_the_start_page_card_counts_windows_closing_soon(
    allegro: Emulator, linked_account: AllegroAccount, two_cancelled: list[AllegroLineItem]
) -> None:
    assert claims_to_file_card().count == 0
    for item in two_cancelled:
        form = item.form
        form.bought_at = form.bought_at - timedelta(days=40)
        form.save(update_fields=["bought_at"])

    card = claims_to_file_card()

    assert card.count == 2
    assert len(card.rows) == 2
    assert all(row.note.startswith("wniosek do ") for row in card.rows)
    assert card.title == "Zwroty prowizji do złożenia"
