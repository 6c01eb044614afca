"""The start page: today's orders and their value, products running low, and the Allegro
changes waiting for the merchant's decision."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.db.models import Count, F, Sum
from django.http import HttpRequest
from django.utils import timezone

from shop.allegro.offers.selectors import review_count
from shop.allegro.sync.selectors import held_changes_count
from shop.catalog.models import Product
from shop.orders.models import Order, OrderStatus


def dashboard_callback(request: HttpRequest, context: dict[str, Any]) -> dict[str, Any]:
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    todays = Order.objects.filter(placed_at__gte=start).exclude(status=OrderStatus.CANCELLED)
    summary = todays.aggregate(count=Count("id"), value=Sum("total"))
    context.update(
        {
            "orders_today": summary["count"] or 0,
            "orders_today_value": summary["value"] or 0,
            "orders_to_process": Order.objects.filter(
                status__in=[OrderStatus.NEW, OrderStatus.PROCESSING]
            ).count(),
            "orders_needing_attention": Order.objects.filter(needs_attention=True).count(),
            "allegro_held_changes": held_changes_count(),
            "offers_to_review": review_count(request),
            "recent_orders": Order.objects.order_by("-placed_at")[:8],
            "low_stock": Product.objects.filter(
                is_active=True, stock__lte=F("low_stock_threshold")
            ).order_by("stock", "name")[:12],
        }
    )
    return context
