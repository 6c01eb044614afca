"""Invoices attached to an order (``/order/checkout-forms/{id}/invoices``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from allegro_api.models.common import AllegroModel, ListOrEmpty

__all__ = [
    "InvoiceFile",
    "InvoiceSecurityVerification",
    "InvoiceVerification",
    "InvoiceVerificationDetail",
    "NewInvoiceId",
    "OrderInvoice",
    "OrderInvoices",
]


class InvoiceSecurityVerification(AllegroModel):
    """The antivirus scan of the uploaded file: ``WAITING``, ``ACCEPTED`` or ``REJECTED``."""

    status: str | None = None
    verified_at: datetime | None = None


class InvoiceVerificationDetail(AllegroModel):
    type: str | None = None  # WARNING | ERROR
    code: str | None = None
    message: str | None = None


class InvoiceVerification(AllegroModel):
    """Additional verification; always ``NOT_APPLICABLE`` for regular (non-export) orders."""

    status: str | None = None
    details: ListOrEmpty[InvoiceVerificationDetail] = Field(default_factory=list)


class InvoiceFile(AllegroModel):
    name: str | None = None
    uploaded_at: datetime | None = None
    security_verification: InvoiceSecurityVerification | None = None
    verification: InvoiceVerification | None = None


class OrderInvoice(AllegroModel):
    id: str | None = None
    invoice_number: str | None = None
    created_at: datetime | None = None
    file: InvoiceFile | None = None


class OrderInvoices(AllegroModel):
    order_mode: str | None = None  # REGULAR | UKRAINE_EXPORT
    invoices: ListOrEmpty[OrderInvoice] = Field(default_factory=list)
    has_external_invoices: bool | None = None


class NewInvoiceId(AllegroModel):
    id: str | None = None
