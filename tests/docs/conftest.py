from tests.e2e.conftest import (  # noqa: F401 - the browser fixtures of the end-to-end tests
    linked_live_account,
    live_emulator,
    page,
    staff_page,
)
