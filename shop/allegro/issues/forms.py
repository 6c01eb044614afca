from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.allegro.common.labels import CLAIM_DECISIONS


class IssueAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Odpowiedź"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4, "id": "answer-text"}),
    )


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decyzja"),
        choices=[
            ("", _("— wybierz —")),
            *((code, label) for code, label in CLAIM_DECISIONS.items()),
        ],
    )
    message = forms.CharField(
        label=_("Uzasadnienie dla kupującego"), widget=forms.Textarea(attrs={"rows": 3})
    )
    partial_refund = forms.CharField(
        label=_("Kwota częściowego zwrotu (zł)"), required=False, max_length=16
    )
