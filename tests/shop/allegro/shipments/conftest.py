"""Orders with a chosen delivery, imported; waiting that moves the emulator's clock."""

from __future__ import annotations

import pytest

from fake_allegro import Emulator
from shop.allegro.models import AllegroCheckoutForm
from shop.allegro.orders.services.importer import orders_import


@pytest.fixture
def order_of(allegro: Emulator, linked_account):  # type: ignore[no-untyped-def]
    def make(delivery: str, payment: str = "ONLINE") -> AllegroCheckoutForm:
        with allegro.http_client() as http:
            response = http.post(
                "/_emulator/purchases",
                json={"synthetic": True, "delivery": delivery, "paymentType": payment},
            )
        assert response.status_code == 201, response.text
        orders_import(account=linked_account, sweep=False)
        return AllegroCheckoutForm.objects.select_related("order", "account").get(
            form_id=response.json()["checkoutFormIds"][0]
        )

    return make


@pytest.fixture
def sleep(allegro: Emulator):  # type: ignore[no-untyped-def]
    """Waiting moves the emulator's clock instead of the test's."""
    return allegro.world.clock.advance
