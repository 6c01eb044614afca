"""Reads for the delivery price list pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from allegro_api.models.shipping import DeliveryMethod, ShippingRatesSet
from shop.allegro.models import (
    AllegroAccount,
    AllegroDeliveryMethod,
    AllegroOffer,
    AllegroShippingRates,
)
from shop.allegro.models.shipping import MAX_SHIPPING_RATES
from shop.allegro.shipping.mapping import CarrierGroup, Constraints, group_by_carrier

# From this many lists on, the list page warns that Allegro's limit is near.
NEAR_LIMIT = MAX_SHIPPING_RATES - 25


def shipping_rates_for(
    account: AllegroAccount, *, hidden: bool = False
) -> QuerySet[AllegroShippingRates]:
    """The account's lists with ``offers`` (offers using each, from the offer mirror)."""
    offers = (
        AllegroOffer.objects.filter(
            account=OuterRef("account"), shipping_rates_id=OuterRef("allegro_id")
        )
        .order_by()
        .values("shipping_rates_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        AllegroShippingRates.objects.filter(account=account, hidden=hidden)
        .annotate(offers=Coalesce(Subquery(offers, output_field=IntegerField()), Value(0)))
        .order_by("managed_by_allegro", "name", "id")
    )


def delivery_methods_for(account: AllegroAccount) -> list[AllegroDeliveryMethod]:
    return list(AllegroDeliveryMethod.objects.filter(account=account).order_by("position"))


def delivery_method_names(account: AllegroAccount) -> dict[str, str]:
    return dict(
        AllegroDeliveryMethod.objects.filter(account=account).values_list("allegro_id", "name")
    )


def method_limits(method: AllegroDeliveryMethod) -> Constraints:
    """What a price list may set for the cached method (from its stored payload)."""
    return Constraints.of(DeliveryMethod.model_validate(method.raw))


def stored_rates_set(rates: AllegroShippingRates) -> ShippingRatesSet:
    """The mirrored list as Allegro last sent it."""
    return ShippingRatesSet.model_validate(rates.raw)


def carrier_groups(methods: list[AllegroDeliveryMethod]) -> list[CarrierGroup]:
    return group_by_carrier(methods)


@dataclass(frozen=True)
class LimitState:
    count: int
    limit: int = MAX_SHIPPING_RATES

    @property
    def left(self) -> int:
        return max(self.limit - self.count, 0)

    @property
    def near(self) -> bool:
        return self.count >= NEAR_LIMIT

    @property
    def reached(self) -> bool:
        return self.count >= self.limit


def shipping_rates_limit(account: AllegroAccount) -> LimitState:
    """Every list counts towards Allegro's limit, hidden or not (none can be deleted)."""
    return LimitState(count=AllegroShippingRates.objects.filter(account=account).count())
