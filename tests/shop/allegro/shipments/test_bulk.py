"""Parcels for many orders: one batch, a row per order, one labels file, pickup, printout."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from fake_allegro import Emulator
from fake_allegro.shipments.state import shipments_of
from shop.allegro.models import AllegroParcel, BatchStatus, ParcelBatch, ParcelState
from shop.allegro.shipments import bulk, services

pytestmark = pytest.mark.django_db


def _posts(emulator: Emulator, fragment: str) -> int:
    return sum(
        1
        for e in emulator.requests.entries()
        if e["method"] == "POST" and fragment in e["path"] and "/_emulator" not in e["path"]
    )


def test_a_batch_creates_each_parcel_once_and_reports_refusals(
    allegro: Emulator, linked_account: Any, order_of: Any, sleep: Any
) -> None:
    forms = [order_of("dpd") for _ in range(3)] + [order_of("dhl")]
    services.shipment_create(form=forms[0], sleep=sleep)  # one already has its parcel
    batch = ParcelBatch.objects.create(account=linked_account, form_ids=[f.pk for f in forms])
    bulk.batch_run(batch_id=batch.pk, sleep=sleep)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    rows = bulk.batch_rows(batch)
    counts = bulk.batch_counts(rows)
    assert counts == {"total": 4, "created": 3, "pending": 0, "failed": 1}
    assert "nie jest obsługiwana" in rows[-1]["message"]
    assert len(shipments_of(allegro.world).shipments) == 3
    assert _posts(allegro, "/shipments/create-commands") == 3
    # Running it again (a retried task) sends nothing new.
    batch.status = BatchStatus.RUNNING
    batch.save()
    bulk.batch_run(batch_id=batch.pk, sleep=sleep)
    assert _posts(allegro, "/shipments/create-commands") == 3
    labels = services.labels_download(
        account=linked_account, parcels=bulk.batch_parcels(batch), page_size="A4"
    )
    assert labels.count(b"/Type /Page ") == 1  # three labels on one A4 sheet
    assert _posts(allegro, "/shipment-management/label") == 1


def test_the_batch_page_from_the_order_list_to_labels_and_pickup(
    allegro: Emulator,
    linked_account: Any,
    order_of: Any,
    site_client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    forms = [order_of("dpd") for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = site_client.post(
            reverse("allegro:parcels_bulk"), {"form": [str(f.pk) for f in forms]}
        )
    batch = ParcelBatch.objects.get()
    assert response["Location"] == reverse("allegro:parcel_batch", args=[batch.pk])
    page = site_client.get(response["Location"]).content.decode()
    assert 'id="batch-labels"' in page
    partial = site_client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="parcel-batch"') and "hx-trigger" not in partial
    assert AllegroParcel.objects.filter(state=ParcelState.CREATED).count() == 2
    labels = site_client.get(reverse("allegro:parcel_batch_labels", args=[batch.pk]) + "?size=A6")
    assert labels.content.count(b"/Type /Page ") == 2
    protocol = site_client.get(
        reverse("allegro:parcel_batch_protocol", args=[batch.pk]) + "?carrier=DPD"
    )
    assert protocol.content.startswith(b"%PDF-")
    printout = site_client.get(reverse("allegro:parcel_batch_printout", args=[batch.pk]))
    assert printout.content.startswith(b"%PDF-")
    assert 'data-carrier="DPD"' in page
    pickup_url = reverse("allegro:parcel_batch_pickup", args=[batch.pk])
    proposals = site_client.get(pickup_url + "?carrier=DPD")
    html = proposals.content.decode()
    assert 'id="pickup-form"' in html
    slot = html.split('name="slot" value="')[1].split('"')[0]
    site_client.post(pickup_url, {"slot": slot, "carrier": "DPD"})
    batch.refresh_from_db()
    assert batch.carrier_pickup_id
    site_client.post(pickup_url, {"slot": slot, "carrier": "DPD"})
    assert _posts(allegro, "/pickups/create-commands") == 1
