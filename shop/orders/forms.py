from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.orders.models import Order, OrderStatus


class OrderAdminForm(forms.ModelForm):
    """The status field offers only the transitions the pipeline allows from the current one."""

    class Meta:
        model = Order
        fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "status" in self.fields and self.instance.pk:
            current = self.instance.status
            allowed = {current, *self.instance.allowed_transitions()}
            self.fields["status"].choices = [
                (value, label) for value, label in OrderStatus.choices if value in allowed
            ]
            self.fields["status"].help_text = _("Dozwolone przejścia ze statusu „%(s)s”.") % {
                "s": OrderStatus(current).label
            }
