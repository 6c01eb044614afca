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
from shop.allegro.issues.schedule import (
    IMPORT_RATINGS_JOB,
    feedback_import_queue,
    feedback_import_schedule,
)
from shop.allegro.models import AllegroRating
from shop.allegro.ratings.forms import RatingTextForm
from shop.allegro.ratings.selectors import ratings_list, removal_allowed
from shop.allegro.ratings.services import rating_answer, rating_removal_request
from shop.core.errors import ApplicationError
from shop.core.services.audit import audit_log_write
from shop.scheduler.views import run_started

SHOW = ("all", "negative", "unanswered")


def rating_list(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    if account.is_linked:
        feedback_import_schedule(account=account)
    show = request.GET.get("show", "all")
    show = show if show in SHOW else "all"
    rows = [(r, *removal_allowed(r)) for r in ratings_list(account=account, show=show)[:200]]
    return render(
        request,
        "allegro/ratings/list.html",
        page_context(request, title=_("Oceny"), rows=rows, show=show),
    )


@require_POST
def ratings_import_now(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None or not account.is_usable:
        messages.error(request, _("Najpierw powiąż konto Allegro."))
        return redirect("allegro:ratings")
    run = feedback_import_queue(account=account, job=IMPORT_RATINGS_JOB)
    return run_started(
        request,
        run,
        message=_("Zlecono pobranie ocen; postęp widać poniżej."),
        back=reverse("allegro:ratings"),
        reload_when_done=True,
    )


def _rating(request: HttpRequest, pk: int) -> AllegroRating:
    account = account_current(request)
    return get_object_or_404(
        AllegroRating.objects.select_related("account"), pk=pk, account=account
    )


def _back(rating: AllegroRating) -> HttpResponse:
    return redirect(reverse("allegro:ratings") + f"#rating-{rating.pk}")


@require_POST
def rating_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    form = RatingTextForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Wpisz odpowiedź (najwyżej 500 znaków)."))
        rating_answer(rating=rating, text=form.cleaned_data["text"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(rating)
    audit_log_write(action="allegro.rating_answer", obj=rating, user=request.user)
    messages.success(request, _("Odpowiedź na ocenę opublikowano w Allegro."))
    return _back(rating)


@require_POST
def rating_removal_view(request: HttpRequest, pk: int) -> HttpResponse:
    rating = _rating(request, pk)
    form = RatingTextForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Napisz kupującemu, dlaczego prosisz o usunięcie oceny."))
        rating_removal_request(rating=rating, text=form.cleaned_data["text"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(rating)
    audit_log_write(action="allegro.rating_removal", obj=rating, user=request.user)
    messages.success(request, _("Prośbę o usunięcie oceny wysłano kupującemu."))
    return _back(rating)
