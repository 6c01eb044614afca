"""Product offers: create/patch with the operation waiter, listing, events, bulk commands."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest

from allegro_api import AllegroClient, Conflict, InMemoryTokenStore, OperationTimeout
from allegro_api.models.offers import OfferWriteResult, ProductOffer
from fake_allegro import Emulator
from tests.allegro_api.allegro_client_support import FakeTime, RequestAudit, make_client


def offer_body(client: AllegroClient, external_id: str) -> dict[str, Any]:
    """A complete buy-now offer for a seeded catalog product, built as the back office does."""
    product = next(iter(client.products.iter_search(phrase="a")))
    assert product.category is not None
    category_id = product.category.id or ""
    offer_parameters = []
    for parameter in client.categories.parameters(category_id).parameters:
        if parameter.required and not parameter.describes_product and parameter.dictionary:
            offer_parameters.append({"id": parameter.id, "valuesIds": [parameter.dictionary[0].id]})
    listing = client.offers.list(limit=1).offers[0]
    return {
        "name": f"Oferta testowa {external_id} nowa",
        "productSet": [{"product": {"id": product.id}, "quantity": {"value": 1}}],
        "category": {"id": category_id},
        "parameters": offer_parameters,
        "sellingMode": {
            "format": "BUY_NOW",
            "price": {"amount": Decimal("123.45"), "currency": "PLN"},
        },
        "stock": {"available": 7, "unit": "UNIT"},
        "delivery": {
            "shippingRates": listing.delivery.shipping_rates.to_api(),
            "handlingTime": "PT24H",
        }
        if listing.delivery and listing.delivery.shipping_rates
        else None,
        "afterSalesServices": listing.after_sales_services.to_api()
        if listing.after_sales_services
        else None,
        "payments": {"invoice": "VAT"},
        "external": {"id": external_id},
        "publication": {"status": "ACTIVE"},
    }


def test_create_wait_then_patch(
    client: AllegroClient, fake_time: FakeTime, audit: RequestAudit
) -> None:
    result = client.offers.create(offer_body(client, "SKU-1"))
    assert result.offer.id
    if result.pending:
        assert result.operation_path is not None
        assert result.operation_path.startswith(
            f"/sale/product-offers/{result.offer.id}/operations/"
        )
        assert result.retry_after is not None
    offer = client.offers.wait(result)
    assert offer.id == result.offer.id
    assert offer.external is not None
    assert offer.external.id == "SKU-1"
    assert offer.selling_mode is not None
    assert offer.selling_mode.price is not None
    assert offer.selling_mode.price.amount == Decimal("123.45")
    if result.pending:
        # Polled after Retry-After, got 303, never followed it, then read the offer itself.
        operations = audit.entries(
            method="GET", route="/sale/product-offers/{offerId}/operations/{operationId}"
        )
        assert operations[-1]["status"] == 303
        assert fake_time.sleeps

    patched = client.offers.patch_and_wait(
        offer.id or "", {"sellingMode": {"price": {"amount": "99.99", "currency": "PLN"}}}
    )
    assert patched.selling_mode is not None
    assert patched.selling_mode.price is not None
    assert patched.selling_mode.price.amount == Decimal("99.99")
    again = client.offers.get(offer.id or "")
    assert again.id == offer.id
    listed = client.offers.list(external_ids=["SKU-1"]).offers
    assert [o.id for o in listed] == [offer.id]


def test_create_with_a_pydantic_model(client: AllegroClient) -> None:
    body = ProductOffer.model_validate(offer_body(client, "SKU-MODEL"))
    offer = client.offers.create_and_wait(body)
    assert offer.external is not None
    assert offer.external.id == "SKU-MODEL"


def test_waiter_uses_only_the_location_path(fake_time: FakeTime) -> None:
    """An absolute Location with an odd host/port is re-based on the configured API URL."""
    seen: list[str] = []

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path.endswith("/operations/op-1"):
            if len(seen) < 3:
                return httpx.Response(
                    202,
                    json={
                        "offer": {"id": "42"},
                        "operation": {"id": "op-1", "status": "IN_PROGRESS"},
                    },
                    headers={"Retry-After": "3"},
                )
            return httpx.Response(
                303, headers={"Location": "https://api.allegro.pl:42974/sale/product-offers/42"}
            )
        return httpx.Response(200, json={"id": "42", "publication": {"status": "ACTIVE"}})

    from datetime import UTC, datetime, timedelta

    from allegro_api import TokenSet

    client = AllegroClient(
        user_agent="SklepTest/1.0.0 (+https://sklep.example/allegro)",
        api_url="http://allegro.internal:8080/proxy",
        transport=httpx.MockTransport(app),
        token_store=InMemoryTokenStore(
            TokenSet(access_token="t", expires_at=datetime.now(UTC) + timedelta(hours=1))
        ),
        clock=fake_time.clock,
        sleep=fake_time.sleep,
    )
    pending = OfferWriteResult(
        offer=ProductOffer(id="42"),
        status=202,
        operation_path=client._requester.path_from_location(
            "https://api.allegro.pl:42974/proxy/sale/product-offers/42/operations/op-1"
        ),
        retry_after=5,
    )
    offer = client.offers.wait(pending)
    assert offer.publication is not None
    assert offer.publication.status == "ACTIVE"
    operation = "http://allegro.internal:8080/proxy/sale/product-offers/42/operations/op-1"
    assert seen == [
        operation,
        operation,
        operation,
        "http://allegro.internal:8080/proxy/sale/product-offers/42",
    ]
    assert fake_time.sleeps == [5, 3, 3]


def test_waiter_gives_up_after_timeout(fake_time: FakeTime) -> None:
    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202, json={}, headers={"Retry-After": "60"})

    from datetime import UTC, datetime, timedelta

    from allegro_api import AllegroClient as Client
    from allegro_api import TokenSet

    client = Client(
        user_agent="SklepTest/1.0.0 (+https://sklep.example/allegro)",
        transport=httpx.MockTransport(app),
        token_store=InMemoryTokenStore(
            TokenSet(access_token="t", expires_at=datetime.now(UTC) + timedelta(hours=1))
        ),
        clock=fake_time.clock,
        sleep=fake_time.sleep,
    )
    pending = OfferWriteResult(
        offer=ProductOffer(id="42"),
        status=202,
        operation_path="/sale/product-offers/42/operations/x",
    )
    with pytest.raises(OperationTimeout) as caught:
        client.offers.wait(pending, timeout=300)
    assert caught.value.offer_id == "42"
    assert sum(fake_time.sleeps) <= 300


def test_offer_listing_iterates_all_pages(client: AllegroClient, audit: RequestAudit) -> None:
    total = client.offers.list(limit=1).total_count
    assert total
    everything = list(client.offers.iter_all(page_size=2))
    assert len(everything) == total
    assert len({o.id for o in everything}) == total
    active = list(client.offers.iter_all(publication_status=["ACTIVE"], selling_format=["BUY_NOW"]))
    assert all(o.publication and o.publication.status == "ACTIVE" for o in active)
    cheap = client.offers.list(price_lte=Decimal(50), sort="sellingMode.price.amount").offers
    assert all(
        o.selling_mode and o.selling_mode.price and o.selling_mode.price.amount <= 50 for o in cheap
    )


def test_offer_events_feed(client: AllegroClient) -> None:
    offer = client.offers.list(publication_status=["ACTIVE"], limit=1).offers[0]
    assert offer.id is not None
    client.offer_commands.change_quantity(offer_ids=[offer.id], value=33)
    events = list(client.offer_events.iter_from(limit=1))
    assert events
    assert all(e.id for e in events)
    later = client.offer_events.list(from_=events[0].id, types=["OFFER_STOCK_CHANGED"])
    assert all(e.type == "OFFER_STOCK_CHANGED" for e in later.offer_events)


def test_publication_quantity_and_price_commands(client: AllegroClient) -> None:
    offers = [o.id or "" for o in client.offers.list(publication_status=["ACTIVE"], limit=2).offers]
    command_id = str(uuid.uuid4())
    report = client.offer_commands.change_quantity(offer_ids=offers, value=5, command_id=command_id)
    assert report.id == command_id
    assert client.offer_commands.quantity_report(command_id).id == command_id
    tasks = client.offer_commands.quantity_tasks(command_id).tasks
    assert {t.offer.id for t in tasks if t.offer} == set(offers)

    price = client.offer_commands.set_price(offer_ids=offers[:1], amount=Decimal("77.70"))
    assert price.id
    assert list(client.offer_commands.iter_tasks("offer-price-change-commands", price.id))

    ended = client.offer_commands.publish(offer_ids=offers[:1], action="END")
    assert ended.id
    assert client.offer_commands.publication_report(ended.id).id == ended.id
    publication_tasks = client.offer_commands.publication_tasks(ended.id).tasks
    assert publication_tasks
    with pytest.raises(ValueError, match="at least one offer"):
        client.offer_commands.publish(offer_ids=[])


def test_command_put_is_retried_with_the_same_id(
    emulator: Emulator, fake_time: FakeTime, token_store: InMemoryTokenStore, audit: RequestAudit
) -> None:
    from tests.allegro_api.test_errors import add_fault

    add_fault(
        emulator, method="PUT", pathRegex="offer-quantity-change-commands", status=503, remaining=1
    )
    client = make_client(emulator, fake_time, token_store=token_store)
    offer = client.offers.list(limit=1).offers[0].id or ""
    report = client.offer_commands.change_quantity(offer_ids=[offer], value=4)
    puts = audit.entries(method="PUT")
    assert [e["status"] for e in puts] == [503, 201]
    assert puts[0]["path"] == puts[1]["path"] == f"/sale/offer-quantity-change-commands/{report.id}"


def test_command_reused_id_conflicts(client: AllegroClient, audit: RequestAudit) -> None:
    offer = client.offers.list(limit=1).offers[0].id or ""
    command_id = str(uuid.uuid4())
    client.offer_commands.change_quantity(offer_ids=[offer], value=4, command_id=command_id)
    with pytest.raises(Conflict):
        client.offer_commands.change_quantity(offer_ids=[offer], value=9, command_id=command_id)


def test_delete_draft(client: AllegroClient) -> None:
    body = offer_body(client, "SKU-DRAFT")
    body["publication"] = {"status": "INACTIVE"}
    offer = client.offers.create_and_wait(body)
    client.offers.delete(offer.id or "")
    assert client.offers.list(external_ids=["SKU-DRAFT"]).offers == []
