"""Wiadomości in the browser: the start-page card, the list, a hostile message shown inert,
and an answer from a template with its placeholders filled, sent to Allegro exactly once."""

from __future__ import annotations

import pytest

from shop.allegro.messages.services import messages_import
from shop.allegro.models import AllegroCheckoutForm, AllegroShipment, MessageTemplate
from shop.allegro.orders.services.importer import orders_import
from tests.e2e.conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)"> '
    '<a href="javascript:alert(3)">kliknij</a> javascript:alert(4) '
    "https://example.com/status?a=1&b=2"
)


def _seller_messages(live_emulator) -> list[str]:  # type: ignore[no-untyped-def]
    threads = live_emulator.emulator.world.messaging.threads.values()
    return [m.text for t in threads for m in t.messages if m.from_seller]


def test_answer_with_a_template_and_hostile_text_stays_inert(  # type: ignore[no-untyped-def]
    staff_page, linked_live_account, live_emulator
):
    page = staff_page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    first = live_emulator.control("/purchases", {"synthetic": True})["checkoutFormIds"][0]
    other = live_emulator.control("/purchases", {"synthetic": True})["checkoutFormIds"][0]
    orders_import(account=linked_live_account, sweep=False)
    form = AllegroCheckoutForm.objects.select_related("order").get(form_id=first)
    AllegroShipment.objects.create(form=form, carrier_id="INPOST", waybill="620000111222333")
    live_emulator.control("/messages", {"checkoutFormId": first, "text": "Gdzie jest paczka?"})
    live_emulator.control("/messages", {"checkoutFormId": first, "text": HOSTILE})
    live_emulator.control("/messages", {"checkoutFormId": other, "text": "Czy jest na stanie?"})
    messages_import(account=linked_live_account)
    MessageTemplate.objects.create(
        name="Numer przesyłki",
        text="Dzień dobry {kupujacy}, zamówienie {numer_zamowienia} śledzisz tu: {link_sledzenia}",
    )

    page.goto(f"{page.base_url}/backend/")
    card = page.locator("#card-awaiting")
    assert "Czekają na odpowiedź" in card.inner_text()
    assert card.locator("li, tr, a").filter(has_text=form.buyer_login).count() >= 1
    screenshot(page, "allegro_messages_start_card")

    page.goto(f"{page.base_url}/backend/allegro/messages/")
    rows = page.locator("#thread-list tbody tr")
    assert rows.count() == 2
    assert rows.first.locator(".waiting").inner_text() == "niecałą minutę"
    assert (
        rows.filter(has_text=form.buyer_login).get_by_role("link", name=form.order.number).count()
    )
    assert page.locator("nav, aside").get_by_text("Wiadomości").count() >= 1
    screenshot(page, "allegro_messages_list")

    page.locator("#thread-list").get_by_role("link", name=form.buyer_login).click()
    page.wait_for_selector("#conversation")
    hostile = page.locator(".message").filter(has_text="alert(1)")
    assert "<script>alert(1)</script>" in hostile.inner_text()
    assert hostile.locator("script, img").count() == 0
    links = hostile.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        "https://example.com/status?a=1&b=2"
    ]
    assert links.first.get_attribute("rel") == "noopener noreferrer nofollow"
    assert page.locator("#linked-order a").inner_text() == form.order.number

    page.select_option("#template-select", label="Numer przesyłki")
    text = page.locator("#reply-text").input_value()
    assert form.order.number in text
    assert "https://inpost.pl/sledzenie-przesylek?number=620000111222333" in text
    screenshot(page, "allegro_messages_thread")
    page.click("#send-reply")
    page.wait_for_selector(".from-seller")
    page.reload()  # a repeated page load sends nothing more
    assert _seller_messages(live_emulator) == [text]
    assert "waiting" not in page.content() or page.locator("#waiting").count() == 0
    assert dialogs == []

    page.goto(f"{page.base_url}/backend/allegro/orders/{form.pk}/")
    assert "Gdzie jest paczka?" in page.locator("#order-messages").inner_text()
    page.locator("#order-messages").screenshot(path=str(ARTIFACTS / "allegro_messages_order.png"))
    page.goto(f"{page.base_url}/backend/allegro/messages/")
    assert page.locator("#thread-list tbody tr").first.locator(".waiting").inner_text() in (
        "odpowiedziano",
        "niecałą minutę",
    )
    screenshot(page, "allegro_messages_list_after")
    assert dialogs == []
