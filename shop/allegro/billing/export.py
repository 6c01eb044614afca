"""The fees as CSV for a spreadsheet: what Excel in Poland opens without an import wizard.

``;`` separates the columns (the comma is the decimal separator in Polish locales), amounts
have a decimal comma, and the file starts with a UTF-8 BOM so Excel reads Polish letters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from shop.allegro.models import AllegroBillingEntry, FeeGroup

BOM = "\ufeff"


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def billing_csv(entries: Iterable[AllegroBillingEntry]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Data"),
            _("Rodzaj operacji"),
            _("Grupa"),
            _("Kwota"),
            _("Waluta"),
            _("VAT %"),
            _("Oferta"),
            _("Tytuł oferty"),
            _("Zamówienie Allegro"),
            _("Zamówienie w sklepie"),
        ]
    )
    zone = timezone.get_current_timezone()
    groups = dict(FeeGroup.choices)
    for entry in entries:
        order = entry.form.order if entry.form is not None else None
        writer.writerow(
            [
                entry.occurred_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                entry.type_name,
                str(groups.get(entry.group, entry.group)),
                _number(entry.amount),
                entry.currency,
                _number(entry.tax_percentage),
                entry.offer_id,
                entry.offer_name,
                entry.order_ref,
                order.number if order is not None else "",
            ]
        )
    return out.getvalue()
