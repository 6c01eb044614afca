"""The parcel form of the Allegro order page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from shop.allegro.models import PackageType, ParcelSettings
from shop.allegro.shipments.services import PackageInput


class ParcelForm(forms.Form):
    package_type = forms.ChoiceField(label=gettext_lazy("Rodzaj paczki"), choices=[])
    length = forms.DecimalField(
        label=gettext_lazy("Długość (cm)"), min_value=Decimal("0.1"), decimal_places=1
    )
    width = forms.DecimalField(
        label=gettext_lazy("Szerokość (cm)"), min_value=Decimal("0.1"), decimal_places=1
    )
    height = forms.DecimalField(
        label=gettext_lazy("Wysokość (cm)"), min_value=Decimal("0.1"), decimal_places=1
    )
    weight = forms.DecimalField(
        label=gettext_lazy("Waga (kg)"), min_value=Decimal("0.01"), decimal_places=2
    )
    cod_amount = forms.DecimalField(
        label=gettext_lazy("Pobranie (zł)"), required=False, min_value=0, decimal_places=2
    )
    insurance = forms.DecimalField(
        label=gettext_lazy("Ubezpieczenie (zł)"), required=False, min_value=0, decimal_places=2
    )
    point = forms.CharField(label=gettext_lazy("Punkt odbioru"), required=False, max_length=64)

    def __init__(
        self,
        *args: Any,
        package_types: list[str] | None = None,
        cod: bool = False,
        point: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(PackageType.choices)
        types = package_types or [PackageType.PACKAGE]
        choice = self.fields["package_type"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(t, labels.get(t, t)) for t in types]
        if not cod:
            del self.fields["cod_amount"]
        if not point:
            del self.fields["point"]

    @classmethod
    def initial_from(cls, package: PackageInput) -> dict[str, Any]:
        return {
            "package_type": package.package_type,
            "length": package.length,
            "width": package.width,
            "height": package.height,
            "weight": package.weight,
            "cod_amount": package.cod_amount,
            "insurance": package.insurance,
            "point": package.point,
        }

    def package(self) -> PackageInput:
        data = self.cleaned_data
        return PackageInput(
            package_type=data["package_type"],
            length=data["length"],
            width=data["width"],
            height=data["height"],
            weight=data["weight"],
            cod_amount=data.get("cod_amount") or None,
            insurance=data.get("insurance") or None,
            point=data.get("point") or "",
        )

    def add_allegro_errors(self, errors: dict[str | None, list[str]]) -> None:
        """Allegro's messages on the field their ``path`` names (else above the form)."""
        for name, messages in errors.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)


class ParcelSettingsForm(forms.ModelForm):
    class Meta:
        model = ParcelSettings
        fields = [
            "sender_name",
            "sender_street",
            "sender_post_code",
            "sender_city",
            "sender_email",
            "sender_phone",
            "length",
            "width",
            "height",
            "weight",
            "mark_sent",
        ]
        labels = {
            "length": gettext_lazy("Domyślna długość paczki (cm)"),
            "width": gettext_lazy("Domyślna szerokość paczki (cm)"),
            "height": gettext_lazy("Domyślna wysokość paczki (cm)"),
            "weight": gettext_lazy("Domyślna waga paczki (kg)"),
        }
