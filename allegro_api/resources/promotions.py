"""Promotion packages and per-offer promo options."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from allegro_api._serialize import path_segment
from allegro_api.models.promotions import (
    OfferPromoOptions,
    PromoOptionsModification,
    PromotionPackages,
)
from allegro_api.resources._base import Resource

__all__ = ["PromotionsResource"]


class PromotionsResource(Resource):
    def packages(self) -> PromotionPackages:
        """Packages available to the seller (``GET /sale/offer-promotion-packages``)."""
        return self._parse(PromotionPackages, self._r.get_json("/sale/offer-promotion-packages"))

    def get_offer_options(self, offer_id: str) -> OfferPromoOptions:
        data = self._r.get_json(f"/sale/offers/{path_segment(offer_id)}/promo-options")
        return self._parse(OfferPromoOptions, data)

    def modify_offer_options(
        self,
        offer_id: str,
        *,
        modifications: Sequence[PromoOptionsModification | dict[str, Any]],
    ) -> OfferPromoOptions:
        """Change or remove packages of one offer.

        Repeating the same modification leaves the same state, so the POST is retried like an
        idempotent request.
        """
        path = f"/sale/offers/{path_segment(offer_id)}/promo-options-modification"
        body = {"modifications": list(modifications)}
        data = self._r.send_json("POST", path, body, retry_safe=True)
        return self._parse(OfferPromoOptions, data)
