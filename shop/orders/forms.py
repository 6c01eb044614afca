from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.orders.models import Order, OrderStatus


class OrderAdminForm(forms.ModelForm):
    """The status field offers only the transitions the pipeline allows from the current one."""

    # The buyer's message is imported as it comes; edited here it stays a message, not a file.
    customer_note = forms.CharField(
        label=_("wiadomość od kupującego"), required=False, max_length=10_000, widget=forms.Textarea
    )

    class Meta:
        model = Order
        fields = [
            "placed_at",
            "status",
            "customer_name",
            "customer_email",
            "customer_login",
            "customer_phone",
            "billing_address",
            "shipping_address",
            "pickup_point_id",
            "pickup_point_name",
            "pickup_point_address",
            "invoice_required",
            "invoice_company_name",
            "invoice_nip",
            "delivery_method",
            "delivery_cost",
            "payment_method",
            "payment_status",
            "paid_amount",
            "currency",
            "customer_note",
            "internal_note",
            "needs_attention",
            "attention_reason",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "status" in self.fields and self.instance.pk:
            current = self.instance.status
            allowed = {current, *self.instance.allowed_transitions()}
            status = cast(forms.ChoiceField, self.fields["status"])
            status.choices = [
                (value, label) for value, label in OrderStatus.choices if value in allowed
            ]
            status.help_text = _("Dozwolone przejścia ze statusu „%(s)s”.") % {
                "s": OrderStatus(current).label
            }
