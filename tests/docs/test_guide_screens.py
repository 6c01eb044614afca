# mypy: allow-untyped-defs
"""The screens of the merchant's guide (docs/pl), walked in Chromium and photographed.

Each journey asserts what its picture shows, so a screen that changes fails here before the
guide goes stale. Pictures are written to docs/pl/img only with DOCS_SCREENSHOTS=1.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fake_allegro.sale.seed_delivery import method_id
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroOffer,
    FormStatus,
    FulfillmentStatus,
    LinkStatus,
    OfferStatus,
    OfferSync,
)
from shop.allegro.orders.services.importer import orders_import
from shop.allegro.orders.services.schedule import order_import_schedule
from shop.allegro.sync.services.push import offers_mark_all, stock_sync_flush
from shop.catalog.demo import demo_catalog_load
from shop.catalog.models import Product
from shop.orders.models import Channel, Order
from shop.scheduler.services.schedule import periodic_tasks_ensure_all
from tests.docs.shots import guide_shot
from tests.e2e.conftest import screenshot
from tests.factories import OrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DPD = method_id("dpd", "IN_ADVANCE")


def _purchases(live_emulator, account: AllegroAccount, count: int) -> list[str]:
    created = live_emulator.control("/purchases", {"synthetic": True, "count": count, "items": 2})
    return list(created["checkoutFormIds"])


def test_start_page(staff_page, linked_live_account, live_emulator):
    page = staff_page
    _purchases(live_emulator, linked_live_account, 4)
    orders_import(account=linked_live_account, sweep=False)
    first = AllegroCheckoutForm.objects.select_related("order").order_by("pk").first()
    assert first is not None and first.order is not None
    Order.objects.exclude(pk=first.order.pk).update(needs_attention=False)
    now = timezone.now()
    for days in range(1, 30):  # a month of history in both channels
        for n in range(days % 4 + 1):
            OrderFactory(
                channel=Channel.SHOP,
                placed_at=now - timedelta(days=days, hours=n),
                total=Decimal("89.00") + 10 * n,
            )
        for n in range((days * 7) % 5):
            OrderFactory(
                channel=Channel.ALLEGRO,
                placed_at=now - timedelta(days=days, hours=n),
                total=Decimal("59.90") + 15 * n,
            )
    offer = AllegroOffer.objects.create(
        account=linked_live_account,
        allegro_id="7700112233",
        name="Kubek emaliowany 350 ml, granatowy",
        status=OfferStatus.ENDED,
    )
    OfferSync.objects.create(offer=offer, ended_by_sync=True)

    # The emulator's purchases vary: a few are unpaid, a few already sent from Allegro's site.
    paid = (
        AllegroCheckoutForm.objects.filter(status=FormStatus.READY_FOR_PROCESSING)
        .exclude(fulfillment_status__in=[FulfillmentStatus.SENT, FulfillmentStatus.PICKED_UP])
        .count()
    )
    assert paid > 0

    page.goto(page.base_url + "/backend/")
    assert page.inner_text("#card-to-ship .bo-today-count") == str(paid)
    assert page.locator("#card-to-ship .bo-today-rows li").count() == paid
    assert "wyślij do" in page.inner_text("#card-to-ship")
    assert page.inner_text("#card-attention .bo-today-count") == "1"
    assert offer.name in page.inner_text("#card-sold-out")
    assert page.locator("#chart-orders rect.bar").count() > 30
    assert page.locator("#chart-revenue rect.bar").count() > 30
    assert page.locator("#dashboard-relink").count() == 0
    assert page.locator("#guide-link").get_attribute("href") == "/backend/pomoc/strona-startowa/"
    guide_shot(page, "strona-startowa")

    page.click("#card-to-ship a.bo-btn")
    page.wait_for_url("**/backend/allegro/orders/?to_ship=1")
    assert page.locator("tr[data-form]").count() == paid


def test_account_configuration_and_relink(staff_page, linked_live_account):
    page = staff_page
    page.goto(page.base_url + "/backend/allegro/config/")
    assert page.inner_text("#linked-login") == "demo-sprzedawca"
    assert page.locator("#registration-guide").is_visible()
    guide_shot(page, "konto-allegro")

    AllegroAccount.objects.filter(pk=linked_live_account.pk).update(
        status=LinkStatus.RELINK_REQUIRED,
        relink_reason="Allegro odrzuciło token odświeżania (zmiana hasła lub cofnięty dostęp).",
    )
    page.goto(page.base_url + "/backend/allegro/orders/")
    banner = page.locator("#relink-banner")
    assert "demo-sprzedawca wymaga ponownego powiązania" in banner.inner_text()
    assert banner.locator("button", has_text="Połącz ponownie").is_visible()
    guide_shot(page, "polacz-ponownie")


def test_delivery_price_lists(staff_page, linked_live_account):
    page = staff_page
    page.goto(page.base_url + "/backend/allegro/shipping-rates/")
    page.click("#import-rates")
    page.wait_for_url("**/backend/allegro/shipping-rates/")
    assert "Cennik standardowy" in page.inner_text("#rates-table")
    guide_shot(page, "cenniki-lista")

    page.click("#add-rates")
    page.wait_for_url("**/shipping-rates/add/")
    page.fill("input[name=name]", "Kurier i paczkomaty")
    page.locator(f"details.bo-carrier:has(input[name=m_{DPD}_active]) > summary").click()
    page.check(f"input[name=m_{DPD}_active]")
    page.fill(f"input[name=m_{DPD}_first]", "14.99")
    page.fill(f"input[name=m_{DPD}_quantity]", "2")
    page.press(f"input[name=m_{DPD}_quantity]", "Tab")  # the buyer-cost table follows a change
    page.wait_for_function(
        "document.querySelector('#buyer-costs')"
        " && document.querySelector('#buyer-costs').innerText.includes('29,98')"
    )
    page.locator(f"input[name=m_{DPD}_first]").scroll_into_view_if_needed()
    guide_shot(page, "cenniki-formularz")


def test_offer_form_and_dependent_parameters(staff_page, linked_live_account):
    page = staff_page
    demo_catalog_load(images=True)
    ring = Product.objects.get(sku="BZ-0001")
    page.goto(f"{page.base_url}/backend/catalog/product/{ring.pk}/change/")
    page.locator("#extra-options a", has_text="Dodaj").click()
    page.wait_for_url("**/backend/allegro/offers/new/**")
    assert page.input_value("#id_name") == ring.name
    page.fill("#category-search", "Pierścionki")
    page.locator("button.choose-category", has_text="Pierścionki").first.click()
    page.wait_for_selector("#offer-parameters [data-parameter]")
    for section in ("Informacje podstawowe", "Format sprzedaży", "Cechy przedmiotu"):
        assert section in page.inner_text("body")
    page.evaluate("window.scrollTo(0, 0)")
    guide_shot(page, "oferta-formularz")

    assert page.locator("#field-param_3771").count() == 0  # Próba złota
    page.evaluate(
        "window.__settled = false; document.body.addEventListener("
        "'htmx:afterSettle', () => { window.__settled = true; }, {once: true})"
    )
    page.select_option("#id_param_3770", "3770_1")  # Materiał: Złoto
    page.wait_for_function("window.__settled === true")
    assert page.locator("#field-param_3771.bo-required").count() == 1
    guide_shot(page, "oferta-cechy", element=page.locator("#offer-parameters"))


def _emulator_images(page, live_emulator) -> None:
    """Offer images carry the emulator's fixed host; the browser fetches them from its port."""
    page.route(
        "http://fake-allegro.test/**",
        lambda route: route.continue_(
            url=route.request.url.replace("http://fake-allegro.test", live_emulator.url)
        ),
    )


def test_offer_list_preview_and_stock_sync(staff_page, linked_live_account, live_emulator):
    page = staff_page
    _emulator_images(page, live_emulator)
    demo_catalog_load(images=False)
    page.goto(page.base_url + "/backend/allegro/offers/")
    page.click("#import-offers")
    page.wait_for_selector("#offer-list tr[data-allegro-id]")
    offer = AllegroOffer.objects.get(external_id="ALG-0001")
    row = page.locator(f'#offer-list tr[data-offer="{offer.pk}"]')
    for action in ("Edycja", "Podgląd", "Wystaw podobną", "Zakończ"):
        assert row.get_by_text(action, exact=True).count() == 1, action
    page.wait_for_function(
        "[...document.querySelectorAll('#offer-list img')].every(i => i.complete && i.naturalWidth)"
    )
    guide_shot(page, "lista-ofert")

    row.get_by_text("Podgląd", exact=True).click()
    page.wait_for_selector("#offer-preview")
    assert page.inner_text("#preview-title") == offer.name
    guide_shot(page, "oferta-podglad")

    page.goto(page.base_url + "/backend/allegro/sync/")
    assert page.locator("#sync-settings").is_visible()
    assert page.locator("#price-rule").is_visible()
    guide_shot(page, "stany-i-ceny")


def test_orders_order_page_and_schedule(staff_page, linked_live_account, live_emulator):
    page = staff_page
    order_import_schedule(account=linked_live_account)
    periodic_tasks_ensure_all()
    form_ids = _purchases(live_emulator, linked_live_account, 3)
    page.goto(page.base_url + "/backend/allegro/orders/")
    page.click("#import-now")
    for form_id in form_ids:
        page.wait_for_selector(f'tr[data-form="{form_id}"]')
    guide_shot(page, "zamowienia-lista")

    page.locator(f'tr[data-form="{form_ids[0]}"] a', has_text="Edycja").click()
    page.wait_for_selector("#tracking-form")
    assert page.inner_text("#form-id") == form_ids[0]
    assert page.locator("#download-printout").is_visible()
    guide_shot(page, "zamowienie-strona")

    page.goto(page.base_url + "/backend/scheduler/")
    row = page.locator('#scheduled-tasks tr[data-job="allegro.import_orders"]')
    assert "Import zamówień z Allegro" in row.inner_text()
    guide_shot(page, "harmonogram")


def test_links_to_confirm_and_held_changes(staff_page, linked_live_account, live_emulator):
    """The demo's deliberate collision: an Allegro phone whose sygnatura equals a book's SKU waits
    for confirmation; confirmed anyway, its first sync (a 99 % price cut) waits in held changes."""
    page = staff_page
    _emulator_images(page, live_emulator)
    demo_catalog_load(images=False)
    page.goto(page.base_url + "/backend/allegro/offers/")
    page.click("#import-offers")
    page.wait_for_selector("#offer-list tr[data-allegro-id]")
    page.goto(page.base_url + "/backend/allegro/offers/review/")
    offer = AllegroOffer.objects.get(external_id="KS-0004", account=linked_live_account)
    row = page.locator(f'#review-list tr[data-offer="{offer.pk}"]')
    assert offer.name in row.inner_text()
    assert offer.proposed_product is not None
    assert offer.proposed_product.name in row.inner_text()
    guide_shot(page, "do-potwierdzenia")

    row.locator('button[value^="confirm:"]').click()
    page.wait_for_selector("#review-list")
    offer.refresh_from_db()
    assert offer.product is not None
    offers_mark_all(account=linked_live_account)
    stock_sync_flush(account_id=linked_live_account.pk, debounce=False)
    page.goto(page.base_url + "/backend/allegro/held-changes/")
    table = page.locator("#held-table")
    assert offer.name in table.inner_text()
    assert "pierwsza synchronizacja" in table.inner_text()
    guide_shot(page, "wstrzymane-zmiany")


def test_help_link_opens_the_guide_page_with_its_pictures(staff_page, linked_live_account):
    page = staff_page
    page.goto(page.base_url + "/backend/allegro/shipping-rates/")
    with page.expect_popup() as popup:
        page.click("#guide-link")
    guide = popup.value
    guide.wait_for_load_state()
    assert guide.url.endswith("/backend/pomoc/cenniki-dostawy/")
    assert guide.inner_text("#guide h1") == "Cenniki dostawy"
    assert guide.locator("#guide img").count() == 2
    guide.wait_for_function(
        "[...document.querySelectorAll('#guide img')].every(i => i.complete && i.naturalWidth)"
    )
    guide.click("a:has-text('Spis treści instrukcji')")
    assert guide.inner_text("#guide h1") == "Instrukcja modułu Allegro"
    assert guide.locator("#guide a[href='/backend/pomoc/wstrzymane-zmiany/']").count() == 1
    guide.goto(page.base_url + "/backend/pomoc/cenniki-dostawy/")
    screenshot(guide, "guide-page")


def test_refund_claims(staff_page, linked_live_account, live_emulator):
    page = staff_page
    for payload in (
        {"cancel": "BUYER_CANCELLED", "cancelAfter": "BOUGHT"},
        {"cancel": "AUTO_CANCELLED", "cancelAfter": "FILLED_IN"},
        {"cancel": "BUYER_CANCELLED", "cancelAfter": "BOUGHT"},
        {"stage": "FILLED_IN"},
    ):
        live_emulator.control("/purchases", {"synthetic": True, "items": 1, **payload})
    orders_import(account=linked_live_account, sweep=False)
    forms = list(AllegroCheckoutForm.objects.order_by("pk"))
    old = forms[1]
    old.bought_at = old.bought_at - timedelta(days=40)
    old.save(update_fields=["bought_at"])

    page.goto(page.base_url + "/backend/allegro/refund-claims/")
    page.locator(f'tr[data-item="{forms[2].items.get().line_item_id}"] input[name=item]').check()
    page.click("#file-claims")
    page.wait_for_selector('#claim-list [data-status="IN_PROGRESS"]')
    assert page.locator("#candidate-list tbody tr").count() == 3
    assert page.locator("#candidate-list tr.bo-row-soon").count() == 1
    assert page.locator("#guide-link").get_attribute("href") == "/backend/pomoc/zwroty-prowizji/"
    guide_shot(page, "zwroty-prowizji")
