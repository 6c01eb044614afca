"""Pure conversions of Allegro checkout forms (typed ``allegro_api`` models) into shop orders.

Nothing here touches the database or the network. Allegro sends ``null`` almost anywhere, so
every part of a form may be missing; every string is cut to its column's length. A form stored
earlier is read back with ``stored_form`` (its raw payload is kept for audit only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from allegro_api.models.common import AllegroModel, Money
from allegro_api.models.orders import (
    Buyer,
    CheckoutForm,
    Delivery,
    InvoiceCompany,
    LineItemTax,
    Payment,
)
from shop.core.money import quantize
from shop.orders.drafts import AddressDraft, ItemDraft, OrderDraft
from shop.orders.models import OrderStatus, PaymentStatus

if TYPE_CHECKING:
    from shop.catalog.models import Product

STATUS_RANK = {"BOUGHT": 0, "FILLED_IN": 1, "READY_FOR_PROCESSING": 2}
NIP_ID_TYPES = ("PL_NIP", "NIP", "PL_VAT")


def stored_form(raw: Mapping[str, Any] | None) -> CheckoutForm:
    """A checkout form from its stored payload."""
    return CheckoutForm.model_validate(raw or {})


def raw_form(form: CheckoutForm) -> dict[str, Any]:
    """The checkout form as Allegro sent it (fields it did not send stay out), for storing."""
    return form.model_dump(mode="json", by_alias=True, exclude_unset=True)


def sent(part: AllegroModel | None) -> bool:
    """Whether Allegro sent this part of a form with anything in it (not null, not ``{}``)."""
    return part is not None and bool(part.model_fields_set)


def text(value: str | int | None, limit: int | None = None) -> str:
    if value is None:
        return ""
    result = str(value).strip()
    return result[:limit] if limit is not None else result


def money(value: Money | None) -> Decimal | None:
    """The amount of ``{"amount": "12.30"}`` as a Decimal, None when absent."""
    amount = value.amount if value is not None else None
    if amount is None or not amount.is_finite():
        return None
    return quantize(amount)


def currency_of(*values: Money | None) -> str:
    for value in values:
        code = text(value.currency if value is not None else None, 3).upper()
        if len(code) == 3:
            return code
    return "PLN"


def moment(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def iso(value: datetime | None) -> str:
    """A time as the stored payload writes it (``…Z`` for UTC); "" when absent."""
    if value is None:
        return ""
    return value.isoformat().replace("+00:00", "Z")


def quantity(value: int | None) -> int:
    return 1 if value is None else max(value, 0)


def vat_rate(tax: LineItemTax | None) -> str:
    """``{"rate": "23.00"}`` → ``"23"``; other tax shapes give ``""``."""
    rate = tax.rate if tax is not None else None
    try:
        number = Decimal(str(rate))
    except (InvalidOperation, ValueError):
        return text(rate, 3)
    if not number.is_finite():
        return ""
    return text(format(number.normalize(), "f"), 3)


def person_name(first: str | None, last: str | None) -> str:
    return " ".join(p for p in (text(first), text(last)) if p)


@dataclass
class LineData:
    line_item_id: str
    offer_id: str
    offer_name: str
    external_id: str
    quantity: int
    unit_price: Decimal
    vat_rate: str
    bought_at: datetime | None


@dataclass
class FormData:
    """Everything the shop keeps of one checkout form, already cut to its columns."""

    form_id: str
    revision: str
    status: str
    fulfillment_status: str
    updated_at: datetime | None
    bought_at: datetime | None
    buyer_login: str
    buyer_email: str
    buyer_name: str
    customer_phone: str
    payment_type: str
    payment_status: str
    paid_amount: Decimal
    shipping_address: AddressDraft | None
    billing_address: AddressDraft | None
    pickup_point_id: str
    pickup_point_name: str
    pickup_point_address: str
    invoice_required: bool
    invoice_company_name: str
    invoice_nip: str
    delivery_method: str
    delivery_cost: Decimal
    items_total: Decimal
    total: Decimal
    currency: str
    customer_note: str
    lines: list[LineData] = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"

    def reached(self, point: str) -> bool:
        """Whether the form got at least as far as ``point`` (BOUGHT / READY_FOR_PROCESSING)."""
        if self.cancelled:
            return False
        return STATUS_RANK.get(self.status, -1) >= STATUS_RANK.get(point, 99)

    def order_fields(self) -> dict[str, Any]:
        """The columns of ``shop.orders.Order`` that Allegro owns (never status or notes)."""
        return {
            "customer_email": self.buyer_email,
            "customer_name": self.buyer_name,
            "customer_login": self.buyer_login,
            "customer_phone": self.customer_phone,
            "pickup_point_id": self.pickup_point_id,
            "pickup_point_name": self.pickup_point_name,
            "pickup_point_address": self.pickup_point_address,
            "invoice_required": self.invoice_required,
            "invoice_company_name": self.invoice_company_name,
            "invoice_nip": self.invoice_nip,
            "delivery_method": self.delivery_method,
            "delivery_cost": self.delivery_cost,
            "payment_method": self.payment_type,
            "payment_status": self.payment_status,
            "paid_amount": self.paid_amount,
            "items_total": self.items_total,
            "total": self.total,
            "currency": self.currency,
            "customer_note": self.customer_note,
        }

    def mirror_fields(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "status": self.status,
            "fulfillment_status": self.fulfillment_status,
            "buyer_login": self.buyer_login,
            "buyer_email": self.buyer_email,
            "buyer_name": self.buyer_name,
            "payment_type": self.payment_type[:32],
            "total": self.total,
            "currency": self.currency,
            "bought_at": self.bought_at,
            "allegro_updated_at": self.updated_at,
        }


def address_draft(
    *,
    street: str | None,
    postal_code: str | None,
    city: str | None,
    country_code: str | None,
    first: str | None,
    last: str | None,
    company: str | None,
    phone: str | None,
) -> AddressDraft:
    """An address: the names from one part of a form, the place from another."""
    return AddressDraft(
        first_name=text(first, 100),
        last_name=text(last, 100),
        company_name=text(company, 200),
        street=text(street, 200),
        postal_code=text(postal_code, 16),
        city=text(city, 100),
        country_code=(text(country_code, 2).upper() or "PL"),
        phone=text(phone, 32),
    )


def shipping_address(delivery: Delivery | None) -> AddressDraft | None:
    address = delivery.address if delivery is not None else None
    if address is None:
        return None
    result = address_draft(
        street=address.street,
        postal_code=address.zip_code,
        city=address.city,
        country_code=address.country_code,
        first=address.first_name,
        last=address.last_name,
        company=address.company_name,
        phone=address.phone_number,
    )
    filled = (result.first_name, result.last_name, result.company_name, result.street)
    return result if any((*filled, result.postal_code, result.city, result.phone)) else None


def nip_of(company: InvoiceCompany | None) -> str:
    if company is None:
        return ""
    ids = [(text(entry.type).upper(), text(entry.value)) for entry in company.ids or []]
    for kind, value in ids:
        if kind in NIP_ID_TYPES and value:
            return value[:20]
    tax_id = text(company.tax_id, 20)
    if tax_id:
        return tax_id
    return next((value[:20] for _kind, value in ids if value), "")


def billing_address(form: CheckoutForm, buyer: Buyer | None) -> AddressDraft | None:
    address = form.invoice.address if form.invoice is not None else None
    if address is not None and sent(address):
        person = address.natural_person
        return address_draft(
            street=address.street,
            postal_code=address.zip_code,
            city=address.city,
            country_code=address.country_code,
            first=person.first_name if person is not None else None,
            last=person.last_name if person is not None else None,
            company=address.company.name if address.company is not None else None,
            phone="",
        )
    place = buyer.address if buyer is not None else None
    if buyer is None or place is None or not sent(place):
        return None
    result = address_draft(
        street=place.street,
        postal_code=place.post_code,
        city=place.city,
        country_code=place.country_code,
        first=buyer.first_name,
        last=buyer.last_name,
        company=buyer.company_name,
        phone=buyer.phone_number,
    )
    return result if any((result.street, result.city, result.postal_code)) else None


def pickup_point(delivery: Delivery | None) -> tuple[str, str, str]:
    point = delivery.pickup_point if delivery is not None else None
    if point is None or not sent(point):
        return "", "", ""
    address = point.address
    street, zip_code, city = (
        (address.street, address.zip_code, address.city) if address else (None, None, None)
    )
    place = " ".join(p for p in (text(zip_code), text(city)) if p)
    line = ", ".join(p for p in (text(street), place) if p)
    description = text(point.description)
    if description:
        line = f"{line} ({description})" if line else description
    return text(point.id, 64), text(point.name, 200), line[:255]


def payment_status(form: CheckoutForm, total: Decimal) -> tuple[str, Decimal]:
    payment: Payment | None = form.payment
    paid = (money(payment.paid_amount) if payment else None) or Decimal("0.00")
    kind = text(payment.type if payment else None).upper()
    if form.status == "CANCELLED":
        return (PaymentStatus.REFUNDED if paid > 0 else PaymentStatus.CANCELLED), paid
    if paid > 0 and (paid >= total or (payment is not None and payment.finished_at)):
        return PaymentStatus.PAID, paid
    if kind == "CASH_ON_DELIVERY":
        return PaymentStatus.CASH_ON_DELIVERY, paid
    return PaymentStatus.PENDING, paid


def lines_of(form: CheckoutForm) -> list[LineData]:
    lines: list[LineData] = []
    seen: set[str] = set()
    for index, item in enumerate(form.line_items):
        offer = item.offer
        offer_id = text(offer.id if offer else None)
        line_id = text(item.id, 64) or f"{text(form.id, 50)}:{index}"
        if line_id in seen:
            continue
        seen.add(line_id)
        price = money(item.price)
        if price is None:
            price = money(item.original_price) or Decimal("0.00")
        external = offer.external if offer else None
        lines.append(
            LineData(
                line_item_id=line_id,
                offer_id=offer_id[:32],
                offer_name=text(offer.name if offer else None, 255) or offer_id[:255] or "-",
                external_id=text(external.id if external else None, 100),
                quantity=quantity(item.quantity),
                unit_price=price,
                vat_rate=vat_rate(item.tax),
                bought_at=moment(item.bought_at),
            )
        )
    return lines


def form_data(form: CheckoutForm) -> FormData:
    """Read one checkout form (however incomplete) into ``FormData``."""
    buyer = form.buyer
    delivery = form.delivery
    invoice = form.invoice
    invoice_address = invoice.address if invoice else None
    invoice_company = invoice_address.company if invoice_address else None
    total_to_pay = form.summary.total_to_pay if form.summary else None
    cost = delivery.cost if delivery else None
    method = delivery.method if delivery else None
    lines = lines_of(form)
    items_total = quantize(sum((ln.unit_price * ln.quantity for ln in lines), Decimal(0)))
    delivery_cost = money(cost) or Decimal("0.00")
    total = money(total_to_pay)
    if total is None:
        total = quantize(items_total + delivery_cost)
    status, paid = payment_status(form, total)
    point_id, point_name, point_address = pickup_point(delivery)
    login = text(buyer.login) if buyer else ""
    name = (
        person_name(buyer.first_name, buyer.last_name) or text(buyer.company_name) if buyer else ""
    )
    bought = [ln.bought_at for ln in lines if ln.bought_at is not None]
    updated_at = moment(form.updated_at)
    return FormData(
        form_id=text(form.id, 64),
        revision=text(form.revision, 64),
        status=text(form.status, 24).upper(),
        fulfillment_status=text(form.fulfillment.status if form.fulfillment else None, 24).upper(),
        updated_at=updated_at,
        bought_at=min(bought) if bought else updated_at,
        buyer_login=login[:100],
        buyer_email=text(buyer.email if buyer else None, 254),
        buyer_name=(name or login)[:200],
        customer_phone=text(buyer.phone_number if buyer else None, 32),
        payment_type=text(form.payment.type if form.payment else None, 64),
        payment_status=status,
        paid_amount=paid,
        shipping_address=shipping_address(delivery),
        billing_address=billing_address(form, buyer),
        pickup_point_id=point_id,
        pickup_point_name=point_name,
        pickup_point_address=point_address,
        invoice_required=invoice is not None and invoice.required is True,
        invoice_company_name=text(invoice_company.name if invoice_company else None, 200),
        invoice_nip=nip_of(invoice_company),
        delivery_method=text(method.name if method else None, 200)
        or text(method.id if method else None, 200),
        delivery_cost=delivery_cost,
        items_total=items_total,
        total=total,
        currency=currency_of(total_to_pay, cost),
        customer_note=text(form.message_to_seller),
        lines=lines,
    )


def item_draft(line: LineData, product: Product | None) -> ItemDraft:
    """A line item as a shop order item: the linked product's SKU and EAN, else the offer's."""
    return ItemDraft(
        name=line.offer_name,
        quantity=line.quantity,
        unit_price=line.unit_price,
        product=product,
        sku=(product.sku if product else line.external_id)[:64],
        ean=(product.ean if product else "")[:14],
        vat_rate=line.vat_rate,
        external_id=line.line_item_id,
    )


def order_draft(
    data: FormData,
    *,
    products: Mapping[str, Product | None],
    placed_at: datetime,
    attention_reason: str = "",
) -> OrderDraft:
    """The shop order a checkout form seen for the first time becomes."""
    items = [item_draft(line, products.get(line.line_item_id)) for line in data.lines]
    return OrderDraft(
        items=items,
        external_id=data.form_id,
        status=OrderStatus.CANCELLED if data.cancelled else OrderStatus.NEW,
        placed_at=data.bought_at or placed_at,
        shipping_address=data.shipping_address,
        billing_address=data.billing_address,
        needs_attention=bool(attention_reason),
        attention_reason=attention_reason[:255],
        **data.order_fields(),
    )


# Shop status a seller fulfillment status stands for, and back (issue: status to Allegro).
SHOP_TO_FULFILLMENT: dict[str, str] = {
    OrderStatus.NEW: "NEW",
    OrderStatus.PROCESSING: "PROCESSING",
    OrderStatus.READY_FOR_SHIPMENT: "READY_FOR_SHIPMENT",
    OrderStatus.SENT: "SENT",
    OrderStatus.DELIVERED: "PICKED_UP",
    OrderStatus.CANCELLED: "CANCELLED",
}


def fulfillment_for(shop_status: str) -> str | None:
    """The Allegro seller status for a shop status (None: nothing to send, e.g. RETURNED)."""
    return SHOP_TO_FULFILLMENT.get(shop_status)


def later(a: datetime | None, b: datetime | None) -> bool:
    """``a`` is strictly newer than ``b`` (unknown times never count as older)."""
    if a is None or b is None:
        return True
    return a > b
