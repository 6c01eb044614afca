# mypy: allow-untyped-defs
"""One sender of batch offer commands serves the offer list's end/resume and the stock sync."""

from __future__ import annotations

from typing import Any

import pytest
from celery import current_app
from django.urls import reverse

from shop.allegro.models import AllegroOffer, OfferStatus
from shop.allegro.models.sync import (
    CommandKind,
    CommandOrigin,
    CommandStatus,
    OfferSync,
    SyncCommand,
)
from shop.allegro.offers.selectors import offer_command_results
from shop.allegro.sync.services.commands import COMMAND_TASK
from shop.allegro.sync.services.push import stock_sync_flush
from shop.catalog.models import StockReason
from shop.catalog.services.stock import stock_adjust

pytestmark = pytest.mark.django_db


def command_traffic(allegro: Any) -> list[tuple[str, str]]:
    return [
        (e["method"], e["path"])
        for e in allegro.requests.entries()
        if "-commands/" in e["path"] and not e["path"].startswith("/_emulator")
    ]


def end_from_list(site_client, offers: list[AllegroOffer], capture) -> Any:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return site_client.post(
            reverse("allegro:offers_bulk"), {"action": "end", "offer": [o.pk for o in offers]}
        )


def test_offer_list_and_sync_leave_rows_of_the_one_command_model(
    allegro, synced_offer_factory, linked_account, site_client, django_capture_on_commit_callbacks
):
    """The list's end and the sync's quantity push: one model, per-offer results with why."""
    kept_product, kept, kept_remote = synced_offer_factory(stock=5)
    OfferSync.objects.get_or_create(offer=kept)
    _p, gone, gone_remote = synced_offer_factory(stock=5)
    product, _synced, synced_remote = synced_offer_factory(stock=5)
    del allegro.world.sale.offers[gone_remote.id]  # its task fails on Allegro
    end_from_list(site_client, [kept, gone], django_capture_on_commit_callbacks)
    stock_adjust(product=product, delta=-2, reason=StockReason.ORDER)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)

    listed = SyncCommand.objects.get(origin=CommandOrigin.OFFER_LIST)
    pushed = SyncCommand.objects.get(origin=CommandOrigin.SYNC)
    assert (listed.kind, listed.status) == (CommandKind.END, CommandStatus.PARTIAL)
    assert (pushed.kind, pushed.status) == (CommandKind.QUANTITY, CommandStatus.DONE)
    assert synced_remote.available == 3
    results = {r.allegro_id: r for r in offer_command_results(listed)}
    assert results[kept.allegro_id].state == "success"
    assert results[gone.allegro_id].state == "failed"
    assert "nie istnieje" in results[gone.allegro_id].message
    assert [r.state for r in offer_command_results(pushed)] == ["success"]
    # Both went out under their stored UUIDs, through the same PUT-then-report path.
    puts = [path for method, path in command_traffic(allegro) if method == "PUT"]
    assert puts == [
        f"/sale/offer-publication-commands/{listed.command_id}",
        f"/sale/offer-quantity-change-commands/{pushed.command_id}",
    ]
    # The merchant's end is not the sync's to undo: a delivery does not resume the offer.
    kept.refresh_from_db()
    assert kept.status == OfferStatus.ENDED and kept.sync.ended_by_sync is False
    stock_adjust(product=kept_product, delta=3, reason=StockReason.DELIVERY)
    stock_sync_flush(account_id=linked_account.pk, debounce=False)
    assert kept_remote.status == "ENDED"
    assert not SyncCommand.objects.filter(kind=CommandKind.ACTIVATE).exists()
    page = site_client.get(reverse("allegro:offers") + f"?command={listed.command_id}")
    assert "nie istnieje" in page.content.decode()


def test_request_only_queues_and_the_task_sends_and_reads_the_report(
    allegro,
    synced_offer_factory,
    site_client,
    queued_tasks,
    django_capture_on_commit_callbacks,
):
    """No HTTP to Allegro inside the request; the page shows "w toku" and then the result."""
    _p, offer, remote = synced_offer_factory(stock=5)
    allegro.requests.clear()
    response = end_from_list(site_client, [offer], django_capture_on_commit_callbacks)
    command = SyncCommand.objects.get()
    assert command.status == CommandStatus.PENDING and command.command_id
    assert queued_tasks == [(COMMAND_TASK, command.pk)]
    assert command_traffic(allegro) == []  # neither the PUT nor a report GET
    assert remote.status == "ACTIVE"

    page = site_client.get(response.headers["Location"])
    row = page.content.decode()
    assert page.context["pending_ids"] == {offer.allegro_id}
    assert f'id="offer-state-{offer.pk}"><span class="bo-badge bo-badge-warn offer-pending">' in row
    status_url = reverse("allegro:offer_command", args=[command.command_id])
    assert f'hx-get="{status_url}"' in row
    polled = site_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="pending"' in polled and "hx-get" in polled

    # The worker's turn: one PUT with the stored UUID, then the result replaces the progress.
    current_app.tasks[COMMAND_TASK](command.pk)
    assert remote.status == "ENDED"
    assert [m for m, _path in command_traffic(allegro)] == ["PUT"]
    polled = site_client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in polled and "hx-get" not in polled
    assert f'<span id="offer-state-{offer.pk}" hx-swap-oob="true">' in polled
    assert "status-ended" in polled and 'value="resume"' in polled


def test_a_retried_send_reuses_the_stored_uuid(
    allegro, synced_offer_factory, site_client, queued_tasks, django_capture_on_commit_callbacks
):
    _p, offer, remote = synced_offer_factory(stock=5)
    end_from_list(site_client, [offer], django_capture_on_commit_callbacks)
    command = SyncCommand.objects.get()
    allegro.http_client().post(
        "/_emulator/faults",
        json={"pathRegex": "offer-publication-commands", "status": 503, "rate": 1.0},
    )
    allegro.requests.clear()
    current_app.tasks[COMMAND_TASK](command.pk)
    command.refresh_from_db()
    assert (command.status, command.attempts) == (CommandStatus.PENDING, 1)
    assert remote.status == "ACTIVE"
    allegro.http_client().delete("/_emulator/faults")
    current_app.tasks[COMMAND_TASK](command.pk)
    command.refresh_from_db()
    assert command.status == CommandStatus.DONE and remote.status == "ENDED"
    # The task asked to come back after the failure; the retry re-sent the same command.
    assert queued_tasks[-1] == (COMMAND_TASK, command.pk) and len(queued_tasks) == 2
    paths = {path for method, path in command_traffic(allegro) if method == "PUT"}
    assert paths == {f"/sale/offer-publication-commands/{command.command_id}"}
