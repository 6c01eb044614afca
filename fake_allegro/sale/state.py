"""State of the sale domain: categories, catalog, shipping rates, after-sales, offers, commands.

Everything here is plain data (dataclasses, dicts, lists) so the whole :class:`World` pickles.
Catalog data is global; shipping rates, after-sales conditions, offers and commands belong to a
seller and are seeded lazily the first time a seller is seen, from ``(world.seed, seller id)``,
so the result does not depend on the order in which sellers are touched.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fake_allegro.sale import seed_categories, seed_delivery, seed_products
from fake_allegro.world import iso, utcnow

if TYPE_CHECKING:
    from fake_allegro.world import World

IMAGE_HOST = "https://a.allegroimg.com/original"  # where uploads are said to be, as on Allegro
SEED_IMAGE_PATH = "/images/original"  # seeded images, served by the emulator itself
MAX_SHIPPING_RATES = 250


@dataclass
class Category:
    id: str
    name: str
    parent_id: str | None
    leaf: bool
    group: str | None
    keywords: tuple[str, ...]


@dataclass
class Product:
    id: str
    name: str
    category_id: str
    parameters: list[dict[str, Any]]  # ProductParameterDto
    images: list[str]
    gtin: str | None
    mpn: str | None
    producer: str | None
    status: str = "LISTED"  # or PROPOSED for products proposed through an offer


@dataclass
class Image:
    id: str
    seller_id: str
    location: str
    expires_at: datetime
    used: bool = False


@dataclass
class Offer:
    """One offer. The fields the listing filters on are attributes; the rest is ``data``."""

    id: str
    seller_id: str
    name: str | None
    category_id: str | None
    price: str | None
    currency: str
    available: int
    stock_unit: str
    external_id: str | None
    selling_format: str
    status: str  # INACTIVE | ACTIVATING | ACTIVE | ENDED
    created_at: datetime
    updated_at: datetime
    sold: int = 0
    starting_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    ended_by: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    validation_errors: list[dict[str, Any]] = field(default_factory=list)
    validated_at: datetime | None = None
    visits: int = 0
    watchers: int = 0

    @property
    def product_ids(self) -> list[str]:
        return [
            str(item["product"]["id"])
            for item in self.data.get("productSet") or []
            if (item.get("product") or {}).get("id")
        ]

    @property
    def shipping_rates_id(self) -> str | None:
        rates = (self.data.get("delivery") or {}).get("shippingRates") or {}
        value = rates.get("id")
        return str(value) if value else None


@dataclass
class Operation:
    id: str
    offer_id: str
    seller_id: str
    started_at: datetime
    target_status: str | None  # publication status to reach when the operation completes
    polls: int = 0
    done: bool = False


@dataclass
class Command:
    id: str
    kind: str  # publication | price | quantity
    seller_id: str
    created_at: datetime
    completed_at: datetime | None
    tasks: list[dict[str, Any]]


@dataclass
class OfferEvent:
    id: str
    seller_id: str
    type: str
    occurred_at: datetime
    offer_id: str
    external_id: str | None
    ended_by: str | None = None


@dataclass
class SellerSale:
    shipping_rates: dict[str, dict[str, Any]] = field(default_factory=dict)
    managed_rates: set[str] = field(default_factory=set)
    return_policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    implied_warranties: dict[str, dict[str, Any]] = field(default_factory=dict)
    warranties: dict[str, dict[str, Any]] = field(default_factory=dict)
    promo: dict[str, dict[str, Any]] = field(default_factory=dict)  # by offer id


@dataclass
class SaleState:
    world: World
    seed: int
    categories: dict[str, Category] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    delivery_methods: list[dict[str, Any]] = field(default_factory=list)
    sellers: dict[str, SellerSale] = field(default_factory=dict)
    offers: dict[str, Offer] = field(default_factory=dict)
    operations: dict[str, Operation] = field(default_factory=dict)
    commands: dict[tuple[str, str], Command] = field(default_factory=dict)
    events: list[OfferEvent] = field(default_factory=list)
    images: dict[str, Image] = field(default_factory=dict)
    next_offer_id: int = 17_000_000_000
    next_event_id: int = 1
    rng: random.Random = field(default_factory=random.Random)
    # Knobs tests and the control API may turn.
    retry_after: int = 1  # seconds, sent with 202 answers of product-offer operations
    operation_pending_polls: int = 1  # polls answered 202 before the operation is done
    operation_seconds: float = 60.0  # an operation is done this long after it started anyway
    image_max_bytes: int = 25 * 1024 * 1024
    image_ttl: timedelta = timedelta(hours=6)

    # --- construction -----------------------------------------------------------------------

    @classmethod
    def seeded(cls, world: World) -> SaleState:
        state = cls(world=world, seed=world.seed, rng=random.Random(world.seed))
        state._seed_categories(seed_categories.TREE, None)
        for seed in seed_products.PRODUCTS:
            state._add_seed_product(seed)
        state.delivery_methods = seed_delivery.delivery_methods()
        for seller_id in sorted(world.sellers):
            state.seller(seller_id)
        return state

    def _seed_categories(self, nodes: list[seed_categories.Node], parent: str | None) -> None:
        for cid, name, group, keywords, children in nodes:
            self.categories[cid] = Category(cid, name, parent, not children, group, keywords)
            self._seed_categories(children, cid)

    def _add_seed_product(self, seed: seed_products.ProductSeed) -> None:
        pid = seed_products.product_id(seed.key)
        params: list[dict[str, Any]] = []
        for param_id, value in seed.parameters:
            definition = self.parameter(seed.category_id, param_id)
            if definition is None:
                raise ValueError(f"{seed.key}: parameter {param_id} not in {seed.category_id}")
            params.append(product_parameter(definition, value))
        images = [
            f"{self.image_base}/{n}/{uuid.uuid5(uuid.NAMESPACE_URL, seed.key + str(n)).hex}.png"
            for n in range(1, 3)
        ]
        self.products[pid] = Product(
            pid, seed.name, seed.category_id, params, images, seed.gtin, seed.mpn, seed.producer
        )

    @property
    def image_base(self) -> str:
        """The URL prefix of seeded images (on the emulator's own host)."""
        return str(getattr(self.world, "public_url", "http://fake-allegro.test")) + SEED_IMAGE_PATH

    # --- clock and ids ----------------------------------------------------------------------

    def now(self) -> datetime:
        clock = getattr(self.world, "now", None)
        if callable(clock):
            moment = clock()
            if isinstance(moment, datetime):
                return moment
        return utcnow()

    def new_uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def new_offer_id(self) -> str:
        self.next_offer_id += 1 + self.rng.randrange(50)
        return str(self.next_offer_id)

    # --- categories -------------------------------------------------------------------------

    def category_parameters(self, category_id: str) -> list[dict[str, Any]]:
        category = self.categories.get(category_id)
        if category is None or not category.leaf or category.group is None:
            return []
        return seed_categories.GROUPS[category.group]

    def parameter(self, category_id: str, parameter_id: str) -> dict[str, Any] | None:
        for param in self.category_parameters(category_id):
            if param["id"] == parameter_id:
                return param
        return None

    def category_path(self, category_id: str) -> list[Category]:
        path: list[Category] = []
        current = self.categories.get(category_id)
        while current is not None:
            path.append(current)
            current = self.categories.get(current.parent_id) if current.parent_id else None
        return list(reversed(path))

    # --- catalog ----------------------------------------------------------------------------

    def products_by_code(self, code: str, mode: str) -> list[Product]:
        if mode == "MPN":
            return [p for p in self.products.values() if p.mpn == code]
        digits = code.replace("-", "").strip()
        return [p for p in self.products.values() if p.gtin == digits]

    # --- sellers ----------------------------------------------------------------------------

    def seller(self, seller_id: str) -> SellerSale:
        sale = self.sellers.get(seller_id)
        if sale is None:
            sale = SellerSale()
            self.sellers[seller_id] = sale
            from fake_allegro.sale.seed_sellers import seed_seller

            seed_seller(self, seller_id, sale)
        return sale

    # --- offers -----------------------------------------------------------------------------

    def seller_offers(self, seller_id: str) -> list[Offer]:
        self.seller(seller_id)
        self.settle()
        return [o for o in self.offers.values() if o.seller_id == seller_id]

    def active_offers(self, seller_id: str) -> list[Offer]:
        return [o for o in self.seller_offers(seller_id) if o.status == "ACTIVE"]

    def buy(self, offer_id: str, quantity: int) -> Offer:
        """A buyer purchases ``quantity`` items: stock goes down, the offer ends at zero."""
        self.settle()
        offer = self.offers[offer_id]
        if offer.status != "ACTIVE":
            raise ValueError(f"offer {offer_id} is not active")
        if quantity < 1 or quantity > offer.available:
            raise ValueError(f"offer {offer_id} has {offer.available} items, not {quantity}")
        offer.available -= quantity
        offer.sold += quantity
        offer.updated_at = self.now()
        self.emit(offer, "OFFER_STOCK_CHANGED")
        if offer.available == 0:
            self.end_offer(offer, "EMPTY_STOCK")
        return offer

    def give_back(self, offer_id: str, quantity: int) -> None:
        """A purchase was cancelled: the items return to stock (the offer stays as it is)."""
        offer = self.offers[offer_id]
        offer.available += quantity
        offer.sold = max(0, offer.sold - quantity)
        offer.updated_at = self.now()
        self.emit(offer, "OFFER_STOCK_CHANGED")

    def activate_offer(self, offer: Offer, starting_at: datetime | None = None) -> None:
        now = self.now()
        offer.ended_at = None
        offer.ended_by = None
        offer.updated_at = now
        if starting_at is not None and starting_at > now:
            offer.status = "ACTIVATING"
            offer.starting_at = starting_at
        else:
            offer.status = "ACTIVE"
            offer.starting_at = None
            offer.started_at = now
        self.emit(offer, "OFFER_ACTIVATED")

    def end_offer(self, offer: Offer, ended_by: str) -> None:
        now = self.now()
        offer.status = "ENDED"
        offer.ended_at = now
        offer.ended_by = ended_by
        offer.updated_at = now
        self.emit(offer, "OFFER_ENDED", ended_by=ended_by)

    def set_stock(self, offer: Offer, available: int) -> None:
        if available == offer.available:
            return
        offer.available = available
        offer.updated_at = self.now()
        if offer.status in ("ACTIVE", "ACTIVATING"):
            self.emit(offer, "OFFER_STOCK_CHANGED")
            if available == 0:
                self.end_offer(offer, "USER")

    def set_price(self, offer: Offer, amount: str, currency: str) -> None:
        if amount == offer.price and currency == offer.currency:
            return
        offer.price = amount
        offer.currency = currency
        offer.updated_at = self.now()
        selling = offer.data.setdefault("sellingMode", {})
        selling["price"] = {"amount": amount, "currency": currency}
        if offer.status in ("ACTIVE", "ACTIVATING"):
            self.emit(offer, "OFFER_PRICE_CHANGED")

    def emit(self, offer: Offer, event_type: str, ended_by: str | None = None) -> None:
        if offer.status == "INACTIVE":
            return  # drafts produce no offer events
        self.events.append(
            OfferEvent(
                id=str(self.next_event_id),
                seller_id=offer.seller_id,
                type=event_type,
                occurred_at=self.now(),
                offer_id=offer.id,
                external_id=offer.external_id,
                ended_by=ended_by,
            )
        )
        self.next_event_id += 1

    def settle(self) -> None:
        """Let time-driven transitions happen: scheduled offers start, old operations finish."""
        now = self.now()
        for offer in self.offers.values():
            if offer.status == "ACTIVATING" and offer.starting_at and offer.starting_at <= now:
                offer.status = "ACTIVE"
                offer.started_at = offer.starting_at
                offer.starting_at = None
                offer.updated_at = now
        for operation in self.operations.values():
            if not operation.done and now >= operation.started_at + timedelta(
                seconds=self.operation_seconds
            ):
                self.complete_operation(operation)

    def complete_operation(self, operation: Operation) -> None:
        operation.done = True
        offer = self.offers.get(operation.offer_id)
        if offer is None:
            return  # the draft was deleted meanwhile: the publication silently fails
        target = operation.target_status
        if target in ("ACTIVE", "ACTIVATING") and offer.status not in ("ACTIVE", "ACTIVATING"):
            if offer.validation_errors:
                return
            starting = offer.data.get("publication", {}).get("startingAt")
            self.activate_offer(offer, parse_time(starting) if starting else None)
        elif target == "ENDED" and offer.status in ("ACTIVE", "ACTIVATING"):
            self.end_offer(offer, "USER")

    def pending_operation(self, offer_id: str) -> Operation | None:
        self.settle()
        for operation in self.operations.values():
            if operation.offer_id == offer_id and not operation.done:
                return operation
        return None

    def use_images(self, urls: list[str]) -> None:
        for url in urls:
            image_id = url.rsplit("/", 1)[-1]
            image = self.images.get(image_id)
            if image is not None:
                image.used = True


# --- helpers shared by the endpoint modules ------------------------------------------------------


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def money(value: Decimal | str) -> str:
    return f"{Decimal(value):.2f}"


def time_str(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def value_label(definition: dict[str, Any], value_id: str) -> str | None:
    for entry in definition.get("dictionary") or []:
        if entry["id"] == value_id:
            return str(entry["value"])
    return None


def product_parameter(definition: dict[str, Any], value: str | tuple[str, str]) -> dict[str, Any]:
    """A catalog product's parameter (``ProductParameterDto``) from a seed value."""
    param: dict[str, Any] = {
        "id": definition["id"],
        "name": definition["name"],
        "options": {
            "identifiesProduct": definition["id"]
            in (seed_categories.EAN, seed_categories.ISBN, seed_categories.KOD_PRODUCENTA),
            "isGTIN": definition["id"] in (seed_categories.EAN, seed_categories.ISBN),
        },
    }
    if definition.get("unit"):
        param["unit"] = definition["unit"]
    if isinstance(value, tuple):
        param["rangeValue"] = {"from": value[0], "to": value[1]}
    elif definition["type"] == "dictionary":
        label = value_label(definition, value)
        if label is None:
            raise ValueError(f"{value} is not a value of parameter {definition['id']}")
        param["valuesIds"] = [value]
        param["values"] = [label]
        param["valuesLabels"] = [label]
    else:
        param["values"] = [value]
        param["valuesLabels"] = [
            f"{value} {definition['unit']}" if definition.get("unit") else value
        ]
    return param
