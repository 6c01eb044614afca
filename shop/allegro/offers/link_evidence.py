"""Is an offer found by a key really the shop's product? Pure rules, no writes.

An offer's external id (sygnatura) is free text the seller typed, sometimes years ago and for
another shop; equal to a SKU here it proves nothing on its own (it once linked a 3499 zł phone
to a 34.99 zł book, and the price sync followed). A match is confirmed automatically only when
it is corroborated and unambiguous:

* the SKU is equal, and
* where both sides have an EAN/ISBN, it is equal too; where one side lacks one, the titles are
  alike (``TITLE_MIN``) — an EAN that differs is never overruled by a title;
* the offer's price is within ``PRICE_RATIO_MIN``–``PRICE_RATIO_MAX`` of the product's, since the
  sync would push the product's price to the offer;
* the offer has no other candidate product and the product no other offer on the account.

Everything else is held for the merchant with the reasons listed in ``reasons``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

TITLE_MIN = 0.6
PRICE_RATIO_MIN = Decimal("0.5")
PRICE_RATIO_MAX = Decimal(2)

# Why a match was held; the review page shows each in Polish.
EAN_DIFFERS = "ean_differs"
SKU_DIFFERS = "sku_differs"
TITLE_DIFFERS = "title_differs"
PRICE_DIFFERS = "price_differs"
NO_PRICE = "no_price"
SEVERAL_PRODUCTS = "several_products"
SEVERAL_OFFERS = "several_offers"
PRODUCT_LINKED_ELSEWHERE = "product_linked_elsewhere"
LEGACY = "legacy"


@dataclass(frozen=True)
class OfferFacts:
    sku: str
    gtins: frozenset[str]
    title: str
    price: Decimal | None


@dataclass(frozen=True)
class ProductFacts:
    sku: str
    ean: str
    name: str
    price: Decimal | None


@dataclass(frozen=True)
class Competition:
    """Other candidates seen in the same run: products for this offer, offers for the product."""

    other_products: int = 0
    other_offers: int = 0
    product_linked_elsewhere: bool = False


def _tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower().replace("ł", "l"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.findall(r"[a-z0-9]+", plain)


def title_similarity(a: str, b: str) -> float:
    """0..1: the better of shared words (Dice) and character likeness of the word sequences."""
    left, right = _tokens(a), _tokens(b)
    if not left or not right:
        return 0.0
    shared = len(set(left) & set(right))
    dice = 2 * shared / (len(set(left)) + len(set(right)))
    ratio = SequenceMatcher(None, " ".join(left), " ".join(right)).ratio()
    return round(max(dice, ratio), 2)


def price_ratio(offer_price: Decimal | None, product_price: Decimal | None) -> Decimal | None:
    if not offer_price or not product_price:
        return None
    return (offer_price / product_price).quantize(Decimal("0.01"))


def link_judge(
    offer: OfferFacts, product: ProductFacts, competition: Competition | None = None
) -> dict[str, Any]:
    """The evidence for one offer–product pair; ``confirmed`` when nothing speaks against it."""
    competition = competition or Competition()
    sku_match = bool(offer.sku) and offer.sku == product.sku
    ean_known = bool(offer.gtins) and bool(product.ean)
    ean_match = ean_known and product.ean in offer.gtins
    similarity = title_similarity(offer.title, product.name)
    ratio = price_ratio(offer.price, product.price)
    reasons: list[str] = []
    if not sku_match:
        reasons.append(SKU_DIFFERS)
    if ean_known and not ean_match:
        reasons.append(EAN_DIFFERS)
    if not ean_known and similarity < TITLE_MIN:
        reasons.append(TITLE_DIFFERS)
    if ratio is None:
        reasons.append(NO_PRICE)
    elif not PRICE_RATIO_MIN <= ratio <= PRICE_RATIO_MAX:
        reasons.append(PRICE_DIFFERS)
    if competition.other_products:
        reasons.append(SEVERAL_PRODUCTS)
    if competition.other_offers:
        reasons.append(SEVERAL_OFFERS)
    if competition.product_linked_elsewhere:
        reasons.append(PRODUCT_LINKED_ELSEWHERE)
    matched = [key for key, hit in (("sku", sku_match), ("ean", ean_match)) if hit]
    return {
        "matched": matched,
        "similarity": similarity,
        "price_ratio": str(ratio) if ratio is not None else None,
        "offer_eans": sorted(offer.gtins),
        "reasons": reasons,
        "confirmed": not reasons,
    }
