from __future__ import annotations

from typing import Any

import pytest

from shop.allegro.invoices.demo import demo_invoice_settings_ensure


@pytest.fixture(autouse=True)
def seller_details(db: Any) -> None:
    """The shop issues invoices only with its seller details filled; these tests assume them."""
    demo_invoice_settings_ensure()
