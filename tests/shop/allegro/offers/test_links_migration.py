"""Migration 0013: the order pages' offer links move onto the offer mirrors."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

BEFORE = ("allegro", "0011_offer_list_indexes")
AFTER = ("allegro", "0013_offer_product_link_unified")


@pytest.fixture
def executor(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])
    yield executor
    executor = MigrationExecutor(connection)  # the graph state changed: reload it
    executor.migrate(leaves)


def old_state(executor: MigrationExecutor) -> StateApps:
    executor.loader.build_graph()
    return executor.loader.project_state([BEFORE]).apps


def migrate_to(executor: MigrationExecutor, target: tuple[str, str]) -> StateApps:
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def test_links_move_onto_mirrors_and_back(executor):  # type: ignore[no-untyped-def]
    apps = old_state(executor)
    Account = apps.get_model("allegro", "AllegroAccount")
    Offer = apps.get_model("allegro", "AllegroOffer")
    Link = apps.get_model("allegro", "AllegroOfferProductLink")
    Form = apps.get_model("allegro", "AllegroCheckoutForm")
    Line = apps.get_model("allegro", "AllegroLineItem")
    Product = apps.get_model("catalog", "Product")
    account = Account.objects.create(login="sprzedawca")
    other_account = Account.objects.create(login="inny")
    mug = Product.objects.create(name="Kubek", sku="KUB-1", price=Decimal(5))
    plate = Product.objects.create(name="Talerz", sku="TAL-1", price=Decimal(9))
    # A mirror the import linked by SKU to another product: the merchant's link wins.
    mirrored = Offer.objects.create(
        account=account, allegro_id="7100000001", status="active", name="Kubek", product=plate
    )
    # The same offer id on another account is a different offer and stays as it is.
    foreign = Offer.objects.create(account=other_account, allegro_id="7100000001", name="Obcy")
    form = Form.objects.create(account=account, form_id="f-1")
    Line.objects.create(form=form, line_item_id="l-1", offer_id="7100000002", offer_name="Stara")
    Line.objects.create(form=form, line_item_id="l-2", offer_id="7100000002", offer_name="Nowa")
    Link.objects.create(account=account, offer_id="7100000001", product=mug)
    Link.objects.create(account=account, offer_id="7100000002", product=plate)
    Link.objects.create(account=account, offer_id="7100000003", product=mug)

    apps = migrate_to(executor, AFTER)
    Offer = apps.get_model("allegro", "AllegroOffer")
    rows = {
        o.allegro_id: o
        for o in Offer.objects.filter(account_id=account.pk).select_related("product")
    }
    assert set(rows) == {"7100000001", "7100000002", "7100000003"}
    moved = rows["7100000001"]
    assert (moved.pk, moved.product.sku, moved.status) == (mirrored.pk, "KUB-1", "active")
    assert moved.link_source == "order_page" and moved.linked_at is not None
    stub = rows["7100000002"]
    assert (stub.product.sku, stub.status, stub.name) == ("TAL-1", "inactive", "Nowa")
    assert (rows["7100000003"].product.sku, rows["7100000003"].name) == ("KUB-1", "")
    assert Offer.objects.get(pk=foreign.pk).product_id is None
    assert "allegro_allegroofferproductlink" not in connection.introspection.table_names()

    apps = migrate_to(executor, BEFORE)
    Link = apps.get_model("allegro", "AllegroOfferProductLink")
    assert set(Link.objects.values_list("account_id", "offer_id", "product_id")) == {
        (account.pk, "7100000001", mug.pk),
        (account.pk, "7100000002", plate.pk),
        (account.pk, "7100000003", mug.pk),
    }
