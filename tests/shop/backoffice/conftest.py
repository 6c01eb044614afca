from tests.shop.allegro.conftest import (  # noqa: F401 - the Allegro tests' fixtures, reused
    allegro,
    configured_account,
    linked_account,
    site_client,
)
