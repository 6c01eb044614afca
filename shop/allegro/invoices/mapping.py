"""Pure rules of order invoices: who may get a generated invoice, deadlines, VAT lines."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from allegro_api.models.invoices import OrderInvoice
from allegro_api.models.orders import CheckoutForm
from shop.allegro.models import InvoiceState

CENT = Decimal("0.01")
#: Used for a line whose rate Allegro did not give (delivery, services): the standard rate.
DEFAULT_VAT = "23"
#: Allegro's scan status → the invoice state shown in the shop.
SCAN_STATES = {
    "WAITING": InvoiceState.WAITING,
    "ACCEPTED": InvoiceState.ACCEPTED,
    "REJECTED": InvoiceState.REJECTED,
}


def buyer_wants_invoice(form: CheckoutForm) -> bool:
    return form.invoice is not None and form.invoice.required is True


def buyer_tax_id(form: CheckoutForm) -> str:
    """The company tax id (NIP, VAT UE…) on the invoice address; empty for a private person."""
    address = form.invoice.address if form.invoice is not None else None
    company = address.company if address is not None else None
    if company is None:
        return ""
    for company_id in company.ids or []:
        if company_id.value:
            return company_id.value
    return company.tax_id or ""


def remote_state(invoice: OrderInvoice) -> InvoiceState:
    """What Allegro's answer says about one invoice: no file yet, or the file's scan."""
    file = invoice.file
    if file is None or file.uploaded_at is None:
        return InvoiceState.CREATED
    scan = file.security_verification.status if file.security_verification else None
    return SCAN_STATES.get(scan or "", InvoiceState.WAITING)


def invoice_deadline(*, due_date: date | None, sold_on: date) -> date:
    """When the invoice must be issued.

    The order's own invoice date wins when Allegro gave one. Otherwise the VAT act's general
    rule (ustawa o VAT, art. 106i ust. 1), which also holds for a consumer who asked for the
    invoice by the end of the month of the sale (art. 106b ust. 3, art. 106i ust. 6): the 15th
    day of the month after the month of the sale (the payment, or the purchase when unpaid).
    """
    if due_date is not None:
        return due_date
    year, month = (
        (sold_on.year + 1, 1) if sold_on.month == 12 else (sold_on.year, sold_on.month + 1)
    )
    return date(year, month, min(15, calendar.monthrange(year, month)[1]))


def number_format(pattern: str, *, n: int, year: int, month: int) -> str:
    return (
        pattern.replace("{n}", str(n))
        .replace("{year}", str(year))
        .replace("{month}", f"{month:02d}")
    )


@dataclass(frozen=True)
class InvoiceLine:
    name: str
    quantity: int
    unit_gross: Decimal
    vat: str  # "23", "8", "5", "0", "zw"

    @property
    def gross(self) -> Decimal:
        return (self.unit_gross * self.quantity).quantize(CENT)

    @property
    def net(self) -> Decimal:
        return net_of(self.gross, self.vat)

    @property
    def tax(self) -> Decimal:
        return self.gross - self.net


@dataclass(frozen=True)
class VatRow:
    vat: str
    net: Decimal
    tax: Decimal
    gross: Decimal


def net_of(gross: Decimal, vat: str) -> Decimal:
    try:
        rate = Decimal(vat)
    except ArithmeticError:
        return gross  # "zw", "np": no VAT
    return (gross * 100 / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_summary(lines: list[InvoiceLine]) -> list[VatRow]:
    """Totals per rate, computed from gross values (the way a shop selling to consumers
    prices: the gross price is what the buyer paid)."""
    by_rate: dict[str, Decimal] = {}
    for line in lines:
        by_rate[line.vat] = by_rate.get(line.vat, Decimal(0)) + line.gross
    rows = []
    for vat, gross in sorted(by_rate.items()):
        net = net_of(gross, vat)
        rows.append(VatRow(vat, net, gross - net, gross))
    return rows
