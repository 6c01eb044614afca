"""Reads for the Allegro order pages and printouts (constant query counts per page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.fields.json import KT
from django.utils.dateparse import parse_datetime

from allegro_api.models.orders import (
    Buyer,
    CheckoutForm,
    Delivery,
    Invoice,
    Payment,
    TimeRange,
)
from shop.allegro.common.labels import tax_id_type_label
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroLineItem,
    AllegroOffer,
    AllegroShipment,
    FormStatus,
    FulfillmentStatus,
    OrderImportState,
    OrderQuarantine,
)
from shop.allegro.orders.mapping import money, person_name, sent, text
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
    to_ship: bool = False
    q: str = ""


# Paid forms the seller has not sent yet (nor handed over at a pickup counter).
TO_SHIP = Q(
    status=FormStatus.READY_FOR_PROCESSING,
    gone=False,
    fulfillment_status__in=[
        FulfillmentStatus.NEW,
        FulfillmentStatus.PROCESSING,
        FulfillmentStatus.READY_FOR_SHIPMENT,
    ],
)


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
        .annotate(
            paid_at_text=KT("raw__payment__finishedAt"),
            dispatch_to_text=KT("raw__delivery__time__dispatch__to"),
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
    if filters.to_ship:
        rows = rows.filter(TO_SHIP)
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


@dataclass
class ListDates:
    """The dates the list shows of a form, each aware (the page shows them in Warsaw time)."""

    bought_at: datetime | None
    paid_at: datetime | None
    dispatch_to: datetime | None


def list_dates(form: AllegroCheckoutForm) -> ListDates:
    """Dates of a row of ``checkout_forms_for_list`` (read from its annotations, no query)."""
    return ListDates(
        bought_at=form.bought_at,
        paid_at=_parsed(getattr(form, "paid_at_text", None)),
        dispatch_to=_parsed(getattr(form, "dispatch_to_text", None)),
    )


def _parsed(value: str | None) -> datetime | None:
    try:
        return aware(parse_datetime(value)) if value else None
    except ValueError:
        return None


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


# -- the checkout form, readable (pure: from the typed form) ---------------------------------------


def _address(
    *,
    company: str | None = None,
    first: str | None = None,
    last: str | None = None,
    street: str | None,
    postal_code: str | None,
    city: str | None,
    country_code: str | None,
) -> list[str]:
    place = " ".join(p for p in (text(postal_code), text(city)) if p)
    country = text(country_code).upper()
    lines = [
        text(company),
        person_name(first, last),
        text(street),
        place,
        country if country and country != "PL" else "",
    ]
    return [line for line in lines if line]


def _invoice_lines(invoice: Invoice | None) -> list[str]:
    address = invoice.address if invoice else None
    if address is None:
        return []
    company, natural = address.company, address.natural_person
    ids: list[str] = []
    for entry in (company.ids if company else None) or []:
        if text(entry.value):
            ids.append(f"{tax_id_type_label(text(entry.type) or 'OTHER')}: {text(entry.value)}")
    # ``taxId`` is the older field for the same number; Allegro sends both for a Polish company.
    tax_id = text(company.tax_id if company else None)
    if tax_id and not any(
        text(entry.value) == tax_id for entry in (company.ids if company else None) or []
    ):
        ids.append(f"{tax_id_type_label('PL_NIP')}: {tax_id}")
    lines = [
        text(company.name if company else None),
        person_name(natural.first_name, natural.last_name) if natural else "",
        *ids,
        text(address.street),
        " ".join(p for p in (text(address.zip_code), text(address.city)) if p),
    ]
    return [line for line in lines if line]


def aware(value: datetime | None) -> datetime | None:
    """A time from the API as an aware datetime (templates show it in Europe/Warsaw)."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _time_range(value: TimeRange | None) -> dict[str, datetime | None]:
    if value is None or not sent(value):
        return {}
    return {"from": aware(value.from_), "to": aware(value.to)}


def checkout_view(form: CheckoutForm) -> dict[str, Any]:
    """What the edit page and the printout show of a checkout form, tolerant of gaps."""
    buyer = form.buyer or Buyer()
    delivery = form.delivery or Delivery()
    payment = form.payment or Payment()
    invoice = form.invoice
    point = delivery.pickup_point
    point_address = point.address if point else None
    method = delivery.method
    address = delivery.address
    time_info = delivery.time
    dispatch = time_info.dispatch if time_info else None
    buyer_address = buyer.address
    surcharges = [(text(s.type) or text(s.id), money(s.paid_amount)) for s in form.surcharges or []]
    return {
        "buyer": {
            "login": text(buyer.login),
            "name": person_name(buyer.first_name, buyer.last_name),
            "company": text(buyer.company_name),
            "email": text(buyer.email),
            "phone": text(buyer.phone_number),
            "guest": buyer.guest is True,
            "address": _address(
                first=buyer.first_name,
                last=buyer.last_name,
                street=buyer_address.street,
                postal_code=buyer_address.post_code,
                city=buyer_address.city,
                country_code=buyer_address.country_code,
            )
            if buyer_address is not None and sent(buyer_address)
            else [],
        },
        "delivery": {
            "method": text(method.name if method else None) or text(method.id if method else None),
            "method_id": text(method.id if method else None),
            "cost": money(delivery.cost),
            "smart": delivery.smart is True,
            "address": _address(
                company=address.company_name,
                first=address.first_name,
                last=address.last_name,
                street=address.street,
                postal_code=address.zip_code,
                city=address.city,
                country_code=address.country_code,
            )
            if address is not None
            else [],
            "phone": text(address.phone_number if address else None),
            "dispatch_from": aware(dispatch.from_ if dispatch else None),
            "dispatch_to": aware(dispatch.to if dispatch else None),
            "guaranteed": _time_range(time_info.guaranteed if time_info else None),
            "packages": text(delivery.calculated_number_of_packages),
        },
        "pickup_point": {
            "id": text(point.id),
            "name": text(point.name),
            "description": text(point.description),
            "address": _address(
                street=point_address.street,
                postal_code=point_address.zip_code,
                city=point_address.city,
                country_code=point_address.country_code,
            )
            if point_address is not None
            else [],
        }
        if point is not None and sent(point)
        else None,
        "invoice": {
            "required": invoice is not None and invoice.required is True,
            "lines": _invoice_lines(invoice),
            "due_date": text(invoice.due_date if invoice else None),
        },
        "payment": {
            "id": text(payment.id),
            "type": text(payment.type),
            "provider": text(payment.provider),
            "finished_at": aware(payment.finished_at),
            "paid": money(payment.paid_amount),
            "reconciliation": money(payment.reconciliation),
        },
        "summary_total": money(form.summary.total_to_pay if form.summary else None),
        "surcharges": surcharges,
        "message": text(form.message_to_seller),
        "note": text(form.note.text if form.note else None),
        "marketplace": text(form.marketplace.id if form.marketplace else None),
        "status": text(form.status),
        "updated_at": aware(form.updated_at),
    }


def line_total(item: OrderItem | AllegroLineItem) -> Decimal:
    price = item.unit_price if isinstance(item, OrderItem) else item.price
    return price * item.quantity
