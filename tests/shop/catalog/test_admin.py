from __future__ import annotations

import pytest
from django.urls import reverse

from shop.catalog.demo import demo_catalog_load
from shop.catalog.models import Product, ProductImage, StockMovement, StockReason
from shop.catalog.services.stock import stock_adjust
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_stock_view_applies_a_change_with_reason(staff_client, staff_user):
    product = ProductFactory()
    url = reverse("admin:catalog_product_stock", args=[product.pk])
    response = staff_client.post(url, {"delta": "7", "reason": "delivery", "note": "faktura 12/11"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.stock == 7
    movement = StockMovement.objects.get(product=product)
    assert (movement.reason, movement.note, movement.user) == (
        "delivery",
        "faktura 12/11",
        staff_user,
    )


def test_stock_view_shows_polish_errors_and_changes_nothing(staff_client):
    product = ProductFactory()
    url = reverse("admin:catalog_product_stock", args=[product.pk])
    response = staff_client.post(url, {"delta": "-5", "reason": "damage"})
    assert response.status_code == 200
    assert "Za mały stan produktu" in response.content.decode()
    response = staff_client.post(url, {"delta": "abc", "reason": "nonsense"})
    body = response.content.decode()
    assert "Wpisz liczbę całkowitą." in body
    assert "Wybierz poprawną wartość" in body
    assert not StockMovement.objects.filter(product=product).exists()


def test_bulk_stock_action(staff_client):
    a, b = ProductFactory(), ProductFactory()
    url = reverse("admin:catalog_product_changelist")
    response = staff_client.post(
        url,
        {
            "action": "adjust_stock_action",
            "_selected_action": [a.pk, b.pk],
            "apply": "1",
            "delta": "3",
            "reason": "delivery",
        },
    )
    assert response.status_code == 302
    assert sorted(Product.objects.values_list("stock", flat=True)) == [3, 3]


def test_product_list_queries_do_not_grow_with_rows(staff_client, django_assert_max_num_queries):
    demo_catalog_load(images=True)
    url = reverse("admin:catalog_product_changelist")
    with django_assert_max_num_queries(12):
        response = staff_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "thumbnails/" in body
    assert "Lalka" in body


def test_demo_catalog_is_idempotent_and_realistic():
    created = demo_catalog_load(images=False)
    assert created >= 40
    assert demo_catalog_load(images=False) == 0
    skus = set(Product.objects.values_list("sku", flat=True))
    assert {s[:2] for s in skus} >= {"KS", "BZ", "EL", "OD"}
    assert all(p.ean for p in Product.objects.all())


def test_thumbnail_is_generated_for_uploaded_image():
    demo_catalog_load(images=True)
    image = ProductImage.objects.first()
    assert image is not None and image.thumbnail
    from PIL import Image

    with Image.open(image.thumbnail.path) as thumb:
        assert max(thumb.size) <= 160


def test_ean_validation_in_admin_form(staff_client):
    response = staff_client.post(
        reverse("admin:catalog_product_add"),
        {
            "name": "Zły kod",
            "sku": "BAD-1",
            "ean": "5901234123458",
            "price": "10.00",
            "vat_rate": "23",
            "weight": "0.1",
            "low_stock_threshold": "3",
            "is_active": "on",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Nieprawidłowy kod EAN/GTIN" in response.content.decode()
    assert not Product.objects.filter(sku="BAD-1").exists()
    stock_adjust  # noqa: B018 - imported for the ledger tests' symmetry
    StockReason  # noqa: B018
