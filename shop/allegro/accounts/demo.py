"""With the emulator configured, the demo starts with the module set up for it."""

from __future__ import annotations

from django.conf import settings

from shop.allegro.models import AllegroAccount, Province

# The emulator's built-in demo application (fake_allegro, docs/emulator.md).
DEMO_CLIENT_ID = "demo-client-id"
DEMO_CLIENT_SECRET = "demo-client-secret"  # noqa: S105 - the emulator's public demo secret


def demo_allegro_account_setup() -> AllegroAccount | None:
    if not settings.ALLEGRO_EMULATOR_URL or AllegroAccount.objects.exists():
        return None
    return AllegroAccount.objects.create(
        enabled=True,
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        province=Province.WIELKOPOLSKIE,
        city="Poznań",
        post_code="61-001",
    )
