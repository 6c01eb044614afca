from django import forms
from django.utils.translation import gettext_lazy as _


class ScheduleForm(forms.Form):
    every_seconds = forms.IntegerField(
        label=_("Co ile sekund"), min_value=10, max_value=31 * 24 * 3600
    )
    enabled = forms.BooleanField(label=_("Włączone"), required=False)
