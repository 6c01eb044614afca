"""Printouts of Allegro orders: an HTML template rendered to PDF by WeasyPrint.

One document holds every selected order (one per page) and, for a batch, a pick list summing
quantities per product. One font family (DejaVu Sans, installed system-wide), no external
resources, QR codes inline as tiny PNGs: a 100-order batch is one layout pass.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format

from shop.allegro.models import AllegroCheckoutForm, AllegroLineItem
from shop.allegro.orders.mapping import stored_form
from shop.allegro.orders.selectors import checkout_view
from shop.orders.models import OrderItem
from shop.orders.summary import item_rows_by_item, order_money_rows

DEFAULT_SHOP_NAME = "Sklep internetowy"


@dataclass
class PickRow:
    key: str
    sku: str
    ean: str
    name: str
    quantity: int = 0
    orders: list[str] = field(default_factory=list)


def _qr_image(data: str) -> str:
    """A QR code as a small PNG data URI (drawn without smoothing: crisp when scaled)."""
    import segno

    return str(segno.make(data, error="m", micro=False).png_data_uri(scale=3, border=1))


def _forms(form_ids: Sequence[int]) -> list[AllegroCheckoutForm]:
    rows = (
        AllegroCheckoutForm.objects.filter(pk__in=list(form_ids))
        .select_related("account", "order", "order__shipping_address", "order__billing_address")
        .prefetch_related(
            Prefetch(
                "order__items",
                queryset=OrderItem.objects.select_related("product").order_by("id"),
            ),
            "order__charges",
            Prefetch("items", queryset=AllegroLineItem.objects.order_by("id")),
        )
    )
    by_id = {f.pk: f for f in rows}
    return [by_id[i] for i in form_ids if i in by_id]


def _entry(form: AllegroCheckoutForm) -> dict[str, Any]:
    order = form.order
    view = checkout_view(stored_form(form.raw))
    lines = {ln.order_item_id: ln for ln in form.items.all() if ln.order_item_id}
    items: list[dict[str, Any]] = []
    if order is not None:
        extras = item_rows_by_item(order)
        for item in order.items.all():
            line = lines.get(item.pk)
            offer_sku = line.external_id if line is not None else ""
            items.append(
                {
                    "name": item.name,
                    "sku": item.sku,
                    "offer_sku": offer_sku if offer_sku and offer_sku != item.sku else "",
                    "ean": item.ean or (item.product.ean if item.product else ""),
                    "offer_id": line.offer_id if line is not None else "",
                    "quantity": item.quantity,
                    "unit_price": item.unit_price,
                    "list_unit_price": item.list_unit_price,
                    "line_total": item.unit_price * item.quantity,
                    "vat": item.vat_rate,
                    "extras": extras.get(item.pk, []),
                }
            )
    else:
        for line in form.items.all():
            items.append(
                {
                    "name": line.offer_name,
                    "sku": line.external_id,
                    "offer_sku": "",
                    "ean": "",
                    "offer_id": line.offer_id,
                    "quantity": line.quantity,
                    "unit_price": line.price,
                    "line_total": line.price * line.quantity,
                    "vat": "",
                }
            )
    number = order.number if order is not None else form.form_id
    total = order.total if order is not None else form.total
    currency = order.currency if order is not None else form.currency
    caption = f"{number} · {form.form_id} · {number_format(total, 2)} {currency}"
    return {
        "form": form,
        "order": order,
        "view": view,
        "items": items,
        "number": number,
        "total": total,
        "currency": currency,
        "items_total": order.items_total if order is not None else None,
        "money_rows": order_money_rows(order) if order is not None else [],
        "delivery_cost": order.delivery_cost if order is not None else view["delivery"]["cost"],
        "qr": _qr_image(f"{number}\n{form.form_id}"),
        "caption": caption,
    }


def pick_list(entries: Sequence[dict[str, Any]]) -> list[PickRow]:
    """Quantities per product (by SKU, else EAN, else name), largest first."""
    rows: OrderedDict[str, PickRow] = OrderedDict()
    for entry in entries:
        for item in entry["items"]:
            key = item["sku"] or item["ean"] or item["name"]
            row = rows.get(key)
            if row is None:
                row = rows[key] = PickRow(
                    key=key, sku=item["sku"], ean=item["ean"], name=item["name"]
                )
            row.quantity += item["quantity"]
            if entry["number"] not in row.orders:
                row.orders.append(entry["number"])
    return sorted(rows.values(), key=lambda r: (-r.quantity, r.sku, r.name))


def printout_html(*, form_ids: Sequence[int], with_pick_list: bool | None = None) -> str:
    forms = _forms(form_ids)
    entries = [_entry(f) for f in forms]
    if with_pick_list is None:
        with_pick_list = len(entries) > 1
    return render_to_string(
        "allegro/orders/printout.html",
        {
            "entries": entries,
            "pick": pick_list(entries) if with_pick_list else None,
            "pick_total": sum(e_item["quantity"] for e in entries for e_item in e["items"]),
            "shop_name": getattr(settings, "SHOP_NAME", "") or DEFAULT_SHOP_NAME,
            "printed_at": timezone.now(),
        },
    )


def printout_pdf(*, form_ids: Sequence[int], with_pick_list: bool | None = None) -> bytes:
    """The PDF of the given checkout forms (in that order)."""
    import weasyprint

    html = printout_html(form_ids=form_ids, with_pick_list=with_pick_list)
    pdf = weasyprint.HTML(string=html, base_url=None).write_pdf()
    return bytes(pdf or b"")


def money_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"
