from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.allegro.models import AllegroAccount, Province
from shop.core.validators import validate_place_name

POST_CODE = re.compile(r"^[0-9]{2}-[0-9]{3}$")


class AccountConfigForm(forms.Form):
    enabled = forms.BooleanField(label=_("Włącz"), required=False)
    sandbox = forms.BooleanField(
        label=_("Sandbox"),
        required=False,
        help_text=_("Zaznacz tylko dla konta w testowym środowisku Allegro Sandbox."),
    )
    client_id = forms.CharField(label=_("Client ID (klucz WebAPI)"), max_length=128, required=False)
    client_secret = forms.CharField(
        label=_("Client Secret"),
        max_length=256,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    province = forms.ChoiceField(
        label=_("Region"), choices=[("", "—"), *Province.choices], required=False
    )
    city = forms.CharField(label=_("Miasto"), max_length=100, required=False)
    post_code = forms.CharField(label=_("Kod pocztowy"), max_length=6, required=False)

    def __init__(self, *args: Any, account: AllegroAccount, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account
        if account.secrets_unreadable:
            self.fields["client_secret"].help_text = _(
                "Zapisanego nie da się odczytać obecnym kluczem szyfrującym: wpisz go ponownie."
            )
        elif account.client_secret:
            self.fields["client_secret"].help_text = _(
                "Zapisany. Zostaw puste, aby zachować obecny."
            )

    def clean_client_id(self) -> str:
        value: str = self.cleaned_data["client_id"].strip()
        if value and not re.fullmatch(r"[A-Za-z0-9_\-]{4,128}", value):
            raise forms.ValidationError(
                _("Client ID może zawierać tylko litery, cyfry, „-” i „_”.")
            )
        return value

    def clean_post_code(self) -> str:
        value: str = self.cleaned_data["post_code"].strip()
        if value and not POST_CODE.match(value):
            raise forms.ValidationError(_("Podaj kod pocztowy w formacie NN-NNN, np. 61-001."))
        return value

    def clean_city(self) -> str:
        value: str = self.cleaned_data["city"].strip()
        if value:
            validate_place_name(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("enabled"):
            required = {
                "client_id": _("Client ID jest wymagany, gdy moduł jest włączony."),
                "province": _("Wybierz region, w którym znajduje się towar."),
                "city": _("Podaj miasto, w którym znajduje się towar."),
                "post_code": _("Podaj kod pocztowy, pod którym znajduje się towar."),
            }
            for field, message in required.items():
                if not data.get(field) and field not in self.errors:
                    self.add_error(field, message)
            if not data.get("client_secret") and not self.account.client_secret:
                self.add_error(
                    "client_secret", _("Client Secret jest wymagany, gdy moduł jest włączony.")
                )
        return data
