from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from shop.allegro.models import AllegroOffer, OfferStatus
from shop.allegro.offers.services.publish import offer_publish
from shop.catalog.demo import demo_catalog_load
from shop.catalog.models import Product

pytestmark = pytest.mark.django_db

BOOKS = "79155"  # Książki → Literatura piękna (leaf)
RINGS = "19734"  # Biżuteria → Pierścionki (leaf)


@pytest.fixture
def book(allegro) -> Product:  # type: ignore[no-untyped-def]
    demo_catalog_load(images=True)
    return Product.objects.get(sku="KS-0001")


def seller_ids(allegro) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Ids of the demo seller's first price list and offer terms on the emulator."""
    with allegro.http_client() as http:
        token = allegro.issue_tokens()["access_token"]
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.allegro.public.v1+json",
        }
        rates = http.get("/sale/shipping-rates", headers=headers).json()["shippingRates"]
        returns = http.get(
            "/after-sales-service-conditions/return-policies", headers=headers
        ).json()
        implied = http.get(
            "/after-sales-service-conditions/implied-warranties", headers=headers
        ).json()
    editable = [r for r in rates if not (r.get("features") or {}).get("managedByAllegro")]
    return {
        "shipping_rates_id": editable[0]["id"],
        "return_policy_id": returns["returnPolicies"][0]["id"],
        "implied_warranty_id": implied["impliedWarranties"][0]["id"],
    }


def book_form(book: Product, ids: dict[str, str], **overrides: str) -> dict[str, object]:
    images = list(book.images.values_list("pk", flat=True))
    data: dict[str, object] = {
        "name": "Lalka Bolesław Prus wydanie kieszonkowe",
        "category_id": BOOKS,
        "catalog_product_id": "",
        "selling_format": "BUY_NOW",
        "price": "39.99",
        "quantity": "5",
        "duration": "",
        "handling_time": "PT24H",
        "invoice": "VAT",
        "province": "WIELKOPOLSKIE",
        "city": "Poznań",
        "post_code": "61-001",
        "safety": "text",
        "safety_text": "Produkt bezpieczny, bez małych elementów.",
        "description_1_text": "<p>Klasyka <b>polskiej</b> literatury.</p><script>alert(1)</script>",
        "description_1_image": str(images[0]),
        f"image_{images[0]}": "1",
        f"image_{images[1]}": "2",
        "param_11323": "11323_1",
        "param_245669": book.ean,
        "param_223489": "Bolesław Prus",
        **ids,
    }
    data.update(overrides)
    return data


def writes(allegro) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return [
        e
        for e in allegro.requests.entries()
        if e["method"] in {"POST", "PUT", "PATCH", "DELETE"}
        and not str(e["path"]).startswith(("/_emulator", "/auth"))
    ]


def test_new_offer_form_is_prefilled_from_the_product(site_client, linked_account, book):
    response = site_client.get(reverse("allegro:offer_new") + f"?product={book.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    for section in (
        "Informacje podstawowe",
        "Format sprzedaży",
        "Dostawa i płatność",
        "Zdjęcia",
        "Opisy",
        "Cechy przedmiotu",
        "Warunki oferty",
        "Opcje promowania",
    ):
        assert section in body
    form = response.context["form"]
    assert form.initial["name"] == book.name[:75]
    assert Decimal(form.initial["price"]) == book.price
    assert form.initial["city"] == "Poznań"
    assert f"gtin={book.ean}" in body  # the catalog is searched by the product's EAN on load


def test_product_page_offers_allegro_add(staff_client, linked_account, book):
    body = staff_client.get(
        reverse("admin:catalog_product_change", args=[book.pk])
    ).content.decode()
    assert "Dodatkowe opcje" in body
    assert f"/backend/allegro/offers/new/?product={book.pk}" in body


def test_live_parameters_books_new_makes_isbn_required(site_client, linked_account, allegro):
    url = reverse("allegro:offer_parameters")
    new = site_client.post(url, {"category_id": BOOKS, "param_11323": "11323_1"})
    assert new.status_code == 200
    isbn = new.context["parameter_fields"]
    by_name = {f.html_name: f for f in isbn}
    assert by_name["param_245669"].field.required
    assert 'class="bo-field bo-required" id="field-param_245669"' in new.content.decode()
    used = site_client.post(url, {"category_id": BOOKS, "param_11323": "11323_2"})
    by_name = {f.html_name: f for f in used.context["parameter_fields"]}
    assert not by_name["param_245669"].field.required
    assert "param_245227" in by_name  # "Stan książki" appears for a used book


def test_live_parameters_gold_shows_fineness(site_client, linked_account, allegro):
    url = reverse("allegro:offer_parameters")
    silver = site_client.post(url, {"category_id": RINGS, "param_3770": "3770_2"})
    names = {f.html_name for f in silver.context["parameter_fields"]}
    assert "param_3771" not in names and "param_3772" in names
    gold = site_client.post(url, {"category_id": RINGS, "param_3770": "3770_1"})
    fields = {f.html_name: f for f in gold.context["parameter_fields"]}
    assert fields["param_3771"].field.required


def test_publish_a_book_end_to_end(
    site_client, linked_account, allegro, book, django_capture_on_commit_callbacks
):
    ids = seller_ids(allegro)
    url = reverse("allegro:offer_new") + f"?product={book.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = site_client.post(url, {**book_form(book, ids), "publish": "1"})
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    offer = AllegroOffer.objects.get()
    assert offer.status == OfferStatus.ACTIVE, (offer.last_error, offer.validation_errors)
    assert offer.allegro_id and offer.external_id == "KS-0001"
    remote = allegro.world.sale.offers[offer.allegro_id]
    assert remote.status == "ACTIVE"
    page = site_client.get(reverse("allegro:offer_edit", args=[offer.pk])).content.decode()
    assert f'id="offer-number">{offer.allegro_id}<' in page
    assert offer.allegro_url in page
    sent = [e for e in writes(allegro) if e["path"] == "/sale/product-offers"]
    assert len(sent) == 1
    assert len([e for e in writes(allegro) if e["path"] == "/sale/images"]) == 2


def test_allegro_rejection_lands_on_the_field(
    site_client, linked_account, allegro, book, django_capture_on_commit_callbacks
):
    ids = seller_ids(allegro)
    url = reverse("allegro:offer_new") + f"?product={book.pk}"
    site_client.post(url, {**book_form(book, ids), "save": "1"})
    offer = AllegroOffer.objects.get()
    # A form saved before Allegro made ISBN required: the stored values lack it.
    offer.form_data["parameters"].pop("245669")
    offer.save()
    offer.status = OfferStatus.PUBLISHING
    offer_publish(offer_id=offer.pk)
    offer.refresh_from_db()
    assert offer.status in {OfferStatus.REJECTED, OfferStatus.INACTIVE}
    fields = {e["field"] for e in offer.validation_errors}
    assert "param_245669" in fields, offer.validation_errors
    page = site_client.get(reverse("allegro:offer_edit", args=[offer.pk])).content.decode()
    assert 'data-field="param_245669"' in page


def test_a_create_whose_answer_was_lost_is_not_repeated(site_client, linked_account, allegro, book):
    from django.utils import timezone

    ids = seller_ids(allegro)
    site_client.post(
        reverse("allegro:offer_new") + f"?product={book.pk}", {**book_form(book, ids), "save": "1"}
    )
    offer = AllegroOffer.objects.get()
    offer_publish(offer_id=offer.pk)
    offer.refresh_from_db()
    first_id = offer.allegro_id
    # Pretend the answer of that POST never arrived: we know only that we tried.
    AllegroOffer.objects.filter(pk=offer.pk).update(
        allegro_id="", create_attempted_at=timezone.now()
    )
    offer_publish(offer_id=offer.pk)
    offer.refresh_from_db()
    assert offer.allegro_id == first_id
    assert len([e for e in writes(allegro) if e["path"] == "/sale/product-offers"]) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "<script>alert('x')</script> Tytuł oferty"}, "name"),
        ({"name": "krótki"}, "name"),
        ({"price": "1e40"}, "price"),
        ({"price": "-5"}, "price"),
        ({"quantity": "99999999999"}, "quantity"),
        ({"category_id": "DROP TABLE"}, "category_id"),
        ({"category_id": "7"}, "category_id"),  # not a leaf
        ({"shipping_rates_id": "00000000-0000-0000-0000-000000000000"}, "shipping_rates_id"),
        ({"catalog_product_id": "../../etc/passwd"}, "catalog_product_id"),
        ({"param_11323": "99999_1"}, "param_11323"),
        ({"param_245669": ""}, "param_245669"),
        ({"post_code": "6100"}, "post_code"),
        ({"selling_format": "AUCTION", "starting_price": "", "duration": "P10D"}, "starting_price"),
        ({"selling_format": "AUCTION", "starting_price": "10", "duration": "P30D"}, "duration"),
    ],
)
def test_hostile_and_malformed_input_gets_field_errors_and_sends_nothing(
    site_client, linked_account, allegro, book, overrides, field
):
    ids = seller_ids(allegro)
    before = len(writes(allegro))
    response = site_client.post(
        reverse("allegro:offer_new") + f"?product={book.pk}",
        {**book_form(book, ids, **overrides), "publish": "1"},
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not AllegroOffer.objects.exists()
    assert len(writes(allegro)) == before


def test_description_is_cleaned(site_client, linked_account, allegro):
    response = site_client.post(
        reverse("allegro:offer_description_preview"),
        {
            "description_1_text": '<p onclick="x()">Tekst <i>kursywa</i> <b>gruby</b></p><img src=x onerror=alert(1)>'
        },
    )
    body = response.content.decode()
    assert "<p>Tekst kursywa <b>gruby</b></p>" in body
    assert "onerror" not in body and "onclick" not in body


def test_expired_uploads_are_uploaded_again_before_publication(
    site_client, linked_account, allegro, book
):
    ids = seller_ids(allegro)
    site_client.post(
        reverse("allegro:offer_new") + f"?product={book.pk}", {**book_form(book, ids), "save": "1"}
    )
    offer = AllegroOffer.objects.get()
    image_id = offer.form_data["image_ids"][0]
    offer.form_data["uploaded"] = {
        image_id: {
            "url": "https://a.allegroimg.com/original/expired",
            "expires_at": "2020-01-01T00:00:00+00:00",
        }
    }
    offer.form_data["publish"] = True
    offer.save()
    offer_publish(offer_id=offer.pk)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACTIVE, offer.validation_errors
    assert (
        offer.form_data["uploaded"][image_id]["url"] != "https://a.allegroimg.com/original/expired"
    )
    assert len([e for e in writes(allegro) if e["path"] == "/sale/images"]) == 2


def test_a_gtin_matching_several_products_shows_them_all(site_client, linked_account, allegro):
    response = site_client.get(reverse("allegro:offer_catalog") + "?gtin=5901234123457")
    body = response.content.decode()
    assert len(response.context["products"]) >= 2
    assert "pasuje do" in body
    assert body.count('name="catalog_product_id"') == len(response.context["products"]) + 1


def test_category_picker_browses_and_suggests(site_client, linked_account, allegro):
    roots = site_client.get(reverse("allegro:offer_categories")).context["categories"]
    assert any(c["name"] == "Książki i Komiksy" for c in roots)
    suggested = site_client.get(reverse("allegro:offer_categories") + "?q=pierścionek złoty")
    assert any(c["id"] == RINGS for c in suggested.context["categories"])
    assert "chooseCategory" in suggested.content.decode()


def test_suggesting_from_a_book_title_finds_the_books_category(
    site_client, linked_account, allegro
):
    response = site_client.get(
        reverse("allegro:offer_categories"), {"q": "Chłopi — Władysław Reymont"}
    )
    first = response.context["categories"][0]
    assert (first["name"], first["parent"]["name"]) == ("Literatura piękna", "Książki")
    assert "(Książki)" in response.content.decode()


def test_browsed_leaf_categories_show_no_empty_parentheses(site_client, linked_account, allegro):
    """Browsing, a leaf's parent comes as an id only; the breadcrumb above already names it."""
    body = site_client.get(reverse("allegro:offer_categories"), {"parent": "91421"}).content
    text = body.decode()
    assert "Literatura piękna" in text and "()" not in text


def test_promotion_package_is_applied_after_publication(
    site_client, linked_account, allegro, book, django_capture_on_commit_callbacks
):
    ids = seller_ids(allegro)
    packages = (
        site_client.get(reverse("allegro:offer_new") + f"?product={book.pk}")
        .context["form"]
        .fields["promotion_package"]
        .choices
    )
    package = packages[1][0]
    with django_capture_on_commit_callbacks(execute=True):
        site_client.post(
            reverse("allegro:offer_new") + f"?product={book.pk}",
            {**book_form(book, ids, promotion_package=package), "publish": "1"},
        )
    offer = AllegroOffer.objects.get()
    assert offer.status == OfferStatus.ACTIVE
    calls = [e for e in writes(allegro) if str(e["path"]).endswith("/promo-options-modification")]
    assert len(calls) == 1 and offer.allegro_id in str(calls[0]["path"])


def test_default_offer_terms_are_created_on_allegro(site_client, linked_account, allegro):
    url = reverse("allegro:offer_terms_defaults")
    bad = site_client.post(
        url,
        {
            "name": "Sklep",
            "street": "Długa 1",
            "post_code": "61001",
            "city": "Poznań",
            "phone": "x",
            "email": "zly",
        },
    )
    assert set(bad.context["form"].errors) == {"post_code", "phone", "email"}
    # The seller has no terms of these names yet (the emulator seeds them: remove them).
    sale = allegro.world.sale.seller(allegro.demo_seller.id)
    for store in (sale.return_policies, sale.implied_warranties):
        for key in [
            k for k, v in store.items() if v["name"] in {"Zwroty 14 dni", "Rękojmia 2 lata"}
        ]:
            del store[key]
    address = {
        "name": "Sklep Demo",
        "street": "ul. Długa 1",
        "post_code": "61-001",
        "city": "Poznań",
        "phone": "600 100 200",
        "email": "zwroty@example.pl",
        "next": "/backend/allegro/config/",
    }
    response = site_client.post(url + "?next=/backend/allegro/config/", address)
    assert response.status_code == 302
    assert response.headers["Location"] == "/backend/allegro/config/"
    posts = [e for e in writes(allegro) if "after-sales-service-conditions" in str(e["path"])]
    assert [e["status"] for e in posts] == [201, 201]
    names = sorted(
        v["name"]
        for store in (sale.return_policies, sale.implied_warranties)
        for v in store.values()
    )
    assert "Zwroty 14 dni" in names and "Rękojmia 2 lata" in names
    # Submitted again (a double click, a second visit): the same terms, nothing new on Allegro.
    assert site_client.post(url, address).status_code == 302
    posts = [e for e in writes(allegro) if "after-sales-service-conditions" in str(e["path"])]
    assert [e["status"] for e in posts] == [201, 201]
