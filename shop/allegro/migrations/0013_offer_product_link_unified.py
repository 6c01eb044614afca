"""One offer → product link: ``AllegroOffer.product``.

The links the merchant made on Allegro order pages (``AllegroOfferProductLink``) move onto the
offer mirror with the same account and offer id; an offer the shop never read gets a minimal,
inactive mirror (named after the order line) to carry its link. Then the old table goes.
"""

from django.db import migrations, models

ORDER_PAGE = "order_page"
INACTIVE = "inactive"
NAME_MAX = 75


def links_move(apps, schema_editor):
    Link = apps.get_model("allegro", "AllegroOfferProductLink")
    Offer = apps.get_model("allegro", "AllegroOffer")
    LineItem = apps.get_model("allegro", "AllegroLineItem")
    for link in Link.objects.order_by("pk").iterator():
        # The merchant's answer wins over a link the import matched by SKU.
        moved = Offer.objects.filter(account_id=link.account_id, allegro_id=link.offer_id).update(
            product_id=link.product_id, linked_at=link.updated_at, link_source=ORDER_PAGE
        )
        if moved:
            continue
        name = (
            LineItem.objects.filter(form__account_id=link.account_id, offer_id=link.offer_id)
            .order_by("-pk")
            .values_list("offer_name", flat=True)
            .first()
        )
        Offer.objects.create(
            account_id=link.account_id,
            allegro_id=link.offer_id,
            status=INACTIVE,
            name=(name or "")[:NAME_MAX],
            product_id=link.product_id,
            linked_at=link.updated_at,
            link_source=ORDER_PAGE,
        )
    if schema_editor.connection.vendor == "postgresql":
        # Check the new foreign keys now, so dropping the old table below does not meet
        # pending trigger events in this transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def links_restore(apps, schema_editor):
    Link = apps.get_model("allegro", "AllegroOfferProductLink")
    Offer = apps.get_model("allegro", "AllegroOffer")
    Link.objects.bulk_create(
        Link(account_id=account_id, offer_id=allegro_id, product_id=product_id)
        for account_id, allegro_id, product_id in Offer.objects.filter(
            link_source=ORDER_PAGE, product__isnull=False
        )
        .exclude(allegro_id="")
        .values_list("account_id", "allegro_id", "product_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("allegro", "0012_offer_commands_unified"),
    ]

    operations = [
        migrations.AddField(
            model_name="allegrooffer",
            name="link_source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("sku", "po SKU"),
                    ("ean", "po EAN"),
                    ("manual", "ręcznie na liście ofert"),
                    ("order_page", "ręcznie w zamówieniu"),
                    ("offer_form", "formularz oferty"),
                    ("similar", "kopia oferty"),
                    ("bulk_listing", "wystawianie masowe"),
                ],
                max_length=16,
                verbose_name="sposób powiązania",
            ),
        ),
        migrations.AddField(
            model_name="allegrooffer",
            name="linked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="powiązano"),
        ),
        migrations.RunPython(links_move, links_restore),
        migrations.DeleteModel(
            name="AllegroOfferProductLink",
        ),
    ]
