from django import forms
from django.utils.translation import gettext_lazy as _

from shop.catalog.models import StockReason

MANUAL_REASONS = [
    (StockReason.DELIVERY.value, StockReason.DELIVERY.label),
    (StockReason.CORRECTION.value, StockReason.CORRECTION.label),
    (StockReason.DAMAGE.value, StockReason.DAMAGE.label),
    (StockReason.RETURN.value, StockReason.RETURN.label),
]


class StockAdjustForm(forms.Form):
    delta = forms.IntegerField(
        label=_("Zmiana stanu"),
        help_text=_("Liczba dodatnia przyjmuje towar, ujemna zdejmuje go ze stanu."),
        min_value=-1_000_000,
        max_value=1_000_000,
    )
    reason = forms.ChoiceField(label=_("Powód"), choices=MANUAL_REASONS)
    note = forms.CharField(label=_("Uwagi"), max_length=255, required=False)

    def clean_delta(self) -> int:
        delta: int = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError(_("Zmiana stanu nie może być zerowa."))
        return delta
