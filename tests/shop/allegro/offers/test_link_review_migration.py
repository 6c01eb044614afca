"""Migration 0017: links the import made by a bare key are held for review; the merchant's stay."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

BEFORE = ("allegro", "0016_sync_guard")
AFTER = ("allegro", "0017_offer_link_review")


@pytest.fixture
def executor(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)


def migrate_to(executor: MigrationExecutor, target: tuple[str, str]) -> StateApps:
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_automatic_links_wait_for_review_and_come_back(executor):  # type: ignore[no-untyped-def]
    executor.loader.build_graph()
    apps = executor.loader.project_state([BEFORE]).apps
    Account = apps.get_model("allegro", "AllegroAccount")
    Offer = apps.get_model("allegro", "AllegroOffer")
    Product = apps.get_model("catalog", "Product")
    account = Account.objects.create(login="sprzedawca")
    book = Product.objects.create(name="Solaris", sku="KS-0004", price=Decimal("34.99"))
    mug = Product.objects.create(name="Kubek", sku="KUB-1", price=Decimal(5))
    by_sku = Offer.objects.create(
        account=account, allegro_id="1", product=book, link_source="sku", needs_push=True
    )
    by_hand = Offer.objects.create(
        account=account, allegro_id="2", product=mug, link_source="manual"
    )
    free = Offer.objects.create(account=account, allegro_id="3")

    apps = migrate_to(executor, AFTER)
    Offer = apps.get_model("allegro", "AllegroOffer")
    held = Offer.objects.get(pk=by_sku.pk)
    assert (held.product_id, held.proposed_product_id, held.link_status) == (
        None,
        book.pk,
        "to_review",
    )
    assert held.needs_push is False and held.link_evidence["reasons"] == ["legacy"]
    kept = Offer.objects.get(pk=by_hand.pk)
    assert (kept.product_id, kept.link_status) == (mug.pk, "confirmed")
    assert Offer.objects.get(pk=free.pk).link_status == ""

    apps = migrate_to(executor, BEFORE)
    Offer = apps.get_model("allegro", "AllegroOffer")
    assert Offer.objects.get(pk=by_sku.pk).product_id == book.pk
    assert Offer.objects.get(pk=by_hand.pk).product_id == mug.pk
