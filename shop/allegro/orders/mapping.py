"""Pure conversions of Allegro checkout forms (raw JSON, nulls anywhere) into shop order fields.

Nothing here touches the database or the network. Every reader tolerates a missing key, a
``null`` value or a value of the wrong type, and every string is cut to its column's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shop.core.money import quantize
from shop.orders.models import OrderStatus, PaymentStatus

STATUS_RANK = {"BOUGHT": 0, "FILLED_IN": 1, "READY_FOR_PROCESSING": 2}
NIP_ID_TYPES = ("PL_NIP", "NIP", "PL_VAT")


def obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def seq(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text(value: Any, limit: int | None = None) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    result = str(value).strip()
    return result[:limit] if limit is not None else result


def money(value: Any) -> Decimal | None:
    """``{"amount": "12.30"}`` (or a bare amount) as a Decimal, None when absent or bad."""
    amount = value.get("amount") if isinstance(value, dict) else value
    if amount is None or isinstance(amount, bool | dict | list):
        return None
    try:
        result = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return None
    if not result.is_finite():
        return None
    return quantize(result)


def currency_of(*values: Any) -> str:
    for value in values:
        code = text(obj(value).get("currency"), 3).upper()
        if len(code) == 3:
            return code
    return "PLN"


def moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    raw = text(value)
    if not raw:
        return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def quantity(value: Any) -> int:
    if value is None or isinstance(value, bool):
        return 1
    try:
        return max(int(Decimal(str(value))), 0)
    except (InvalidOperation, ValueError):
        return 1


def vat_rate(tax: Any) -> str:
    """``{"rate": "23.00"}`` → ``"23"``; other tax shapes give ``""``."""
    rate = obj(tax).get("rate")
    try:
        number = Decimal(str(rate))
    except (InvalidOperation, ValueError):
        return text(rate, 3)
    if not number.is_finite():
        return ""
    return text(format(number.normalize(), "f"), 3)


def person_name(data: dict[str, Any]) -> str:
    return " ".join(p for p in (text(data.get("firstName")), text(data.get("lastName"))) if p)


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
    shipping_address: dict[str, Any] | None
    billing_address: dict[str, Any] | None
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


def address_fields(
    *, place: dict[str, Any], first: Any, last: Any, company: Any, phone: Any
) -> dict[str, Any]:
    """``Address`` columns: the names from one part of a form, the place from another."""
    return {
        "first_name": text(first, 100),
        "last_name": text(last, 100),
        "company_name": text(company, 200),
        "street": text(place.get("street"), 200),
        "postal_code": text(place.get("zipCode") or place.get("postCode"), 16),
        "city": text(place.get("city"), 100),
        "country_code": (text(place.get("countryCode"), 2).upper() or "PL"),
        "phone": text(phone, 32),
    }


def address_from_delivery(address: dict[str, Any]) -> dict[str, Any] | None:
    if not address:
        return None
    result = address_fields(
        place=address,
        first=address.get("firstName"),
        last=address.get("lastName"),
        company=address.get("companyName"),
        phone=address.get("phoneNumber"),
    )
    return result if any(v for k, v in result.items() if k != "country_code") else None


def nip_of(company: dict[str, Any]) -> str:
    for entry in seq(company.get("ids")):
        entry = obj(entry)
        if text(entry.get("type")).upper() in NIP_ID_TYPES and text(entry.get("value")):
            return text(entry.get("value"), 20)
    tax_id = text(company.get("taxId"), 20)
    if tax_id:
        return tax_id
    for entry in seq(company.get("ids")):
        value = text(obj(entry).get("value"), 20)
        if value:
            return value
    return ""


def billing_address(form: dict[str, Any], buyer: dict[str, Any]) -> dict[str, Any] | None:
    invoice = obj(form.get("invoice"))
    address = obj(invoice.get("address"))
    if address:
        company = obj(address.get("company"))
        person = obj(address.get("naturalPerson"))
        return address_fields(
            place=address,
            first=person.get("firstName"),
            last=person.get("lastName"),
            company=company.get("name"),
            phone="",
        )
    buyer_address = obj(buyer.get("address"))
    if not buyer_address:
        return None
    result = address_fields(
        place=buyer_address,
        first=buyer.get("firstName"),
        last=buyer.get("lastName"),
        company=buyer.get("companyName"),
        phone=buyer.get("phoneNumber"),
    )
    return result if any(result[k] for k in ("street", "city", "postal_code")) else None


def pickup_point(delivery: dict[str, Any]) -> tuple[str, str, str]:
    point = obj(delivery.get("pickupPoint"))
    if not point:
        return "", "", ""
    address = obj(point.get("address"))
    place = " ".join(p for p in (text(address.get("zipCode")), text(address.get("city"))) if p)
    line = ", ".join(p for p in (text(address.get("street")), place) if p)
    description = text(point.get("description"))
    if description:
        line = f"{line} ({description})" if line else description
    return text(point.get("id"), 64), text(point.get("name"), 200), line[:255]


def payment_status(form: dict[str, Any], total: Decimal) -> tuple[str, Decimal]:
    payment = obj(form.get("payment"))
    paid = money(payment.get("paidAmount")) or Decimal("0.00")
    kind = text(payment.get("type")).upper()
    if form.get("status") == "CANCELLED":
        return (PaymentStatus.REFUNDED if paid > 0 else PaymentStatus.CANCELLED), paid
    if paid > 0 and (paid >= total or payment.get("finishedAt")):
        return PaymentStatus.PAID, paid
    if kind == "CASH_ON_DELIVERY":
        return PaymentStatus.CASH_ON_DELIVERY, paid
    return PaymentStatus.PENDING, paid


def lines_of(form: dict[str, Any]) -> list[LineData]:
    lines: list[LineData] = []
    seen: set[str] = set()
    for index, raw in enumerate(seq(form.get("lineItems"))):
        item = obj(raw)
        offer = obj(item.get("offer"))
        line_id = text(item.get("id"), 64) or f"{text(form.get('id'), 50)}:{index}"
        if line_id in seen:
            continue
        seen.add(line_id)
        price = money(item.get("price"))
        if price is None:
            price = money(item.get("originalPrice")) or Decimal("0.00")
        lines.append(
            LineData(
                line_item_id=line_id,
                offer_id=text(offer.get("id"), 32),
                offer_name=text(offer.get("name"), 255) or text(offer.get("id"), 255) or "-",
                external_id=text(obj(offer.get("external")).get("id"), 100),
                quantity=quantity(item.get("quantity")),
                unit_price=price,
                vat_rate=vat_rate(item.get("tax")),
                bought_at=moment(item.get("boughtAt")),
            )
        )
    return lines


def form_data(form: dict[str, Any]) -> FormData:
    """Read one checkout form (a JSON object, however incomplete) into ``FormData``."""
    buyer = obj(form.get("buyer"))
    delivery = obj(form.get("delivery"))
    invoice = obj(form.get("invoice"))
    invoice_company = obj(obj(invoice.get("address")).get("company"))
    summary = obj(form.get("summary"))
    lines = lines_of(form)
    items_total = quantize(sum((ln.unit_price * ln.quantity for ln in lines), Decimal(0)))
    delivery_cost = money(delivery.get("cost")) or Decimal("0.00")
    total = money(summary.get("totalToPay"))
    if total is None:
        total = quantize(items_total + delivery_cost)
    status, paid = payment_status(form, total)
    point_id, point_name, point_address = pickup_point(delivery)
    name = person_name(buyer) or text(buyer.get("companyName"))
    bought = [ln.bought_at for ln in lines if ln.bought_at is not None]
    updated_at = moment(form.get("updatedAt"))
    return FormData(
        form_id=text(form.get("id"), 64),
        revision=text(form.get("revision"), 64),
        status=text(form.get("status"), 24).upper(),
        fulfillment_status=text(obj(form.get("fulfillment")).get("status"), 24).upper(),
        updated_at=updated_at,
        bought_at=min(bought) if bought else updated_at,
        buyer_login=text(buyer.get("login"), 100),
        buyer_email=text(buyer.get("email"), 254),
        buyer_name=(name or text(buyer.get("login")))[:200],
        customer_phone=text(buyer.get("phoneNumber"), 32),
        payment_type=text(obj(form.get("payment")).get("type"), 64),
        payment_status=status,
        paid_amount=paid,
        shipping_address=address_from_delivery(obj(delivery.get("address"))),
        billing_address=billing_address(form, buyer),
        pickup_point_id=point_id,
        pickup_point_name=point_name,
        pickup_point_address=point_address,
        invoice_required=invoice.get("required") is True,
        invoice_company_name=text(invoice_company.get("name"), 200),
        invoice_nip=nip_of(invoice_company),
        delivery_method=text(obj(delivery.get("method")).get("name"), 200)
        or text(obj(delivery.get("method")).get("id"), 200),
        delivery_cost=delivery_cost,
        items_total=items_total,
        total=total,
        currency=currency_of(summary.get("totalToPay"), delivery.get("cost")),
        customer_note=text(form.get("messageToSeller")),
        lines=lines,
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
