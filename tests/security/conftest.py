"""The Allegro fixtures (in-process emulator, staff browser, linked account) for these tests."""

from tests.shop.allegro.conftest import (  # noqa: F401  (fixtures, found by name)
    allegro,
    configured_account,
    linked_account,
    site_client,
)
