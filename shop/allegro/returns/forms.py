"""Forms of the returns pages: rejection of a return, refund of a payment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from shop.allegro.common.labels import REFUND_REASONS
from shop.allegro.models import RejectionCode
from shop.allegro.returns.mapping import RefundLimits


class RejectForm(forms.Form):
    code = forms.ChoiceField(label=_("Powód odmowy"), choices=RejectionCode.choices)
    reason = forms.CharField(
        label=_("Uzasadnienie dla kupującego"),
        required=False,
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wymagane przy odmowie zwrotu wpłaty."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("code") == RejectionCode.REFUND_REJECTED and not data.get("reason", "").strip():
            self.add_error("reason", _("Podaj powód odmowy zwrotu wpłaty."))
        return data


class RefundForm(forms.Form):
    """Units of each line item and the delivery amount, never above what Allegro allows."""

    command_id = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Powód zwrotu wpłaty"), choices=[(k, str(v)) for k, v in REFUND_REASONS.items()]
    )
    delivery = forms.DecimalField(
        label=_("Zwrot za dostawę"), min_value=Decimal(0), decimal_places=2, required=False
    )

    def __init__(self, *args: Any, limits: RefundLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        for line_id, limit in limits.lines.items():
            self.fields[f"qty_{line_id}"] = forms.IntegerField(
                label=limit.name,
                min_value=0,
                max_value=limit.max_quantity,
                required=False,
                help_text=_("najwyżej %(max)d szt. × %(price)s %(currency)s")
                % {"max": limit.max_quantity, "price": limit.price, "currency": limits.currency},
            )
        delivery = self.fields["delivery"]
        delivery.validators.append(MaxValueValidator(limits.delivery_max))
        delivery.widget.attrs.update({"max": str(limits.delivery_max), "step": "0.01"})
        delivery.help_text = _("najwyżej %(max)s %(currency)s") % {
            "max": limits.delivery_max,
            "currency": limits.currency,
        }

    def quantities(self) -> dict[str, int]:
        return {
            line_id: int(self.cleaned_data.get(f"qty_{line_id}") or 0)
            for line_id in self.limits.lines
        }

    def line_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"qty_{k}"], v) for k, v in self.limits.lines.items()]
