"""Pure conversions for delivery price lists: Allegro models ⇄ form values, checks, costs.

It reads the typed ``allegro_api`` models (``DeliveryMethod``, ``ShippingRatesSet``); a stored
payload is validated into one by its caller. Nothing here touches the database or the
network. ``rate_errors`` repeats Allegro's checks of a rate against its delivery method's
``shippingRatesConstraints`` so that nothing is sent that Allegro would refuse;
``buyer_costs`` is what a buyer pays under today's rules (one first-item price per package,
no next-item price).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from allegro_api.models.common import Money
from allegro_api.models.shipping import (
    DeliveryMethod,
    FirstItemRateRule,
    MaxQuantityRule,
    PackageWeight,
    PackageWeightRule,
    ShippingRate,
    ShippingRatesConstraints,
    ShippingRatesSet,
    ShippingTime,
    ShippingTimeRule,
)

NAME_ALLOWED = re.compile(r"^[\w\-., ]{1,64}$")
DURATION_RE = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
COD_SUFFIX = re.compile(r"\s*(?:\(?\s*pobranie\s*\)?|\(COD\))\s*$", re.IGNORECASE)
CENT = Decimal("0.01")
GRAM = Decimal("0.001")
IN_ADVANCE = "IN_ADVANCE"
CASH_ON_DELIVERY = "CASH_ON_DELIVERY"
# Shipping times entered in days stay within a sensible range.
MAX_SHIPPING_DAYS = 60
# Buyer-cost preview columns: 1…PREVIEW_ITEMS items.
PREVIEW_ITEMS = 10


def name_error(name: str) -> str | None:
    """Allegro's rule: 1–64 characters, letters, digits, hyphens, dots, commas and spaces."""
    if not name or len(name) > 64:
        return _("Nazwa musi mieć od 1 do 64 znaków.")
    if not NAME_ALLOWED.match(name) or "_" in name:
        return _("Nazwa może zawierać tylko litery, cyfry, myślniki, kropki, przecinki i spacje.")
    return None


def carrier_of(name: str) -> str:
    """The carrier service a method belongs to: its name without the cash-on-delivery mark."""
    return COD_SUFFIX.sub("", name).strip() or name


def decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def duration(text: Any) -> timedelta | None:
    match = DURATION_RE.match(str(text or ""))
    if not match or not any(g is not None for g in match.groups()):
        return None
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def duration_days(text: Any) -> int | None:
    """Whole days of an ISO-8601 duration (``PT48H`` → 2), rounded up."""
    value = duration(text)
    if value is None:
        return None
    return math.ceil(value.total_seconds() / 86400)


def days_duration(days: int) -> str:
    return f"P{days}D"


@dataclass(frozen=True)
class Constraints:
    """A delivery method's ``shippingRatesConstraints``, with safe defaults for missing bits."""

    allowed: bool
    max_quantity: int
    weight_supported: bool
    weight_min: Decimal | None
    weight_max: Decimal | None
    rate_min: Decimal
    rate_max: Decimal | None
    currency: str
    time_from: str | None
    time_to: str | None
    time_customizable: bool

    @classmethod
    def of(cls, method: DeliveryMethod) -> Constraints:
        data = method.shipping_rates_constraints or ShippingRatesConstraints()
        weight = data.max_package_weight or PackageWeightRule()
        rate = data.first_item_rate or FirstItemRateRule()
        time = data.shipping_time or ShippingTimeRule()
        default = time.default or ShippingTime()
        return cls(
            allowed=data.allowed is not False,
            max_quantity=int((data.max_quantity_per_package or MaxQuantityRule()).max or 999999),
            weight_supported=bool(weight.supported),
            weight_min=decimal_or_none(weight.min),
            weight_max=decimal_or_none(weight.max),
            rate_min=decimal_or_none(rate.min) or Decimal("0.00"),
            rate_max=decimal_or_none(rate.max),
            currency=str(rate.currency or "PLN"),
            time_from=default.from_,
            time_to=default.to,
            time_customizable=bool(time.customizable),
        )

    def rate_range(self) -> str:
        top = f"{self.rate_max:.2f}" if self.rate_max is not None else "∞"
        return f"{self.rate_min:.2f}–{top} {self.currency}"

    def weight_range(self) -> str:
        low = f"{self.weight_min:.3f}" if self.weight_min is not None else "0.001"
        high = f"{self.weight_max:.3f}" if self.weight_max is not None else "∞"
        return f"{low}–{high} kg"


@dataclass
class RateValues:
    """What the merchant entered for one delivery method (already parsed to numbers)."""

    first: Decimal | None = None
    quantity: int | None = None
    next_item: Decimal | None = None
    weight: Decimal | None = None
    days_from: int | None = None
    days_to: int | None = None


def next_item_refused() -> str:
    return _(
        "Allegro nie przyjmuje już ceny za kolejną sztukę (usunięto ją z API 29.09.2026). "
        "Kupujący płaci cenę pierwszej sztuki za każdą paczkę, a liczbę paczek wyznacza "
        "„Maksymalna ilość w paczce”. Wpisz 0 lub zostaw puste i ustaw ilość w paczce."
    )


def rate_errors(limits: Constraints, values: RateValues) -> dict[str, str]:
    """Errors keyed by ``first``, ``quantity``, ``next``, ``weight``, ``time`` or ``active``."""
    errors: dict[str, str] = {}
    if not limits.allowed:
        errors["active"] = _("Allegro nie pozwala obecnie używać tej metody w cennikach.")
    if values.first is None:
        errors["first"] = _("Podaj cenę pierwszej sztuki (dozwolone: %(range)s).") % {
            "range": limits.rate_range()
        }
    elif (
        values.first != values.first.quantize(CENT)
        or values.first < limits.rate_min
        or (limits.rate_max is not None and values.first > limits.rate_max)
    ):
        errors["first"] = _("Cena pierwszej sztuki musi mieścić się w zakresie %(range)s.") % {
            "range": limits.rate_range()
        }
    if values.quantity is None or not 1 <= values.quantity <= limits.max_quantity:
        errors["quantity"] = _(
            "Maksymalna ilość w paczce musi mieścić się w zakresie 1–%(max)d."
        ) % {"max": limits.max_quantity}
    if values.next_item is not None and values.next_item != 0:
        errors["next"] = next_item_refused()
    if values.weight is not None:
        if not limits.weight_supported:
            errors["weight"] = _("Ta metoda dostawy nie obsługuje maksymalnej wagi paczki.")
        elif (
            values.weight != values.weight.quantize(GRAM)
            or (limits.weight_min is not None and values.weight < limits.weight_min)
            or (limits.weight_max is not None and values.weight > limits.weight_max)
        ):
            errors["weight"] = _(
                "Maksymalna waga paczki musi mieścić się w zakresie %(range)s "
                "(z dokładnością do 1 g)."
            ) % {"range": limits.weight_range()}
    if values.days_from is not None or values.days_to is not None:
        if not limits.time_customizable:
            errors["time"] = _("Czasu wysyłki tej metody nie można zmieniać.")
        elif values.days_from is None or values.days_to is None:
            errors["time"] = _("Podaj czas wysyłki „od” i „do” albo zostaw oba puste.")
        elif not 0 <= values.days_from <= values.days_to <= MAX_SHIPPING_DAYS:
            errors["time"] = _("Czas wysyłki: od 0 do %(max)d dni, „od” nie większe niż „do”.") % {
                "max": MAX_SHIPPING_DAYS
            }
    return errors


@dataclass(frozen=True)
class PlannedRate:
    method_id: str
    values: RateValues
    limits: Constraints


def rates_body(
    *,
    name: str,
    rates_type: str,
    dispatch_country: str,
    rates: list[PlannedRate],
    allegro_id: str | None = None,
) -> dict[str, Any]:
    """The ``ShippingRatesSet`` to POST or PUT (no ``nextItemRate``: Allegro removed it)."""
    body: dict[str, Any] = {"name": name, "type": rates_type}
    if allegro_id:
        body["id"] = allegro_id
    if rates_type == "PHYSICAL" or dispatch_country:
        body["dispatchCountry"] = dispatch_country or None
    items: list[dict[str, Any]] = []
    for planned in rates:
        values = planned.values
        item: dict[str, Any] = {
            "deliveryMethod": {"id": planned.method_id},
            "maxQuantityPerPackage": values.quantity,
            "firstItemRate": {
                "amount": f"{(values.first or Decimal(0)).quantize(CENT)}",
                "currency": planned.limits.currency,
            },
        }
        if values.weight is not None:
            item["maxPackageWeight"] = {
                "value": f"{values.weight.quantize(GRAM)}",
                "unit": "KILOGRAM",
            }
        if values.days_from is not None and values.days_to is not None:
            item["shippingTime"] = {
                "from": days_duration(values.days_from),
                "to": days_duration(values.days_to),
            }
        items.append(item)
    body["rates"] = items
    return body


def amount_of(money: Money | None) -> Decimal | None:
    return decimal_or_none(money.amount) if money is not None else None


def rate_method_id(rate: ShippingRate) -> str:
    return str((rate.delivery_method.id if rate.delivery_method else None) or "")


def values_of(rate: ShippingRate) -> RateValues:
    """Form values of one rate read from Allegro."""
    weight = rate.max_package_weight or PackageWeight()
    time = rate.shipping_time
    return RateValues(
        first=amount_of(rate.first_item_rate),
        quantity=rate.max_quantity_per_package,
        next_item=amount_of(rate.next_item_rate),
        weight=decimal_or_none(weight.value),
        days_from=duration_days(time.from_) if time else None,
        days_to=duration_days(time.to) if time else None,
    )


def _canonical_rate(rate: ShippingRate) -> dict[str, Any]:
    first = amount_of(rate.first_item_rate)
    weight = decimal_or_none((rate.max_package_weight or PackageWeight()).value)
    time = rate.shipping_time or ShippingTime()
    start, end = duration(time.from_), duration(time.to)
    return {
        "method": rate_method_id(rate),
        "quantity": rate.max_quantity_per_package,
        "first": f"{first.quantize(CENT)}" if first is not None else None,
        "currency": rate.first_item_rate.currency if rate.first_item_rate else None,
        "weight": f"{weight.quantize(GRAM)}" if weight is not None else None,
        "time": [start.total_seconds(), end.total_seconds()] if start and end else None,
    }


def canonical(rates_set: ShippingRatesSet) -> dict[str, Any]:
    """The parts of a price list that matter, in a stable order (for comparing versions)."""
    rates = sorted(
        (_canonical_rate(rate) for rate in rates_set.rates or []), key=lambda r: r["method"]
    )
    return {
        "name": rates_set.name,
        "type": rates_set.type,
        "dispatchCountry": rates_set.dispatch_country,
        "rates": rates,
    }


def fingerprint(rates_set: ShippingRatesSet) -> str:
    data = json.dumps(canonical(rates_set), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


def cheapest_first_item(rates_set: ShippingRatesSet) -> Decimal | None:
    amounts = [
        value
        for rate in rates_set.rates or []
        if (value := amount_of(rate.first_item_rate)) is not None
    ]
    return min(amounts) if amounts else None


def differences(
    local: ShippingRatesSet, remote: ShippingRatesSet, method_names: dict[str, str]
) -> list[str]:
    """Sentences naming what differs between the stored version and Allegro's."""
    mine, theirs = canonical(local), canonical(remote)
    lines: list[str] = []
    for key, label in (
        ("name", _("Nazwa")),
        ("type", _("Rodzaj")),
        ("dispatchCountry", _("Kraj nadania")),
    ):
        if mine[key] != theirs[key]:
            lines.append(
                _("%(label)s: w sklepie „%(mine)s”, w Allegro „%(theirs)s”.")
                % {"label": label, "mine": mine[key] or "—", "theirs": theirs[key] or "—"}
            )
    mine_rates = {r["method"]: r for r in mine["rates"]}
    their_rates = {r["method"]: r for r in theirs["rates"]}
    for method in sorted(set(mine_rates) | set(their_rates)):
        label = method_names.get(method, method)
        if method not in their_rates:
            lines.append(_("%(method)s: w Allegro usunięta z cennika.") % {"method": label})
        elif method not in mine_rates:
            lines.append(_("%(method)s: w Allegro dodana do cennika.") % {"method": label})
        elif mine_rates[method] != their_rates[method]:
            a, b = mine_rates[method], their_rates[method]
            lines.append(
                _(
                    "%(method)s: w sklepie %(first_a)s zł / %(qty_a)s szt. w paczce, "
                    "w Allegro %(first_b)s zł / %(qty_b)s szt. w paczce."
                )
                % {
                    "method": label,
                    "first_a": a["first"],
                    "qty_a": a["quantity"],
                    "first_b": b["first"],
                    "qty_b": b["quantity"],
                }
            )
    return lines


def packages_for(items: int, per_package: int) -> int:
    return math.ceil(items / max(per_package, 1))


def buyer_costs(first: Decimal, per_package: int, items: int = PREVIEW_ITEMS) -> list[Decimal]:
    """What a buyer pays for 1…items items: ⌈n ÷ per package⌉ × first-item price."""
    return [(packages_for(n, per_package) * first).quantize(CENT) for n in range(1, items + 1)]


def legacy_costs(first: Decimal, next_item: Decimal, items: int = PREVIEW_ITEMS) -> list[Decimal]:
    """The old rule a next-item price stood for (first + (n − 1) × next), for comparison."""
    return [(first + (n - 1) * next_item).quantize(CENT) for n in range(1, items + 1)]


@dataclass
class CarrierGroup:
    """The methods of one carrier service: the prepaid and the cash-on-delivery variant."""

    name: str
    prepaid: Any = None
    cod: Any = None
    others: list[Any] = field(default_factory=list)

    @property
    def variants(self) -> list[Any]:
        return [m for m in (self.prepaid, self.cod, *self.others) if m is not None]


def group_by_carrier(methods: list[Any]) -> list[CarrierGroup]:
    """Methods (objects with ``carrier`` and ``payment_policy``) grouped, first-seen order."""
    groups: dict[str, CarrierGroup] = {}
    for method in methods:
        group = groups.setdefault(method.carrier, CarrierGroup(method.carrier))
        if method.payment_policy == CASH_ON_DELIVERY and group.cod is None:
            group.cod = method
        elif method.payment_policy == IN_ADVANCE and group.prepaid is None:
            group.prepaid = method
        else:
            group.others.append(method)
    return list(groups.values())


def error_target(path: str | None) -> tuple[int | None, str]:
    """Where an Allegro error ``path`` points: ``(rate index or None, field key)``.

    ``rates[2].firstItemRate.amount`` → ``(2, "first")``; ``name`` → ``(None, "name")``.
    """
    text = (path or "").strip()
    match = re.match(r"^rates\[(\d+)\]\.?(\w*)", text)
    if match:
        index, attribute = int(match.group(1)), match.group(2)
        key = {
            "firstItemRate": "first",
            "maxQuantityPerPackage": "quantity",
            "maxPackageWeight": "weight",
            "shippingTime": "time",
            "nextItemRate": "next",
        }.get(attribute, "active")
        return index, key
    head = text.split(".")[0].split("[")[0]
    key = {"name": "name", "type": "rates_type", "dispatchCountry": "dispatch_country"}.get(
        head, ""
    )
    return None, key
