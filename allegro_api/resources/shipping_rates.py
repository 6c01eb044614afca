"""Shipping-rate sets and delivery methods."""

from __future__ import annotations

from allegro_api._serialize import path_segment, to_jsonable
from allegro_api.models.shipping import DeliveryMethodList, ShippingRatesList, ShippingRatesSet
from allegro_api.resources._base import Body, Resource

__all__ = ["DeliveryMethodsResource", "ShippingRatesResource"]


class ShippingRatesResource(Resource):
    """A seller's price lists. There is no DELETE; Allegro-managed sets are read-only."""

    def list(self, *, marketplace: str | None = None) -> ShippingRatesList:
        data = self._r.get_json("/sale/shipping-rates", params={"marketplace": marketplace})
        return self._parse(ShippingRatesList, data)

    def get(self, shipping_rates_id: str) -> ShippingRatesSet:
        data = self._r.get_json(f"/sale/shipping-rates/{path_segment(shipping_rates_id)}")
        return self._parse(ShippingRatesSet, data)

    def create(self, body: ShippingRatesSet | Body) -> ShippingRatesSet:
        """Create a set. Not retried on ambiguous failures (a repeat creates a second set)."""
        return self._parse(
            ShippingRatesSet, self._r.send_json("POST", "/sale/shipping-rates", body)
        )

    def update(self, shipping_rates_id: str, body: ShippingRatesSet | Body) -> ShippingRatesSet:
        """Replace the whole set (``PUT``; the body needs its ``id``).

        ``features`` is read-only (only ``GET`` has it): Allegro refuses it in a ``PUT`` as an
        unknown property, so a set read, changed and sent back goes without it.
        """
        path = f"/sale/shipping-rates/{path_segment(shipping_rates_id)}"
        data = to_jsonable(body)
        data.pop("features", None)
        return self._parse(ShippingRatesSet, self._r.send_json("PUT", path, data))


class DeliveryMethodsResource(Resource):
    def list(self, *, marketplace: str | None = None) -> DeliveryMethodList:
        """Delivery methods with the constraints their rates must respect."""
        data = self._r.get_json("/sale/delivery-methods", params={"marketplace": marketplace})
        return self._parse(DeliveryMethodList, data)
