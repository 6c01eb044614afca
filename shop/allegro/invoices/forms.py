"""The invoice forms: attach a file (a KSeF visualisation for a company), numbering settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from allegro_api.resources.invoices import MAX_INVOICE_FILE_BYTES
from shop.allegro.models import InvoiceSettings
from shop.core.validators import normalize_nip, validate_nip


class InvoiceAttachForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Numer faktury"), max_length=64)
    ksef_number = forms.CharField(
        label=gettext_lazy("Numer KSeF"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("Numer nadany fakturze przez KSeF."),
    )
    file = forms.FileField(
        label=gettext_lazy("Plik PDF"),
        help_text=gettext_lazy("Tylko PDF, najwyżej 3 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, company: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company
        if company:
            self.fields["ksef_number"].required = True
            self.fields["file"].label = gettext_lazy("Wizualizacja faktury z KSeF (PDF)")
        else:
            del self.fields["ksef_number"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_INVOICE_FILE_BYTES:
            raise forms.ValidationError(gettext_lazy("Plik jest większy niż 3 MB."))
        return upload


class InvoiceSettingsForm(forms.ModelForm):
    class Meta:
        model = InvoiceSettings
        fields = ["seller_name", "seller_address", "seller_nip", "place", "number_pattern"]
        widgets = {"seller_address": forms.Textarea(attrs={"rows": 3})}

    def clean_seller_nip(self) -> str:
        value = str(self.cleaned_data["seller_nip"]).strip()
        if value:
            validate_nip(value)
            return normalize_nip(value)
        return value

    def clean_number_pattern(self) -> str:
        pattern = str(self.cleaned_data["number_pattern"]).strip()
        if "{n}" not in pattern:
            raise forms.ValidationError(gettext_lazy("Wzór musi zawierać {n} (kolejny numer)."))
        return pattern
