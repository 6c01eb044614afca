"""The shop's own invoice for an Allegro order: an HTML template rendered to PDF by WeasyPrint.

Only for a private buyer: an invoice to a company is issued in KSeF (the national e-invoice
system) and its visualisation is what goes to Allegro.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.allegro.invoices.mapping import DEFAULT_VAT, InvoiceLine, vat_summary
from shop.allegro.models import AllegroCheckoutForm, AllegroInvoice, InvoiceSettings
from shop.allegro.orders.mapping import stored_form
from shop.allegro.orders.printouts import DEFAULT_SHOP_NAME
from shop.allegro.orders.selectors import checkout_view
from shop.orders.models import ChargeKind, Order


def invoice_lines(order: Order) -> list[InvoiceLine]:
    """What the buyer paid for, line by line, at gross prices."""
    lines = [
        InvoiceLine(item.name, item.quantity, item.unit_price, item.vat_rate or DEFAULT_VAT)
        for item in order.items.all()
    ]
    for item in order.items.all():
        if item.deposit:
            lines.append(
                InvoiceLine(
                    _("Kaucja: %(name)s") % {"name": item.name}, item.quantity, item.deposit, "np"
                )
            )
    for charge in order.charges.all():
        if charge.kind == ChargeKind.SERVICE:
            lines.append(
                InvoiceLine(
                    charge.name,
                    charge.quantity,
                    charge.amount / max(charge.quantity, 1),
                    DEFAULT_VAT,
                )
            )
        elif charge.kind == ChargeKind.SURCHARGE and charge.in_total:
            lines.append(InvoiceLine(charge.name or _("Dopłata"), 1, charge.amount, DEFAULT_VAT))
        elif charge.kind == ChargeKind.DISCOUNT and charge.item_id is None:
            lines.append(
                InvoiceLine(charge.name or _("Rabat"), 1, -abs(charge.amount), DEFAULT_VAT)
            )
    if order.delivery_cost:
        lines.append(
            InvoiceLine(
                _("Dostawa: %(method)s") % {"method": order.delivery_method}
                if order.delivery_method
                else _("Dostawa"),
                1,
                order.delivery_cost,
                DEFAULT_VAT,
            )
        )
    return lines


def invoice_settings() -> InvoiceSettings:
    found = InvoiceSettings.objects.order_by("pk").first()
    return found if found is not None else InvoiceSettings()


def invoice_html(*, invoice: AllegroInvoice, issued_on: date | None = None) -> str:
    form: AllegroCheckoutForm = invoice.form
    order = form.order
    assert order is not None, "a generated invoice needs the shop order"
    view = checkout_view(stored_form(form.raw))
    lines = invoice_lines(order)
    summary = vat_summary(lines)
    seller = invoice_settings()
    paid_on = view["payment"].get("finished_at")
    context: dict[str, Any] = {
        "invoice": invoice,
        "form": form,
        "order": order,
        "view": view,
        "lines": lines,
        "summary": summary,
        "total_net": sum((r.net for r in summary), Decimal("0.00")),
        "total_tax": sum((r.tax for r in summary), Decimal("0.00")),
        "total": sum((r.gross for r in summary), Decimal("0.00")),
        "seller": seller,
        "seller_name": seller.seller_name
        or getattr(settings, "SHOP_NAME", "")
        or DEFAULT_SHOP_NAME,
        "issued_on": issued_on or timezone.localdate(),
        "sold_on": timezone.localtime(paid_on).date()
        if paid_on
        else (timezone.localtime(form.bought_at).date() if form.bought_at else None),
    }
    return render_to_string("allegro/invoices/invoice.html", context)


def invoice_pdf(*, invoice: AllegroInvoice) -> bytes:
    import weasyprint

    pdf = weasyprint.HTML(string=invoice_html(invoice=invoice), base_url=None).write_pdf()
    return bytes(pdf or b"")
