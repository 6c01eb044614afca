from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RatingTextForm(forms.Form):
    """The answer to a rating, or the message asking the buyer to remove it (Allegro: ≤ 500)."""

    text = forms.CharField(
        label=_("Treść"), max_length=500, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500})
    )
