"""The demo shop's seller details, so that its invoices can be issued at once."""

from __future__ import annotations

from shop.allegro.models import InvoiceSettings

DEMO_SELLER = {
    "seller_name": "Sklep Demo sp. z o.o.",
    "seller_address": "ul. Przykładowa 1\n60-001 Poznań",
    "seller_nip": "1234567883",  # a made-up NIP with a valid checksum
    "place": "Poznań",
}


def demo_invoice_settings_ensure() -> None:
    """Fill the seller details once; never overwrite what the merchant has set."""
    if not InvoiceSettings.objects.exists():
        InvoiceSettings.objects.create(**DEMO_SELLER)
