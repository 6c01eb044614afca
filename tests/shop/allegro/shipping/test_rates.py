"""Cenniki dostawy against the in-process emulator: forms, create/replace, import, drift, cap."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from fake_allegro.sale.seed_delivery import method_id
from shop.allegro.models import (
    AllegroDeliveryMethod,
    AllegroOffer,
    AllegroShippingRates,
    LinkStatus,
)
from shop.allegro.models.shipping import MAX_SHIPPING_RATES
from shop.allegro.shipping.services import shipping_rates_import
from shop.core.models import AuditLogEntry

pytestmark = pytest.mark.django_db
LIST = "/backend/allegro/shipping-rates/"
ADD = "/backend/allegro/shipping-rates/add/"
LOCKERS = method_id("inpost-lockers", "IN_ADVANCE")
LOCKERS_COD = method_id("inpost-lockers", "CASH_ON_DELIVERY")
DPD = method_id("dpd", "IN_ADVANCE")
DHL = method_id("dhl", "IN_ADVANCE")


def form_data(name: str = "Cennik testowy", **rates: dict[str, Any]) -> dict[str, str]:
    """POST data; ``rates`` maps a method id (dashes as given) to its field values."""
    data = {"name": name, "rates_type": "PHYSICAL", "dispatch_country": "PL"}
    for mid, values in rates.items():
        data[f"m_{mid}_active"] = "on"
        for key, value in values.items():
            data[f"m_{mid}_{key}"] = str(value)
    return data


def sent(allegro, method: str, route: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [e for e in allegro.requests.entries() if e["method"] == method and e["route"] == route]


def seller_rates(allegro, account) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    return allegro.world.sale.seller(account.seller_id).shipping_rates


def post_add(site_client, rates: dict[str, dict[str, Any]], name: str = "Cennik testowy"):  # type: ignore[no-untyped-def]
    data = {"name": name, "rates_type": "PHYSICAL", "dispatch_country": "PL"}
    for mid, values in rates.items():
        data[f"m_{mid}_active"] = "on"
        data.update({f"m_{mid}_{k}": str(v) for k, v in values.items()})
    return site_client.post(ADD, data)


def test_create_sends_the_list_to_allegro_and_mirrors_it(
    site_client, allegro, linked_account, staff_user
):
    page = site_client.get(ADD)
    body = page.content.decode()
    assert "Allegro Paczkomaty InPost" in body
    assert "Za pobraniem" in body
    assert "Kolejna sztuka" in body
    assert "0.00–30.00 PLN" in body
    assert len(sent(allegro, "GET", "/sale/delivery-methods")) == 1
    site_client.get(ADD)
    assert len(sent(allegro, "GET", "/sale/delivery-methods")) == 1, "methods are cached"

    response = post_add(
        site_client,
        {
            LOCKERS: {"first": "12,99", "quantity": 5, "next": "0", "weight": "10"},
            LOCKERS_COD: {"first": "16.99", "quantity": 5, "weight": "10"},
            DHL: {"first": "20", "quantity": 3, "days_from": 1, "days_to": 4},
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    mirror = AllegroShippingRates.objects.get(name="Cennik testowy")
    remote = seller_rates(allegro, linked_account)[mirror.allegro_id]
    assert remote["type"] == "PHYSICAL"
    assert remote["dispatchCountry"] == "PL"
    by_method = {r["deliveryMethod"]["id"]: r for r in remote["rates"]}
    assert by_method[LOCKERS]["firstItemRate"] == {"amount": "12.99", "currency": "PLN"}
    assert by_method[LOCKERS]["maxQuantityPerPackage"] == 5
    assert by_method[LOCKERS]["maxPackageWeight"] == {"value": "10.000", "unit": "KILOGRAM"}
    assert by_method[LOCKERS_COD]["firstItemRate"]["amount"] == "16.99"
    assert by_method[DHL]["shippingTime"] == {"from": "P1D", "to": "P4D"}
    assert all("nextItemRate" not in r for r in remote["rates"])
    assert mirror.created_here
    assert not mirror.managed_by_allegro
    assert str(mirror.cheapest_first_item) == "12.99"
    assert AuditLogEntry.objects.filter(
        action="allegro.shipping_rates.create", user=staff_user
    ).exists()

    listing = site_client.get(LIST).content.decode()
    assert "Cennik testowy" in listing
    assert "Allegro Paczkomaty InPost pobranie" in listing


def test_values_outside_constraints_are_refused_before_any_request(
    site_client, allegro, linked_account
):
    response = post_add(
        site_client,
        {
            LOCKERS: {"first": "30.01", "quantity": 11, "weight": "26"},
            LOCKERS_COD: {"first": "0.50", "quantity": 2, "weight": "26"},
        },
        name="zła_nazwa",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cena pierwszej sztuki musi mieścić się w zakresie 0.00–30.00 PLN." in body
    assert "Cena pierwszej sztuki musi mieścić się w zakresie 1.00–50.00 PLN." in body
    assert "Maksymalna ilość w paczce musi mieścić się w zakresie 1–10." in body
    assert "0.001–25.000 kg" in body
    assert "Nazwa może zawierać tylko litery" in body
    assert sent(allegro, "POST", "/sale/shipping-rates") == []
    assert not AllegroShippingRates.objects.exists()


def test_twins_must_share_the_package_weight(site_client, allegro, linked_account):
    response = post_add(
        site_client,
        {
            LOCKERS: {"first": "10", "quantity": 2, "weight": "5"},
            LOCKERS_COD: {"first": "12", "quantity": 2, "weight": "6"},
        },
    )
    assert "tej samej maksymalnej wagi paczki" in response.content.decode()
    assert sent(allegro, "POST", "/sale/shipping-rates") == []


def test_a_next_item_price_is_refused_with_the_explanation(site_client, allegro, linked_account):
    response = post_add(site_client, {DPD: {"first": "15", "quantity": 4, "next": "3.50"}})
    body = response.content.decode()
    assert "Allegro nie przyjmuje już ceny za kolejną sztukę" in body
    assert "Maksymalna ilość w paczce" in body
    assert sent(allegro, "POST", "/sale/shipping-rates") == []


def test_no_method_active_is_refused(site_client, allegro, linked_account):
    response = site_client.post(ADD, form_data())
    assert "przynajmniej jednej metodzie dostawy" in response.content.decode()


def test_allegro_errors_land_on_the_fields_they_name(site_client, allegro, linked_account):
    data = form_data(**{LOCKERS: {"first": "10", "quantity": 2}})
    data["rates_type"] = "ELECTRONIC"
    response = site_client.post(ADD, data)
    assert response.status_code == 200
    form = response.context["form"]
    # Allegro answered rates[0].deliveryMethod.id: a parcel locker does not fit an electronic list.
    assert any(
        "nie pasuje do cennika typu ELECTRONIC" in e for e in form.errors[f"m_{LOCKERS}_active"]
    )
    assert len(sent(allegro, "POST", "/sale/shipping-rates")) == 1


def test_buyer_cost_preview(site_client, allegro, linked_account):
    site_client.get(ADD)
    data = form_data(**{DPD: {"first": "10.00", "quantity": 3, "next": "2"}})
    response = site_client.post(reverse("allegro:shipping_rates_preview"), data)
    body = response.content.decode()
    preview = response.context["preview"]
    assert [str(c) for c in preview[0].costs[:7]] == [
        "10.00",
        "10.00",
        "10.00",
        "20.00",
        "20.00",
        "20.00",
        "30.00",
    ]
    assert [str(c) for c in preview[0].legacy[:3]] == ["10.00", "12.00", "14.00"]
    assert "Allegro już tego nie liczy" in body


def test_import_mirrors_every_list_with_offers_and_managed_flag(
    site_client, allegro, linked_account, django_assert_max_num_queries
):
    response = site_client.post(reverse("allegro:shipping_rates_import"), follow=True)
    assert "Zaimportowano cenniki z Allegro: nowe 3, zaktualizowane 0." in response.content.decode()
    mirrors = {m.name: m for m in AllegroShippingRates.objects.all()}
    assert set(mirrors) == {
        "Cennik standardowy",
        "Małe paczki, darmowa dostawa",
        "Allegro Smart - cennik gotowy",
    }
    assert mirrors["Allegro Smart - cennik gotowy"].managed_by_allegro
    assert str(mirrors["Cennik standardowy"].cheapest_first_item) == "9.50"
    assert not mirrors["Cennik standardowy"].created_here
    standard = mirrors["Cennik standardowy"]
    AllegroOffer.objects.create(
        account=linked_account, name="A", shipping_rates_id=standard.allegro_id
    )
    AllegroOffer.objects.create(
        account=linked_account, name="B", shipping_rates_id=standard.allegro_id
    )

    site_client.get(LIST)  # warm the session and caches
    with django_assert_max_num_queries(20) as few:
        page = site_client.get(LIST)
    body = page.content.decode()
    assert f'id="rates-{standard.pk}"' in body
    row = body.split(f'id="rates-{standard.pk}"')[1].split("</tr>")[0]
    assert '<td class="bo-offers">2</td>' in row
    assert "Allegro Paczkomaty InPost pobranie" in row
    assert "9,50 zł" in row
    assert "Allegro (tylko podgląd)" in body

    # More lists cost no more queries.
    for n in range(20):
        AllegroShippingRates.objects.create(
            account=linked_account,
            allegro_id=f"extra-{n}",
            name=f"Dodatkowy {n}",
            raw={"rates": []},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        site_client.get(LIST)

    # A second import updates instead of duplicating.
    shipping_rates_import(account=linked_account)
    assert AllegroShippingRates.objects.filter(allegro_id=standard.allegro_id).count() == 1


def test_linking_imports_the_accounts_lists(
    allegro, linked_account, django_capture_on_commit_callbacks
):
    from shop.allegro.shipping.services import shipping_rates_import_after_link

    with django_capture_on_commit_callbacks(execute=True):
        shipping_rates_import_after_link(account_id=linked_account.pk)
    assert AllegroShippingRates.objects.filter(account=linked_account).count() == 3
    assert AllegroDeliveryMethod.objects.filter(account=linked_account).exists()
    # A failure (relink needed) does not break linking.
    linked_account.status = LinkStatus.RELINK_REQUIRED
    linked_account.access_token = ""
    linked_account.save()
    shipping_rates_import_after_link(account_id=linked_account.pk)


def test_replace_updates_allegro_and_the_mirror(site_client, allegro, linked_account):
    shipping_rates_import(account=linked_account)
    mirror = AllegroShippingRates.objects.get(name="Małe paczki, darmowa dostawa")
    edit = reverse("allegro:shipping_rates_edit", args=[mirror.pk])
    page = site_client.get(edit)
    assert page.status_code == 200
    assert page.context["drift"] is None
    form = page.context["form"]
    assert form.initial[f"m_{LOCKERS}_first"] == "0.00"
    assert form.initial[f"m_{LOCKERS}_quantity"] == 2

    data = {"name": "Małe paczki", "base_fingerprint": mirror.fingerprint}
    data.update(
        {
            f"m_{LOCKERS}_active": "on",
            f"m_{LOCKERS}_first": "4.99",
            f"m_{LOCKERS}_quantity": "3",
            f"m_{LOCKERS}_weight": "5",
        }
    )
    response = site_client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    remote = seller_rates(allegro, linked_account)[mirror.allegro_id]
    assert remote["name"] == "Małe paczki"
    assert [r["deliveryMethod"]["id"] for r in remote["rates"]] == [LOCKERS]
    assert remote["rates"][0]["firstItemRate"]["amount"] == "4.99"
    mirror.refresh_from_db()
    assert mirror.name == "Małe paczki"
    assert str(mirror.cheapest_first_item) == "4.99"
    assert len(sent(allegro, "PUT", "/sale/shipping-rates/{id}")) == 1


def test_drift_is_detected_and_the_merchant_chooses(site_client, allegro, linked_account):
    shipping_rates_import(account=linked_account)
    mirror = AllegroShippingRates.objects.get(name="Cennik standardowy")
    edit = reverse("allegro:shipping_rates_edit", args=[mirror.pk])
    original_fingerprint = mirror.fingerprint
    # Someone changes the list in Allegro's own panel.
    remote = seller_rates(allegro, linked_account)[mirror.allegro_id]
    remote["rates"][0]["firstItemRate"]["amount"] = "14.49"

    page = site_client.get(edit)
    body = page.content.decode()
    assert 'id="drift-banner"' in body
    assert "w sklepie 12.99 zł / 5 szt. w paczce, w Allegro 14.49 zł / 5 szt. w paczce" in body

    data = {"name": "Cennik standardowy", "base_fingerprint": original_fingerprint}
    data.update({f"m_{DPD}_active": "on", f"m_{DPD}_first": "19.99", f"m_{DPD}_quantity": "10"})
    response = site_client.post(edit, data)
    assert 'id="drift-banner"' in response.content.decode()
    assert sent(allegro, "PUT", "/sale/shipping-rates/{id}") == []

    response = site_client.post(edit, {**data, "keep_local": "1"})
    assert response.status_code == 302
    remote = seller_rates(allegro, linked_account)[mirror.allegro_id]
    assert [r["firstItemRate"]["amount"] for r in remote["rates"]] == ["19.99"]

    # Changed again on Allegro; this time the merchant keeps Allegro's version.
    remote["name"] = "Zmieniony w Allegro"
    response = site_client.post(reverse("allegro:shipping_rates_take_remote", args=[mirror.pk]))
    assert response.status_code == 302
    mirror.refresh_from_db()
    assert mirror.name == "Zmieniony w Allegro"
    assert site_client.get(edit).context["drift"] is None


def test_allegro_managed_lists_are_read_only(site_client, allegro, linked_account):
    shipping_rates_import(account=linked_account)
    managed = AllegroShippingRates.objects.get(managed_by_allegro=True)
    edit = reverse("allegro:shipping_rates_edit", args=[managed.pk])
    body = site_client.get(edit).content.decode()
    assert 'id="managed-banner"' in body
    assert 'id="save-rates"' not in body
    assert "disabled" in body
    site_client.post(edit, {"name": "Przejęty", f"m_{LOCKERS}_active": "on"})
    assert sent(allegro, "PUT", "/sale/shipping-rates/{id}") == []
    managed.refresh_from_db()
    assert managed.name == "Allegro Smart - cennik gotowy"


def test_hide_is_local_and_explained(site_client, allegro, linked_account):
    shipping_rates_import(account=linked_account)
    mirror = AllegroShippingRates.objects.get(name="Cennik standardowy")
    response = site_client.post(
        reverse("allegro:shipping_rates_hide", args=[mirror.pk]), follow=True
    )
    body = response.content.decode()
    assert "Allegro nie pozwala usuwać cenników" in body
    assert f'id="rates-{mirror.pk}"' not in body
    assert "Pokaż ukryte (1)" in body
    assert mirror.allegro_id in seller_rates(allegro, linked_account)
    hidden = site_client.get(LIST + "?hidden=1").content.decode()
    assert f'id="rates-{mirror.pk}"' in hidden
    site_client.post(reverse("allegro:shipping_rates_hide", args=[mirror.pk]), {"hidden": "0"})
    mirror.refresh_from_db()
    assert not mirror.hidden


def test_the_250_list_cap_warns_then_refuses_before_sending(site_client, allegro, linked_account):
    AllegroShippingRates.objects.bulk_create(
        AllegroShippingRates(account=linked_account, allegro_id=f"x-{n}", name=f"C{n}", raw={})
        for n in range(230)
    )
    body = site_client.get(LIST).content.decode()
    assert 'id="limit-banner"' in body
    assert "zostało 20" in body
    AllegroShippingRates.objects.bulk_create(
        AllegroShippingRates(
            account=linked_account, allegro_id=f"y-{n}", name=f"D{n}", raw={}, hidden=True
        )
        for n in range(MAX_SHIPPING_RATES - 230)
    )
    body = site_client.get(LIST).content.decode()
    assert "Nowego nie da się dodać" in body
    assert 'id="add-rates"' not in body
    response = post_add(site_client, {DPD: {"first": "15", "quantity": 4}})
    assert "Konto ma już 250 cenników dostawy" in response.content.decode()
    assert sent(allegro, "POST", "/sale/shipping-rates") == []


def test_allegros_own_cap_error_is_shown(site_client, allegro, linked_account):
    sale = allegro.world.sale.seller(linked_account.seller_id)
    for n in range(MAX_SHIPPING_RATES - len(sale.shipping_rates)):
        sale.shipping_rates[f"filler-{n}"] = {"id": f"filler-{n}", "name": f"F{n}", "rates": []}
    response = post_add(site_client, {DPD: {"first": "15", "quantity": 4}})
    assert "Możesz mieć najwyżej 250 cenników dostawy." in response.content.decode()


def test_pages_without_a_linked_account(site_client, allegro, configured_account):
    body = site_client.get(LIST).content.decode()
    assert 'id="not-linked"' in body
    assert site_client.get(ADD).status_code == 302


def test_a_create_whose_answer_was_lost_is_adopted_not_repeated(
    site_client, allegro, linked_account, settings
):
    import httpx

    class LosesCreateAnswers(httpx.BaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.WSGITransport(app=allegro.wsgi)

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = self.inner.handle_request(request)
            if request.method == "POST" and request.url.path == "/sale/shipping-rates":
                raise httpx.ReadTimeout("answer lost", request=request)
            return response

    settings.ALLEGRO_TRANSPORT_FACTORY = LosesCreateAnswers
    response = post_add(site_client, {DPD: {"first": "15", "quantity": 4}}, name="Po awarii")
    assert response.status_code == 302
    assert len(sent(allegro, "POST", "/sale/shipping-rates")) == 1
    mirror = AllegroShippingRates.objects.get(name="Po awarii")
    assert mirror.created_here
    names = [r["name"] for r in seller_rates(allegro, linked_account).values()]
    assert names.count("Po awarii") == 1


def test_linking_the_account_imports_its_lists(
    site_client, allegro, configured_account, django_capture_on_commit_callbacks
):
    from tests.shop.allegro.oauth_helpers import local_path, seller_approves

    url = site_client.post(reverse("allegro:link"))["Location"]
    callback = seller_approves(allegro, url)
    with django_capture_on_commit_callbacks(execute=True):
        site_client.get(local_path(callback))
    configured_account.refresh_from_db()
    assert configured_account.status == LinkStatus.LINKED
    assert AllegroShippingRates.objects.filter(account=configured_account).count() == 3
