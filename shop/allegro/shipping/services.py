"""Delivery price lists kept in step with ``/sale/shipping-rates``.

Every write goes to Allegro first and is mirrored only from Allegro's answer; no request is made
inside a database transaction. Allegro has no DELETE for price lists and refuses the 251st, so
"hide" is local only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from allegro_api import AllegroAPIError, AllegroError, AllegroTransportError, ServerError
from allegro_api.models.shipping import ShippingRatesSet
from shop.allegro.common.client import client_for
from shop.allegro.common.errors import describe_error
from shop.allegro.models import AllegroAccount, AllegroDeliveryMethod, AllegroShippingRates
from shop.allegro.models.shipping import MAX_SHIPPING_RATES
from shop.allegro.shipping.mapping import Constraints, carrier_of, cheapest_first_item, fingerprint
from shop.core.errors import ApplicationError
from shop.core.services.audit import audit_log_write

logger = logging.getLogger(__name__)
User = AbstractBaseUser | AnonymousUser | None
MARKETPLACE = "allegro-pl"
# Cached delivery methods are read again after this long (or with the refresh button).
DELIVERY_METHODS_MAX_AGE = timedelta(days=7)


class ShippingRatesError(ApplicationError):
    """Refused before or by Allegro; ``errors`` are Allegro's ``(path, message)`` pairs."""

    def __init__(self, message: str, *, errors: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


class ShippingRatesDrift(ApplicationError):
    """The list changed on Allegro since the form was opened; ``remote`` is Allegro's version."""

    def __init__(self, message: str, *, remote: ShippingRatesSet) -> None:
        super().__init__(message)
        self.remote = remote


# --- delivery methods ---------------------------------------------------------------------


def delivery_methods_refresh(*, account: AllegroAccount) -> int:
    """Read ``/sale/delivery-methods`` and replace the account's cached copy."""
    with client_for(account) as client:
        methods = client.delivery_methods.list(marketplace=MARKETPLACE).delivery_methods
    now = timezone.now()
    rows = [
        AllegroDeliveryMethod(
            account=account,
            allegro_id=str(method.id),
            name=str(method.name or method.id),
            carrier=carrier_of(str(method.name or method.id)),
            payment_policy=str(method.payment_policy or ""),
            allowed=Constraints.of(method).allowed,
            position=position,
            raw=method.to_api(),
            fetched_at=now,
        )
        for position, method in enumerate(methods)
        if method.id
    ]
    with transaction.atomic():
        AllegroDeliveryMethod.objects.filter(account=account).delete()
        AllegroDeliveryMethod.objects.bulk_create(rows)
    return len(rows)


def delivery_methods_ensure(*, account: AllegroAccount) -> None:
    """Fill the cache when it is empty or old; otherwise no request is made."""
    newest = (
        AllegroDeliveryMethod.objects.filter(account=account)
        .order_by("-fetched_at")
        .values_list("fetched_at", flat=True)
        .first()
    )
    if newest is None or timezone.now() - newest > DELIVERY_METHODS_MAX_AGE:
        delivery_methods_refresh(account=account)


# --- the mirror -----------------------------------------------------------------------------


def _mirror_store(
    *,
    account: AllegroAccount,
    rates_set: ShippingRatesSet,
    features: dict[str, Any] | None = None,
    created_here: bool | None = None,
) -> tuple[AllegroShippingRates, bool]:
    features = {**(features or {}), **(rates_set.features or {})}
    modified = rates_set.last_modified
    defaults: dict[str, Any] = {
        "name": str(rates_set.name or "")[:64],
        "rates_type": str(rates_set.type or ""),
        "dispatch_country": str(rates_set.dispatch_country or ""),
        "managed_by_allegro": bool(features.get("managedByAllegro")),
        "cheapest_first_item": cheapest_first_item(rates_set),
        "last_modified": parse_datetime(modified) if modified else None,
        "fingerprint": fingerprint(rates_set),
        "synced_at": timezone.now(),
        "raw": rates_set.to_api(),
    }
    if created_here is not None:
        defaults["created_here"] = created_here
    return AllegroShippingRates.objects.update_or_create(
        account=account, allegro_id=str(rates_set.id), defaults=defaults
    )


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated


def shipping_rates_import(*, account: AllegroAccount, user: User = None) -> ImportResult:
    """Mirror every price list of the account (``GET /sale/shipping-rates`` and each one)."""
    result = ImportResult()
    delivery_methods_ensure(account=account)
    with client_for(account) as client:
        summaries = client.shipping_rates.list().shipping_rates
        for summary in summaries:
            if not summary.id:
                continue
            try:
                details = client.shipping_rates.get(summary.id)
            except AllegroAPIError as exc:
                result.failed.append(f"{summary.name}: {describe_error(exc)}")
                continue
            with transaction.atomic():
                _rates, created = _mirror_store(
                    account=account, rates_set=details, features=summary.features
                )
            if created:
                result.created += 1
            else:
                result.updated += 1
    audit_log_write(
        action="allegro.shipping_rates.import",
        obj=account,
        user=user,
        changes={
            "created": result.created,
            "updated": result.updated,
            "failed": len(result.failed),
        },
    )
    return result


def shipping_rates_import_after_link(*, account_id: int) -> None:
    """Import once an account is linked; a failure is logged and retried from the list page."""
    account = AllegroAccount.objects.filter(pk=account_id).first()
    if account is None:
        return
    try:
        shipping_rates_import(account=account)
    except AllegroError:
        logger.warning("importing shipping rates of account %s failed", account_id, exc_info=True)


def shipping_rates_count(*, account: AllegroAccount) -> int:
    return AllegroShippingRates.objects.filter(account=account).count()


def _rejected(exc: AllegroError) -> ShippingRatesError:
    errors: list[tuple[str, str]] = []
    if isinstance(exc, AllegroAPIError):
        errors = [(e.path or "", e.user_message or e.message or "") for e in exc.errors]
    return ShippingRatesError(describe_error(exc), errors=errors)


def _adopt_after_ambiguous_create(
    *, account: AllegroAccount, name: str
) -> AllegroShippingRates | None:
    """After a create that may have happened, take the list Allegro has under that name."""
    known = set(
        AllegroShippingRates.objects.filter(account=account).values_list("allegro_id", flat=True)
    )
    with client_for(account) as client:
        for summary in client.shipping_rates.list().shipping_rates:
            if summary.id and summary.id not in known and summary.name == name:
                remote = client.shipping_rates.get(summary.id)
                with transaction.atomic():
                    rates, _created = _mirror_store(
                        account=account, rates_set=remote, created_here=True
                    )
                return rates
    return None


def shipping_rates_create(
    *, account: AllegroAccount, body: dict[str, Any], user: User = None
) -> AllegroShippingRates:
    """``POST /sale/shipping-rates`` and mirror the answer; refused locally at 250 lists."""
    if shipping_rates_count(account=account) >= MAX_SHIPPING_RATES:
        raise ShippingRatesError(
            _(
                "Konto ma już %(max)d cenników dostawy — tyle, ile pozwala Allegro. Allegro nie "
                "pozwala ich usuwać: zmień jeden z istniejących cenników zamiast dodawać nowy."
            )
            % {"max": MAX_SHIPPING_RATES}
        )
    try:
        with client_for(account) as client:
            created = client.shipping_rates.create(body)
    except (AllegroTransportError, ServerError) as exc:
        # The list may exist although the answer was lost: never POST it a second time blindly.
        adopted = _adopt_after_ambiguous_create(account=account, name=str(body.get("name")))
        if adopted is None:
            raise _rejected(exc) from exc
        created = ShippingRatesSet.model_validate(adopted.raw)
    except AllegroError as exc:
        raise _rejected(exc) from exc
    with transaction.atomic():
        rates, _created = _mirror_store(account=account, rates_set=created, created_here=True)
        audit_log_write(
            action="allegro.shipping_rates.create",
            obj=rates,
            user=user,
            changes={"allegro_id": rates.allegro_id, "body": body},
        )
    return rates


def shipping_rates_remote(*, rates: AllegroShippingRates) -> ShippingRatesSet:
    with client_for(rates.account) as client:
        return client.shipping_rates.get(rates.allegro_id)


def shipping_rates_drift(*, rates: AllegroShippingRates) -> ShippingRatesSet | None:
    """Allegro's version when it differs from the mirror, else ``None``."""
    remote = shipping_rates_remote(rates=rates)
    return remote if fingerprint(remote) != rates.fingerprint else None


def shipping_rates_replace(
    *,
    rates: AllegroShippingRates,
    body: dict[str, Any],
    base_fingerprint: str,
    overwrite: bool = False,
    user: User = None,
) -> AllegroShippingRates:
    """``PUT`` the whole list, unless it changed on Allegro since the form was opened.

    ``base_fingerprint`` is the version the merchant edited; when Allegro's current version
    differs, :class:`ShippingRatesDrift` lets the merchant choose (``overwrite=True`` keeps
    the merchant's version).
    """
    if rates.managed_by_allegro:
        raise ShippingRatesError(
            _("Ten cennik jest zarządzany przez Allegro i nie można go zmieniać.")
        )
    body = {**body, "id": rates.allegro_id}
    try:
        with client_for(rates.account) as client:
            if not overwrite:
                remote = client.shipping_rates.get(rates.allegro_id)
                if fingerprint(remote) != base_fingerprint:
                    raise ShippingRatesDrift(
                        _("Cennik zmieniono w Allegro po otwarciu formularza."), remote=remote
                    )
            replaced = client.shipping_rates.update(rates.allegro_id, body)
    except AllegroError as exc:
        raise _rejected(exc) from exc
    before = rates.raw
    with transaction.atomic():
        rates, _created = _mirror_store(account=rates.account, rates_set=replaced)
        audit_log_write(
            action="allegro.shipping_rates.replace",
            obj=rates,
            user=user,
            changes={"before": before, "after": body, "overwrite": overwrite},
        )
    return rates


def shipping_rates_take_remote(
    *, rates: AllegroShippingRates, user: User = None
) -> AllegroShippingRates:
    """Keep Allegro's version: read it and store it as the mirror."""
    remote = shipping_rates_remote(rates=rates)
    with transaction.atomic():
        rates, _created = _mirror_store(account=rates.account, rates_set=remote)
        audit_log_write(action="allegro.shipping_rates.take_remote", obj=rates, user=user)
    return rates


def shipping_rates_set_hidden(
    *, rates: AllegroShippingRates, hidden: bool, user: User = None
) -> AllegroShippingRates:
    """Hide a list here only: Allegro has no way to delete one."""
    with transaction.atomic():
        rates.hidden = hidden
        rates.save(update_fields=["hidden", "updated_at"])
        audit_log_write(
            action="allegro.shipping_rates.hide" if hidden else "allegro.shipping_rates.unhide",
            obj=rates,
            user=user,
        )
    return rates
