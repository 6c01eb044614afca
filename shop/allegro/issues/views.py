"""Dyskusje i reklamacje: the list, one conversation with the answer form and claim decisions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.allegro.common.account_jobs import account_job_queue
from shop.allegro.common.files import download_response
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.issues.forms import ClaimDecisionForm, IssueAnswerForm
from shop.allegro.issues.selectors import claim_decisions_allowed, deadline_state, issues_list
from shop.allegro.issues.services import (
    claim_decide,
    issue_attachment_download,
    issue_message_send,
)
from shop.allegro.models import AllegroIssue, AllegroIssueMessage
from shop.core.errors import ApplicationError
from shop.core.services.audit import audit_log_write
from shop.scheduler.views import run_started

SHOW = ("awaiting", "open", "all")


def issue_list(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    show = request.GET.get("show", "open")
    show = show if show in SHOW else "open"
    rows = [
        (issue, deadline_state(issue.decision_due_at))
        for issue in issues_list(account=account, show=show)
    ]
    return render(
        request,
        "allegro/issues/list.html",
        page_context(request, title=_("Dyskusje i reklamacje"), rows=rows, show=show),
    )


@require_POST
def feedback_import_now(request: HttpRequest, *, job: str, back: str) -> HttpResponse:
    """ "Pobierz z Allegro" on the discussion and rating pages: queue that import now."""
    account = account_current(request)
    if account is None or not account.is_usable:
        messages.error(request, _("Najpierw powiąż konto Allegro."))
        return redirect(back)
    run = account_job_queue(account=account, job=job)
    return run_started(
        request,
        run,
        message=_("Zlecono pobranie z Allegro; postęp widać poniżej."),
        back=reverse(back),
        reload_when_done=True,
    )


def _issue(request: HttpRequest, pk: int) -> AllegroIssue:
    account = account_current(request)
    return get_object_or_404(
        AllegroIssue.objects.select_related("account", "form"), pk=pk, account=account
    )


def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk)
    return _detail(request, issue)


def _detail(
    request: HttpRequest,
    issue: AllegroIssue,
    *,
    answer_form: IssueAnswerForm | None = None,
    decision_form: ClaimDecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_decide, why_not = claim_decisions_allowed(issue)
    return render(
        request,
        "allegro/issues/detail.html",
        page_context(
            request,
            title=_("Reklamacja") if issue.kind == "CLAIM" else _("Dyskusja"),
            issue=issue,
            chat=list(issue.messages.all()),
            deadline=deadline_state(issue.decision_due_at),
            answer_form=answer_form or IssueAnswerForm(),
            can_answer=issue.is_open and issue.chat_active,
            decision_form=decision_form or ClaimDecisionForm(),
            can_decide=can_decide,
            why_not_decide=why_not,
        ),
        status=status,
    )


def issue_attachment(
    request: HttpRequest, pk: int, message_pk: int, attachment_id: str
) -> HttpResponse:
    """A file of the chat through the back office: a download, never shown inline."""
    issue = _issue(request, pk)
    message = get_object_or_404(AllegroIssueMessage, pk=message_pk, issue=issue)
    try:
        data, content_type, file_name = issue_attachment_download(
            message=message, attachment_id=attachment_id
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("allegro:issue", pk=issue.pk)
    return download_response(data, content_type=content_type, file_name=file_name)


@require_POST
def issue_answer(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk)
    form = IssueAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, issue, answer_form=form, status=400)
    upload = form.cleaned_data["attachment"]
    attachment = (upload.name, upload.read(), upload.content_type) if upload else None
    try:
        message = issue_message_send(
            issue=issue, text=form.cleaned_data["text"], attachment=attachment
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _detail(request, issue, answer_form=form, status=400)
    audit_log_write(
        action="allegro.issue_answer",
        obj=message,
        user=request.user,
        changes={"issue": issue.allegro_id},
    )
    messages.success(request, _("Odpowiedź wysłano do Allegro."))
    return redirect("allegro:issue", pk=issue.pk)


@require_POST
def issue_decide(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk)
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, issue, decision_form=form, status=400)
    try:
        claim_decide(
            issue=issue,
            decision=form.cleaned_data["decision"],
            message=form.cleaned_data["message"],
            partial_refund=form.cleaned_data["partial_refund"] or "",
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _detail(request, issue, decision_form=form, status=400)
    audit_log_write(
        action="allegro.claim_decision",
        obj=issue,
        user=request.user,
        changes={"decision": form.cleaned_data["decision"]},
    )
    messages.success(request, _("Decyzję w sprawie reklamacji wysłano do Allegro."))
    return redirect("allegro:issue", pk=issue.pk)
