"""Customer returns (``/order/customer-returns``, BETA) and refunds (``/payments/refunds``).

What Allegro refuses is refused here with the same status and code:

* a return has no "accepted" state: the seller either refunds the payment (the return becomes
  ``FINISHED``) or rejects the refund (``REJECTED``) (#6487); there is no event feed for returns,
  clients poll the list (#12460);
* rejecting a return twice → 422 (the spec's description); an unknown return → ``NO_RESCISSION``
  "The application has not been found." (#12626); ``REFUND_REJECTED`` needs a ``reason`` (spec);
  the emulator lets a seller reject only once the items have arrived (``DELIVERED`` or in
  Allegro's warehouse) and never after the money went back;
* a refund names at least one thing to refund, else 422 (#6878); a quantity above what is left
  to refund → 422 ``VALIDATION_ERROR`` "Oferta: <lineItemId> ilość przekroczona, dostępna: N,
  żądana: M" (#8840, #6042: earlier refunds count, including ones still in progress); an amount
  above what is left → "wartość przekroczona, dostępna: X PLN, żądana: Y PLN", and an amount
  with more than two decimal places is refused (#12680); an unpaid or cancelled payment cannot
  be refunded (#3311: Allegro answers that with a 500; a 422 here names the reason);
* ``commandId`` makes the call idempotent (spec): the same command answers with the refund it
  created, and never refunds twice.

Refunds do not change the checkout form (the spec's ``CheckoutForm`` has no refund field and
no order event is emitted for them): ``GET /payments/refunds`` is the only place they show.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from fake_allegro.control import bad, control, json_body, ok
from fake_allegro.errors import ApiError, ErrorItem
from fake_allegro.orders.api import time_filter
from fake_allegro.orders.state import StoredForm, iso, orders_of, parse_time
from fake_allegro.routing import Call, Reply, endpoint

if TYPE_CHECKING:
    from fake_allegro.world import World

RETURN_STATUSES = (
    "CREATED",
    "DISPATCHED",
    "IN_TRANSIT",
    "DELIVERED",
    "FINISHED",
    "FINISHED_APT",
    "REJECTED",
    "COMMISSION_REFUND_CLAIMED",
    "COMMISSION_REFUNDED",
    "WAREHOUSE_DELIVERED",
    "WAREHOUSE_VERIFICATION",
)
# The buyer's parcel moves on in this order until it reaches the seller.
RETURN_JOURNEY = ("CREATED", "DISPATCHED", "IN_TRANSIT", "DELIVERED")
REJECTABLE = frozenset({"DELIVERED", "WAREHOUSE_DELIVERED", "WAREHOUSE_VERIFICATION"})
REFUNDED = frozenset(
    {"FINISHED", "FINISHED_APT", "COMMISSION_REFUND_CLAIMED", "COMMISSION_REFUNDED"}
)
REASONS = (
    "MISTAKE",
    "DAMAGED",
    "NOT_AS_DESCRIBED",
    "DONT_LIKE_IT",
    "TOO_LARGE",
    "TOO_SMALL",
    "DIFFERENT",
)
REFUND_REASONS = (
    "REFUND",
    "COMPLAINT",
    "PRODUCT_NOT_AVAILABLE",
    "PAID_VALUE_TOO_LOW",
    "OVERPAID",
    "CANCELLED_BY_BUYER",
    "NOT_COLLECTED",
)
# Refunds that still hold money: everything but the ones Allegro cancelled (no funds, #13740).
_NOT_COUNTED = frozenset({"CANCELED", "VALIDATE_FAILED"})
CENT = Decimal("0.01")


@dataclass
class ReturnsState:
    returns: dict[str, dict[str, Any]] = field(default_factory=dict)  # CustomerReturn JSON by id
    return_sellers: dict[str, str] = field(default_factory=dict)  # return id -> seller id
    refunds: list[dict[str, Any]] = field(default_factory=list)  # RefundDetails JSON, by time
    refund_sellers: dict[str, str] = field(default_factory=dict)  # refund id -> seller id
    commands: dict[tuple[str, str], str] = field(default_factory=dict)  # (seller, cmd) -> refund
    next_reference: int = 1


def returns_of(world: World) -> ReturnsState:
    state = orders_of(world)
    if state.customer_returns is None:
        state.customer_returns = ReturnsState()
    found: ReturnsState = state.customer_returns
    return found


def _money(amount: Decimal, currency: str) -> dict[str, str]:
    return {"amount": f"{amount.quantize(CENT)}", "currency": currency}


def _amount(price: Any) -> Decimal:
    try:
        return Decimal(str((price or {}).get("amount") or 0))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _currency(form: StoredForm) -> str:
    total = (form.data.get("summary") or {}).get("totalToPay") or {}
    return str(total.get("currency") or "PLN")


# -- the buyer returns items ----------------------------------------------------------------------


def returnable(form: StoredForm) -> bool:
    """A paid order the seller has sent (or that has a tracking number)."""
    if form.status != "READY_FOR_PROCESSING":
        return False
    fulfillment = (form.data.get("fulfillment") or {}).get("status")
    return fulfillment in ("SENT", "PICKED_UP") or bool(form.shipments)


def return_create(
    world: World,
    form: StoredForm,
    items: list[tuple[dict[str, Any], int, str]],
    *,
    rng: random.Random,
    status: str = "CREATED",
    comment: str = "",
) -> dict[str, Any]:
    """The buyer declares a return of ``items`` (line item, quantity, reason type)."""
    state = returns_of(world)
    orders = orders_of(world)
    now = world.now()
    buyer = form.data.get("buyer") or {}
    return_id = orders.new_uuid()
    reference = f"{state.next_reference:04d}/Z{rng.randrange(10, 99)}A"
    state.next_reference += 1
    data: dict[str, Any] = {
        "id": return_id,
        "isFulfillment": False,
        "createdAt": iso(now),
        "referenceNumber": reference,
        "orderId": form.id,
        "buyer": {"email": buyer.get("email"), "login": buyer.get("login")},
        "items": [
            {
                "offerId": str((item.get("offer") or {}).get("id")),
                "quantity": quantity,
                "name": str((item.get("offer") or {}).get("name") or ""),
                "price": dict(item.get("price") or {}),
                "url": f"https://allegro.pl/oferta/{(item.get('offer') or {}).get('id')}",
                "reason": {"type": reason, "userComment": comment or None},
            }
            for item, quantity, reason in items
        ],
        "parcels": [],
        "marketplaceId": str((form.data.get("marketplace") or {}).get("id") or "allegro-pl"),
        "status": "CREATED",
    }
    state.returns[return_id] = data
    state.return_sellers[return_id] = form.seller_id
    for step in (
        RETURN_JOURNEY[1 : RETURN_JOURNEY.index(status) + 1] if status in RETURN_JOURNEY else ()
    ):
        return_advance(world, data, rng, step)
    return data


def return_advance(world: World, data: dict[str, Any], rng: random.Random, status: str) -> None:
    """The return's parcel moves on (a parcel appears when it is dispatched)."""
    if status == "DISPATCHED" and not data["parcels"]:
        data["parcels"].append(
            {
                "createdAt": iso(world.now()),
                "waybill": f"AD00R{rng.randrange(10**6, 10**7)}",
                "transportingWaybill": None,
                "carrierId": "ALLEGRO",
                "transportingCarrierId": None,
                "sender": {"phoneNumber": f"+48{rng.randrange(500_000_000, 800_000_000)}"},
            }
        )
    data["status"] = status


def simulate_returns(world: World, seller_id: str, *, rate: float = 0.1) -> int:
    """Live demo: a share of sent orders get returned; parcels of open returns move on."""
    rng = orders_of(world).rng
    state = returns_of(world)
    moved = 0
    for data in state.returns.values():
        if state.return_sellers.get(data["id"]) != seller_id:
            continue
        if data["status"] in RETURN_JOURNEY[:-1] and rng.random() < 0.5:
            following = RETURN_JOURNEY[RETURN_JOURNEY.index(data["status"]) + 1]
            return_advance(world, data, rng, following)
            moved += 1
    returned_orders = {d["orderId"] for d in state.returns.values()}
    for form in orders_of(world).seller_forms(seller_id):
        if form.id in returned_orders or not returnable(form) or rng.random() >= rate:
            continue
        lines = [i for i in form.data.get("lineItems") or [] if i.get("quantity")]
        if lines:
            line = rng.choice(lines)
            quantity = rng.randint(1, int(line["quantity"]))
            return_create(world, form, [(line, quantity, rng.choice(REASONS))], rng=rng)
            moved += 1
        break  # one new return per tick at most
    return moved


# -- API: customer returns ------------------------------------------------------------------------


def _visible(call: Call) -> list[dict[str, Any]]:
    seller = call.require_seller()
    state = returns_of(call.world)
    return [d for d in state.returns.values() if state.return_sellers.get(d["id"]) == seller.id]


def _one_of(call: Call, name: str) -> set[str] | None:
    values = [v for raw in call.query.getlist(name) for v in raw.split(",") if v]
    return set(values) if values else None


@endpoint("GET", "/order/customer-returns")
def list_customer_returns(call: Call) -> dict[str, Any]:
    found = sorted(_visible(call), key=lambda d: (d["createdAt"], d["id"]))
    filters: dict[str, Callable[[dict[str, Any]], set[Any]]] = {
        "customerReturnId": lambda d: {d["id"]},
        "orderId": lambda d: {d["orderId"]},
        "buyer.login": lambda d: {(d.get("buyer") or {}).get("login")},
        "buyer.email": lambda d: {(d.get("buyer") or {}).get("email")},
        "items.offerId": lambda d: {i.get("offerId") for i in d["items"]},
        "parcels.waybill": lambda d: {p.get("waybill") for p in d["parcels"]},
        "referenceNumber": lambda d: {d.get("referenceNumber")},
        "status": lambda d: {d.get("status")},
    }
    for name, values_of in filters.items():
        wanted = _one_of(call, name)
        if wanted is not None:
            found = [d for d in found if values_of(d) & wanted]
    if unknown := (_one_of(call, "status") or set()) - set(RETURN_STATUSES):
        raise ApiError.one(
            400,
            "VALIDATION_ERROR",
            f"Unknown status: {', '.join(sorted(unknown))}",
            path="status",
            user_message="Nieprawidłowa wartość parametru.",
        )
    after = call.query.get("from")
    if after:
        ids = [d["id"] for d in found]
        found = found[ids.index(after) + 1 :] if after in ids else found
    gte, lte = time_filter(call, "createdAt.gte"), time_filter(call, "createdAt.lte")
    if gte is not None:
        found = [d for d in found if parse_time(d["createdAt"]) >= gte]
    if lte is not None:
        found = [d for d in found if parse_time(d["createdAt"]) <= lte]
    offset = int(call.query.get("offset", 0))
    limit = int(call.query.get("limit", 100))
    page = found[offset : offset + limit]
    return {"customerReturns": page, "count": len(page)}


def _return(call: Call, *, rejection: bool = False) -> dict[str, Any]:
    return_id = call.params["customerReturnId"]
    for data in _visible(call):
        if data["id"] == return_id:
            return data
    if rejection:
        raise ApiError.one(
            422,
            "NO_RESCISSION",
            "An error has occurred",
            user_message="The application has not been found.",
        )
    raise ApiError.one(
        404,
        "NOT_FOUND",
        f"Customer return '{return_id}' not found",
        user_message="Nie znaleziono zwrotu.",
    )


@endpoint("GET", "/order/customer-returns/{customerReturnId}")
def get_customer_return(call: Call) -> dict[str, Any]:
    return _return(call)


@endpoint("POST", "/order/customer-returns/{customerReturnId}/rejection")
def reject_customer_return(call: Call) -> dict[str, Any]:
    data = _return(call, rejection=True)
    rejection = (call.body() or {}).get("rejection") or {}
    code = rejection.get("code")
    reason = rejection.get("reason")
    if data["status"] == "REJECTED":
        raise ApiError.one(
            422,
            "CUSTOMER_RETURN_ALREADY_REJECTED",
            "Customer return has already been rejected",
            user_message="Zwrot został już odrzucony.",
        )
    if data["status"] in REFUNDED:
        raise ApiError.one(
            422,
            "CUSTOMER_RETURN_ALREADY_REFUNDED",
            "The payment for this customer return has already been refunded",
            user_message="Wpłata za ten zwrot została już oddana kupującemu.",
        )
    if data["status"] not in REJECTABLE:
        raise ApiError.one(
            422,
            "CUSTOMER_RETURN_NOT_DELIVERED",
            f"Customer return in status {data['status']} cannot be rejected",
            user_message="Zwrot można odrzucić dopiero po otrzymaniu przesyłki zwrotnej.",
        )
    if code == "REFUND_REJECTED" and not (reason or "").strip():
        raise ApiError.one(
            422,
            "VALIDATION_ERROR",
            "rejection.reason is required when code is REFUND_REJECTED",
            path="rejection.reason",
            user_message="Podaj powód odmowy zwrotu wpłaty.",
        )
    data["rejection"] = {"code": code, "reason": reason, "createdAt": iso(call.world.now())}
    data["status"] = "REJECTED"
    return data


# -- API: refunds ---------------------------------------------------------------------------------


def _refund_error(message: str, path: str | None = None) -> ApiError:
    return ApiError(422, ErrorItem("VALIDATION_ERROR", message, message, path))


def _form_of_payment(call: Call, payment_id: str) -> StoredForm:
    seller = call.require_seller()
    for form in orders_of(call.world).seller_forms(seller.id):
        if str((form.data.get("payment") or {}).get("id")) == payment_id:
            return form
    raise ApiError.one(
        404,
        "NOT_FOUND",
        f"Payment '{payment_id}' not found",
        path="payment.id",
        user_message="Nie znaleziono płatności.",
    )


def refunded_so_far(world: World, form: StoredForm) -> dict[str, Any]:
    """Per line item (quantity, value) and delivery already refunded on ``form``'s payment."""
    payment_id = str((form.data.get("payment") or {}).get("id"))
    lines: dict[str, list[Decimal]] = {}
    delivery = Decimal(0)
    prices = {str(i.get("id")): _amount(i.get("price")) for i in form.data.get("lineItems") or []}
    for refund in returns_of(world).refunds:
        if (refund.get("payment") or {}).get("id") != payment_id:
            continue
        if refund.get("status") in _NOT_COUNTED:
            continue
        for item in refund.get("lineItems") or []:
            entry = lines.setdefault(str(item["id"]), [Decimal(0), Decimal(0)])
            if item.get("type") == "QUANTITY":
                quantity = Decimal(str(item.get("quantity") or 0))
                entry[0] += quantity
                entry[1] += quantity * prices.get(str(item["id"]), Decimal(0))
            else:
                entry[1] += _amount(item.get("value"))
        delivery += _amount((refund.get("delivery") or {}).get("value"))
    return {"lines": lines, "delivery": delivery}


def _decimal(value: Any, path: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise _refund_error("Niewłaściwy format parametru", path) from exc
    if amount <= 0:
        raise _refund_error("Kwota musi być większa od zera", path)
    if amount != amount.quantize(CENT):
        # 50.410000000000004 is refused (#12680).
        raise _refund_error("Kwota może mieć najwyżej dwa miejsca po przecinku", path)
    return amount


def _pln(amount: Decimal) -> str:
    return f"{amount.quantize(CENT)}".replace(".", ",") + " PLN"


@endpoint("POST", "/payments/refunds")
def initiate_refund(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    body = call.body() or {}
    state = returns_of(call.world)
    command_id = str(body.get("commandId") or "")
    if command_id and (seller.id, command_id) in state.commands:
        refund_id = state.commands[(seller.id, command_id)]
        return next(r for r in state.refunds if r["id"] == refund_id)
    payment_id = str((body.get("payment") or {}).get("id") or "")
    form = _form_of_payment(call, payment_id)
    order_id = (body.get("order") or {}).get("id")
    if order_id and order_id != form.id:
        raise _refund_error("Płatność nie należy do wskazanego zamówienia", "order.id")
    payment = form.data.get("payment") or {}
    if form.status != "READY_FOR_PROCESSING" or _amount(payment.get("paidAmount")) <= 0:
        raise _refund_error(
            "Płatność nie została zrealizowana, nie można jej zwrócić", "payment.id"
        )
    currency = _currency(form)
    so_far = refunded_so_far(call.world, form)
    items = {str(i.get("id")): i for i in form.data.get("lineItems") or []}
    total = Decimal(0)
    lines_out: list[dict[str, Any]] = []
    for index, line in enumerate(body.get("lineItems") or []):
        path = f"lineItems[{index}]"
        item = items.get(str(line.get("id")))
        if item is None:
            raise _refund_error(f"Pozycja {line.get('id')} nie należy do zamówienia", f"{path}.id")
        price = _amount(item.get("price"))
        bought = int(item.get("quantity") or 0)
        done_quantity, done_value = so_far["lines"].get(str(item["id"]), [Decimal(0), Decimal(0)])
        left_value = price * bought - done_value
        if line.get("type") == "QUANTITY":
            raw_quantity = line.get("quantity")
            if raw_quantity is None or Decimal(str(raw_quantity)) != int(
                Decimal(str(raw_quantity))
            ):
                raise _refund_error("Niewłaściwy format parametru", f"{path}.quantity")
            quantity = int(Decimal(str(raw_quantity)))
            # Units left: never more than the units not refunded, nor than the value left.
            left = min(bought - int(done_quantity), int(left_value // price) if price else 0)
            if quantity < 1 or quantity > left:
                raise _refund_error(
                    f"Oferta: {item['id']} ilość przekroczona, dostępna: {max(left, 0)}, "
                    f"żądana: {quantity}",
                    f"{path}.quantity",
                )
            total += price * quantity
            lines_out.append({"id": item["id"], "type": "QUANTITY", "quantity": quantity})
        else:
            amount = _decimal((line.get("value") or {}).get("amount"), f"{path}.value.amount")
            if (line.get("value") or {}).get("currency") != currency:
                raise _refund_error("Niezgodna waluta", f"{path}.value.currency")
            if amount > left_value:
                raise _refund_error(
                    f"Oferta: {item['id']} wartość przekroczona, dostępna: {_pln(left_value)}, "
                    f"żądana: {_pln(amount)}",
                    f"{path}.value.amount",
                )
            total += amount
            lines_out.append(
                {"id": item["id"], "type": "AMOUNT", "value": _money(amount, currency)}
            )
    delivery_out: dict[str, Any] | None = None
    delivery_value = (body.get("delivery") or {}).get("value")
    if delivery_value is not None:
        amount = _decimal(delivery_value.get("amount"), "delivery.value.amount")
        if delivery_value.get("currency") != currency:
            raise _refund_error("Niezgodna waluta", "delivery.value.currency")
        cost = _amount((form.data.get("delivery") or {}).get("cost"))
        left = cost - so_far["delivery"]
        if amount > left:
            raise _refund_error(
                f"Dostawa: wartość przekroczona, dostępna: {_pln(left)}, żądana: {_pln(amount)}",
                "delivery.value.amount",
            )
        total += amount
        delivery_out = {"value": _money(amount, currency)}
    for name in ("overpaid", "additionalServices", "surcharges", "deposits"):
        if body.get(name):
            raise _refund_error(f"Nie ma czego zwrócić w '{name}' dla tej płatności", name)
    if not lines_out and delivery_out is None:
        raise _refund_error("Wskaż, co chcesz zwrócić: produkty lub dostawę", "lineItems")
    now = call.world.now()
    refund: dict[str, Any] = {
        "id": orders_of(call.world).new_uuid(),
        "payment": {"id": payment_id},
        "order": {"id": form.id},
        "reason": body.get("reason"),
        "status": "SUCCESS",
        "createdAt": iso(now),
        "totalValue": _money(total, currency),
        "lineItems": lines_out,
    }
    if delivery_out is not None:
        refund["delivery"] = delivery_out
    if body.get("sellerComment"):
        refund["sellerComment"] = body["sellerComment"]
    state.refunds.append(refund)
    state.refund_sellers[refund["id"]] = seller.id
    if command_id:
        state.commands[(seller.id, command_id)] = refund["id"]
    # The money went back: the order's open returns are finished.
    for data in state.returns.values():
        if data["orderId"] == form.id and data["status"] not in REFUNDED | {"REJECTED"}:
            data["status"] = "FINISHED"
    return refund


_REFUND_STATUSES = ("WAITING", "IN_PROGRESS", "SUCCESS", "CANCELED", "PARTIAL")


@endpoint("GET", "/payments/refunds")
def list_refunds(call: Call) -> dict[str, Any]:
    seller = call.require_seller()
    state = returns_of(call.world)
    found = [r for r in state.refunds if state.refund_sellers.get(r["id"]) == seller.id]
    for name, key in (("id", "id"), ("payment.id", "payment"), ("order.id", "order")):
        wanted = call.query.get(name)
        if wanted is not None:
            found = [
                r
                for r in found
                if (r[key] if key == "id" else (r.get(key) or {}).get("id")) == wanted
            ]
    statuses = set(call.query.getlist("status"))
    if statuses:
        found = [r for r in found if r["status"] in statuses]
    gte = time_filter(call, "occurredAt.gte")
    lte = time_filter(call, "occurredAt.lte")
    if gte is not None:
        found = [r for r in found if parse_time(r["createdAt"]) >= gte]
    if lte is not None:
        found = [r for r in found if parse_time(r["createdAt"]) <= lte]
    found = sorted(found, key=lambda r: r["createdAt"], reverse=True)
    offset = int(call.query.get("offset", 0))
    limit = int(call.query.get("limit", 50))
    page = found[offset : offset + limit]
    return {"refunds": page, "count": len(page), "totalCount": len(found)}


# -- control: the buyer returns items -------------------------------------------------------------


@control("POST", "/returns")
def buyer_returns(call: Call) -> Reply:
    """The buyer of a sent order declares a return: ``{"checkoutFormId", "items": [{"lineItemId",
    "quantity", "reason"}], "status": "DELIVERED"}`` (items default to everything bought)."""
    data = json_body(call)
    form = orders_of(call.world).forms.get(str(data.get("checkoutFormId")))
    if form is None:
        raise bad("unknown checkoutFormId", 404)
    if not returnable(form):
        raise bad("only a paid order that was sent can be returned", 409)
    status = str(data.get("status") or "CREATED")
    if status not in RETURN_JOURNEY:
        raise bad(f"status must be one of {', '.join(RETURN_JOURNEY)}")
    lines = {str(i.get("id")): i for i in form.data.get("lineItems") or []}
    asked = data.get("items") or [
        {"lineItemId": k, "quantity": v.get("quantity")} for k, v in lines.items()
    ]
    rng = orders_of(call.world).rng
    chosen: list[tuple[dict[str, Any], int, str]] = []
    for entry in asked:
        line = lines.get(str(entry.get("lineItemId")))
        quantity = int(entry.get("quantity") or 1)
        if line is None:
            raise bad(f"line item {entry.get('lineItemId')!r} is not in this order")
        if not 1 <= quantity <= int(line.get("quantity") or 0):
            raise bad("quantity must be between 1 and the quantity bought")
        reason = str(entry.get("reason") or rng.choice(REASONS))
        chosen.append((line, quantity, reason))
    created = return_create(
        call.world, form, chosen, rng=rng, status=status, comment=str(data.get("comment") or "")
    )
    return ok(created, 201)


@control("POST", "/returns/{id}/status")
def return_moves_on(call: Call) -> Reply:
    """The return parcel moves on: ``{"status": "DISPATCHED" | "IN_TRANSIT" | "DELIVERED"}``."""
    data = returns_of(call.world).returns.get(call.params["id"])
    if data is None:
        raise bad("unknown return", 404)
    status = str(json_body(call).get("status"))
    if status not in RETURN_JOURNEY or data["status"] not in RETURN_JOURNEY:
        raise bad("the return cannot move to that status", 409)
    rng = orders_of(call.world).rng
    for step in RETURN_JOURNEY[
        RETURN_JOURNEY.index(data["status"]) + 1 : RETURN_JOURNEY.index(status) + 1
    ]:
        return_advance(call.world, data, rng, step)
    return ok(data)


@control("POST", "/returns/tick")
def returns_tick(call: Call) -> Reply:
    """One step of the live demo (a share of sent orders returned, parcels moving on)."""
    data = json_body(call) if call.request.get_data() else {}
    seller = call.world.seller_by_login(str(data.get("login"))) if data.get("login") else None
    seller_id = seller.id if seller is not None else call.world.default_seller().id
    moved = simulate_returns(call.world, seller_id, rate=float(data.get("rate", 0.1)))
    return ok({"moved": moved})


__all__ = ["ReturnsState", "returns_of", "simulate_returns"]
