"""Pure conversions of Allegro checkout forms (typed ``allegro_api`` models) into shop orders.

Nothing here touches the database or the network. Allegro sends ``null`` almost anywhere, so
every part of a form may be missing; every string is cut to its column's length. A form stored
earlier is read back with ``stored_form`` (its raw payload is kept for audit only).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from allegro_api.models.common import AllegroModel, Money
from allegro_api.models.orders import (
    Buyer,
    CheckoutForm,
    Delivery,
    InvoiceCompany,
    LineItem,
    LineItemTax,
    Payment,
)
from shop.allegro.common.labels import payment_type_label
from shop.core.money import quantize
from shop.orders.drafts import AddressDraft, ChargeDraft, ItemDraft, OrderDraft
from shop.orders.models import ChargeKind, FundedBy, OrderStatus
from shop.orders.payments import payment_status_for

if TYPE_CHECKING:
    from shop.catalog.models import Product

STATUS_RANK = {"BOUGHT": 0, "FILLED_IN": 1, "READY_FOR_PROCESSING": 2}
ZERO = Decimal("0.00")
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
    list_unit_price: Decimal | None = None  # the price before a discount lowered it
    deposit: Decimal = ZERO  # per unit
    discount_types: tuple[str, ...] = ()


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
    buyer_company: str
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
    invoice_due_date: date | None
    invoice_flags: list[str]
    delivery_method: str
    delivery_cost: Decimal
    delivery_smart: bool
    items_total: Decimal
    total: Decimal
    total_difference: Decimal | None  # Allegro's total minus its lines, when they disagree
    currency: str
    customer_note: str
    seller_note: str
    lines: list[LineData] = field(default_factory=list)
    charges: list[ChargeDraft] = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"

    def reached(self, point: str) -> bool:
        """Whether the form got at least as far as ``point`` (BOUGHT / READY_FOR_PROCESSING)."""
        if self.cancelled:
            return False
        return STATUS_RANK.get(self.status, -1) >= STATUS_RANK.get(point, 99)

    @property
    def shop_status(self) -> str:
        """The shop status the form stands for on first import (Allegro's seller status)."""
        if self.cancelled:
            return OrderStatus.CANCELLED
        return shop_status_for(self.fulfillment_status) or OrderStatus.NEW

    def order_fields(self) -> dict[str, Any]:
        """The columns of ``shop.orders.Order`` that Allegro owns (never status or notes)."""
        return {
            "customer_email": self.buyer_email,
            "customer_name": self.buyer_name,
            "customer_company": self.buyer_company,
            "customer_login": self.buyer_login,
            "customer_phone": self.customer_phone,
            "pickup_point_id": self.pickup_point_id,
            "pickup_point_name": self.pickup_point_name,
            "pickup_point_address": self.pickup_point_address,
            "invoice_required": self.invoice_required,
            "invoice_company_name": self.invoice_company_name,
            "invoice_nip": self.invoice_nip,
            "invoice_due_date": self.invoice_due_date,
            "invoice_flags": self.invoice_flags,
            "delivery_method": self.delivery_method,
            "delivery_cost": self.delivery_cost,
            "delivery_free_by_programme": self.delivery_smart,
            # The shop's order shows how the buyer pays in words ("za pobraniem").
            "payment_method": payment_type_label(self.payment_type)[:64],
            "payment_status": self.payment_status,
            "paid_amount": self.paid_amount,
            "items_total": self.items_total,
            "total": self.total,
            "total_difference": self.total_difference,
            "currency": self.currency,
            "customer_note": self.customer_note,
            "seller_note": self.seller_note,
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


def paid_of(payment: Payment | None) -> Decimal:
    return (money(payment.paid_amount) if payment is not None else None) or ZERO


def payment_status(form: CheckoutForm, total: Decimal, paid: Decimal) -> str:
    kind = text(form.payment.type if form.payment else None).upper()
    return payment_status_for(
        total=total,
        paid=paid,
        cash_on_delivery=kind == "CASH_ON_DELIVERY",
        cancelled=form.status == "CANCELLED",
    )


def discount_name(types: Sequence[str]) -> str:
    """The Polish name of a price discount from its types (a coupon, a bundle, ...)."""
    names = {
        "COUPON": _("Kupon"),
        "CAMPAIGN": _("Rabat w kampanii"),
        "BUNDLE": _("Zestaw"),
        "UNIT_PERCENTAGE_DISCOUNT": _("Rabat ilościowy"),
        "WHOLESALE_PRICE_LIST": _("Cennik hurtowy"),
        "LARGE_ORDER_DISCOUNT": _("Rabat za duże zamówienie"),
        "TURNOVER_DISCOUNT": _("Rabat obrotowy"),
    }
    known = [str(names[t]) for t in types if t in names]
    return ", ".join(dict.fromkeys(known)) or str(_("Rabat"))


def line_charges(item: LineItem, line: LineData, index: int) -> list[ChargeDraft]:
    """A line's paid services and discounts, each as its own money line."""
    charges: list[ChargeDraft] = []
    for service in item.selected_additional_services or []:
        price = money(service.price)
        if price is None:
            continue
        count = quantity(service.quantity)
        charges.append(
            ChargeDraft(
                kind=ChargeKind.SERVICE,
                name=text(service.name, 255) or text(service.definition_id, 255) or "-",
                amount=quantize(price * count),
                quantity=count,
                external_id=text(service.definition_id, 64),
                item_index=index,
            )
        )
    if line.list_unit_price is not None:
        # The price is already lowered; shown, not added again. The seller gives it.
        charges.append(
            ChargeDraft(
                kind=ChargeKind.DISCOUNT,
                name=discount_name(line.discount_types),
                amount=quantize((line.list_unit_price - line.unit_price) * line.quantity),
                quantity=line.quantity,
                in_total=False,
                funded_by=FundedBy.SELLER,
                item_index=index,
            )
        )
    refund = money(item.reconciliation.value if item.reconciliation else None)
    if refund:
        # Allegro Prices: the buyer paid less and Allegro pays the seller the difference.
        charges.append(
            ChargeDraft(
                kind=ChargeKind.DISCOUNT,
                name=str(_("Rabat Allegro")),
                amount=refund,
                quantity=(item.reconciliation.quantity if item.reconciliation else None)
                or line.quantity,
                in_total=False,
                funded_by=FundedBy.MARKETPLACE,
                external_id=text(item.reconciliation.type if item.reconciliation else None, 64),
                item_index=index,
            )
        )
    return charges


def surcharge_charges(form: CheckoutForm) -> list[ChargeDraft]:
    """The buyer's extra payments after the first one (``surcharges``)."""
    charges = []
    for surcharge in form.surcharges or []:
        amount = money(surcharge.paid_amount)
        if amount:
            charges.append(
                ChargeDraft(
                    kind=ChargeKind.SURCHARGE,
                    name=str(_("Dopłata")),
                    amount=amount,
                    external_id=text(surcharge.id, 64),
                )
            )
    return charges


def lines_of(form: CheckoutForm) -> tuple[list[LineData], list[ChargeDraft]]:
    """The form's line items (each once) and the money lines that belong to them."""
    lines: list[LineData] = []
    charges: list[ChargeDraft] = []
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
            price = money(item.original_price) or ZERO
        external = offer.external if offer else None
        original = money(item.original_price)
        line = LineData(
            line_item_id=line_id,
            offer_id=offer_id[:32],
            offer_name=text(offer.name if offer else None, 255) or offer_id[:255] or "-",
            external_id=text(external.id if external else None, 100),
            quantity=quantity(item.quantity),
            unit_price=price,
            vat_rate=vat_rate(item.tax),
            bought_at=moment(item.bought_at),
            list_unit_price=original if original is not None and original > price else None,
            deposit=money(item.deposit.price if item.deposit else None) or ZERO,
            discount_types=tuple(text(d.type).upper() for d in item.discounts or [] if d.type),
        )
        charges += line_charges(item, line, len(lines))
        lines.append(line)
    return lines, charges


def totals(
    form: CheckoutForm, lines: list[LineData], charges: list[ChargeDraft], delivery_cost: Decimal
) -> tuple[Decimal, Decimal, list[ChargeDraft], Decimal | None]:
    """Items total, total, the charges with the surcharges placed, and the difference.

    The total is Allegro's ``summary.totalToPay``. A surcharge is an extra payment: when the
    lines without it fall short of the total by exactly the surcharges, they paid for
    something no line shows and count as lines; otherwise they are payments only. Whatever
    still differs is reported, never spread over the lines.
    """
    items_total = quantize(sum((ln.unit_price * ln.quantity for ln in lines), ZERO))
    deposits = sum((ln.deposit * ln.quantity for ln in lines), ZERO)
    counted = sum((c.amount for c in charges if c.in_total), ZERO)
    base = quantize(items_total + deposits + counted + delivery_cost)
    extra = surcharge_charges(form)
    paid_extra = sum((c.amount for c in extra), ZERO)
    total = money(form.summary.total_to_pay if form.summary else None)
    if total is None:
        total = base
    if extra and base + paid_extra == total:
        base = total
    else:
        extra = [replace(c, in_total=False) for c in extra]
    difference = quantize(total - base)
    return items_total, total, charges + extra, difference or None


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
    lines, line_money = lines_of(form)
    delivery_cost = money(cost) or ZERO
    items_total, total, charges, difference = totals(form, lines, line_money, delivery_cost)
    paid = quantize(
        paid_of(form.payment) + sum((paid_of(extra) for extra in form.surcharges or []), ZERO)
    )
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
        buyer_company=text(buyer.company_name if buyer else None, 200),
        customer_phone=text(buyer.phone_number if buyer else None, 32),
        payment_type=text(form.payment.type if form.payment else None, 64),
        payment_status=payment_status(form, total, paid),
        paid_amount=paid,
        shipping_address=shipping_address(delivery),
        billing_address=billing_address(form, buyer),
        pickup_point_id=point_id,
        pickup_point_name=point_name,
        pickup_point_address=point_address,
        invoice_required=invoice is not None and invoice.required is True,
        invoice_company_name=text(invoice_company.name if invoice_company else None, 200),
        invoice_nip=nip_of(invoice_company),
        invoice_due_date=due_date(invoice.due_date if invoice else None),
        invoice_flags=[text(f, 32) for f in (invoice.features if invoice else None) or [] if f],
        delivery_method=text(method.name if method else None, 200)
        or text(method.id if method else None, 200),
        delivery_cost=delivery_cost,
        delivery_smart=bool(delivery and delivery.smart),
        items_total=items_total,
        total=total,
        total_difference=difference,
        currency=currency_of(total_to_pay, cost),
        customer_note=text(form.message_to_seller),
        seller_note=text(form.note.text if form.note else None),
        lines=lines,
        charges=charges,
    )


def due_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(text(value)[:10]) if value else None
    except ValueError:
        return None


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
        list_unit_price=line.list_unit_price,
        deposit=line.deposit,
    )


def order_draft(
    data: FormData,
    *,
    products: Mapping[str, Product | None],
    placed_at: datetime,
    attention_reason: str = "",
) -> OrderDraft:
    """The shop order a checkout form seen for the first time becomes.

    (The draft works out its total's difference from its lines itself.)
    """
    items = [item_draft(line, products.get(line.line_item_id)) for line in data.lines]
    return OrderDraft(
        items=items,
        charges=data.charges,
        external_id=data.form_id,
        status=data.shop_status,
        placed_at=data.bought_at or placed_at,
        shipping_address=data.shipping_address,
        billing_address=data.billing_address,
        needs_attention=bool(attention_reason),
        attention_reason=attention_reason[:255],
        **{k: v for k, v in data.order_fields().items() if k != "total_difference"},
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


# Allegro's seller status → the shop status it stands for (SUSPENDED: none, the shop decides).
FULFILLMENT_TO_SHOP: dict[str, str] = {
    "NEW": OrderStatus.NEW,
    "PROCESSING": OrderStatus.PROCESSING,
    "READY_FOR_SHIPMENT": OrderStatus.READY_FOR_SHIPMENT,
    "READY_FOR_PICKUP": OrderStatus.READY_FOR_SHIPMENT,
    "SENT": OrderStatus.SENT,
    "PICKED_UP": OrderStatus.DELIVERED,
    "CANCELLED": OrderStatus.CANCELLED,
    "RETURNED": OrderStatus.RETURNED,
}


def shop_status_for(fulfillment_status: str) -> str | None:
    return FULFILLMENT_TO_SHOP.get(fulfillment_status)


def fulfillment_for(shop_status: str) -> str | None:
    """The Allegro seller status for a shop status (None: nothing to send, e.g. RETURNED)."""
    return SHOP_TO_FULFILLMENT.get(shop_status)


def later(a: datetime | None, b: datetime | None) -> bool:
    """``a`` is strictly newer than ``b`` (unknown times never count as older)."""
    if a is None or b is None:
        return True
    return a > b
