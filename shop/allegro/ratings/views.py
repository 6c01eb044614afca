"""Oceny: the buyers' ratings with the answer form and, where Allegro allows it, the removal
request."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.models import AllegroRating
from shop.allegro.ratings.forms import RatingTextForm
from shop.allegro.ratings.selectors import ratings_list, removal_allowed
from shop.allegro.ratings.services import rating_answer, rating_removal_request
from shop.core.errors import ApplicationError
from shop.core.services.audit import audit_log_write

SHOW = ("all", "negative", "unanswered")


def rating_list(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    show = request.GET.get("show", "all")
    show = show if show in SHOW else "all"
    rows = [(r, *removal_allowed(r)) for r in ratings_list(account=account, show=show)[:200]]
    return render(
        request,
        "allegro/ratings/list.html",
        page_context(request, title=_("Oceny"), rows=rows, show=show),
    )


def _rating(request: HttpRequest, pk: int) -> AllegroRating:
    account = account_current(request)
    return get_object_or_404(
        AllegroRating.objects.select_related("account"), pk=pk, account=account
    )


def _back(rating: AllegroRating) -> HttpResponse:
    return redirect(reverse("allegro:ratings") + f"#rating-{rating.pk}")


def _write(request: HttpRequest, pk: int, *, action: str, empty: str, done: str) -> HttpResponse:
    rating = _rating(request, pk)
    form = RatingTextForm(request.POST)
    write = rating_answer if action == "answer" else rating_removal_request
    try:
        if not form.is_valid():
            raise ApplicationError(empty)
        write(rating=rating, text=form.cleaned_data["text"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(rating)
    audit_log_write(action=f"allegro.rating_{action}", obj=rating, user=request.user)
    messages.success(request, done)
    return _back(rating)


@require_POST
def rating_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _write(
        request,
        pk,
        action="answer",
        empty=_("Wpisz odpowiedź (najwyżej 500 znaków)."),
        done=_("Odpowiedź na ocenę opublikowano w Allegro."),
    )


@require_POST
def rating_removal_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _write(
        request,
        pk,
        action="removal",
        empty=_("Napisz kupującemu, dlaczego prosisz o usunięcie oceny."),
        done=_("Prośbę o usunięcie oceny wysłano kupującemu."),
    )
