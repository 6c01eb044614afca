"""Scheduled work of account linking: keeping the tokens fresh."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allegro_api import AllegroError
from shop.allegro.common.client import oauth_client_for
from shop.allegro.common.selectors import accounts_usable
from shop.allegro.common.token_store import DatabaseTokenStore
from shop.scheduler.registry import register_job

# Refresh when less than this is left of the 12-hour access token...
REFRESH_AHEAD = timedelta(hours=2)
# ...and at least this often, so the 3-month refresh-token window never lapses.
REFRESH_AT_LEAST_EVERY = timedelta(days=7)


@register_job(
    "allegro.refresh_tokens",
    title=_("Allegro: odświeżanie tokenów"),
    every_seconds=15 * 60,
    count_labels={"refreshed": _("odświeżone tokeny")},
)
def refresh_tokens() -> dict[str, int]:
    counts = {"accounts": 0, "refreshed": 0, "failed": 0}
    now = timezone.now()
    for account in accounts_usable():
        counts["accounts"] += 1
        last = account.token_refreshed_at or account.linked_at or now

        def stale(token, last=last):  # type: ignore[no-untyped-def]
            return token.expires_at - timezone.now() < REFRESH_AHEAD or (
                timezone.now() - last > REFRESH_AT_LEAST_EVERY
            )

        oauth = oauth_client_for(account)
        try:
            before = account.token_expires_at
            token = DatabaseTokenStore(account.pk).refresh(oauth.refresh, is_stale=stale)
            if token.expires_at != before:
                counts["refreshed"] += 1
        except AllegroError:
            counts["failed"] += 1
        finally:
            oauth.close()
    return counts
