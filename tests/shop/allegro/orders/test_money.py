"""Every złoty of an Allegro checkout form on the shop order: deposits, services, surcharges,
discounts and who funds them, Smart!, what was paid, and statuses that mean what they say.

The forms come from the emulator's buyer simulator, asked for one shape at a time; every
amount on the order is compared with the form's own numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from allegro_api.models.orders import CheckoutForm
from fake_allegro import Emulator
from shop.allegro.orders.mapping import form_data, order_draft
from shop.allegro.orders.services.importer import orders_import
from shop.orders.drafts import lines_total
from shop.orders.models import (
    ChargeKind,
    FundedBy,
    Order,
    OrderStatus,
    PaymentStatus,
)
from shop.orders.services.orders import order_lines_total
from shop.orders.summary import order_money_rows
from tests.shop.allegro.orders.test_import import control

pytestmark = pytest.mark.django_db


def buy(emulator: Emulator, **payload: Any) -> dict[str, Any]:
    """One purchase of the given shape, imported; the form as Allegro serves it."""
    payload.setdefault("extras", {})
    created = control(
        emulator, "/purchases", {"synthetic": True, "paymentType": "ONLINE", **payload}
    )
    form_id = created["checkoutFormIds"][0]
    with emulator.http_client() as http:
        form = http.get(f"/_emulator/checkout-forms/{form_id}").json()["checkoutForm"]
    return form  # type: ignore[no-any-return]


def imported(account: Any, form: dict[str, Any]) -> Order:
    orders_import(account=account, sweep=False)
    return Order.objects.prefetch_related("items", "charges").get(external_id=form["id"])


def amount(value: dict[str, Any] | None) -> Decimal:
    return Decimal(value["amount"]) if value else Decimal("0.00")


def assert_lines_match(order: Order, form: dict[str, Any]) -> None:
    """Each item's price, quantity, list price and deposit, and the total to the grosz."""
    items = {item.external_id: item for item in order.items.all()}
    for line in form["lineItems"]:
        item = items[line["id"]]
        assert item.quantity == line["quantity"]
        assert item.unit_price == amount(line["price"])
        original = amount(line["originalPrice"])
        assert item.list_unit_price == (original if original > item.unit_price else None)
        assert item.deposit == amount((line.get("deposit") or {}).get("price"))
    assert order.total == amount(form["summary"]["totalToPay"])
    assert order_lines_total(order) == order.total
    assert order.total_difference is None


def test_plain_purchase_adds_up(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, items=2)
    order = imported(linked_account, form)

    assert_lines_match(order, form)
    assert not order.charges.exists()
    assert order.paid_amount == order.total
    assert order.payment_status == PaymentStatus.PAID


def test_deposit_is_its_own_line_per_item(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, extras={"deposit": True})
    order = imported(linked_account, form)

    assert_lines_match(order, form)
    item = order.items.get(external_id=form["lineItems"][0]["id"])
    assert item.deposit == amount(form["lineItems"][0]["deposit"]["price"]) > 0
    deposit_row = next(r for r in order_money_rows(order) if r.kind == "deposit")
    assert deposit_row.amount == item.deposit * item.quantity
    assert deposit_row.label == "Kaucja"


def test_paid_additional_service_is_a_line(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, extras={"carryIn": True})
    order = imported(linked_account, form)

    assert_lines_match(order, form)
    service = form["lineItems"][0]["selectedAdditionalServices"][0]
    charge = order.charges.get(kind=ChargeKind.SERVICE)
    assert charge.name == service["name"] == "Wniesienie"
    assert charge.amount == amount(service["price"]) * service["quantity"]
    assert charge.in_total
    assert charge.item is not None and charge.item.external_id == form["lineItems"][0]["id"]


def test_seller_coupon_is_shown_inside_the_price(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, extras={"coupon": True})
    order = imported(linked_account, form)

    assert_lines_match(order, form)
    line = form["lineItems"][0]
    discount = order.charges.get(kind=ChargeKind.DISCOUNT)
    expected = (amount(line["originalPrice"]) - amount(line["price"])) * line["quantity"]
    assert discount.amount == expected > 0
    assert discount.funded_by == FundedBy.SELLER
    assert not discount.in_total
    assert discount.name == "Kupon"


def test_allegro_funded_discount_says_allegro_pays_it(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, extras={"allegroPrices": True})
    order = imported(linked_account, form)

    assert_lines_match(order, form)
    line = form["lineItems"][0]
    assert line["price"] == line["originalPrice"]  # both lowered, as Allegro sends them
    discount = order.charges.get(kind=ChargeKind.DISCOUNT)
    assert discount.funded_by == FundedBy.MARKETPLACE
    assert discount.amount == amount(line["reconciliation"]["value"]) > 0
    assert not discount.in_total
    row = next(r for r in order_money_rows(order) if r.kind == "marketplace_discount")
    assert row.label == "Rabat Allegro" and not row.counted


def test_smart_makes_delivery_free(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, extras={"smart": True})
    order = imported(linked_account, form)

    assert_lines_match(order, form)
    assert form["delivery"]["smart"] is True
    assert order.delivery_free_by_programme
    assert order.delivery_cost == Decimal("0.00")
    delivery = next(r for r in order_money_rows(order) if r.kind == "delivery")
    assert "Smart!" in delivery.note


def test_surcharge_is_a_line_and_counts_as_paid(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, extras={"surcharge": True})
    order = imported(linked_account, form)

    assert_lines_match(order, form)
    surcharge = form["surcharges"][0]
    charge = order.charges.get(kind=ChargeKind.SURCHARGE)
    assert charge.amount == amount(surcharge["paidAmount"])
    assert order.paid_amount == amount(form["payment"]["paidAmount"]) + charge.amount
    assert order.payment_status == PaymentStatus.PAID


def test_everything_at_once_still_adds_up(allegro, linked_account):  # type: ignore[no-untyped-def]
    extras = {"deposit": True, "carryIn": True, "coupon": True, "surcharge": True, "smart": True}
    form = buy(allegro, items=3, extras=extras)
    order = imported(linked_account, form)

    assert_lines_match(order, form)
    kinds = {row.kind for row in order_money_rows(order)}
    assert {"items", "deposit", "service", "surcharge", "delivery", "total", "discount"} <= kinds


def test_company_buyer_with_a_private_invoice_keeps_the_company(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, companyBuyer=True, extras={"privateInvoice": True})
    order = imported(linked_account, form)

    company = form["buyer"]["companyName"]
    assert company
    assert "naturalPerson" in form["invoice"]["address"]
    assert order.customer_company == company
    assert order.invoice_required
    assert order.invoice_company_name == ""
    assert company in order.buyer_display


def test_seller_note_and_buyer_message_land_on_the_order(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, extras={"note": True})
    order = imported(linked_account, form)

    assert order.seller_note == form["note"]["text"]
    assert order.customer_note == (form.get("messageToSeller") or "")


@pytest.mark.parametrize(
    ("fulfillment", "status"),
    [("SENT", OrderStatus.SENT), ("PICKED_UP", OrderStatus.DELIVERED)],
)
def test_seller_status_on_allegro_sets_the_shop_status_without_an_echo(  # type: ignore[no-untyped-def]
    allegro, linked_account, fulfillment, status
):
    form = buy(allegro, extras={"fulfillment": fulfillment})
    with allegro.http_client() as http:
        http.delete("/_emulator/requests")
    order = imported(linked_account, form)

    assert form["fulfillment"]["status"] == fulfillment
    assert order.status == status
    with allegro.http_client() as http:
        log = http.get("/_emulator/requests", params={"path": "/fulfillment"}).json()
    assert [r for r in log["requests"] if r["method"] == "PUT"] == []


def test_a_later_status_change_on_allegro_is_followed_without_an_echo(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro)
    order = imported(linked_account, form)
    assert order.status == OrderStatus.NEW
    with allegro.http_client() as http:
        http.delete("/_emulator/requests")
    # The seller marks it sent on Allegro's site.
    changed = {**form, "fulfillment": {**form["fulfillment"], "status": "SENT"}}
    changed.pop("updatedAt", None)
    changed.pop("revision", None)
    control(allegro, "/checkout-forms", {"checkoutForm": changed})

    order = imported(linked_account, form)

    assert order.status == OrderStatus.SENT
    assert order.events.filter(to_status=OrderStatus.SENT, note="Zmieniono w Allegro").exists()
    with allegro.http_client() as http:
        log = http.get("/_emulator/requests", params={"path": "/fulfillment"}).json()
    assert [r for r in log["requests"] if r["method"] == "PUT"] == []


def test_buyer_cancellation_after_payment_is_owed_back_not_refunded(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, cancel="BUYER_CANCELLED", cancelAfter="READY_FOR_PROCESSING")
    order = imported(linked_account, form)

    assert form["status"] == "CANCELLED"
    assert amount(form["payment"].get("paidAmount")) > 0
    assert order.status == OrderStatus.CANCELLED
    assert order.payment_status == PaymentStatus.TO_REFUND
    assert order.get_payment_status_display() == "opłacone — do zwrotu"
    assert order.refunded_amount == Decimal("0.00")


def test_cancelled_before_payment_is_cancelled_not_owed(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro, cancel="BUYER_CANCELLED", cancelAfter="BOUGHT")
    order = imported(linked_account, form)

    assert order.status == OrderStatus.CANCELLED
    assert order.payment_status == PaymentStatus.CANCELLED


def test_numbers_that_do_not_add_up_are_flagged_not_corrected(allegro, linked_account):  # type: ignore[no-untyped-def]
    form = buy(allegro)
    wrong = amount(form["summary"]["totalToPay"]) + Decimal("7.77")
    broken = {**form, "summary": {"totalToPay": {"amount": f"{wrong:.2f}", "currency": "PLN"}}}
    broken.pop("updatedAt", None)
    broken.pop("revision", None)
    control(allegro, "/checkout-forms", {"checkoutForm": broken})

    order = imported(linked_account, form)

    assert order.total == wrong  # Allegro's figure stays
    assert order.total_difference == Decimal("7.77")
    assert order_lines_total(order) == wrong - Decimal("7.77")


def test_any_simulated_form_adds_up(allegro, linked_account):  # type: ignore[no-untyped-def]
    """Property: whatever the simulator draws (its real-traffic shares), the lines sum to the
    form's total, for a hundred forms."""
    created = control(
        allegro,
        "/purchases",
        {"synthetic": True, "count": 100, "chaos": {"cancelRate": 0.1, "mergeRate": 0.05}},
    )
    assert created["created"] >= 90
    orders_import(account=linked_account, sweep=False)

    orders = Order.objects.prefetch_related("items", "charges")
    assert orders.count() >= 90
    with allegro.http_client() as http:
        for order in orders:
            form = http.get(f"/_emulator/checkout-forms/{order.external_id}").json()
            assert_lines_match(order, form["checkoutForm"])


# -- the mapping alone, for any generated form -------------------------------------------------

cents = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) / 100)


def _money(value: Decimal) -> dict[str, str]:
    return {"amount": f"{value:.2f}", "currency": "PLN"}


@st.composite
def checkout_forms(draw: st.DrawFn) -> tuple[dict[str, Any], Decimal]:
    """A form with random lines, deposits, services, discounts, delivery and surcharges, and
    the total Allegro would send (surcharges either paying for something or not)."""
    lines = []
    total = Decimal(0)
    for index in range(draw(st.integers(min_value=1, max_value=4))):
        price = draw(cents)
        original = price + draw(st.sampled_from([Decimal(0), draw(cents)]))
        quantity = draw(st.integers(min_value=1, max_value=20))
        line: dict[str, Any] = {
            "id": f"line-{index}",
            "offer": {"id": str(1000 + index), "name": f"Oferta {index}"},
            "quantity": quantity,
            "price": _money(price),
            "originalPrice": _money(original),
        }
        total += price * quantity
        if draw(st.booleans()):
            deposit = draw(cents)
            line["deposit"] = {"price": _money(deposit)}
            total += deposit * quantity
        if draw(st.booleans()):
            service = draw(cents)
            count = draw(st.integers(min_value=1, max_value=3))
            line["selectedAdditionalServices"] = [
                {
                    "definitionId": "CARRY_IN",
                    "name": "Wniesienie",
                    "price": _money(service),
                    "quantity": count,
                }
            ]
            total += service * count
        if draw(st.booleans()):
            line["reconciliation"] = {"value": _money(draw(cents)), "type": "WALLET"}
        lines.append(line)
    delivery = draw(cents)
    total += delivery
    surcharges = [
        {"id": f"s{n}", "type": "ONLINE", "paidAmount": _money(draw(cents))}
        for n in range(draw(st.integers(min_value=0, max_value=2)))
    ]
    if draw(st.booleans()):
        total += sum((Decimal(s["paidAmount"]["amount"]) for s in surcharges), Decimal(0))
    form = {
        "id": "f-1",
        "status": "READY_FOR_PROCESSING",
        "lineItems": lines,
        "delivery": {"cost": _money(delivery), "smart": delivery == 0},
        "surcharges": surcharges,
        "payment": {"type": "ONLINE", "paidAmount": _money(total)},
        "summary": {"totalToPay": _money(total)},
    }
    return form, total


@given(checkout_forms(), st.integers(min_value=-500, max_value=500))
@hyp_settings(max_examples=300, deadline=None)
def test_for_any_form_the_lines_sum_to_its_total_or_the_gap_is_named(  # type: ignore[no-untyped-def]
    generated, off_by
):
    raw, total = generated
    data = form_data(CheckoutForm.model_validate(raw))
    draft = order_draft(data, products={}, placed_at=timezone.now())

    assert data.total == total
    assert lines_total(draft) == total
    assert data.total_difference is None

    wrong = total + Decimal(off_by) / 100
    raw["summary"]["totalToPay"] = _money(wrong)
    raw["surcharges"] = []
    data = form_data(CheckoutForm.model_validate(raw))
    draft = order_draft(data, products={}, placed_at=timezone.now())
    assert data.total == wrong
    assert (data.total_difference or Decimal(0)) == wrong - lines_total(draft)
