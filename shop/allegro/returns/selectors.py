"""Reads for the returns pages and the order page's returns section."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from shop.allegro.models import (
    AllegroAccount,
    AllegroCheckoutForm,
    AllegroCustomerReturn,
    AllegroRefund,
)


@dataclass(frozen=True)
class ReturnFilters:
    status: str = ""
    decision: str = ""
    q: str = ""


def returns_for_list(
    *, account: AllegroAccount, filters: ReturnFilters
) -> QuerySet[AllegroCustomerReturn]:
    rows = (
        AllegroCustomerReturn.objects.filter(account=account)
        .select_related("form__order")
        .prefetch_related("items")
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.decision:
        rows = rows.filter(decision=filters.decision)
    if filters.q:
        rows = rows.filter(
            Q(reference_number__icontains=filters.q)
            | Q(buyer_login__icontains=filters.q)
            | Q(buyer_email__icontains=filters.q)
            | Q(order_form_id=filters.q)
            | Q(items__name__icontains=filters.q)
        ).distinct()
    return rows.order_by("-allegro_created_at", "-id")


def return_for_page(pk: int) -> AllegroCustomerReturn | None:
    return (
        AllegroCustomerReturn.objects.select_related("account", "form__order")
        .prefetch_related("items__line__order_item__product", "refunds")
        .filter(pk=pk)
        .first()
    )


def returns_of_form(form: AllegroCheckoutForm) -> list[AllegroCustomerReturn]:
    return list(
        AllegroCustomerReturn.objects.filter(Q(form=form) | Q(order_form_id=form.form_id))
        .prefetch_related("items")
        .order_by("-allegro_created_at", "-id")
    )


def refunds_of_form(form: AllegroCheckoutForm) -> list[AllegroRefund]:
    return list(
        AllegroRefund.objects.filter(form=form)
        .select_related("customer_return")
        .order_by("-created_at", "-id")
    )
