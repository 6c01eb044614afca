"""Invoices of an order: metadata first, then the PDF file (two calls, two ids to keep)."""

from __future__ import annotations

from allegro_api._serialize import path_segment
from allegro_api.models.invoices import NewInvoiceId, OrderInvoices
from allegro_api.resources._base import Body, Resource

__all__ = ["MAX_INVOICE_FILE_BYTES", "OrderInvoicesResource"]

#: ``PUT .../invoices/{invoiceId}/file`` answers 413 above this ("Max file size is 3MB").
MAX_INVOICE_FILE_BYTES = 3 * 1024 * 1024


class OrderInvoicesResource(Resource):
    """``GET/POST /order/checkout-forms/{id}/invoices`` and ``PUT .../{invoiceId}/file``."""

    @staticmethod
    def _path(checkout_form_id: str) -> str:
        return f"/order/checkout-forms/{path_segment(checkout_form_id)}/invoices"

    def list(self, checkout_form_id: str) -> OrderInvoices:
        """The order's invoices with the scan (``file.security_verification``) of each file."""
        return self._parse(OrderInvoices, self._r.get_json(self._path(checkout_form_id)))

    def create(
        self, checkout_form_id: str, *, file_name: str, invoice_number: str | None = None
    ) -> NewInvoiceId:
        """Add invoice metadata; the file follows with :meth:`upload_file`.

        Not retried after an ambiguous failure (a second metadata entry would appear): look
        the number up with :meth:`list` before trying again.
        """
        body: Body = {"file": {"name": file_name}, "invoiceNumber": invoice_number}
        return self._parse(
            NewInvoiceId,
            self._r.send_json("POST", self._path(checkout_form_id), body),
        )

    def upload_file(self, checkout_form_id: str, invoice_id: str, data: bytes) -> None:
        """Send the PDF bytes as the raw body (``application/pdf``), not base64 or multipart.

        Allegro refuses a second file for the same invoice (409), so repeating the upload
        after a lost answer is harmless: it fails instead of adding a copy.
        """
        path = f"{self._path(checkout_form_id)}/{path_segment(invoice_id)}/file"
        self._r.request("PUT", path, content=data, content_type="application/pdf", retry_safe=True)
