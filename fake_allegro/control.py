"""The emulator's control API under ``/_emulator/`` (JSON, no auth, not spec-checked)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fake_allegro.errors import ApiError
from fake_allegro.faults import Fault
from fake_allegro.oauth import oauth_state
from fake_allegro.routing import Call, Handler, Reply, endpoint
from fake_allegro.world import Application, Seller

if TYPE_CHECKING:
    from fake_allegro.emulator import Emulator

JSON = "application/json"


def control(method: str, path: str) -> Callable[[Handler], Handler]:
    return endpoint(method, f"/_emulator{path}", auth="none", host="control", spec_checked=False)


def ok(body: Any, status: int = 200) -> Reply:
    return Reply(status, body, content_type=JSON)


def bad(message: str, status: int = 400) -> ApiError:
    return ApiError.one(status, "EmulatorControlError", message)


def emulator_of(call: Call) -> Emulator:
    assert call.emulator is not None
    return call.emulator  # type: ignore[no-any-return]


def json_body(call: Call) -> dict[str, Any]:
    try:
        body = call.body()
    except ValueError as exc:
        raise bad(f"malformed JSON: {exc}") from exc
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise bad("expected a JSON object")
    return body


def seller_of(call: Call, data: dict[str, Any]) -> Seller:
    """The seller a control call names (``login``/``sellerLogin``), else the demo seller."""
    login = data.get("login") or data.get("sellerLogin") or call.request.args.get("login")
    if not login:
        return emulator_of(call).demo_seller
    seller = call.world.seller_by_login(str(login))
    if seller is None:
        raise bad(f"unknown seller login {login!r}", 404)
    return seller


@control("POST", "/apps")
def create_app(call: Call) -> Reply:
    data = json_body(call)
    client_id = data.get("clientId") or data.get("client_id")
    secret = data.get("clientSecret") or data.get("client_secret")
    uris = data.get("redirectUris") or data.get("redirect_uris") or []
    if not client_id or not secret:
        raise bad("clientId and clientSecret are required")
    if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
        raise bad("redirectUris must be a list of strings")
    app = Application(str(client_id), str(secret), str(data.get("name") or client_id), uris)
    call.world.applications[app.client_id] = app
    return ok(
        {
            "clientId": app.client_id,
            "clientSecret": app.client_secret,
            "name": app.name,
            "redirectUris": app.redirect_uris,
        },
        201,
    )


@control("POST", "/tokens")
def create_tokens(call: Call) -> Reply:
    data = json_body(call)
    emulator = emulator_of(call)
    client_id = data.get("clientId") or data.get("client_id")
    login = data.get("login") or data.get("sellerLogin")
    if client_id and client_id not in call.world.applications:
        raise bad(f"unknown application {client_id!r}", 404)
    if data.get("application"):
        return ok(emulator.issue_app_token(client_id), 201)
    if login and call.world.seller_by_login(login) is None:
        raise bad(f"unknown seller login {login!r}", 404)
    return ok(emulator.issue_tokens(client_id, login), 201)


@control("POST", "/revoke")
def revoke(call: Call) -> Reply:
    data = json_body(call)
    emulator = emulator_of(call)
    client_id = data.get("clientId") or data.get("client_id") or emulator.demo_application.client_id
    login = data.get("login")
    seller = call.world.seller_by_login(login) if login else emulator.demo_seller
    if seller is None:
        raise bad(f"unknown seller login {login!r}", 404)
    count = oauth_state(call.world).revoke(seller.id, client_id)
    return ok({"revokedGrants": count})


@control("POST", "/clock")
def clock(call: Call) -> Reply:
    data = json_body(call)
    seconds = data.get("advance_seconds", data.get("advanceSeconds"))
    if "offset_seconds" in data:
        call.world.clock.offset_seconds = float(data["offset_seconds"])
    elif seconds is not None:
        call.world.clock.advance(float(seconds))
    from fake_allegro.world import iso

    return ok({"now": iso(call.world.now()), "offsetSeconds": call.world.clock.offset_seconds})


@control("POST", "/token-ttl")
def token_ttl(call: Call) -> Reply:
    data = json_body(call)
    seconds = data.get("seconds", data.get("ttl"))
    if not isinstance(seconds, int) or seconds < 1:
        raise bad("seconds must be a positive integer")
    call.world.token_ttl = seconds
    return ok({"seconds": seconds})


@control("POST", "/faults")
def add_fault(call: Call) -> Reply:
    data = json_body(call)
    try:
        fault = Fault.from_json(data)
    except (ValueError, TypeError) as exc:
        raise bad(str(exc)) from exc
    emulator_of(call).faults.add(fault)
    return ok(fault.as_json(), 201)


@control("GET", "/faults")
def list_faults(call: Call) -> Reply:
    return ok({"faults": emulator_of(call).faults.list()})


@control("DELETE", "/faults")
def clear_faults(call: Call) -> Reply:
    emulator_of(call).faults.clear()
    return Reply(204, None, content_type=JSON)


@control("GET", "/requests")
def requests_log(call: Call) -> Reply:
    entries = emulator_of(call).requests.entries()
    args = call.request.args
    if method := args.get("method"):
        entries = [e for e in entries if e["method"] == method.upper()]
    if path := args.get("path"):
        entries = [e for e in entries if path in e["path"]]
    if status := args.get("status"):
        entries = [e for e in entries if str(e["status"]) == status]
    if not args.get("includeControl"):
        entries = [e for e in entries if not e["path"].startswith("/_emulator")]
    limit = int(args.get("limit", 1000))
    return ok({"requests": entries[-limit:], "count": len(entries)})


@control("DELETE", "/requests")
def clear_requests(call: Call) -> Reply:
    emulator_of(call).requests.clear()
    return Reply(204, None, content_type=JSON)


@control("POST", "/reset")
def reset(call: Call) -> Reply:
    data = json_body(call)
    emulator = emulator_of(call)
    emulator.reset(data.get("seed"))
    return ok({"reset": True, "seed": emulator.seed})


@control("POST", "/user-agent")
def user_agent(call: Call) -> Reply:
    """``{"required": false}`` lets clients without Allegro's User-Agent in (old clients)."""
    data = json_body(call)
    if not isinstance(data.get("required"), bool):
        raise bad("required must be true or false")
    emulator_of(call).require_user_agent = data["required"]
    return ok({"required": data["required"]})


@control("GET", "/state")
def state(call: Call) -> Reply:
    world = call.world
    offers: Counter[str] = Counter()
    if world.sale is not None:
        world.sale.settle()  # scheduled activations and finished operations first
        offers.update(offer.status for offer in world.sale.offers.values())
    orders_by_status: Counter[str] = Counter()
    events = 0
    last_event: str | None = None
    if world.orders is not None:
        orders_by_status.update(f.status for f in world.orders.forms.values())
        events = world.orders.events_count()
        last_event = world.orders.last_event_id()
    from fake_allegro.world import iso

    return ok(
        {
            "now": iso(world.now()),
            "sellers": [{"id": s.id, "login": s.login} for s in world.sellers.values()],
            "applications": sorted(world.applications),
            "offersByStatus": dict(offers),
            "ordersByStatus": dict(orders_by_status),
            "eventsCount": events,
            "lastEventId": last_event,
            "tokenTtl": world.token_ttl,
            "userAgentRequired": emulator_of(call).require_user_agent,
        }
    )
