"""Forms of the Allegro order pages (Polish labels and errors)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.allegro.models import AllegroLineItem, OrderImportState
from shop.allegro.orders.services.fulfillment import (
    OTHER_CARRIER,
    normalize_waybill,
    payment_choices,
)
from shop.allegro.orders.services.fulfillment import status_choices as order_status_choices
from shop.allegro.orders.services.importer import MAX_BACKFILL_DAYS
from shop.orders.models import Order


class OrderConfigureForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status zamówienia"))
    payment_status = forms.ChoiceField(label=gettext_lazy("Stan płatności"))
    delivery_method = forms.CharField(
        label=gettext_lazy("Sposób dostawy"), max_length=200, required=False
    )
    internal_note = forms.CharField(
        label=gettext_lazy("Notatki wewnętrzne"),
        required=False,
        max_length=Order._meta.get_field("internal_note").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Widoczne tylko w sklepie."),
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": order.status,
                "payment_status": order.payment_status,
                "delivery_method": order.delivery_method,
                "internal_note": order.internal_note,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = order_status_choices(order)  # type: ignore[attr-defined]
        self.fields["status"].help_text = _(
            "Status realizacji w Allegro zmieni się razem z nim (kupujący go zobaczy)."
        )
        self.fields["payment_status"].choices = payment_choices()  # type: ignore[attr-defined]


class TrackingForm(forms.Form):
    carrier = forms.ChoiceField(label=gettext_lazy("Przewoźnik"))
    carrier_name = forms.CharField(
        label=gettext_lazy("Nazwa przewoźnika"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("Tylko dla „inny przewoźnik”."),
    )
    waybill = forms.CharField(label=gettext_lazy("Numer przesyłki"), max_length=64)
    line_items = forms.MultipleChoiceField(
        label=gettext_lazy("Pozycje w przesyłce"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Nic nie zaznaczone: całe zamówienie."),
    )
    mark_sent = forms.BooleanField(
        label=gettext_lazy("Oznacz zamówienie jako wysłane"), required=False, initial=True
    )

    def __init__(
        self,
        *args: Any,
        carriers: list[tuple[str, str]],
        lines: list[AllegroLineItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = carriers  # type: ignore[attr-defined]
        self.fields["line_items"].choices = [  # type: ignore[attr-defined]
            (ln.line_item_id, f"{ln.quantity} × {ln.offer_name}") for ln in lines
        ]

    def clean_waybill(self) -> str:
        waybill = normalize_waybill(self.cleaned_data.get("waybill") or "")
        if not waybill:
            raise forms.ValidationError(_("Podaj numer przesyłki."))
        if not all(ch.isalnum() or ch in "-_/." for ch in waybill):
            raise forms.ValidationError(
                _("Numer przesyłki może zawierać tylko litery, cyfry i znaki - _ / .")
            )
        return waybill

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("carrier") == OTHER_CARRIER and not (data.get("carrier_name") or "").strip():
            self.add_error("carrier_name", _("Podaj nazwę przewoźnika."))
        return data


class ImportSettingsForm(forms.ModelForm):
    backfill_days = forms.IntegerField(
        label=gettext_lazy("Pobierz zamówienia z ostatnich (dni)"),
        validators=[
            MinValueValidator(1, gettext_lazy("Podaj co najmniej 1 dzień.")),
            MaxValueValidator(
                MAX_BACKFILL_DAYS,
                gettext_lazy("Allegro udostępnia zamówienia z najwyżej 365 dni."),
            ),
        ],
        help_text=gettext_lazy("Przy pierwszym imporcie (najwyżej 365)."),
    )
    sweep_every_minutes = forms.IntegerField(
        label=gettext_lazy("Przegląd zmienionych zamówień co (minut)"),
        validators=[
            MinValueValidator(1, gettext_lazy("Podaj co najmniej 1 minutę.")),
            MaxValueValidator(1440, gettext_lazy("Podaj najwyżej 1440 minut (dobę).")),
        ],
    )

    class Meta:
        model = OrderImportState
        fields = ["stock_point", "backfill_days", "sweep_every_minutes"]
        labels = {"stock_point": gettext_lazy("Zdejmij ze stanu")}


class LinkProductForm(forms.Form):
    offer_id = forms.CharField(max_length=32)
    term = forms.CharField(
        label=gettext_lazy("SKU lub EAN produktu"),
        max_length=64,
        error_messages={"required": gettext_lazy("Podaj SKU lub EAN produktu.")},
    )
