"""Reads for the Allegro order pages and printouts (constant query counts per page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet

from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroLineItem,
    AllegroOffer,
    AllegroShipment,
    OrderImportState,
    OrderQuarantine,
)
from shop.allegro.orders.mapping import money, obj, person_name, seq, text
from shop.catalog.models import Product
from shop.orders.models import Order, OrderEvent, OrderItem

WARSAW = ZoneInfo("Europe/Warsaw")
PRODUCT_SEARCH_LIMIT = 10


@dataclass
class OrderFilters:
    status: str = ""  # Allegro's form status
    fulfillment: str = ""
    payment: str = ""  # the shop's payment state
    shop_status: str = ""
    date_from: date | None = None
    date_to: date | None = None
    attention: bool = False
    q: str = ""


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=WARSAW)


def checkout_forms_for_list(
    *, account: AllegroAccount, filters: OrderFilters
) -> QuerySet[AllegroCheckoutForm]:
    """The account's current checkout forms (merged-away ones hidden), newest first."""
    rows = (
        AllegroCheckoutForm.objects.filter(account=account, superseded_by__isnull=True)
        .select_related("order")
        .defer("raw")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AllegroLineItem.objects.only(
                    "id", "form_id", "offer_id", "offer_name", "quantity", "price"
                ),
            )
        )
        .order_by("-bought_at", "-id")
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.fulfillment:
        rows = rows.filter(fulfillment_status=filters.fulfillment)
    if filters.payment:
        rows = rows.filter(order__payment_status=filters.payment)
    if filters.shop_status:
        rows = rows.filter(order__status=filters.shop_status)
    if filters.date_from:
        rows = rows.filter(bought_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(bought_at__lt=_day_start(filters.date_to) + timedelta(days=1))
    if filters.attention:
        rows = rows.filter(order__needs_attention=True)
    q = filters.q.strip()
    if q:
        by_items = AllegroLineItem.objects.filter(
            Q(offer_id=q) | Q(offer_name__icontains=q) | Q(external_id__iexact=q)
        ).values("form_id")
        rows = rows.filter(
            Q(buyer_login__icontains=q)
            | Q(buyer_name__icontains=q)
            | Q(buyer_email__icontains=q)
            | Q(form_id__istartswith=q)
            | Q(order__number__icontains=q)
            | Q(pk__in=by_items)
        )
    return rows


def import_state_of(account: AllegroAccount) -> OrderImportState | None:
    return OrderImportState.objects.filter(account=account).first()


def quarantine_of(account: AllegroAccount) -> QuerySet[OrderQuarantine]:
    return OrderQuarantine.objects.filter(account=account).order_by("-updated_at")


def checkout_form_for_page(pk: int) -> AllegroCheckoutForm | None:
    return (
        AllegroCheckoutForm.objects.select_related(
            "account", "order", "order__shipping_address", "order__billing_address"
        )
        .filter(pk=pk)
        .first()
    )


def form_lines(form: AllegroCheckoutForm) -> list[AllegroLineItem]:
    return list(
        AllegroLineItem.objects.filter(form=form).select_related(
            "order_item", "order_item__product"
        )
    )


def offers_by_id(account: AllegroAccount, offer_ids: list[str]) -> dict[str, AllegroOffer]:
    return {
        o.allegro_id: o
        for o in AllegroOffer.objects.filter(account=account, allegro_id__in=offer_ids).only(
            "id", "allegro_id", "name", "status"
        )
    }


def form_shipments(form: AllegroCheckoutForm) -> list[AllegroShipment]:
    return list(AllegroShipment.objects.filter(form=form).order_by("id"))


def order_history(order: Order | None) -> list[OrderEvent]:
    if order is None:
        return []
    return list(OrderEvent.objects.filter(order=order).select_related("user"))


def products_search(term: str) -> list[Product]:
    """Products by SKU or EAN (exact first), then by a part of SKU or name."""
    term = term.strip()
    if not term:
        return []
    exact = list(
        Product.objects.filter(Q(sku__iexact=term) | (Q(ean=term) & ~Q(ean="")))[
            :PRODUCT_SEARCH_LIMIT
        ]
    )
    if exact:
        return exact
    return list(
        Product.objects.filter(Q(sku__icontains=term) | Q(name__icontains=term)).order_by("sku")[
            :PRODUCT_SEARCH_LIMIT
        ]
    )


def product_exact(term: str) -> Product | None:
    term = term.strip()
    if not term:
        return None
    return (
        Product.objects.filter(sku__iexact=term).first()
        or Product.objects.filter(ean=term).exclude(ean="").first()
    )


# -- the checkout form, readable (pure: from the stored payload) -----------------------------------


def _address(data: dict[str, Any]) -> list[str]:
    name = person_name(data)
    place = " ".join(
        p for p in (text(data.get("zipCode") or data.get("postCode")), text(data.get("city"))) if p
    )
    country = text(data.get("countryCode")).upper()
    lines = [
        text(data.get("companyName")),
        name,
        text(data.get("street")),
        place,
        country if country and country != "PL" else "",
    ]
    return [line for line in lines if line]


def checkout_view(raw: dict[str, Any]) -> dict[str, Any]:
    """What the edit page and the printout show of a checkout form, tolerant of gaps."""
    buyer = obj(raw.get("buyer"))
    delivery = obj(raw.get("delivery"))
    payment = obj(raw.get("payment"))
    invoice = obj(raw.get("invoice"))
    invoice_address = obj(invoice.get("address"))
    company = obj(invoice_address.get("company"))
    natural = obj(invoice_address.get("naturalPerson"))
    point = obj(delivery.get("pickupPoint"))
    point_address = obj(point.get("address"))
    method = obj(delivery.get("method"))
    summary = obj(raw.get("summary"))
    time_info = obj(delivery.get("time"))
    dispatch = obj(time_info.get("dispatch"))
    buyer_address = obj(buyer.get("address"))
    ids = [
        f"{text(obj(entry).get('type'))}: {text(obj(entry).get('value'))}"
        for entry in seq(company.get("ids"))
        if text(obj(entry).get("value"))
    ]
    if text(company.get("taxId")):
        ids.append(f"NIP: {text(company.get('taxId'))}")
    invoice_lines = [
        text(company.get("name")),
        person_name(natural),
        *ids,
        text(invoice_address.get("street")),
        " ".join(
            p
            for p in (text(invoice_address.get("zipCode")), text(invoice_address.get("city")))
            if p
        ),
    ]
    surcharges = [
        (text(obj(s).get("type")) or text(obj(s).get("id")), money(obj(s).get("paidAmount")))
        for s in seq(raw.get("surcharges"))
    ]
    return {
        "buyer": {
            "login": text(buyer.get("login")),
            "name": person_name(buyer),
            "company": text(buyer.get("companyName")),
            "email": text(buyer.get("email")),
            "phone": text(buyer.get("phoneNumber")),
            "guest": buyer.get("guest") is True,
            "address": _address(
                {**buyer_address, **{k: buyer.get(k) for k in ("firstName", "lastName")}}
            )
            if buyer_address
            else [],
        },
        "delivery": {
            "method": text(method.get("name")) or text(method.get("id")),
            "method_id": text(method.get("id")),
            "cost": money(delivery.get("cost")),
            "smart": delivery.get("smart") is True,
            "address": _address(obj(delivery.get("address"))),
            "phone": text(obj(delivery.get("address")).get("phoneNumber")),
            "dispatch_from": text(dispatch.get("from")),
            "dispatch_to": text(dispatch.get("to")),
            "guaranteed": obj(time_info.get("guaranteed")),
            "packages": text(delivery.get("calculatedNumberOfPackages")),
        },
        "pickup_point": {
            "id": text(point.get("id")),
            "name": text(point.get("name")),
            "description": text(point.get("description")),
            "address": _address(point_address),
        }
        if point
        else None,
        "invoice": {
            "required": invoice.get("required") is True,
            "lines": [line for line in invoice_lines if line],
            "due_date": text(invoice.get("dueDate")),
        },
        "payment": {
            "id": text(payment.get("id")),
            "type": text(payment.get("type")),
            "provider": text(payment.get("provider")),
            "finished_at": text(payment.get("finishedAt")),
            "paid": money(payment.get("paidAmount")),
            "reconciliation": money(payment.get("reconciliation")),
        },
        "summary_total": money(summary.get("totalToPay")),
        "surcharges": surcharges,
        "message": text(raw.get("messageToSeller")),
        "note": text(obj(raw.get("note")).get("text")),
        "marketplace": text(obj(raw.get("marketplace")).get("id")),
        "status": text(raw.get("status")),
        "updated_at": text(raw.get("updatedAt")),
    }


def line_total(item: OrderItem | AllegroLineItem) -> Decimal:
    price = item.unit_price if isinstance(item, OrderItem) else item.price
    return price * item.quantity
