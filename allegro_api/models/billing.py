"""Billing: the seller's fee journal (``/billing/billing-entries``) and its types."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import RootModel

from allegro_api.models.common import AllegroModel, ListOrEmpty, Money

__all__ = [
    "BillingEntry",
    "BillingEntryList",
    "BillingEntryOffer",
    "BillingEntryType",
    "BillingGroup",
    "BillingOrderRef",
    "BillingTax",
    "BillingType",
    "BillingTypeList",
]


class BillingGroup(AllegroModel):
    id: str | None = None  # e.g. "delivery-services"
    name: str | None = None


class BillingEntryType(AllegroModel):
    id: str | None = None  # three-letter code, e.g. "SUC"
    name: str | None = None  # localised by Accept-Language (Polish by default)
    group: BillingGroup | None = None


class BillingEntryOffer(AllegroModel):
    id: str | None = None  # numeric or UUID
    name: str | None = None  # filled in asynchronously: may be missing at first


class BillingTax(AllegroModel):
    """Either ``percentage`` ("23.00") or ``annotation`` (OUT_OF_SCOPE, NOT_APPLICABLE)."""

    percentage: str | None = None
    annotation: str | None = None


class BillingOrderRef(AllegroModel):
    id: str | None = None  # the checkout form id; absent for some order fees (#6092)


class BillingEntry(AllegroModel):
    id: str | None = None
    occurred_at: datetime | None = None
    type: BillingEntryType | None = None
    asset: Literal["DEBIT", "CREDIT"] | str | None = None
    marketplace_id: str | None = None
    offer: BillingEntryOffer | None = None
    value: Money | None = None  # signed: a fee is negative
    tax: BillingTax | None = None
    balance: Money | None = None
    order: BillingOrderRef | None = None


class BillingEntryList(AllegroModel):
    billing_entries: ListOrEmpty[BillingEntry] = []


class BillingType(AllegroModel):
    id: str | None = None
    description: str | None = None


class BillingTypeList(RootModel[list[BillingType]]):
    pass
