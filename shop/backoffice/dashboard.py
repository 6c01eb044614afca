"""
The start page: what needs the merchant today, and the last 30 days of orders by channel.

Every block is a fixed number of queries, whatever the number of orders or offers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.allegro.claims.selectors import closing_soon, deadline_of
from shop.allegro.common.awaiting import awaiting_replies
from shop.allegro.common.selectors import accounts_needing_relink
from shop.allegro.messages.mapping import waited_label, waited_long
from shop.allegro.models import AllegroCheckoutForm, AllegroOffer, OfferStatus
from shop.allegro.offers.selectors import review_count
from shop.allegro.orders.selectors import TO_SHIP
from shop.allegro.sync.selectors import held_changes_count
from shop.backoffice.chart import BarChart, Series, stacked_bars
from shop.catalog.models import Product
from shop.orders.models import Channel, Order, OrderStatus

CARD_ROWS = 5
CHART_DAYS = 30
CHANNEL_COLORS = {Channel.SHOP: "#4f46e5", Channel.ALLEGRO: "#f97316"}


@dataclass(frozen=True)
class CardRow:
    label: str
    url: str
    note: str = ""
    late: bool = False


@dataclass(frozen=True)
class Card:
    """One "needs you today" box: a count, a link to the filtered list and a few examples."""

    key: str  # the box's DOM id
    title: str
    count: int
    url: str
    link_label: str
    empty_text: str
    rows: list[CardRow] = field(default_factory=list)

    @property
    def tone(self) -> str:
        return "warn" if self.count else "ok"


def _deadline(value: str | None) -> datetime | None:
    """``delivery.time.dispatch.to`` of the stored form (ISO 8601, ``Z``) as an aware time."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def orders_to_ship_card() -> Card:
    forms = AllegroCheckoutForm.objects.filter(TO_SHIP, superseded_by__isnull=True)
    first = (
        forms.select_related("order")
        .only("id", "form_id", "buyer_login", "order__number")
        .annotate(dispatch_to=KT("raw__delivery__time__dispatch__to"))
        # ISO strings in UTC sort as the times they name; forms without a deadline come last.
        .order_by(F("dispatch_to").asc(nulls_last=True), "bought_at")[:CARD_ROWS]
    )
    now = timezone.now()
    rows = []
    for form in first:
        deadline = _deadline(form.dispatch_to)
        note = (
            _("wyślij do %(when)s") % {"when": f"{timezone.localtime(deadline):%d.%m %H:%M}"}
            if deadline
            else _("bez terminu wysyłki")
        )
        number = form.order.number if form.order else form.form_id[:8]
        rows.append(
            CardRow(
                label=f"{number} · {form.buyer_login}",
                url=reverse("allegro:order_detail", args=[form.pk]),
                note=note,
                late=bool(deadline and deadline < now),
            )
        )
    return Card(
        key="card-to-ship",
        title=_("Do wysłania (Allegro)"),
        count=forms.count(),
        url=reverse("allegro:orders") + "?to_ship=1",
        link_label=_("Zamówienia do wysłania"),
        empty_text=_("Wszystkie opłacone zamówienia są wysłane."),
        rows=rows,
    )


def orders_attention_card() -> Card:
    orders = Order.objects.filter(needs_attention=True)
    first = orders.only("id", "number", "attention_reason").order_by("-placed_at")[:CARD_ROWS]
    return Card(
        key="card-attention",
        title=_("Zamówienia wymagające uwagi"),
        count=orders.count(),
        url=reverse("admin:orders_order_changelist") + "?needs_attention__exact=1",
        link_label=_("Pokaż zamówienia"),
        empty_text=_("Żadne zamówienie nie wymaga uwagi."),
        rows=[
            CardRow(
                label=o.number,
                url=reverse("admin:orders_order_change", args=[o.pk]),
                note=o.attention_reason,
            )
            for o in first
        ],
    )


def offers_sold_out_card() -> Card:
    offers = AllegroOffer.objects.filter(status=OfferStatus.ENDED, sync__ended_by_sync=True)
    first = offers.only("id", "name").order_by("-updated_at")[:CARD_ROWS]
    return Card(
        key="card-sold-out",
        title=_("Oferty zakończone — brak towaru"),
        count=offers.count(),
        url=reverse("allegro:offers") + "?sold_out=1",
        link_label=_("Pokaż oferty"),
        empty_text=_("Żadna oferta nie czeka na dostawę."),
        rows=[CardRow(label=o.name, url=reverse("allegro:offer_edit", args=[o.pk])) for o in first],
    )


def claims_to_file_card() -> Card:
    """Commission refunds whose 45-day window closes within ``ALLEGRO_CLAIM_REMIND_DAYS``."""
    items = closing_soon()
    rows = []
    for item in items[:CARD_ROWS]:
        form = item.form
        number = form.order.number if form.order else form.form_id[:8]
        deadline = timezone.localtime(deadline_of(item))
        rows.append(
            CardRow(
                label=f"{number} · {item.offer_name}",
                url=reverse("allegro:order_detail", args=[form.pk]),
                note=_("wniosek do %(when)s") % {"when": f"{deadline:%d.%m %H:%M}"},
            )
        )
    return Card(
        key="card-claims",
        title=_("Zwroty prowizji do złożenia"),
        count=items.count(),
        url=reverse("allegro:claims"),
        link_label=_("Złóż wnioski"),
        empty_text=_("Żaden termin zwrotu prowizji nie mija w najbliższych dniach."),
        rows=rows,
    )


def awaiting_replies_card() -> Card:
    """Czekają na odpowiedź: every conversation waiting for the seller, from all sources.

    What Allegro must see answered by the end of today comes first and is flagged, as is
    anything already past its deadline; then the longest waiting (flagged after a day).
    """
    now = timezone.now()
    end_of_today = timezone.make_aware(datetime.combine(timezone.localdate(now), time.max))
    items = awaiting_replies(now=now)
    rows = []
    for item in items[:CARD_ROWS]:
        note = _("czeka %(since)s") % {"since": waited_label(item.waiting_since, now)}
        if item.deadline is not None:
            when = timezone.localtime(item.deadline)
            note += " · " + (
                _("termin minął %(when)s") if item.deadline <= now else _("odpowiedz do %(when)s")
            ) % {"when": f"{when:%d.%m %H:%M}"}
        rows.append(
            CardRow(
                label=item.title,
                url=item.url,
                note=note,
                # Due by tonight (or already late); without a deadline, waiting over a day.
                late=item.due_by(end_of_today)
                or (item.deadline is None and waited_long(item.waiting_since, now)),
            )
        )
    return Card(
        key="card-awaiting",
        title=_("Czekają na odpowiedź"),
        count=len(items),
        url=reverse("allegro:messages") + "?only=waiting",
        link_label=_("Wiadomości bez odpowiedzi"),
        empty_text=_("Każdy kupujący ma już odpowiedź."),
        rows=rows,
    )


def attention_cards() -> list[Card]:
    """The "needs you today" boxes, in display order.

    One builder per box, each a fixed number of queries. A new box (held price changes, links
    to confirm) is one more builder in this list.
    """
    builders = [
        awaiting_replies_card,
        orders_to_ship_card,
        orders_attention_card,
        offers_sold_out_card,
        claims_to_file_card,
    ]
    return [build() for build in builders]


def orders_chart(today: date, days: int = CHART_DAYS) -> dict[str, BarChart | list[Series]]:
    """Orders and revenue (gross, PLN) per day and channel, cancelled orders left out: one query."""
    start_day = today - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(start_day, time.min))
    rows = (
        Order.objects.filter(placed_at__gte=start, currency="PLN")
        .exclude(status=OrderStatus.CANCELLED)
        .annotate(day=TruncDate("placed_at", tzinfo=timezone.get_current_timezone()))
        .values("day", "channel")
        .annotate(count=Count("id"), revenue=Sum("total"))
        .order_by()
    )
    day_list = [start_day + timedelta(days=i) for i in range(days)]
    index = {day: i for i, day in enumerate(day_list)}
    counts = {c: [Decimal(0)] * days for c in Channel.values}
    revenue = {c: [Decimal(0)] * days for c in Channel.values}
    for row in rows:
        i = index.get(row["day"])
        if i is None or row["channel"] not in counts:
            continue
        counts[row["channel"]][i] += row["count"]
        revenue[row["channel"]][i] += row["revenue"] or Decimal(0)

    def series(values: dict[str, list[Decimal]]) -> list[Series]:
        return [
            Series(key=c.value, label=str(c.label), color=CHANNEL_COLORS[c], values=values[c])
            for c in Channel
        ]

    return {
        "orders": stacked_bars(day_list, series(counts)),
        "revenue": stacked_bars(day_list, series(revenue), unit=" zł"),
        "legend": series(counts),
    }


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
            "relink_accounts": accounts_needing_relink(),
            "cards": attention_cards(),
            "chart": orders_chart(today),
        }
    )
    return context
