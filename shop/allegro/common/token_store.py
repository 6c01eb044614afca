"""The account's tokens in the database, refreshed by one worker at a time.

Allegro rotates refresh tokens: every refresh returns a new pair and the old refresh token dies
60 seconds later, so two workers refreshing at once break the chain. Refreshes are therefore
single-flight per account through a short *lease* taken under a row lock: the holder calls
Allegro with no transaction open (no lock is held across the network), then commits the new
pair before anyone uses it; the others wait for the lease to end and read the new pair.
``invalid_grant`` marks the account "re-link required" and stops its jobs.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allegro_api import InvalidGrant, NotAuthenticated, TokenSet
from shop.allegro.models import AllegroAccount, LinkStatus
from shop.core.redact import redact

logger = logging.getLogger(__name__)

LEASE_SECONDS = 30
WAIT_STEP_SECONDS = 0.05


def token_set_of(account: AllegroAccount) -> TokenSet | None:
    if not account.access_token or account.token_expires_at is None:
        return None
    return TokenSet(
        access_token=account.access_token,
        refresh_token=account.refresh_token or None,
        expires_at=account.token_expires_at,
        scope=account.token_scope,
    )


def account_tokens_save(*, account_id: int, token: TokenSet, lease_owner: str = "") -> None:
    with transaction.atomic():
        account = AllegroAccount.objects.select_for_update().get(pk=account_id)
        account.access_token = token.access_token
        account.refresh_token = token.refresh_token or account.refresh_token
        account.token_expires_at = token.expires_at
        account.token_scope = token.scope
        account.token_refreshed_at = timezone.now()
        if not lease_owner or account.refresh_lease_owner == lease_owner:
            account.refresh_lease_until = None
            account.refresh_lease_owner = ""
        account.save()


def account_mark_relink_required(*, account_id: int, reason: str) -> None:
    AllegroAccount.objects.filter(pk=account_id).update(
        status=LinkStatus.RELINK_REQUIRED,
        relink_reason=redact(reason)[:255],
        refresh_lease_until=None,
        refresh_lease_owner="",
    )


class DatabaseTokenStore:
    def __init__(self, account_id: int, *, max_wait: float = LEASE_SECONDS + 5):
        self.account_id = account_id
        self.max_wait = max_wait

    def load(self) -> TokenSet | None:
        account = AllegroAccount.objects.get(pk=self.account_id)
        if account.status == LinkStatus.RELINK_REQUIRED:
            raise NotAuthenticated("the Allegro account needs to be linked again")
        return token_set_of(account)

    def refresh(
        self,
        refresher: Callable[[TokenSet], TokenSet],
        *,
        is_stale: Callable[[TokenSet], bool],
    ) -> TokenSet:
        deadline = time.monotonic() + self.max_wait
        owner = uuid.uuid4().hex
        while True:
            with transaction.atomic():
                account = AllegroAccount.objects.select_for_update().get(pk=self.account_id)
                if account.status == LinkStatus.RELINK_REQUIRED:
                    raise NotAuthenticated("the Allegro account needs to be linked again")
                current = token_set_of(account)
                if current is None:
                    raise NotAuthenticated("the Allegro account is not linked")
                if not is_stale(current):
                    return current
                now = timezone.now()
                lease_free = (
                    account.refresh_lease_until is None or account.refresh_lease_until < now
                )
                if lease_free:
                    account.refresh_lease_until = now + timedelta(seconds=LEASE_SECONDS)
                    account.refresh_lease_owner = owner
                    account.save(update_fields=["refresh_lease_until", "refresh_lease_owner"])
            if lease_free:
                break
            if time.monotonic() > deadline:
                raise NotAuthenticated("timed out waiting for another worker's token refresh")
            time.sleep(WAIT_STEP_SECONDS)

        try:
            new = refresher(current)
        except InvalidGrant as exc:
            logger.warning("Allegro refused the refresh token of account %s", self.account_id)
            # Allegro's description quotes the refused token: only its error code is kept.
            account_mark_relink_required(
                account_id=self.account_id,
                reason=_(
                    "Allegro odrzuciło token odświeżania (%(error)s): hasło zmieniono, dostęp "
                    "cofnięto albo token wygasł."
                )
                % {"error": exc.error or "invalid_grant"},
            )
            raise
        except BaseException:
            AllegroAccount.objects.filter(pk=self.account_id, refresh_lease_owner=owner).update(
                refresh_lease_until=None, refresh_lease_owner=""
            )
            raise
        account_tokens_save(account_id=self.account_id, token=new, lease_owner=owner)
        return new
