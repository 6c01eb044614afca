from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from shop.allegro.models import AllegroOffer, LinkSource, OfferLinkStatus, OfferStatus
from shop.allegro.models.sync import CommandKind, CommandOrigin, CommandStatus, SyncCommand
from shop.allegro.offers.services.importer import offer_events_follow, offers_import
from shop.allegro.offers.services.links import LINK_ACTION
from shop.allegro.offers.services.publish import offer_publish
from shop.catalog.demo import demo_catalog_load
from shop.core.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def remote(allegro, offer: AllegroOffer):  # type: ignore[no-untyped-def]
    return allegro.world.sale.offers[offer.allegro_id]


def writes(allegro, path_part: str = "") -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return [
        e
        for e in allegro.requests.entries()
        if e["method"] in {"POST", "PUT", "PATCH", "DELETE"}
        and path_part in str(e["path"])
        and not str(e["path"]).startswith(("/_emulator", "/auth"))
    ]


@pytest.fixture
def imported(linked_account, allegro):  # type: ignore[no-untyped-def]
    demo_catalog_load(images=False)
    counts = offers_import(account=linked_account)
    assert counts["created"] == len(allegro.world.sale.seller_offers(allegro.demo_seller.id))
    return linked_account


def test_import_mirrors_every_offer_and_holds_a_bare_sku_match(imported, allegro):
    offers = AllegroOffer.objects.filter(account=imported)
    lalka = offers.get(external_id="ALG-0001")
    assert lalka.status == OfferStatus.ACTIVE and lalka.price == Decimal("39.99")
    assert offers.get(external_id="ALG-0005").status == OfferStatus.ENDED
    assert offers.filter(status=OfferStatus.INACTIVE).exists()  # the seller's draft
    # The seeded phone whose sygnatura equals a demo book's SKU waits for the merchant.
    phone = offers.get(external_id="KS-0004")
    assert (phone.product, phone.proposed_product.sku) == (None, "KS-0004")
    assert phone.link_status == OfferLinkStatus.TO_REVIEW
    assert not offers.filter(product__isnull=False).exists()
    assert not AuditLogEntry.objects.filter(action=LINK_ACTION).exists()
    # A second import updates, it does not duplicate.
    assert offers_import(account=imported)["created"] == 0
    assert AllegroOffer.objects.count() == offers.count()


def test_list_filters_search_and_constant_queries(
    imported, site_client, django_assert_max_num_queries
):
    url = reverse("allegro:offers")
    # 15: one of them counts the offers waiting under "Do potwierdzenia" (sidebar and list).
    with django_assert_max_num_queries(15):
        few = site_client.get(url)
    assert few.status_code == 200
    base = AllegroOffer.objects.first()
    AllegroOffer.objects.bulk_create(
        AllegroOffer(
            account=imported,
            allegro_id=str(900000 + i),
            name=f"Oferta masowa {i}",
            status="active",
            price=Decimal("10.00"),
        )
        for i in range(120)
    )
    with django_assert_max_num_queries(15):
        many = site_client.get(url)
    assert len(many.context["page"]) == 50
    assert base is not None
    active = site_client.get(url + "?status=ended").context["page"]
    assert [o.external_id for o in active] == ["ALG-0005"]
    found = site_client.get(url + "?q=ALG-0001").context["page"]
    assert [o.external_id for o in found] == ["ALG-0001"]
    unlinked = site_client.get(url + "?linked=no").context["page"].paginator.count
    assert unlinked >= 120
    cheap_first = site_client.get(url + "?sort=price").context["page"][0]
    assert cheap_first.price == Decimal("10.00")


def test_edit_sends_only_what_changed(
    imported, allegro, site_client, django_capture_on_commit_callbacks, settings
):
    import json

    import httpx

    sent: list[dict[str, object]] = []

    class Recording(httpx.WSGITransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.method == "PATCH":
                sent.append(json.loads(request.content))
            return super().handle_request(request)

    settings.ALLEGRO_TRANSPORT_FACTORY = lambda: Recording(app=allegro.wsgi)
    offer = AllegroOffer.objects.get(external_id="ALG-0001")
    page = site_client.get(reverse("allegro:offer_edit", args=[offer.pk]))
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value in (None, [], False):
            continue
        data[name] = value
    data["price"] = "45.50"
    with django_capture_on_commit_callbacks(execute=True):
        response = site_client.post(reverse("allegro:offer_edit", args=[offer.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    offer.refresh_from_db()
    assert offer.price == Decimal("45.50") and offer.status == OfferStatus.ACTIVE, offer.last_error
    assert remote(allegro, offer).price == "45.50"
    patches = writes(allegro, "/sale/product-offers/")
    assert [e["method"] for e in patches] == ["PATCH"]
    assert list(sent[0]) == ["sellingMode"], sent


def test_end_and_resume_through_publication_commands(
    imported, allegro, site_client, django_capture_on_commit_callbacks
):
    offer = AllegroOffer.objects.get(external_id="ALG-0001")
    with django_capture_on_commit_callbacks(execute=True):
        response = site_client.post(
            reverse("allegro:offers_bulk"), {"action": "end", "offer": [offer.pk]}
        )
    command = SyncCommand.objects.get()
    assert response.headers["Location"] == (
        reverse("allegro:offers") + f"?command={command.command_id}"
    )
    # Celery runs inline here, so the command completed before the redirect.
    page = site_client.get(response.headers["Location"])
    assert page.context["command"] == command and not page.context["pending_ids"]
    [result] = page.context["results"]
    assert (result.allegro_id, result.state) == (offer.allegro_id, "success")
    assert "wykonano" in page.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ENDED and remote(allegro, offer).status == "ENDED"
    assert (command.kind, command.origin) == (CommandKind.END, CommandOrigin.OFFER_LIST)
    assert (command.status, command.succeeded, command.failures) == (CommandStatus.DONE, 1, {})
    with django_capture_on_commit_callbacks(execute=True):
        site_client.post(reverse("allegro:offers_bulk"), {"action": "resume", "offer": [offer.pk]})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACTIVE and remote(allegro, offer).status == "ACTIVE"
    puts = writes(allegro, "offer-publication-commands")
    assert [p["path"] for p in puts] == [
        f"/sale/offer-publication-commands/{c.command_id}"
        for c in SyncCommand.objects.order_by("pk")
    ]


def test_list_similar_makes_a_prefilled_draft(imported, allegro, site_client):
    offer = AllegroOffer.objects.get(external_id="ALG-0002")
    response = site_client.post(reverse("allegro:offer_similar", args=[offer.pk]))
    draft = AllegroOffer.objects.exclude(pk=offer.pk).get(form_data__name=offer.name, allegro_id="")
    assert response.headers["Location"] == reverse("allegro:offer_edit", args=[draft.pk])
    assert draft.status == OfferStatus.DRAFT and draft.form_data["category_id"] == offer.category_id
    assert draft.form_data["parameters"] and "uploaded" not in draft.form_data
    page = site_client.get(response.headers["Location"])
    assert page.context["form"].initial["name"] == offer.name


def test_only_drafts_can_be_deleted(imported, allegro, site_client):
    active = AllegroOffer.objects.get(external_id="ALG-0001")
    site_client.post(reverse("allegro:offer_delete", args=[active.pk]))
    assert AllegroOffer.objects.filter(pk=active.pk).exists()
    draft = AllegroOffer.objects.get(status=OfferStatus.INACTIVE)
    site_client.post(reverse("allegro:offer_delete", args=[draft.pk]))
    assert not AllegroOffer.objects.filter(pk=draft.pk).exists()
    assert draft.allegro_id not in allegro.world.sale.offers


def test_preview_renders_like_the_buyer_sees_it(imported, site_client):
    offer = AllegroOffer.objects.get(external_id="ALG-0001")
    body = site_client.get(reverse("allegro:offer_preview", args=[offer.pk])).content.decode()
    assert offer.name in body and "39,99 zł" in body and "39.99" not in body
    # Words, not Allegro's codes: the handling time, the place it ships from, the duration.
    assert "Czas wysyłki: 24 godziny" in body and "PT24H" not in body
    city = offer.form_data.get("city")
    if city:
        assert f"Wysyłka z: {city}" in body
    duration = re.search(r'id="preview-duration">Czas trwania: ([^<]*)<', body)
    assert duration is not None and not re.fullmatch(r"P[0-9A-Z]*", duration.group(1))
    assert 'id="live-link"' in body and offer.allegro_url in body
    assert 'id="preview-parameters"' in body


def test_changes_made_on_allegro_arrive_through_offer_events(imported, allegro):
    offer = AllegroOffer.objects.get(external_id="ALG-0002")
    offer_events_follow(account=imported)  # catch up with the seeded history
    allegro.world.sale.buy(offer.allegro_id, 2)
    allegro.world.sale.set_price(remote(allegro, offer), "49.00", "PLN")
    counts = offer_events_follow(account=imported)
    assert counts["events"] >= 2
    offer.refresh_from_db()
    assert (offer.stock_available, offer.price) == (3, Decimal("49.00"))
    assert offer_events_follow(account=imported)["events"] == 0


def test_unlinked_offer_can_be_linked_to_a_product(imported, site_client, staff_user):
    offer = AllegroOffer.objects.filter(product__isnull=True).first()
    assert offer is not None
    before = AuditLogEntry.objects.filter(action=LINK_ACTION).count()
    site_client.post(reverse("allegro:offer_link", args=[offer.pk]), {"sku": "EL-0001"})
    offer.refresh_from_db()
    assert offer.product is not None and offer.product.sku == "EL-0001"
    assert offer.link_source == LinkSource.MANUAL
    entry = AuditLogEntry.objects.filter(action=LINK_ACTION).latest("id")
    assert AuditLogEntry.objects.filter(action=LINK_ACTION).count() == before + 1
    assert (entry.object_id, entry.user, entry.changes["source"]) == (
        str(offer.pk),
        staff_user,
        "manual",
    )


def test_a_second_edit_waits_for_the_first(imported, allegro):
    from shop.allegro.offers.services.publish import PublishRetry
    from shop.scheduler.services.runs import job_lock_acquire

    offer = AllegroOffer.objects.get(external_id="ALG-0001")
    assert job_lock_acquire(name=f"allegro.offer_write:{offer.pk}", seconds=60)
    with pytest.raises(PublishRetry):
        offer_publish(offer_id=offer.pk)


def test_import_now_queues_the_full_read_and_the_page_follows_it(
    site_client, allegro, linked_account, django_capture_on_commit_callbacks
):
    from shop.allegro.offers.services.importer import RECONCILE_JOB
    from shop.scheduler.models import RunStatus, TaskRun
    from shop.scheduler.services.schedule import periodic_tasks_ensure_all

    periodic_tasks_ensure_all()
    allegro.requests.clear()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = site_client.post(reverse("allegro:offers_import"))
    # The request only records the run and queues it: nothing was asked of Allegro yet.
    assert response.status_code == 302
    assert allegro.requests.entries() == []
    run = TaskRun.objects.get(job=RECONCILE_JOB)
    assert run.status == RunStatus.QUEUED
    html = site_client.get(reverse("allegro:offers")).content.decode()
    assert "w kolejce" in html
    assert reverse("scheduler:run_status", args=[run.pk]) in html

    queued[0]()  # the worker takes the task
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCESS
    assert run.counts["created"] == AllegroOffer.objects.filter(account=linked_account).count() > 0
