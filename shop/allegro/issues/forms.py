from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from allegro_api.resources.issues import ATTACHMENT_TYPES
from shop.allegro.common.labels import CLAIM_DECISIONS

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


class IssueAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Odpowiedź"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "id": "answer-text"}),
    )
    attachment = forms.FileField(
        label=_("Załącznik (zdjęcie lub PDF, do 5 MB)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(ATTACHMENT_TYPES), "id": "answer-attachment"}
        ),
    )

    def clean_attachment(self) -> object:
        upload = self.cleaned_data.get("attachment")
        if upload is None:
            return None
        if upload.content_type not in ATTACHMENT_TYPES:
            raise forms.ValidationError(_("Allegro przyjmuje tylko zdjęcia i pliki PDF."))
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Plik jest większy niż 5 MB."))
        return upload


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decyzja"),
        choices=[
            ("", _("— wybierz —")),
            *((code, label) for code, label in CLAIM_DECISIONS.items()),
        ],
    )
    message = forms.CharField(
        label=_("Uzasadnienie dla kupującego"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    partial_refund = forms.CharField(
        label=_("Kwota częściowego zwrotu (zł)"), required=False, max_length=16
    )
