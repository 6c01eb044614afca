"""The answer form and the reply template form."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.allegro.messages.mapping import MAX_MESSAGE_LENGTH
from shop.allegro.models import MessageTemplate


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.gif,.bmp,.tif,.tiff,.pdf"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Odpowiedź"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "id": "reply-text"}),
    )
    attachments = MultipleFileField(
        label=_("Załączniki"),
        required=False,
        help_text=_("Obrazy (JPG, PNG, GIF, BMP, TIFF) lub PDF, każdy do 5 MB."),
    )
    # The key the page was given (uuid4 hex): a form sent twice sends one message.
    send_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)


# A template's name is one short line: letters, digits, spaces and plain punctuation.
_NAME = re.compile(r"^[\w .,()/!?&+'-]+$")
# A reply is words: at least two of them made of letters.
_WORD = re.compile(r"[^\W\d_]{2,}")


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["name", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "text": _(
                "Możesz użyć: {kupujacy}, {numer_zamowienia}, {link_sledzenia} (link do śledzenia "
                "przesyłki, gdy zamówienie ma numer przesyłki)."
            )
        }

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not _NAME.match(name):
            raise forms.ValidationError(
                _("Nazwa może zawierać litery, cyfry, spacje i zwykłe znaki interpunkcyjne.")
            )
        return name

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if len(_WORD.findall(text)) < 2:
            raise forms.ValidationError(
                _("Treść szablonu to odpowiedź dla kupującego — wpisz słowa.")
            )
        return text
