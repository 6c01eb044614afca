"""Writing Allegro checkout forms into the mirror and the shop's orders, exactly once.

``forms_upsert`` takes checkout forms (typed ``allegro_api`` models) and, inside the caller's
transaction, upserts the mirror by form id and line-item id, creates or updates the shop order
each form became, supersedes forms a merged payment replaced, and moves stock once per line item.
New forms become shop orders through ``shop.orders``' bulk service (a back-fill of thousands of
orders is a few queries per hundred); the mirror and the line items with the stock they took
stay here.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from allegro_api.models.orders import CheckoutForm
from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroLineItem,
    AllegroOffer,
    LinkSource,
    OrderImportState,
    StockPoint,
)
from shop.allegro.offers.services.links import offer_mirror_for, offer_product_link
from shop.allegro.orders.mapping import (
    FormData,
    LineData,
    form_data,
    item_draft,
    order_draft,
    raw_form,
    shop_status_for,
    stored_form,
)
from shop.catalog.models import Product, StockMovement, StockReason
from shop.catalog.services.stock import StockChange, stock_adjust_many
from shop.core.bulk import rows_insert
from shop.core.services.audit import audit_log_write
from shop.orders.drafts import AddressDraft
from shop.orders.models import (
    Address,
    Channel,
    Order,
    OrderCharge,
    OrderEvent,
    OrderItem,
    OrderStatus,
)
from shop.orders.payments import payment_status_for
from shop.orders.services.orders import (
    address_values,
    order_charge_build,
    order_item_build,
    order_set_status,
    orders_create_many,
)

logger = logging.getLogger(__name__)

REASON_UNLINKED = "unlinked"
REASON_OVERSOLD = "oversold"


def attention_labels() -> dict[str, str]:
    return _attention_labels(translation.get_language())


@functools.lru_cache(maxsize=8)
def _attention_labels(language: str | None) -> dict[str, str]:
    # Cached per language: an import labels thousands of orders.
    return {
        REASON_UNLINKED: str(_("pozycje bez powiązanego produktu")),
        REASON_OVERSOLD: str(_("sprzedano więcej niż jest na stanie")),
    }


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    unchanged: int = 0
    superseded: int = 0
    stored: list[str] = field(default_factory=list)  # form ids now stored at their revision
    failed: dict[str, str] = field(default_factory=dict)  # form id -> error

    def merge(self, other: UpsertResult) -> None:
        self.created += other.created
        self.updated += other.updated
        self.cancelled += other.cancelled
        self.unchanged += other.unchanged
        self.superseded += other.superseded
        self.stored.extend(other.stored)
        self.failed.update(other.failed)


def stock_point_of(account: AllegroAccount) -> str:
    state = OrderImportState.objects.filter(account=account).only("stock_point").first()
    return state.stock_point if state else StockPoint.READY_FOR_PROCESSING


# -- products --------------------------------------------------------------------------------------


def products_for_lines(
    *, account: AllegroAccount, lines: Sequence[LineData]
) -> dict[str, Product | None]:
    """Line item id → product: the offer's link; for an offer the shop does not know yet, the
    SKU, then the EAN.

    A known offer without a confirmed link (waiting in "Do potwierdzenia", or "Nie łącz") gets
    no product from its sygnatura: the same bare key the link review refused would otherwise
    take stock from an unrelated product.
    """
    offer_ids = {ln.offer_id for ln in lines if ln.offer_id}
    externals = {ln.external_id for ln in lines if ln.external_id}
    linked: dict[str, Product | None] = {}
    if offer_ids:
        for offer in AllegroOffer.objects.filter(
            account=account, allegro_id__in=offer_ids
        ).select_related("product"):
            linked[offer.allegro_id] = offer.product
    by_sku: dict[str, Product] = {}
    by_ean: dict[str, Product] = {}
    if externals:
        by_sku = {p.sku: p for p in Product.objects.filter(sku__in=externals)}
        eans = {e for e in externals - by_sku.keys() if e.isdigit() and len(e) <= 14}
        if eans:
            by_ean = {p.ean: p for p in Product.objects.filter(ean__in=eans)}
    result: dict[str, Product | None] = {}
    for ln in lines:
        if ln.offer_id in linked:
            result[ln.line_item_id] = linked[ln.offer_id]
        else:
            result[ln.line_item_id] = by_sku.get(ln.external_id) or by_ean.get(ln.external_id)
    return result


# -- stock -----------------------------------------------------------------------------------------


@dataclass
class StockTake:
    line: AllegroLineItem
    order: Order
    product_id: int
    quantity: int


def stock_take(*, takes: Sequence[StockTake]) -> set[int]:
    """Decrement stock for lines not yet taken; one ledger movement per product and batch.

    Lines not saved yet only get their ``stock_taken``/``stock_quantity_taken`` set; the
    caller inserts them afterwards.

    The oversell guard: a line takes only what is on stock (unless the product allows
    back-orders), so stock never goes below zero; an order that could not get all its units
    (another channel sold the last one first) is returned as oversold, to be flagged.
    """
    grouped: dict[int, list[StockTake]] = defaultdict(list)
    for take in takes:
        if take.quantity > 0 and not take.line.stock_taken:
            grouped[take.product_id].append(take)
    oversold: set[int] = set()
    if not grouped:
        return oversold
    by_quantity: dict[int, list[int]] = defaultdict(list)
    changes: list[StockChange] = []
    with transaction.atomic():
        locked = Product.objects.select_for_update().filter(pk__in=sorted(grouped)).order_by("pk")
        levels = {p.pk: p for p in locked.only("stock", "allow_backorder")}
        for product_id, group in grouped.items():
            product = levels[product_id]
            available = None if product.allow_backorder else max(product.stock, 0)
            total = 0
            for take in group:
                got = take.quantity if available is None else min(take.quantity, available - total)
                if got < take.quantity:
                    oversold.add(take.order.pk)
                take.line.stock_taken = True
                take.line.stock_quantity_taken = got
                if take.line.pk is not None:  # new lines go in with these values
                    by_quantity[got].append(take.line.pk)
                total += got
            if total:
                orders = {t.order.pk: t.order for t in group}
                numbers = ", ".join(o.number for o in orders.values())
                only_order = next(iter(orders.values())) if len(orders) == 1 else None
                changes.append(
                    StockChange(product_id, -total, only_order, f"Allegro: {numbers}"[:255])
                )
        stock_adjust_many(changes=changes, reason=StockReason.ORDER)
        # A few statements, one per distinct quantity, instead of a CASE per line.
        for quantity, pks in by_quantity.items():
            AllegroLineItem.objects.filter(pk__in=pks).update(
                stock_taken=True, stock_quantity_taken=quantity
            )
    return oversold


def stock_give_back(*, lines: Iterable[AllegroLineItem], order: Order) -> None:
    """Return what cancelled lines took, once (one ledger write for all their products)."""
    changes: list[StockChange] = []
    returned: list[int] = []
    for line in lines:
        item = line.order_item
        if not line.stock_taken or line.stock_returned or item is None or item.product_id is None:
            continue
        if line.stock_quantity_taken:
            note = f"Allegro: {order.number}"[:255]
            changes.append(StockChange(item.product_id, line.stock_quantity_taken, order, note))
        line.stock_returned = True
        returned.append(line.pk)
    stock_adjust_many(changes=changes, reason=StockReason.ORDER_CANCELLED, allow_negative=True)
    AllegroLineItem.objects.filter(pk__in=returned).update(stock_returned=True)


def attention_codes(order: Order) -> set[str] | None:
    """The import's own reasons on the order; None when someone else wrote the reason."""
    reverse = {label: code for code, label in attention_labels().items()}
    parts = [p.strip() for p in (order.attention_reason or "").split(";") if p.strip()]
    if any(p not in reverse for p in parts):
        return None
    return {reverse[p] for p in parts}


def attention_set(order: Order, codes: set[str]) -> None:
    """Record the import's reasons, keeping a reason the merchant or another app wrote."""
    if attention_codes(order) is None:
        order.needs_attention = order.needs_attention or bool(codes)
        return
    labels = attention_labels()
    order.needs_attention = bool(codes)
    order.attention_reason = "; ".join(labels[c] for c in sorted(codes))[:255]


# -- creating --------------------------------------------------------------------------------------


def _line(form: AllegroCheckoutForm, line: LineData, item: OrderItem | None) -> AllegroLineItem:
    return AllegroLineItem(
        form=form,
        line_item_id=line.line_item_id,
        offer_id=line.offer_id,
        offer_name=line.offer_name,
        external_id=line.external_id,
        quantity=line.quantity,
        price=line.unit_price,
        order_item=item,
    )


def orders_create_bulk(
    *,
    account: AllegroAccount,
    entries: Sequence[tuple[CheckoutForm, FormData]],
    products: dict[str, Product | None],
    stock_point: str,
    mirrors: dict[str, AllegroCheckoutForm] | None = None,
) -> list[Order]:
    """Mirror + shop order + items for forms seen for the first time (a few bulk queries)."""
    now = timezone.now()
    unlinked = attention_labels()[REASON_UNLINKED]
    drafts = [
        order_draft(
            data,
            products=products,
            placed_at=now,
            attention_reason=(
                unlinked if any(products.get(ln.line_item_id) is None for ln in data.lines) else ""
            ),
        )
        for _form, data in entries
    ]
    created = orders_create_many(channel=Channel.ALLEGRO, drafts=drafts, note="Allegro")
    orders = [c.order for c in created]
    items: list[tuple[OrderItem, LineData, int]] = [
        (item, ln, index)
        for index, ((_form, data), c) in enumerate(zip(entries, created, strict=True))
        for item, ln in zip(c.items, data.lines, strict=True)
    ]
    new_mirrors: list[AllegroCheckoutForm] = []
    form_of: list[AllegroCheckoutForm] = []
    for (form, data), order in zip(entries, orders, strict=True):
        raw = raw_form(form)
        existing = (mirrors or {}).get(data.form_id)
        if existing is not None:
            existing.order = order
            for key, value in data.mirror_fields().items():
                setattr(existing, key, value)
            existing.raw = raw
            existing.gone = False
            existing.save()
            form_of.append(existing)
        else:
            mirror = AllegroCheckoutForm(
                account=account, form_id=data.form_id, raw=raw, order=order, **data.mirror_fields()
            )
            new_mirrors.append(mirror)
            form_of.append(mirror)
    rows_insert(AllegroCheckoutForm, new_mirrors)
    lines = [_line(form_of[index], ln, item) for item, ln, index in items]
    takes = [
        StockTake(line, item.order, item.product.pk, line.quantity)
        for line, (item, _ln, index) in zip(lines, items, strict=True)
        if item.product is not None and entries[index][1].reached(stock_point)
    ]
    oversold = stock_take(takes=takes)  # before the lines go in: they carry what they took
    rows_insert(AllegroLineItem, lines)
    if oversold:
        flagged = [o for o in orders if o.pk in oversold]
        for order in flagged:
            attention_set(order, (attention_codes(order) or set()) | {REASON_OVERSOLD})
        Order.objects.bulk_update(flagged, ["needs_attention", "attention_reason"])
    return orders


# -- updating --------------------------------------------------------------------------------------


def _address_sync(current: Address | None, draft: AddressDraft | None) -> Address | None:
    if draft is None:
        return current
    data = address_values(draft)
    if current is None:
        return Address.objects.create(**data)
    if any(getattr(current, k) != v for k, v in data.items()):
        for key, value in data.items():
            setattr(current, key, value)
        current.save()
    return current


def item_money_sync(item: OrderItem, line: LineData, *, quantity: bool) -> None:
    """A newer revision's price, discount and deposit on an item (its quantity while no stock
    was taken for it)."""
    wanted: dict[str, object] = {
        "unit_price": line.unit_price,
        "list_unit_price": line.list_unit_price,
        "deposit": line.deposit,
    }
    if quantity:
        wanted["quantity"] = line.quantity
    changed = [name for name, value in wanted.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, wanted[name])
    if changed:
        item.save(update_fields=changed)


def charges_replace(order: Order, data: FormData, items: Sequence[OrderItem | None]) -> None:
    """The order's money lines become the newest revision's (Allegro owns them)."""
    OrderCharge.objects.filter(order=order).delete()
    OrderCharge.objects.bulk_create([order_charge_build(order, c, items) for c in data.charges])


def form_supersede(*, form: AllegroCheckoutForm, lines: Sequence[AllegroLineItem]) -> Order | None:
    """A merged payment replaced the forms these lines came from: ``form`` takes them over.

    The shop order of the earliest replaced form becomes the merged form's order; the other
    replaced orders hand over their items and stock movements and are removed.
    """
    olds: dict[int, AllegroCheckoutForm] = {}
    for line in lines:
        if line.form_id != form.pk:
            olds[line.form_id] = line.form
    if not olds:
        return form.order
    ordered = sorted(olds.values(), key=lambda f: (f.bought_at or timezone.now(), f.pk))
    target = form.order or next((f.order for f in ordered if f.order is not None), None)
    old_orders = [f.order for f in ordered if f.order is not None and f.order != target]
    for old in ordered:
        old.superseded_by = form
        old.order = None
        old.gone = True
        old.save(update_fields=["superseded_by", "order", "gone", "updated_at"])
    AllegroLineItem.objects.filter(pk__in=[ln.pk for ln in lines]).update(form=form)
    for line in lines:
        line.form = form
    if target is not None:
        target.external_id = form.form_id
        target.save(update_fields=["external_id", "updated_at"])
        form.order = target
        form.save(update_fields=["order", "updated_at"])
        for old_order in old_orders:
            OrderItem.objects.filter(order=old_order).update(order=target)
            StockMovement.objects.filter(order=old_order).update(order=target)
            audit_log_write(
                action="allegro.order_merged",
                obj=target,
                changes={"merged": old_order.number, "form": form.form_id},
            )
            old_order.delete()
        OrderEvent.objects.create(
            order=target,
            from_status=target.status,
            to_status=target.status,
            note=(
                _("Połączona płatność w Allegro: %(ids)s")
                % {"ids": ", ".join(f.form_id for f in ordered)}
            )[:255],
        )
    return target


def order_update_from_form(
    *,
    account: AllegroAccount,
    mirror: AllegroCheckoutForm,
    form: CheckoutForm,
    data: FormData,
    known_lines: dict[str, AllegroLineItem],
    products: dict[str, Product | None],
    stock_point: str,
) -> str:
    """Apply a newer revision of a stored form; 'updated' or 'cancelled'."""
    seller_status_before = mirror.fulfillment_status
    for key, value in data.mirror_fields().items():
        setattr(mirror, key, value)
    mirror.raw = raw_form(form)
    mirror.gone = False
    mirror.save()
    mine = [known_lines[ln.line_item_id] for ln in data.lines if ln.line_item_id in known_lines]
    order = form_supersede(form=mirror, lines=mine)
    if order is None:
        AllegroLineItem.objects.filter(pk__in=[ln.pk for ln in mine]).delete()
        orders_create_bulk(
            account=account,
            entries=[(form, data)],
            products=products,
            stock_point=stock_point,
            mirrors={data.form_id: mirror},
        )
        return "created"
    order = Order.objects.select_related("shipping_address", "billing_address").get(pk=order.pk)
    kept = set(mirror.merchant_fields or ())
    for key, value in data.order_fields().items():
        if key not in kept:
            setattr(order, key, value)
    if "payment_status" not in kept and order.refunded_amount > 0:
        order.payment_status = payment_status_for(
            total=data.total,
            paid=data.paid_amount,
            refunded=order.refunded_amount,
            cancelled=data.cancelled,
        )
    order.shipping_address = _address_sync(order.shipping_address, data.shipping_address)
    order.billing_address = _address_sync(order.billing_address, data.billing_address)
    if data.bought_at:
        order.placed_at = data.bought_at
    takes: list[StockTake] = []
    lines: list[AllegroLineItem] = []
    for ln in data.lines:
        line = known_lines.get(ln.line_item_id)
        product = products.get(ln.line_item_id)
        if line is None:
            item = order_item_build(order, item_draft(ln, product))
            item.save()
            line = _line(mirror, ln, item)
            line.save()
        else:
            item_obj = line.order_item
            if item_obj is None:
                item_obj = order_item_build(order, item_draft(ln, product))
                item_obj.save()
                line.order_item = item_obj
            else:
                item_money_sync(item_obj, ln, quantity=not line.stock_taken)
            if not line.stock_taken:
                line.quantity = ln.quantity
            line.price = ln.unit_price
            line.offer_name = ln.offer_name
            line.save()
        lines.append(line)
        linked = line.order_item
        if linked is not None and linked.product_id is not None and data.reached(stock_point):
            takes.append(StockTake(line, order, linked.product_id, line.quantity))
    charges_replace(order, data, [ln.order_item for ln in lines])
    codes = (attention_codes(order) or set()) - {REASON_UNLINKED}
    if any(ln.order_item is None or ln.order_item.product_id is None for ln in lines):
        codes.add(REASON_UNLINKED)
    outcome = "updated"
    followed = shop_status_for(data.fulfillment_status)
    if (
        not data.cancelled
        and followed is not None
        and data.fulfillment_status != seller_status_before
        and not mirror.fulfillment_pending
        and order.status != followed
    ):
        # The seller changed the status on Allegro's site: the shop follows, nothing is echoed.
        order.save()
        order_set_status(order=order, status=followed, force=True, note=_("Zmieniono w Allegro"))
    if data.cancelled:
        if order.status != OrderStatus.CANCELLED:
            order.save()
            order_set_status(
                order=order, status=OrderStatus.CANCELLED, force=True, note="Anulowane w Allegro"
            )
            outcome = "cancelled"
        stock_give_back(
            lines=AllegroLineItem.objects.filter(form=mirror).select_related("order_item"),
            order=order,
        )
    elif takes and stock_take(takes=takes) & {order.pk}:
        codes.add(REASON_OVERSOLD)
    attention_set(order, codes)
    order.save()
    return outcome


# -- the entry point -------------------------------------------------------------------------------


def _newest(forms: Iterable[CheckoutForm]) -> list[tuple[CheckoutForm, FormData]]:
    best: dict[str, tuple[CheckoutForm, FormData]] = {}
    for form in forms:
        data = form_data(form)
        if not data.form_id:
            continue
        current = best.get(data.form_id)
        if current is None or (
            data.updated_at is not None
            and (current[1].updated_at is None or data.updated_at >= current[1].updated_at)
        ):
            best[data.form_id] = (form, data)
    return list(best.values())


def _upsert(account: AllegroAccount, forms: Sequence[CheckoutForm]) -> UpsertResult:
    result = UpsertResult()
    entries = _newest(forms)
    if not entries:
        return result
    stock_point = stock_point_of(account)
    ids = [d.form_id for _r, d in entries]
    mirrors = {
        m.form_id: m
        for m in AllegroCheckoutForm.objects.filter(form_id__in=ids).select_related("order")
    }
    line_ids = [ln.line_item_id for _r, d in entries for ln in d.lines]
    known_lines = {
        ln.line_item_id: ln
        for ln in AllegroLineItem.objects.filter(line_item_id__in=line_ids).select_related(
            "form", "form__order", "order_item"
        )
    }
    products = products_for_lines(
        account=account, lines=[ln for _r, d in entries for ln in d.lines]
    )
    fresh: list[tuple[CheckoutForm, FormData]] = []
    for form, data in entries:
        mirror = mirrors.get(data.form_id)
        if mirror is not None and mirror.account_id != account.pk:
            result.failed[data.form_id] = "checkout form belongs to another account"
            continue
        foreign_lines = any(
            ln.line_item_id in known_lines
            and known_lines[ln.line_item_id].form.form_id != data.form_id
            for ln in data.lines
        )
        if mirror is None and not foreign_lines:
            fresh.append((form, data))
            continue
        if mirror is not None and mirror.order_id is not None and not foreign_lines:
            same = mirror.revision == data.revision and mirror.allegro_updated_at == data.updated_at
            stale = (
                mirror.allegro_updated_at is not None
                and data.updated_at is not None
                and data.updated_at < mirror.allegro_updated_at
            )
            if same or stale:
                result.unchanged += 1
                result.stored.append(data.form_id)
                continue
        if mirror is None:
            mirror = AllegroCheckoutForm.objects.create(
                account=account, form_id=data.form_id, raw=raw_form(form), **data.mirror_fields()
            )
            result.superseded += 1
        outcome = order_update_from_form(
            account=account,
            mirror=mirror,
            form=form,
            data=data,
            known_lines=known_lines,
            products=products,
            stock_point=stock_point,
        )
        if outcome == "created":
            result.created += 1
        elif outcome == "cancelled":
            result.cancelled += 1
        else:
            result.updated += 1
        result.stored.append(data.form_id)
    if fresh:
        orders = orders_create_bulk(
            account=account, entries=fresh, products=products, stock_point=stock_point
        )
        result.created += len(orders)
        result.cancelled += sum(1 for o in orders if o.status == OrderStatus.CANCELLED)
        result.stored.extend(d.form_id for _r, d in fresh)
    return result


def forms_upsert(*, account: AllegroAccount, forms: Sequence[CheckoutForm]) -> UpsertResult:
    """Store checkout forms (inside the caller's transaction); failing forms are reported.

    All forms go in together; if that fails, each is retried alone in its own savepoint, so one
    bad form is set aside (``failed``) without holding back the others.
    """
    try:
        with transaction.atomic():
            return _upsert(account, forms)
    except Exception:
        logger.warning("batch of %d checkout forms failed; storing one by one", len(forms))
    result = UpsertResult()
    for form in forms:
        try:
            with transaction.atomic():
                result.merge(_upsert(account, [form]))
        except Exception as exc:
            form_id = (form.id or "?")[:64]
            logger.exception("checkout form %s could not be stored", form_id)
            result.failed[form_id] = f"{type(exc).__name__}: {exc}"[:2000]
    return result


def order_lines_link_product(
    *, account: AllegroAccount, offer_id: str, product: Product, user: Any = None
) -> int:
    """The merchant says which product an order line's offer is.

    The offer's link is set (its mirror is created if the shop has not read the offer yet),
    so later orders of the offer find the product; order items still without a product get
    it now. Returns how many order items were linked; their stock is taken if their order
    already reached the stock point.
    """
    stock_point = stock_point_of(account)
    with transaction.atomic():
        lines = list(
            AllegroLineItem.objects.filter(
                form__account=account, offer_id=offer_id, order_item__product__isnull=True
            ).select_related("form", "order_item", "order_item__order")
        )
        name = (
            AllegroLineItem.objects.filter(form__account=account, offer_id=offer_id)
            .order_by("-id")
            .values_list("offer_name", flat=True)
            .first()
        )
        offer = offer_mirror_for(account=account, allegro_id=offer_id, name=name or "")
        offer_product_link(offer=offer, product=product, user=user, source=LinkSource.ORDER_PAGE)
        takes: list[StockTake] = []
        orders: dict[int, Order] = {}
        for line in lines:
            item = line.order_item
            if item is None:
                continue
            item.product = product
            item.sku = product.sku[:64]
            item.ean = product.ean
            item.save(update_fields=["product", "sku", "ean"])
            order = item.order
            orders[order.pk] = order
            data = form_data(stored_form(line.form.raw))
            if data.reached(stock_point):
                takes.append(StockTake(line, order, product.pk, line.quantity))
        oversold = stock_take(takes=takes)
        for order in orders.values():
            codes = attention_codes(order) or set()
            if not OrderItem.objects.filter(order=order, product__isnull=True).exists():
                codes.discard(REASON_UNLINKED)
            if order.pk in oversold:
                codes.add(REASON_OVERSOLD)
            attention_set(order, codes)
            order.save(update_fields=["needs_attention", "attention_reason", "updated_at"])
    return len(lines)
