"""Allegro's OAuth 2 server: authorization code (+PKCE), refresh rotation, device flow, client
credentials.

Access and refresh tokens are opaque random strings mapped to a :class:`Grant` (one seller's consent
for one application, or an application's own client-credentials grant). Every lifetime is measured
on ``world.clock`` so tests can expire tokens without sleeping.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fake_allegro.errors import OAuthError
from fake_allegro.routing import Call, Reply, endpoint

if TYPE_CHECKING:
    from fake_allegro.world import Application, Seller, World

CODE_TTL = timedelta(minutes=10)
REFRESH_TTL = timedelta(days=90)
REFRESH_GRACE = timedelta(seconds=60)
DEVICE_TTL = timedelta(seconds=3600)
DEVICE_INTERVAL = 5
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"

USER_SCOPES = (
    "allegro:api:sale:offers:read",
    "allegro:api:sale:offers:write",
    "allegro:api:sale:settings:read",
    "allegro:api:sale:settings:write",
    "allegro:api:orders:read",
    "allegro:api:orders:write",
    "allegro:api:profile:read",
    "allegro:api:profile:write",
    "allegro:api:shipments:read",
    "allegro:api:shipments:write",
    "allegro:api:billing:read",
    "allegro:api:campaigns",
    "allegro:api:payments:read",
    "allegro:api:payments:write",
    "allegro:api:ratings",
    "allegro:api:disputes",
    "allegro:api:bids",
    "allegro:api:messaging",
    "allegro:api:ads",
    "allegro:api:fulfillment:read",
    "allegro:api:fulfillment:write",
    "allegro:api:affiliate:read",
    "allegro:api:affiliate:write",
)
APP_SCOPES = ("allegro:api:sale:offers:read", "allegro:api:orders:read")
JSON = "application/json;charset=UTF-8"


@dataclass
class Grant:
    id: str
    client_id: str
    seller_id: str | None  # None for a client-credentials (application) grant
    scope: list[str]
    created_at: datetime
    revoked: bool = False


@dataclass
class AccessToken:
    grant_id: str
    expires_at: datetime
    jti: str


@dataclass
class RefreshToken:
    grant_id: str
    expires_at: datetime
    superseded_at: datetime | None = None  # set by the first refresh that rotated it


@dataclass
class AuthorizationCode:
    client_id: str
    seller_id: str
    redirect_uri: str
    scope: list[str]
    created_at: datetime
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    used: bool = False


@dataclass
class DeviceAuthorization:
    client_id: str
    user_code: str
    scope: list[str]
    expires_at: datetime
    seller_id: str | None = None
    denied: bool = False
    consumed: bool = False


@dataclass
class OAuthState:
    grants: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, AccessToken] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    devices: dict[str, DeviceAuthorization] = field(default_factory=dict)  # by device_code

    def revoke(self, seller_id: str, client_id: str) -> int:
        count = 0
        for grant in self.grants.values():
            if grant.seller_id == seller_id and grant.client_id == client_id and not grant.revoked:
                grant.revoked = True
                count += 1
        return count


@dataclass(frozen=True)
class Principal:
    """Who an access token speaks for."""

    grant: Grant
    application: Application
    seller: Seller | None


def oauth_state(world: World) -> OAuthState:
    if world.oauth is None:
        world.oauth = OAuthState()
    return world.oauth


def _scope_list(raw: str | None, *, default: tuple[str, ...]) -> list[str]:
    if not raw:
        return list(default)
    return [s for s in raw.replace(",", " ").split() if s]


def issue_tokens(
    world: World,
    application: Application,
    seller: Seller | None,
    *,
    scope: list[str] | None = None,
    grant: Grant | None = None,
) -> dict[str, Any]:
    """Mint an access token (plus a refresh token for seller grants) and return the token body."""
    state = oauth_state(world)
    now = world.now()
    if grant is None:
        grant = Grant(
            id=uuid.uuid4().hex,
            client_id=application.client_id,
            seller_id=seller.id if seller else None,
            scope=list(scope) if scope is not None else list(USER_SCOPES),
            created_at=now,
        )
        state.grants[grant.id] = grant
    jti = str(uuid.uuid4())
    access = secrets.token_urlsafe(48)
    state.access_tokens[access] = AccessToken(
        grant.id, now + timedelta(seconds=world.token_ttl), jti
    )
    body: dict[str, Any] = {
        "access_token": access,
        "token_type": "bearer",
        "expires_in": world.token_ttl,
        "scope": " ".join(grant.scope),
        "allegro_api": True,
        "jti": jti,
    }
    if grant.seller_id is not None:
        refresh = secrets.token_urlsafe(48)
        state.refresh_tokens[refresh] = RefreshToken(grant.id, now + REFRESH_TTL)
        body["refresh_token"] = refresh
    return body


def authenticate_bearer(world: World, token: str) -> Principal | None:
    """The principal behind a live access token, or None (unknown, expired or revoked)."""
    state = oauth_state(world)
    access = state.access_tokens.get(token)
    if access is None or access.expires_at <= world.now():
        return None
    grant = state.grants.get(access.grant_id)
    if grant is None or grant.revoked:
        return None
    application = world.applications.get(grant.client_id)
    if application is None:
        return None
    seller = world.sellers.get(grant.seller_id) if grant.seller_id else None
    if grant.seller_id and seller is None:
        return None
    return Principal(grant, application, seller)


# -- request helpers -------------------------------------------------------------------------------


def _param(call: Call, name: str) -> str | None:
    value = call.request.args.get(name)
    if value is None:
        value = call.request.form.get(name)
    return value


def _client_from_basic(call: Call, *, required: bool = True) -> Application:
    world = call.world
    header = call.request.headers.get("Authorization", "")
    client_id: str | None = None
    secret: str | None = None
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise OAuthError(401, "invalid_client", "Bad client credentials") from exc
        client_id, _, secret = decoded.partition(":")
    elif not required:
        client_id = _param(call, "client_id")
        application = world.applications.get(client_id or "")
        if application is None:
            raise OAuthError(401, "invalid_client", "Bad client credentials")
        return application
    else:
        raise OAuthError(
            401, "unauthorized", "Full authentication is required to access this resource"
        )
    application = world.applications.get(client_id)
    if application is None or not secrets.compare_digest(application.client_secret, secret or ""):
        raise OAuthError(401, "invalid_client", "Bad client credentials")
    return application


def _pkce_ok(verifier: str | None, challenge: str, method: str | None) -> bool:
    if verifier is None or not 43 <= len(verifier) <= 128:
        return False
    if (method or "plain").upper() == "S256":
        digest = hashlib.sha256(verifier.encode()).digest()
        expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        return secrets.compare_digest(expected, challenge)
    return secrets.compare_digest(verifier, challenge)


# -- token endpoint --------------------------------------------------------------------------------


@endpoint("POST", "/auth/oauth/token", auth="none", host="oauth", spec_checked=False)
def token(call: Call) -> Reply:
    application = _client_from_basic(call)
    grant_type = _param(call, "grant_type")
    world = call.world
    if grant_type == "authorization_code":
        body = _exchange_code(call, application)
    elif grant_type == "refresh_token":
        body = _refresh(call, application)
    elif grant_type == DEVICE_GRANT:
        body = _device_token(call, application)
    elif grant_type == "client_credentials":
        body = issue_tokens(world, application, None, scope=list(APP_SCOPES))
    elif not grant_type:
        raise OAuthError(400, "invalid_request", "Missing grant type")
    else:
        raise OAuthError(400, "unsupported_grant_type", f"Unsupported grant type: {grant_type}")
    return Reply(200, body, content_type=JSON, headers={"Cache-Control": "no-store"})


def _exchange_code(call: Call, application: Application) -> dict[str, Any]:
    world = call.world
    state = oauth_state(world)
    code_value = _param(call, "code")
    if not code_value:
        raise OAuthError(400, "invalid_request", "Missing authorization code")
    code = state.codes.get(code_value)
    if code is None or code.client_id != application.client_id:
        raise OAuthError(400, "invalid_grant", f"Invalid authorization code: {code_value}")
    if code.used:
        raise OAuthError(400, "invalid_grant", f"Invalid authorization code: {code_value}")
    if world.now() - code.created_at > CODE_TTL:
        raise OAuthError(400, "invalid_grant", f"Invalid authorization code: {code_value}")
    if _param(call, "redirect_uri") != code.redirect_uri:
        raise OAuthError(400, "invalid_grant", "Redirect URI mismatch.")
    if code.code_challenge is not None and not _pkce_ok(
        _param(call, "code_verifier"), code.code_challenge, code.code_challenge_method
    ):
        raise OAuthError(400, "invalid_grant", "Invalid code verifier")
    code.used = True
    seller = world.sellers[code.seller_id]
    return issue_tokens(world, application, seller, scope=code.scope)


def _refresh(call: Call, application: Application) -> dict[str, Any]:
    world = call.world
    state = oauth_state(world)
    value = _param(call, "refresh_token") or ""
    refresh = state.refresh_tokens.get(value)
    invalid = OAuthError(400, "invalid_grant", f"Invalid refresh token: {value}")
    if refresh is None:
        raise invalid
    grant = state.grants.get(refresh.grant_id)
    now = world.now()
    if grant is None or grant.revoked or grant.client_id != application.client_id:
        raise invalid
    if refresh.expires_at <= now:
        raise invalid
    if refresh.superseded_at is not None and now - refresh.superseded_at > REFRESH_GRACE:
        raise invalid
    seller = world.sellers.get(grant.seller_id or "")
    if seller is None:
        raise invalid
    if refresh.superseded_at is None:
        refresh.superseded_at = now
    return issue_tokens(world, application, seller, grant=grant)


def _device_token(call: Call, application: Application) -> dict[str, Any]:
    world = call.world
    state = oauth_state(world)
    device_code = _param(call, "device_code") or ""
    device = state.devices.get(device_code)
    if device is None or device.client_id != application.client_id or device.consumed:
        raise OAuthError(400, "invalid_grant", "Invalid device code")
    if device.expires_at <= world.now():
        raise OAuthError(400, "expired_token", "Device code expired")
    if device.denied:
        raise OAuthError(400, "access_denied", "The user denied the authorization request")
    if device.seller_id is None:
        raise OAuthError(400, "authorization_pending", "Authorization pending")
    device.consumed = True
    return issue_tokens(world, application, world.sellers[device.seller_id], scope=device.scope)


@endpoint("POST", "/auth/oauth/device", auth="none", host="oauth", spec_checked=False)
def device(call: Call) -> Reply:
    application = _client_from_basic(call, required=False)
    world = call.world
    state = oauth_state(world)
    device_code = secrets.token_urlsafe(24)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    user_code = "".join(secrets.choice(alphabet) for _ in range(9))
    state.devices[device_code] = DeviceAuthorization(
        client_id=application.client_id,
        user_code=user_code,
        scope=_scope_list(_param(call, "scope"), default=USER_SCOPES),
        expires_at=world.now() + DEVICE_TTL,
    )
    base = call.request.host_url.rstrip("/")
    body = {
        "device_code": device_code,
        "expires_in": int(DEVICE_TTL.total_seconds()),
        "user_code": user_code,
        "interval": DEVICE_INTERVAL,
        "verification_uri": f"{base}/skojarz-aplikacje",
        "verification_uri_complete": f"{base}/skojarz-aplikacje?code={user_code}",
    }
    return Reply(200, body, content_type=JSON)


# -- HTML pages ------------------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8"><title>{title} | Allegro</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font-family:Arial,Helvetica,sans-serif;background:#f2f2f2;margin:0;color:#222}}
header{{background:#fff;padding:14px 24px;border-bottom:1px solid #ddd}}
header b{{color:#ff5a00;font-size:26px;letter-spacing:-1px}}
main{{max-width:440px;margin:40px auto;background:#fff;padding:28px 32px;border-radius:4px;
box-shadow:0 1px 3px rgba(0,0,0,.15)}}
h1{{font-size:21px;margin-top:0}} label{{display:block;margin:14px 0 4px;font-size:14px}}
input[type=text],input[type=password]{{width:100%;box-sizing:border-box;padding:10px;
border:1px solid #bbb;border-radius:2px;font-size:15px}}
.buttons{{display:flex;gap:12px;margin-top:22px}}
button{{flex:1;padding:11px;font-size:15px;border:0;border-radius:2px;cursor:pointer}}
button.allow{{background:#ff5a00;color:#fff}} button.deny{{background:#e6e6e6}}
.error{{background:#fdecea;border-left:4px solid #d32f2f;padding:10px;margin:12px 0;font-size:14px}}
ul{{font-size:14px;padding-left:20px}} small{{color:#767676}}
</style></head><body><header><b>allegro</b></header><main>{body}</main></body></html>"""


def _page(title: str, body: str, status: int = 200) -> Reply:
    text = _PAGE.format(title=html.escape(title), body=body)
    return Reply(status, text, content_type="text/html; charset=utf-8")


def _error_page(message: str, status: int = 400) -> Reply:
    number = secrets.randbelow(900000) + 100000
    body = (
        "<h1>Wystąpił błąd</h1>"
        f'<div class="error">{html.escape(message)}</div>'
        f"<p><small>Numer błędu: {number}. Podaj go, kontaktując się z autorem "
        "aplikacji.</small></p>"
    )
    return _page("Błąd", body, status)


def _hidden(fields: dict[str, str | None]) -> str:
    return "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
        if v is not None
    )


def _consent_form(
    application: Application, action: str, fields: dict[str, str | None], error: str | None
) -> str:
    error_html = f'<div class="error">{html.escape(error)}</div>' if error else ""
    return (
        f"<h1>Zaloguj się i zezwól aplikacji na dostęp</h1>{error_html}"
        f"<p>Aplikacja <strong>{html.escape(application.name)}</strong> prosi o dostęp do Twojego "
        "konta Allegro. Będzie mogła:</p>"
        "<ul><li>odczytywać i zmieniać Twoje oferty,</li><li>odczytywać zamówienia i zmieniać ich "
        "status,</li><li>odczytywać i zmieniać ustawienia sprzedaży,</li>"
        "<li>odczytywać dane Twojego konta.</li></ul>"
        f'<form method="post" action="{html.escape(action)}">{_hidden(fields)}'
        '<label for="login">Login lub e-mail</label>'
        '<input type="text" id="login" name="login" autocomplete="username" required>'
        '<label for="password">Hasło</label>'
        '<input type="password" id="password" name="password" autocomplete="current-password">'
        '<div class="buttons"><button class="deny" type="submit" name="decision" value="deny" '
        "formnovalidate>Anuluj</button>"
        '<button class="allow" type="submit" name="decision" value="allow">Zezwól</button></div>'
        "</form>"
    )


def _check_login(world: World, login: str | None, password: str | None) -> Seller | None:
    if not login:
        return None
    seller = world.seller_by_login(login)
    if seller is None:
        seller = next((s for s in world.sellers.values() if s.email == login), None)
    if seller is None or not secrets.compare_digest(seller.password, password or ""):
        return None
    return seller


_AUTHORIZE_FIELDS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "state",
    "scope",
    "code_challenge",
    "code_challenge_method",
    "prompt",
)


def _redirect(uri: str, params: dict[str, str | None]) -> Reply:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    location = f"{uri}{'&' if '?' in uri else '?'}{query}"
    return Reply(302, None, headers={"Location": location}, content_type="text/plain")


def _authorize_request(call: Call) -> tuple[Application, dict[str, str | None]] | Reply:
    fields = {name: _param(call, name) for name in _AUTHORIZE_FIELDS}
    application = call.world.applications.get(fields["client_id"] or "")
    if application is None:
        return _error_page("Nieprawidłowy identyfikator aplikacji (client_id).")
    if fields["redirect_uri"] not in application.redirect_uris:
        return _error_page(
            "Adres przekierowania (redirect_uri) nie zgadza się z adresem zarejestrowanym "
            "dla tej aplikacji."
        )
    return application, fields


@endpoint("GET", "/auth/oauth/authorize", auth="none", host="oauth", spec_checked=False)
def authorize_page(call: Call) -> Reply:
    checked = _authorize_request(call)
    if isinstance(checked, Reply):
        return checked
    application, fields = checked
    redirect_uri = fields["redirect_uri"] or ""
    if fields["response_type"] != "code":
        return _redirect(
            redirect_uri, {"error": "unsupported_response_type", "state": fields["state"]}
        )
    method = fields["code_challenge_method"]
    if method is not None and method not in ("S256", "plain"):
        return _redirect(redirect_uri, {"error": "invalid_request", "state": fields["state"]})
    body = _consent_form(application, "/auth/oauth/authorize", fields, None)
    return _page("Logowanie", body)


@endpoint("POST", "/auth/oauth/authorize", auth="none", host="oauth", spec_checked=False)
def authorize_submit(call: Call) -> Reply:
    checked = _authorize_request(call)
    if isinstance(checked, Reply):
        return checked
    application, fields = checked
    redirect_uri = fields["redirect_uri"] or ""
    form = call.request.form
    if form.get("decision") == "deny":
        return _redirect(redirect_uri, {"error": "access_denied", "state": fields["state"]})
    seller = _check_login(call.world, form.get("login"), form.get("password"))
    if seller is None:
        body = _consent_form(
            application, "/auth/oauth/authorize", fields, "Nieprawidłowy login lub hasło."
        )
        return _page("Logowanie", body, 401)
    state = oauth_state(call.world)
    code = secrets.token_urlsafe(24)
    state.codes[code] = AuthorizationCode(
        client_id=application.client_id,
        seller_id=seller.id,
        redirect_uri=redirect_uri,
        scope=_scope_list(fields["scope"], default=USER_SCOPES),
        created_at=call.world.now(),
        code_challenge=fields["code_challenge"],
        code_challenge_method=fields["code_challenge_method"],
    )
    return _redirect(redirect_uri, {"code": code, "state": fields["state"]})


def _device_by_user_code(world: World, user_code: str | None) -> DeviceAuthorization | None:
    if not user_code:
        return None
    wanted = user_code.strip().lower().replace("-", "")
    for device in oauth_state(world).devices.values():
        if device.user_code == wanted and device.expires_at > world.now():
            return device
    return None


def _device_form(code: str | None, error: str | None, application: Application | None) -> str:
    error_html = f'<div class="error">{html.escape(error)}</div>' if error else ""
    who = (
        f"<p>Aplikacja <strong>{html.escape(application.name)}</strong> prosi o dostęp do "
        "Twojego konta Allegro.</p>"
        if application
        else "<p>Wpisz kod wyświetlony przez aplikację, zaloguj się i zezwól na dostęp.</p>"
    )
    return (
        f"<h1>Skojarz aplikację z kontem Allegro</h1>{error_html}{who}"
        '<form method="post" action="/skojarz-aplikacje">'
        '<label for="code">Kod aplikacji</label>'
        f'<input type="text" id="code" name="code" value="{html.escape(code or "")}" required>'
        '<label for="login">Login lub e-mail</label>'
        '<input type="text" id="login" name="login" autocomplete="username">'
        '<label for="password">Hasło</label>'
        '<input type="password" id="password" name="password" autocomplete="current-password">'
        '<div class="buttons"><button class="deny" type="submit" name="decision" value="deny" '
        "formnovalidate>Anuluj</button>"
        '<button class="allow" type="submit" name="decision" value="allow">Zezwól</button></div>'
        "</form>"
    )


@endpoint("GET", "/skojarz-aplikacje", auth="none", host="oauth", spec_checked=False)
def device_page(call: Call) -> Reply:
    code = call.request.args.get("code")
    device = _device_by_user_code(call.world, code)
    application = call.world.applications.get(device.client_id) if device else None
    error = "Nieprawidłowy lub wygasły kod." if code and device is None else None
    return _page("Skojarz aplikację", _device_form(code, error, application))


@endpoint("POST", "/skojarz-aplikacje", auth="none", host="oauth", spec_checked=False)
def device_submit(call: Call) -> Reply:
    form = call.request.form
    code = form.get("code")
    device = _device_by_user_code(call.world, code)
    if device is None:
        return _page(
            "Skojarz aplikację", _device_form(code, "Nieprawidłowy lub wygasły kod.", None), 400
        )
    application = call.world.applications.get(device.client_id)
    if form.get("decision") == "deny":
        device.denied = True
        return _page("Skojarz aplikację", "<h1>Odmówiono dostępu</h1><p>Możesz zamknąć okno.</p>")
    seller = _check_login(call.world, form.get("login"), form.get("password"))
    if seller is None:
        body = _device_form(code, "Nieprawidłowy login lub hasło.", application)
        return _page("Skojarz aplikację", body, 401)
    device.seller_id = seller.id
    name = html.escape(application.name if application else "")
    return _page(
        "Skojarz aplikację",
        f"<h1>Gotowe</h1><p>Aplikacja <strong>{name}</strong> została powiązana z kontem "
        f"<strong>{html.escape(seller.login)}</strong>. Możesz wrócić do aplikacji.</p>",
    )
