from __future__ import annotations

from typing import Any

import pytest

from fake_allegro import Emulator
from fake_allegro.orders.state import orders_of
from shop.allegro.models import AllegroCheckoutForm
from shop.allegro.orders.services.importer import orders_import


def control(emulator: Emulator, path: str, payload: dict[str, Any]) -> Any:
    with emulator.http_client() as http:
        response = http.post(f"/_emulator{path}", json=payload)
    assert response.status_code in (200, 201), response.text
    return response.json()


def requests_to(emulator: Emulator, method: str, fragment: str) -> list[dict[str, Any]]:
    return [
        e
        for e in emulator.requests.entries()
        if e["method"] == method and fragment in e["path"] and "/_emulator" not in e["path"]
    ]


@pytest.fixture
def sent_form(allegro: Emulator, linked_account, synced_offer_factory) -> AllegroCheckoutForm:  # type: ignore[no-untyped-def]
    """An imported, paid Allegro order of 2 units of a linked product, sent to the buyer."""
    product, _mirror, remote = synced_offer_factory(stock=10, price="50.00")
    created = control(
        allegro,
        "/purchases",
        {
            "offers": [
                {"id": remote.id, "quantity": 2, "price": "50.00", "externalId": product.sku}
            ],
            "paymentType": "ONLINE",
            "items": 1,
        },
    )
    form_id = created["checkoutFormIds"][0]
    stored = orders_of(allegro.world).forms[form_id]
    stored.data.setdefault("fulfillment", {})["status"] = "SENT"
    orders_import(account=linked_account, sweep=False)
    return AllegroCheckoutForm.objects.select_related("order", "account").get(form_id=form_id)


@pytest.fixture
def declare_return(allegro: Emulator):  # type: ignore[no-untyped-def]
    def make(form: AllegroCheckoutForm, quantity: int = 1, status: str = "DELIVERED") -> Any:
        line = form.raw["lineItems"][0]
        return control(
            allegro,
            "/returns",
            {
                "checkoutFormId": form.form_id,
                "items": [{"lineItemId": line["id"], "quantity": quantity, "reason": "DAMAGED"}],
                "status": status,
            },
        )

    return make
