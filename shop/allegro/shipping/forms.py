"""The delivery price list form: a row per delivery method, checked against its constraints."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from allegro_api.models.shipping import ShippingRatesSet
from shop.allegro.models import AllegroDeliveryMethod, AllegroShippingRates, ShippingRatesType
from shop.allegro.shipping.mapping import (
    PREVIEW_ITEMS,
    Constraints,
    PlannedRate,
    RateValues,
    buyer_costs,
    decimal_or_none,
    duration_days,
    error_target,
    group_by_carrier,
    legacy_costs,
    name_error,
    rate_errors,
    rate_method_id,
    rates_body,
    values_of,
)
from shop.allegro.shipping.selectors import method_limits, stored_rates_set
from shop.core.money import within_input_limit

COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
RATE_KEYS = ("active", "first", "quantity", "next", "weight", "days_from", "days_to")


# More items in one package than anyone ships; the preview stops reading beyond it.
MAX_PER_PACKAGE = 100_000


def typed_number(value: Any) -> Decimal | None:
    """A number as typed in the form, or None when it is no number arithmetic can handle."""
    number = decimal_or_none(value)
    return number if number is not None and within_input_limit(number) else None


def is_whole_number(text: str) -> bool:
    """ASCII digits only (``"²".isdigit()`` is true), at most nine of them."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def field_name(method_id: str, key: str) -> str:
    return f"m_{method_id}_{key}"


@dataclass
class Variant:
    """One delivery method's row in the form, with its bound fields and constraints."""

    method: AllegroDeliveryMethod
    limits: Constraints
    fields: dict[str, Any]

    @property
    def cod(self) -> bool:
        return self.method.payment_policy == "CASH_ON_DELIVERY"

    @property
    def errors(self) -> list[str]:
        return [str(e) for key in RATE_KEYS for e in self.fields[key].errors]


@dataclass
class PreviewRow:
    name: str
    per_package: int
    costs: list[Decimal]
    legacy: list[Decimal] | None


def _text_input(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "bo-num", **attrs})


class ShippingRatesForm(forms.Form):
    name = forms.CharField(label=_lazy("Nazwa"), max_length=200, required=True)
    rates_type = forms.ChoiceField(
        label=_lazy("Rodzaj"), choices=ShippingRatesType.choices, initial="PHYSICAL"
    )
    dispatch_country = forms.CharField(
        label=_lazy("Kraj nadania"),
        max_length=2,
        required=False,
        initial="PL",
        help_text=_lazy("Kod kraju ISO, np. PL. Wymagany dla przesyłek fizycznych."),
    )
    base_fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=128)

    def __init__(
        self,
        *args: Any,
        methods: list[AllegroDeliveryMethod],
        rates: AllegroShippingRates | None = None,
        read_only: bool = False,
        **kwargs: Any,
    ) -> None:
        if rates is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(rates)
        super().__init__(*args, **kwargs)
        self.methods = methods
        self.rates = rates
        self.planned: list[PlannedRate] = []
        self.fields["name"].error_messages["required"] = _("Podaj nazwę cennika.")
        self.fields["name"].widget.attrs["maxlength"] = "64"
        if rates is not None:
            # Allegro does not allow changing these once the list exists.
            self.fields["rates_type"].disabled = True
            self.fields["dispatch_country"].disabled = True
        for method in methods:
            limits = method_limits(method)
            self.fields[field_name(method.allegro_id, "active")] = forms.BooleanField(
                label=_lazy("Aktywna"), required=False
            )
            self.fields[field_name(method.allegro_id, "first")] = forms.CharField(
                label=_lazy("Pierwsza sztuka"),
                required=False,
                widget=_text_input(inputmode="decimal", placeholder=limits.rate_range()),
            )
            self.fields[field_name(method.allegro_id, "quantity")] = forms.CharField(
                label=_lazy("Maksymalna ilość w paczce"),
                required=False,
                widget=_text_input(inputmode="numeric", placeholder=f"1–{limits.max_quantity}"),
            )
            self.fields[field_name(method.allegro_id, "next")] = forms.CharField(
                label=_lazy("Kolejna sztuka"),
                required=False,
                widget=_text_input(inputmode="decimal", placeholder="0.00"),
                help_text=_lazy("Allegro nie obsługuje już ceny kolejnej sztuki."),
            )
            self.fields[field_name(method.allegro_id, "weight")] = forms.CharField(
                label=_lazy("Maksymalna waga paczki (kg)"),
                required=False,
                widget=_text_input(inputmode="decimal", placeholder=limits.weight_range()),
            )
            default_from = duration_days(limits.time_from)
            default_to = duration_days(limits.time_to)
            for key, default in (("days_from", default_from), ("days_to", default_to)):
                self.fields[field_name(method.allegro_id, key)] = forms.CharField(
                    label=_lazy("Czas wysyłki od (dni)")
                    if key == "days_from"
                    else _lazy("Czas wysyłki do (dni)"),
                    required=False,
                    widget=_text_input(
                        inputmode="numeric", placeholder="" if default is None else str(default)
                    ),
                )
        if read_only:
            for item in self.fields.values():
                item.disabled = True

    # --- initial values ---------------------------------------------------------------------

    @staticmethod
    def initial_from(rates: AllegroShippingRates) -> dict[str, Any]:
        stored = stored_rates_set(rates)
        initial: dict[str, Any] = {
            "name": stored.name or rates.name,
            "rates_type": stored.type or rates.rates_type or "PHYSICAL",
            "dispatch_country": stored.dispatch_country or "",
            "base_fingerprint": rates.fingerprint,
        }
        initial.update(ShippingRatesForm.rate_initial(stored))
        return initial

    @staticmethod
    def rate_initial(rates_set: ShippingRatesSet) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for rate in rates_set.rates or []:
            mid = rate_method_id(rate)
            values = values_of(rate)
            initial[field_name(mid, "active")] = True
            initial[field_name(mid, "first")] = (
                "" if values.first is None else f"{values.first:.2f}"
            )
            initial[field_name(mid, "quantity")] = values.quantity or ""
            initial[field_name(mid, "next")] = (
                "" if values.next_item is None else f"{values.next_item:.2f}"
            )
            initial[field_name(mid, "weight")] = (
                "" if values.weight is None else f"{values.weight:.3f}"
            )
            initial[field_name(mid, "days_from")] = (
                "" if values.days_from is None else values.days_from
            )
            initial[field_name(mid, "days_to")] = "" if values.days_to is None else values.days_to
        return initial

    @property
    def unknown_methods(self) -> list[str]:
        """Methods of the stored list that Allegro no longer offers (a save drops them)."""
        if self.rates is None:
            return []
        known = {m.allegro_id for m in self.methods}
        return [mid for mid in self.rates.method_ids if mid and mid not in known]

    # --- structure for the template ---------------------------------------------------------

    def variant(self, method: AllegroDeliveryMethod) -> Variant:
        return Variant(
            method=method,
            limits=method_limits(method),
            fields={key: self[field_name(method.allegro_id, key)] for key in RATE_KEYS},
        )

    def groups(self) -> list[dict[str, Any]]:
        """Carriers with their prepaid and cash-on-delivery rows side by side."""
        result: list[dict[str, Any]] = []
        for group in group_by_carrier(self.methods):
            columns: list[tuple[str, Variant | None]] = [
                (_("Płatność z góry"), self.variant(group.prepaid) if group.prepaid else None),
                (_("Za pobraniem"), self.variant(group.cod) if group.cod else None),
            ]
            columns += [(m.name, self.variant(m)) for m in group.others]
            variants = [v for _label, v in columns if v is not None]
            result.append(
                {
                    "name": group.name,
                    "columns": columns,
                    "weight": any(v.limits.weight_supported for v in variants),
                    "time": any(v.limits.time_customizable for v in variants),
                    "active": any(self._active(v.method.allegro_id) for v in variants),
                    "errors": any(v.errors for v in variants),
                }
            )
        return result

    # --- validation -------------------------------------------------------------------------

    def _raw_value(self, name: str) -> Any:
        if self.is_bound and not self.fields[name].disabled:
            return self.data.get(self.add_prefix(name))
        value = self.initial.get(name, self.fields[name].initial)
        return value

    def _active(self, method_id: str) -> bool:
        value = self._raw_value(field_name(method_id, "active"))
        return value not in (None, "", False, "false", "off", "0")

    def clean_name(self) -> str:
        value = " ".join(str(self.cleaned_data.get("name") or "").split())
        problem = name_error(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_dispatch_country(self) -> str:
        return str(self.cleaned_data.get("dispatch_country") or "").strip().upper()

    def _parse(self, method_id: str) -> tuple[RateValues, dict[str, str]]:
        errors: dict[str, str] = {}

        def number(key: str) -> Decimal | None:
            text = str(self.cleaned_data.get(field_name(method_id, key)) or "").strip()
            if not text:
                return None
            value = decimal_or_none(text)
            if value is None:
                errors[key] = _("Podaj liczbę, np. 12.99.")
            elif not within_input_limit(value):
                errors[key] = _("Podaj liczbę od −999 999 999 do 999 999 999.")
                return None
            return value

        def whole(key: str) -> int | None:
            text = str(self.cleaned_data.get(field_name(method_id, key)) or "").strip()
            if not text:
                return None
            if not is_whole_number(text):
                errors[key] = _("Podaj liczbę całkowitą od 0 do 999 999 999.")
                return None
            return int(text)

        values = RateValues(
            first=number("first"),
            quantity=whole("quantity"),
            next_item=number("next"),
            weight=number("weight"),
            days_from=whole("days_from"),
            days_to=whole("days_to"),
        )
        return values, errors

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rates_type = data.get("rates_type") or "PHYSICAL"
        country = data.get("dispatch_country") or ""
        if rates_type == "PHYSICAL" and not country:
            self.add_error("dispatch_country", _("Podaj kraj nadania przesyłek, np. PL."))
        elif country and not COUNTRY_RE.match(country):
            self.add_error("dispatch_country", _("Podaj dwuliterowy kod kraju ISO, np. PL."))
        planned: list[PlannedRate] = []
        weights: dict[str, dict[str, Decimal | None]] = {}
        for method in self.methods:
            mid = method.allegro_id
            if not self._active(mid):
                continue
            limits = method_limits(method)
            values, errors = self._parse(mid)
            for key, message in rate_errors(limits, values).items():
                errors.setdefault(key, message)
            for key, message in errors.items():
                self.add_error(field_name(mid, "days_from" if key == "time" else key), message)
            if limits.weight_supported:
                weights.setdefault(method.carrier, {})[method.payment_policy] = values.weight
            planned.append(PlannedRate(method_id=mid, values=values, limits=limits))
        for carrier, by_policy in weights.items():
            if len(set(by_policy.values())) > 1:
                cod = next(
                    m
                    for m in self.methods
                    if m.carrier == carrier and m.payment_policy == "CASH_ON_DELIVERY"
                )
                self.add_error(
                    field_name(cod.allegro_id, "weight"),
                    _(
                        "Allegro wymaga tej samej maksymalnej wagi paczki dla przedpłaty "
                        "i pobrania tego przewoźnika."
                    ),
                )
        if not planned:
            raise forms.ValidationError(
                _("Zaznacz „Aktywna” przy przynajmniej jednej metodzie dostawy.")
            )
        self.planned = planned
        return data

    def body(self) -> dict[str, Any]:
        """The ``ShippingRatesSet`` for Allegro (valid forms only)."""
        data = self.cleaned_data
        return rates_body(
            name=data["name"],
            rates_type=data.get("rates_type") or "PHYSICAL",
            dispatch_country=data.get("dispatch_country") or "",
            rates=self.planned,
        )

    def add_remote_errors(self, errors: list[tuple[str, str]], fallback: str) -> None:
        """Put Allegro's ``errors[]`` next to the fields their ``path`` names."""
        placed = False
        for path, message in errors:
            index, key = error_target(path)
            if index is not None and index < len(self.planned):
                mid = self.planned[index].method_id
                self.add_error(field_name(mid, "days_from" if key == "time" else key), message)
            elif key in self.fields:
                self.add_error(key, message)
            else:
                self.add_error(None, message)
            placed = True
        if not placed:
            self.add_error(None, fallback)

    # --- buyer cost preview -----------------------------------------------------------------

    def preview(self) -> list[PreviewRow]:
        """What a buyer pays for 1…N items per active method, read leniently from the input."""
        rows: list[PreviewRow] = []
        for method in self.methods:
            mid = method.allegro_id
            if not self._active(mid):
                continue
            first = typed_number(self._raw_value(field_name(mid, "first")))
            quantity_text = str(self._raw_value(field_name(mid, "quantity")) or "").strip()
            if first is None or first < 0 or not is_whole_number(quantity_text):
                continue
            quantity = int(quantity_text)
            if not 1 <= quantity <= MAX_PER_PACKAGE:
                continue
            next_item = typed_number(self._raw_value(field_name(mid, "next")))
            rows.append(
                PreviewRow(
                    name=method.name,
                    per_package=quantity,
                    costs=buyer_costs(first, quantity),
                    legacy=legacy_costs(first, next_item) if next_item else None,
                )
            )
        return rows

    @staticmethod
    def preview_items() -> list[int]:
        return list(range(1, PREVIEW_ITEMS + 1))
