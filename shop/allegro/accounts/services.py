"""Configuring an Allegro account and linking it through OAuth (authorisation code + PKCE)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from allegro_api import (
    AllegroError,
    InMemoryTokenStore,
    make_code_challenge,
    make_code_verifier,
    make_state,
)
from shop.allegro.common.account_jobs import account_jobs_schedule
from shop.allegro.common.client import client_for, oauth_client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.common.token_store import account_tokens_save
from shop.allegro.models import AllegroAccount, LinkStatus
from shop.allegro.shipping.services import shipping_rates_import_after_link
from shop.core.errors import ApplicationError
from shop.core.services.audit import audit_log_write

User = AbstractBaseUser | AnonymousUser | None
# How long a started link may wait for the seller to come back from Allegro.
LINK_STATE_MAX_AGE_SECONDS = 15 * 60
CONFIG_FIELDS = ("enabled", "sandbox", "client_id", "province", "city", "post_code")


class LinkError(ApplicationError):
    pass


class OtherSellerError(LinkError):
    """The seller who logged in at Allegro is not the one this account was linked to."""

    def __init__(self, message: str, *, login: str):
        super().__init__(message)
        self.login = login


def redirect_uri() -> str:
    """The callback address to register at Allegro, exactly (scheme, host, port, path)."""
    return settings.SITE_URL + reverse("allegro:callback")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def address_mismatch(current_url: str) -> str | None:
    """The right address when the page is open at another scheme, host, ``www.`` or port."""
    if origin_of(current_url) == origin_of(settings.SITE_URL):
        return None
    return settings.SITE_URL + urlsplit(current_url).path


def account_configure(
    *, account: AllegroAccount, data: dict[str, Any], user: User = None
) -> AllegroAccount:
    """Save the configuration; an empty secret keeps the stored one (it is write-only)."""
    before = {f: getattr(account, f) for f in CONFIG_FIELDS}
    for field in CONFIG_FIELDS:
        setattr(account, field, data[field])
    secret_changed = bool(data.get("client_secret"))
    if secret_changed:
        account.client_secret = data["client_secret"]
    with transaction.atomic():
        account.save()
        changes = {
            f: {"before": before[f], "after": getattr(account, f)}
            for f in CONFIG_FIELDS
            if before[f] != getattr(account, f)
        }
        if secret_changed:
            changes["client_secret"] = {"changed": True}
        audit_log_write(action="allegro.configure", obj=account, user=user, changes=changes)
    return account


@dataclass(frozen=True)
class LinkStart:
    url: str
    state: str
    verifier: str


def account_link_start(*, account: AllegroAccount, current_url: str) -> LinkStart:
    """The Allegro authorisation URL, refused when opened at the wrong address."""
    if not account.client_id or not account.client_secret:
        raise LinkError(_("Najpierw wpisz i zapisz Client ID oraz Client Secret."))
    right = address_mismatch(current_url)
    if right is not None:
        raise LinkError(
            _(
                "Panel jest otwarty pod innym adresem niż zarejestrowany w Allegro adres "
                "przekierowania, więc Allegro odrzuciłoby powiązanie. Otwórz %(url)s i spróbuj "
                "ponownie."
            )
            % {"url": right}
        )
    state, verifier = make_state(), make_code_verifier()
    oauth = oauth_client_for(account)
    try:
        url = oauth.authorization_url(
            redirect_uri=redirect_uri(),
            state=state,
            code_challenge=make_code_challenge(verifier),
            prompt="confirm",
        )
    finally:
        oauth.close()
    return LinkStart(url=url, state=state, verifier=verifier)


def account_link_complete(
    *, account: AllegroAccount, code: str, verifier: str, user: User = None
) -> AllegroAccount:
    """Exchange the code, read ``/me``, store the tokens: all or nothing."""
    oauth = oauth_client_for(account)
    try:
        token = oauth.exchange_code(code=code, redirect_uri=redirect_uri(), code_verifier=verifier)
        with client_for(account, token_store=InMemoryTokenStore(token)) as client:
            me = client.me.get()
    except AllegroError as exc:
        audit_log_write(
            action="allegro.link_failed",
            obj=account,
            user=user,
            changes={"error": describe_error(exc)},
        )
        raise LinkError(describe_error(exc)) from exc
    finally:
        oauth.close()
    seller_id, login = str(me.id or ""), str(me.login or "")
    if account.seller_id and seller_id != account.seller_id:
        # Its cursors, offers, orders and price lists belong to the first seller: nothing is
        # merged. The tokens are dropped; the merchant may add the other seller as a new account.
        audit_log_write(
            action="allegro.link_refused_other_seller",
            obj=account,
            user=user,
            changes={"linked_login": account.login, "offered_login": login},
        )
        raise OtherSellerError(
            _(
                "W Allegro zalogowano się jako %(other)s, a to konto sklepu jest powiązane "
                "z kontem %(login)s. Niczego nie połączono. Aby sprzedawać także jako %(other)s, "
                "dodaj je jako nowe konto."
            )
            % {"other": login, "login": account.login},
            login=login,
        )
    other = (
        AllegroAccount.objects.filter(seller_id=seller_id, status=LinkStatus.LINKED)
        .exclude(pk=account.pk)
        .first()
    )
    if other is not None and other.client_id == account.client_id:
        raise LinkError(
            _("Konto Allegro %(login)s jest już powiązane jako osobne konto w sklepie.")
            % {"login": login}
        )
    with transaction.atomic():
        account_tokens_save(account_id=account.pk, token=token)
        AllegroAccount.objects.filter(pk=account.pk).update(
            status=LinkStatus.LINKED,
            seller_id=seller_id,
            login=login,
            linked_at=timezone.now(),
            relink_reason="",
        )
        account.refresh_from_db()
        audit_log_write(
            action="allegro.link",
            obj=account,
            user=user,
            changes={"login": login, "seller_id": seller_id},
        )
        transaction.on_commit(lambda: shipping_rates_import_after_link(account_id=account.pk))
        transaction.on_commit(lambda: account_jobs_schedule(account=account))
    return account


def account_unlink(*, account: AllegroAccount, user: User = None) -> AllegroAccount:
    with transaction.atomic():
        login = account.login
        account.access_token = ""
        account.refresh_token = ""
        account.token_expires_at = None
        account.token_scope = ""
        account.status = LinkStatus.UNLINKED
        account.relink_reason = ""
        account.save()
        audit_log_write(action="allegro.unlink", obj=account, user=user, changes={"login": login})
    return account


def account_check_connection(*, account: AllegroAccount) -> str:
    """Read ``/me`` with the stored tokens (refreshing them if due); the seller's login."""
    with client_for(account) as client:
        return str(client.me.get().login or "")
