"""The offer form: fixed sections plus item parameters built from the category's parameters.

Parameter fields come from a type → field factory map (django-oscar's FIELD_FACTORIES) and are
named ``param_<id>`` (ranges: ``param_<id>_from`` / ``param_<id>_to``). Which of them exist,
which are required and which dictionary values they offer is decided by
``shop.allegro.offers.parameters.evaluate_parameters`` on the submitted values — the same
function the live (htmx) refresh uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from shop.allegro.offers.mapping import (
    DESCRIPTION_MAX_BYTES,
    description_body,
    description_size,
    is_product_parameter,
    is_range,
)
from shop.allegro.offers.parameters import ParameterState, evaluate_parameters
from shop.core.http import parse_id
from shop.core.validators import validate_place_name

TITLE_MIN, TITLE_MAX = 12, 75
MAX_IMAGES = 16
DESCRIPTION_SECTIONS = 4
MAX_PRICE = Decimal("99999999.99")
MAX_QUANTITY = 999_999

HANDLING_TIMES = [
    ("PT0S", _("natychmiast")),
    ("PT24H", _("24 godziny")),
    ("P2D", _("2 dni")),
    ("P3D", _("3 dni")),
    ("P4D", _("4 dni")),
    ("P5D", _("5 dni")),
    ("P7D", _("7 dni")),
    ("P10D", _("10 dni")),
    ("P14D", _("14 dni")),
    ("P21D", _("21 dni")),
    ("P30D", _("30 dni")),
    ("P60D", _("60 dni")),
]
INVOICES = [
    ("VAT", _("faktura VAT")),
    ("VAT_MARGIN", _("faktura VAT-marża")),
    ("WITHOUT_VAT", _("faktura bez VAT")),
    ("NO_INVOICE", _("nie wystawiam faktury")),
]
DURATIONS = {
    "BUY_NOW": [
        ("", _("do wyczerpania przedmiotów")),
        ("P3D", _("3 dni")),
        ("P5D", _("5 dni")),
        ("P7D", _("7 dni")),
        ("P10D", _("10 dni")),
        ("P20D", _("20 dni")),
        ("P30D", _("30 dni")),
    ],
    "AUCTION": [
        ("P1D", _("1 dzień")),
        ("P3D", _("3 dni")),
        ("P5D", _("5 dni")),
        ("P7D", _("7 dni")),
        ("P10D", _("10 dni")),
    ],
}
ALL_DURATIONS = list(dict(DURATIONS["BUY_NOW"] + DURATIONS["AUCTION"]).items())
SAFETY_CHOICES = [
    ("text", _("informacje o bezpieczeństwie (tekst)")),
    ("before_gpsr", _("produkt wprowadzony do obrotu przed 13.12.2024 (bez danych GPSR)")),
]
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
NO_MARKUP = re.compile(r"[<>{}]")


# Form fields filled from the seller's own lists on Allegro (``SellerOptions`` attributes).
SELLER_OPTION_FIELDS = {
    "shipping_rates_id": "shipping_rates",
    "return_policy_id": "return_policies",
    "implied_warranty_id": "implied_warranties",
    "warranty_id": "warranties",
}


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def apply_seller_options(form: forms.Form, options: Any) -> None:
    for field, attribute in SELLER_OPTION_FIELDS.items():
        choice_field(form, field).choices = [("", "—"), *getattr(options, attribute)]


def money_field(label: Any, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_PRICE,
    )


# -- the parameter field factories -------------------------------------------------------------


def _restrictions(meta: Mapping[str, Any]) -> Mapping[str, Any]:
    value = meta.get("restrictions")
    return value if isinstance(value, Mapping) else {}


def _label(meta: Mapping[str, Any]) -> str:
    unit = meta.get("unit")
    name = str(meta.get("name") or meta.get("id"))
    return f"{name} [{unit}]" if unit else name


def _dictionary_field(
    meta: Mapping[str, Any], state: ParameterState
) -> list[tuple[str, forms.Field]]:
    allowed = state.allowed_value_ids or frozenset()
    choices = [
        (str(v["id"]), str(v.get("value") or v["id"]))
        for v in meta.get("dictionary") or []
        if isinstance(v, Mapping) and str(v.get("id")) in allowed
    ]
    name = f"param_{meta['id']}"
    if _restrictions(meta).get("multipleChoices"):
        return [
            (
                name,
                forms.MultipleChoiceField(
                    label=_label(meta),
                    choices=choices,
                    required=state.required,
                    widget=forms.CheckboxSelectMultiple,
                ),
            )
        ]
    return [
        (
            name,
            forms.ChoiceField(
                label=_label(meta), choices=[("", "—"), *choices], required=state.required
            ),
        )
    ]


def _number_validators(meta: Mapping[str, Any]) -> list[Any]:
    r = _restrictions(meta)
    validators: list[Any] = []
    if r.get("min") is not None:
        validators.append(MinValueValidator(Decimal(str(r["min"]))))
    if r.get("max") is not None:
        validators.append(MaxValueValidator(Decimal(str(r["max"]))))
    return validators


def _number_field(meta: Mapping[str, Any], required: bool, label: str) -> forms.Field:
    if meta.get("type") == "integer":
        return forms.IntegerField(
            label=label,
            required=required,
            validators=_number_validators(meta),
            max_value=10**12,
            min_value=-(10**12),
        )
    precision = _restrictions(meta).get("precision")
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=18,
        decimal_places=int(precision) if precision is not None else 6,
        validators=_number_validators(meta),
    )


def _numeric_field(meta: Mapping[str, Any], state: ParameterState) -> list[tuple[str, forms.Field]]:
    name = f"param_{meta['id']}"
    if is_range(meta):
        return [
            (f"{name}_from", _number_field(meta, state.required, f"{_label(meta)} — {_('od')}")),
            (f"{name}_to", _number_field(meta, state.required, f"{_label(meta)} — {_('do')}")),
        ]
    return [(name, _number_field(meta, state.required, _label(meta)))]


class MultiValueTextField(forms.CharField):
    """One value per line, each within the parameter's length limits."""

    def __init__(
        self, *, max_values: int, min_length: int | None, max_length: int | None, **kw: Any
    ):
        self.max_values, self.item_min, self.item_max = max_values, min_length, max_length
        super().__init__(widget=forms.Textarea(attrs={"rows": min(max_values, 4)}), **kw)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        items = [line.strip() for line in str(text or "").splitlines() if line.strip()]
        if len(items) > self.max_values:
            raise forms.ValidationError(
                _("Można podać najwyżej %(n)d wartości (po jednej w wierszu).")
                % {"n": self.max_values}
            )
        for item in items:
            if self.item_min and len(item) < self.item_min:
                raise forms.ValidationError(
                    _("Każda wartość musi mieć co najmniej %(n)d znaków.") % {"n": self.item_min}
                )
            if self.item_max and len(item) > self.item_max:
                raise forms.ValidationError(
                    _("Każda wartość może mieć najwyżej %(n)d znaków.") % {"n": self.item_max}
                )
        return items


def _string_field(meta: Mapping[str, Any], state: ParameterState) -> list[tuple[str, forms.Field]]:
    r = _restrictions(meta)
    name = f"param_{meta['id']}"
    min_length = int(r["minLength"]) if r.get("minLength") is not None else None
    max_length = int(r["maxLength"]) if r.get("maxLength") is not None else None
    max_values = int(r.get("allowedNumberOfValues") or 1)
    if max_values > 1:
        field: forms.Field = MultiValueTextField(
            label=_label(meta),
            required=state.required,
            max_values=max_values,
            min_length=min_length,
            max_length=max_length,
            help_text=_("Po jednej wartości w wierszu (najwyżej %(n)d).") % {"n": max_values},
        )
    else:
        field = forms.CharField(
            label=_label(meta),
            required=state.required,
            min_length=min_length,
            max_length=max_length or 1000,
        )
    return [(name, field)]


FIELD_FACTORIES: dict[
    str, Callable[[Mapping[str, Any], ParameterState], list[tuple[str, forms.Field]]]
] = {
    "dictionary": _dictionary_field,
    "integer": _numeric_field,
    "float": _numeric_field,
    "string": _string_field,
}


def submitted_parameter_values(
    metas: Sequence[Mapping[str, Any]], data: Mapping[str, Any]
) -> dict[str, list[str]]:
    """What the request holds for each parameter, as strings (before validation)."""
    getlist = getattr(data, "getlist", None)
    values: dict[str, list[str]] = {}
    for meta in metas:
        pid = str(meta.get("id"))
        name = f"param_{pid}"
        if is_range(meta):
            pair = [str(data.get(f"{name}_from") or ""), str(data.get(f"{name}_to") or "")]
            if any(pair):
                values[pid] = pair
            continue
        if getlist is not None:
            raw = [str(v) for v in getlist(name)]
        else:
            stored = data.get(name)
            raw = (
                [str(v) for v in stored]
                if isinstance(stored, list)
                else ([str(stored)] if stored else [])
            )
        if meta.get("type") == "string" and len(raw) == 1 and "\n" in raw[0]:
            raw = [line.strip() for line in raw[0].splitlines()]
        raw = [v for v in raw if v.strip()]
        if raw:
            values[pid] = raw
    return values


def parameter_initial(
    metas: Sequence[Mapping[str, Any]], values: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """Form ``initial`` for stored parameter values."""
    initial: dict[str, Any] = {}
    by_id = {str(m.get("id")): m for m in metas}
    for pid, vals in values.items():
        meta = by_id.get(str(pid))
        if meta is None or not vals:
            continue
        name = f"param_{pid}"
        if is_range(meta) and len(vals) == 2:
            initial[f"{name}_from"], initial[f"{name}_to"] = vals
        elif meta.get("type") == "dictionary":
            multi = _restrictions(meta).get("multipleChoices")
            initial[name] = list(vals) if multi else vals[0]
        elif (
            meta.get("type") == "string"
            and int(_restrictions(meta).get("allowedNumberOfValues") or 1) > 1
        ):
            initial[name] = "\n".join(vals)
        else:
            initial[name] = vals[0]
    return initial


class ParametersForm(forms.Form):
    """Only the item parameters: the fragment the live refresh re-renders."""

    def __init__(
        self,
        *args: Any,
        metas: Sequence[Mapping[str, Any]],
        values: Mapping[str, Sequence[str]],
        catalog_linked: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.metas = list(metas)
        self.states = evaluate_parameters(self.metas, values)
        if catalog_linked:
            # A catalog product brings its own values for the parameters describing it.
            self.states = {
                pid: (
                    ParameterState(state.visible, False, state.allowed_value_ids)
                    if is_product_parameter(meta)
                    else state
                )
                for meta in self.metas
                for pid, state in [(str(meta.get("id")), self.states.get(str(meta.get("id"))))]
                if state is not None
            }
        self.parameter_names: list[str] = []
        for meta in self.metas:
            state = self.states.get(str(meta.get("id")))
            factory = FIELD_FACTORIES.get(str(meta.get("type")))
            if state is None or factory is None or not state.visible:
                continue
            for name, field in factory(meta, state):
                field.widget.attrs["data-parameter"] = str(meta["id"])
                self.fields[name] = field
                self.parameter_names.append(name)

    def parameter_values(self) -> dict[str, list[str]]:
        """Cleaned values per parameter id (strings, as Allegro takes them)."""
        out: dict[str, list[str]] = {}
        data = self.cleaned_data
        for meta in self.metas:
            pid = str(meta["id"])
            name = f"param_{pid}"
            if is_range(meta):
                low, high = data.get(f"{name}_from"), data.get(f"{name}_to")
                if low is not None and high is not None:
                    out[pid] = [str(low), str(high)]
                continue
            value = data.get(name)
            if value in (None, "", []):
                continue
            out[pid] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for meta in self.metas:
            if not is_range(meta):
                continue
            name = f"param_{meta['id']}"
            low, high = data.get(f"{name}_from"), data.get(f"{name}_to")
            if (low is None) != (high is None) and f"{name}_from" in self.fields:
                self.add_error(f"{name}_from", _("Podaj oba końce zakresu."))
            elif low is not None and high is not None and low > high:
                self.add_error(
                    f"{name}_to", _("Koniec zakresu nie może być mniejszy niż początek.")
                )
        return data


class OfferForm(ParametersForm):
    # 1. Informacje podstawowe
    name = forms.CharField(label=_("Tytuł oferty"), min_length=TITLE_MIN, max_length=TITLE_MAX)
    category_id = forms.CharField(label=_("Kategoria"), max_length=20)
    catalog_product_id = forms.CharField(label=_("Produkt Allegro"), required=False, max_length=36)
    # 2. Format sprzedaży
    selling_format = forms.ChoiceField(
        label=_("Format sprzedaży"),
        choices=[("BUY_NOW", _("Kup teraz")), ("AUCTION", _("Licytacja"))],
        widget=forms.RadioSelect,
    )
    price = money_field(_("Cena Kup teraz (zł)"))
    starting_price = money_field(_("Cena wywoławcza (zł)"))
    minimal_price = money_field(_("Cena minimalna (zł)"))
    quantity = forms.IntegerField(label=_("Liczba sztuk"), min_value=1, max_value=MAX_QUANTITY)
    duration = forms.ChoiceField(label=_("Czas trwania"), choices=ALL_DURATIONS, required=False)
    republish = forms.BooleanField(label=_("Wznawiaj automatycznie"), required=False)
    # 3. Dostawa i płatność
    shipping_rates_id = forms.ChoiceField(label=_("Cennik dostawy"), choices=[])
    handling_time = forms.ChoiceField(
        label=_("Czas wysyłki"), choices=HANDLING_TIMES, initial="PT24H"
    )
    invoice = forms.ChoiceField(label=_("Faktura"), choices=INVOICES, initial="VAT")
    province = forms.ChoiceField(label=_("Województwo"), choices=[], required=False)
    city = forms.CharField(
        label=_("Miasto"), max_length=100, required=False, validators=[validate_place_name]
    )
    post_code = forms.RegexField(
        label=_("Kod pocztowy"),
        regex=r"^[0-9]{2}-[0-9]{3}$",
        required=False,
        error_messages={"invalid": _("Podaj kod pocztowy w formacie NN-NNN.")},
    )
    # 7. Warunki oferty
    return_policy_id = forms.ChoiceField(label=_("Warunki zwrotów"), choices=[])
    implied_warranty_id = forms.ChoiceField(label=_("Warunki reklamacji (rękojmia)"), choices=[])
    warranty_id = forms.ChoiceField(label=_("Gwarancja"), choices=[], required=False)
    responsible_producer = forms.CharField(
        label=_("Producent odpowiedzialny (GPSR)"), max_length=50, required=False
    )
    safety = forms.ChoiceField(
        label=_("Bezpieczeństwo produktu (GPSR)"),
        choices=SAFETY_CHOICES,
        initial="text",
        widget=forms.RadioSelect,
    )
    safety_text = forms.CharField(
        label=_("Informacje o bezpieczeństwie"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # 8. Opcje promowania
    promotion_package = forms.ChoiceField(label=_("Wyróżnienie"), choices=[], required=False)

    def __init__(
        self,
        *args: Any,
        metas: Sequence[Mapping[str, Any]],
        values: Mapping[str, Sequence[str]],
        options: Any,
        images: Sequence[Any],
        is_leaf_category: Callable[[str], bool],
        **kwargs: Any,
    ) -> None:
        source = args[0] if args else kwargs.get("data")
        chosen = (source or {}).get("catalog_product_id") if source is not None else None
        if source is None:
            chosen = (kwargs.get("initial") or {}).get("catalog_product_id")
        super().__init__(*args, metas=metas, values=values, catalog_linked=bool(chosen), **kwargs)
        self.images = list(images)
        self.is_leaf_category = is_leaf_category
        none = [("", "—")]
        from shop.allegro.models import Province

        choice_field(self, "province").choices = none + list(Province.choices)
        apply_seller_options(self, options)
        choice_field(self, "promotion_package").choices = [
            ("", _("bez wyróżnienia")),
            *options.promotion_packages,
        ]
        # 4. Zdjęcia: a position per product image (empty: not used)
        for image in self.images:
            self.fields[f"image_{image.pk}"] = forms.IntegerField(
                label=str(image), required=False, min_value=1, max_value=99
            )
        # 5. Opisy: a few sections of text with an optional image
        image_choices = [("", "—")] + [
            (str(image.pk), _("zdjęcie %(n)d") % {"n": n}) for n, image in enumerate(self.images, 1)
        ]
        for n in range(1, DESCRIPTION_SECTIONS + 1):
            self.fields[f"description_{n}_text"] = forms.CharField(
                label=_("Sekcja %(n)d — tekst") % {"n": n},
                required=False,
                max_length=DESCRIPTION_MAX_BYTES,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.fields[f"description_{n}_image"] = forms.ChoiceField(
                label=_("Sekcja %(n)d — zdjęcie") % {"n": n}, choices=image_choices, required=False
            )

    # -- field checks --------------------------------------------------------------------------
    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if NO_MARKUP.search(name):
            raise forms.ValidationError(_("Tytuł nie może zawierać znaków < > { }."))
        if len(name) < TITLE_MIN:
            raise forms.ValidationError(
                _("Tytuł musi mieć od %(min)d do %(max)d znaków.")
                % {"min": TITLE_MIN, "max": TITLE_MAX}
            )
        return name

    def clean_category_id(self) -> str:
        value = str(self.cleaned_data["category_id"]).strip()
        if parse_id(value) is None:
            raise forms.ValidationError(_("Wybierz kategorię z drzewa kategorii Allegro."))
        if not self.is_leaf_category(value):
            raise forms.ValidationError(
                _("Wybierz kategorię najniższego poziomu (bez podkategorii).")
            )
        return value

    def clean_catalog_product_id(self) -> str:
        value = str(self.cleaned_data["catalog_product_id"]).strip()
        if value and not UUID.match(value):
            raise forms.ValidationError(_("Wybierz produkt z katalogu Allegro z listy."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        fmt = data.get("selling_format")
        if fmt == "BUY_NOW" and not data.get("price") and "price" not in self.errors:
            self.add_error("price", _("Podaj cenę."))
        if fmt == "AUCTION":
            if not data.get("starting_price") and "starting_price" not in self.errors:
                self.add_error("starting_price", _("Podaj cenę wywoławczą."))
            low, minimal, buy_now = (
                data.get("starting_price"),
                data.get("minimal_price"),
                data.get("price"),
            )
            if low and minimal and minimal < low:
                self.add_error(
                    "minimal_price", _("Cena minimalna nie może być niższa od wywoławczej.")
                )
            if low and buy_now and buy_now <= low:
                self.add_error("price", _("Cena Kup teraz musi być wyższa od wywoławczej."))
        if fmt in DURATIONS and data.get("duration", "") not in dict(DURATIONS[fmt]):
            self.add_error(
                "duration", _("Ten czas trwania nie jest dostępny dla wybranego formatu.")
            )
        positions = {
            str(image.pk): data.get(f"image_{image.pk}")
            for image in self.images
            if data.get(f"image_{image.pk}")
        }
        if len(positions) > MAX_IMAGES:
            raise forms.ValidationError(
                _("Oferta może mieć najwyżej %(n)d zdjęć.") % {"n": MAX_IMAGES}
            )
        data["image_ids"] = sorted(positions, key=lambda pk: (positions[pk], int(pk)))
        data["description"] = [
            {
                "text": data.get(f"description_{n}_text") or "",
                "image_id": data.get(f"description_{n}_image") or None,
            }
            for n in range(1, DESCRIPTION_SECTIONS + 1)
        ]
        body = description_body(data["description"], dict.fromkeys(positions, "https://x"))
        if description_size(body) > DESCRIPTION_MAX_BYTES:
            self.add_error(
                "description_1_text",
                _("Opis jest za długi (najwyżej %(n)d bajtów po oczyszczeniu).")
                % {"n": DESCRIPTION_MAX_BYTES},
            )
        for n in range(1, DESCRIPTION_SECTIONS + 1):
            image = data.get(f"description_{n}_image")
            if image and image not in positions:
                self.add_error(
                    f"description_{n}_image", _("To zdjęcie musi też być wybrane w sekcji Zdjęcia.")
                )
        if (
            data.get("safety") == "text"
            and not data.get("safety_text")
            and not data.get("catalog_product_id")
        ):
            self.add_error(
                "safety_text",
                _(
                    "Podaj informacje o bezpieczeństwie albo zaznacz, "
                    "że produkt wprowadzono przed GPSR."
                ),
            )
        data["parameters"] = self.parameter_values()
        return data


class ReturnAddressForm(forms.Form):
    name = forms.CharField(label=_("Nazwa (odbiorca zwrotów)"), max_length=200)
    street = forms.CharField(label=_("Ulica i numer"), max_length=200)
    post_code = forms.RegexField(
        label=_("Kod pocztowy"),
        regex=r"^[0-9]{2}-[0-9]{3}$",
        error_messages={"invalid": _("Podaj kod pocztowy w formacie NN-NNN.")},
    )
    city = forms.CharField(label=_("Miasto"), max_length=100, validators=[validate_place_name])
    phone = forms.RegexField(
        label=_("Telefon"),
        regex=r"^\+?[0-9 ]{9,15}$",
        error_messages={"invalid": _("Podaj numer telefonu, np. 600 100 200.")},
    )
    email = forms.EmailField(label=_("E-mail"))


class ListingTemplateForm(forms.Form):
    category_id = forms.RegexField(
        label=_("Kategoria Allegro (id)"),
        regex=r"^[0-9]{1,20}$",
        required=False,
        help_text=_("Puste: kategoria dopasowana do tytułu każdego produktu."),
        error_messages={"invalid": _("Podaj numer kategorii albo zostaw puste.")},
    )
    condition = forms.ChoiceField(
        label=_("Stan"), choices=[("11323_1", _("Nowy")), ("11323_2", _("Używany"))]
    )
    shipping_rates_id = forms.ChoiceField(label=_("Cennik dostawy"), choices=[])
    return_policy_id = forms.ChoiceField(label=_("Warunki zwrotów"), choices=[])
    implied_warranty_id = forms.ChoiceField(label=_("Warunki reklamacji (rękojmia)"), choices=[])
    warranty_id = forms.ChoiceField(label=_("Gwarancja"), choices=[], required=False)
    handling_time = forms.ChoiceField(
        label=_("Czas wysyłki"), choices=HANDLING_TIMES, initial="PT24H"
    )
    invoice = forms.ChoiceField(label=_("Faktura"), choices=INVOICES, initial="VAT")
    markup = forms.DecimalField(
        label=_("Mnożnik ceny"),
        initial=Decimal("1.00"),
        min_value=Decimal("0.10"),
        max_value=Decimal(10),
        decimal_places=4,
        max_digits=6,
    )
    fixed_amount = forms.DecimalField(
        label=_("Dodatek do ceny (zł)"),
        initial=Decimal(0),
        min_value=Decimal(-10000),
        max_value=Decimal(10000),
        decimal_places=2,
        max_digits=8,
    )
    rounding = forms.ChoiceField(label=_("Zaokrąglenie"), choices=[], required=False)
    reserve = forms.IntegerField(
        label=_("Rezerwa stanu (szt.)"), initial=0, min_value=0, max_value=10000
    )
    safety_text = forms.CharField(
        label=_("Informacje o bezpieczeństwie (GPSR)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, options: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from shop.allegro.models.sync import Rounding

        apply_seller_options(self, options)
        choice_field(self, "rounding").choices = list(Rounding.choices)
