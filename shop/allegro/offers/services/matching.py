"""The import's offer → product matching: find candidates by key, weigh the evidence, then link
or hold for review (``links``). The rules themselves are pure, in ``offers.link_evidence``.

Candidates come from the offer's external id (= a product's SKU) and from the EAN/GTIN/ISBN in
its parameters, which only the offer's details carry (one ``GET /sale/product-offers/{id}`` per
offer still without a confirmed link, at most ``MATCH_BATCH`` a run). An offer sold from
Allegro's catalogue carries its EAN on the catalogue product instead: that is read once per
product (``GET /sale/products/{id}``).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from allegro_api import AllegroClient
from shop.allegro.models import AllegroAccount, AllegroOffer, LinkSource
from shop.allegro.offers.link_evidence import (
    Competition,
    OfferFacts,
    ProductFacts,
    link_judge,
)
from shop.allegro.offers.services.links import LinkMatch, offers_link_matched, offers_propose
from shop.catalog.models import Product

MATCH_BATCH = 500
GTIN_PARAMETER_NAMES = {"ean", "ean (gtin)", "gtin", "isbn", "kod ean"}


def gtins_of(offer: dict[str, Any]) -> set[str]:
    """The EAN/GTIN/ISBN values in an offer's own and its catalogue products' parameters."""
    found: set[str] = set()
    parameter_lists = [offer.get("parameters") or []]
    for element in offer.get("productSet") or []:
        parameter_lists.append(((element or {}).get("product") or {}).get("parameters") or [])
    for parameters in parameter_lists:
        for parameter in parameters:
            if str(parameter.get("name") or "").lower() in GTIN_PARAMETER_NAMES:
                found.update(str(v) for v in parameter.get("values") or [])
    return found


def _catalogue_gtins(
    client: AllegroClient, details: dict[str, Any], seen: dict[str, set[str]]
) -> set[str]:
    """The EANs of the catalogue products an offer is sold as (each product read once)."""
    found: set[str] = set()
    for element in details.get("productSet") or []:
        product_id = str(((element or {}).get("product") or {}).get("id") or "")
        if not product_id:
            continue
        if product_id not in seen:
            product = client.products.get(product_id).to_api()
            seen[product_id] = gtins_of({"parameters": product.get("parameters") or []})
        found |= seen[product_id]
    return found


def _product_facts(product: Product) -> ProductFacts:
    return ProductFacts(sku=product.sku, ean=product.ean, name=product.name, price=product.price)


def offers_match(*, account: AllegroAccount, client: AllegroClient) -> dict[str, int]:
    """Link the offers whose match is corroborated; hold the others under "Do potwierdzenia"."""
    offers = list(
        AllegroOffer.objects.filter(account=account, product__isnull=True)
        .exclude(allegro_id="")
        .order_by("link_status", "pk")[:MATCH_BATCH]
    )
    facts: dict[int, OfferFacts] = {}
    catalogue: dict[str, set[str]] = {}
    for offer in offers:
        details = client.offers.get(offer.allegro_id).to_api()
        gtins = gtins_of(details) or _catalogue_gtins(client, details, catalogue)
        facts[offer.pk] = OfferFacts(
            sku=offer.external_id,
            gtins=frozenset(gtins),
            title=offer.name,
            price=offer.display_price,
        )
    skus = {f.sku for f in facts.values()} - {""}
    gtins = set().union(*(f.gtins for f in facts.values())) if facts else set()
    products = list(Product.objects.filter(sku__in=skus)) + list(
        Product.objects.filter(ean__in=gtins).exclude(ean="").exclude(sku__in=skus)
    )
    by_sku = {p.sku: p for p in products}
    by_ean: dict[str, list[Product]] = {}
    for product in products:
        if product.ean:
            by_ean.setdefault(product.ean, []).append(product)

    candidates: dict[int, list[Product]] = {}
    for offer in offers:
        found = [by_sku[facts[offer.pk].sku]] if facts[offer.pk].sku in by_sku else []
        for gtin in sorted(facts[offer.pk].gtins):
            found += [p for p in by_ean.get(gtin, []) if p not in found]
        found = [p for p in found if p.pk not in offer.rejected_product_ids]
        if found:
            candidates[offer.pk] = found
    wanted = Counter(products[0].pk for products in candidates.values())
    linked_elsewhere = set(
        AllegroOffer.objects.filter(account=account, product_id__in=list(wanted))
        .values_list("product_id", flat=True)
        .distinct()
    )

    confirmed: list[LinkMatch] = []
    held: list[LinkMatch] = []
    for offer in offers:
        if offer.pk not in candidates:
            continue
        found = candidates[offer.pk]
        product = found[0]
        evidence = link_judge(
            facts[offer.pk],
            _product_facts(product),
            Competition(
                other_products=len(found) - 1,
                other_offers=wanted[product.pk] - 1,
                product_linked_elsewhere=product.pk in linked_elsewhere,
            ),
        )
        source = LinkSource.SKU if "sku" in evidence["matched"] else LinkSource.EAN
        match = LinkMatch(offer=offer, product=product, source=source, evidence=evidence)
        (confirmed if evidence["confirmed"] else held).append(match)
    return {
        "linked": offers_link_matched(matches=confirmed),
        "to_review": offers_propose(matches=held),
    }
