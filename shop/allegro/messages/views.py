"""Wiadomości: the thread list, a conversation with the answer form, attachments, templates."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allegro_api import AllegroError
from shop.allegro.common.errors import describe_error
from shop.allegro.common.files import download_response
from shop.allegro.common.selectors import account_current
from shop.allegro.common.views import page_context
from shop.allegro.messages.forms import MessageTemplateForm, ReplyForm
from shop.allegro.messages.selectors import (
    form_of,
    offer_of,
    template_values,
    templates_filled,
    thread_messages,
    threads_of,
    unread_count,
)
from shop.allegro.messages.services import (
    MessageRefused,
    OutgoingFile,
    attachment_download,
    message_reply,
    messages_import,
    new_send_key,
    thread_mark_read,
)
from shop.allegro.models import AllegroMessageAttachment, AllegroMessageThread, MessageTemplate

PAGE_SIZE = 50


def _refusal(exc: MessageRefused | AllegroError) -> str:
    """Our own reason, or Allegro's userMessage with its trace id."""
    return str(exc) if isinstance(exc, MessageRefused) else describe_error(exc)


def message_list(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None:
        return redirect("allegro:config")
    only = request.GET.get("only", "")
    page = Paginator(threads_of(account=account, only=only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "allegro/messages/list.html",
        page_context(
            request,
            title=_("Wiadomości"),
            page=page,
            only=only,
            unread=unread_count(account),
            now=timezone.now(),
            can_call=account.is_usable,
        ),
    )


@require_POST
def messages_import_now(request: HttpRequest) -> HttpResponse:
    account = account_current(request)
    if account is None or not account.is_usable:
        return redirect("allegro:config")
    try:
        counts = messages_import(account=account)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
    else:
        messages.success(
            request,
            _("Pobrano nowe wiadomości: %(n)s.") % {"n": counts.get("messages_new", 0)},
        )
    return redirect("allegro:messages")


def _thread(request: HttpRequest, pk: int) -> AllegroMessageThread:
    account = account_current(request)
    if account is None:
        raise Http404
    return get_object_or_404(
        AllegroMessageThread.objects.select_related("account"), pk=pk, account=account
    )


def message_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(request, pk)
    form = form_of(thread)
    reply = ReplyForm(
        request.POST or None, request.FILES or None, initial={"send_key": new_send_key()}
    )
    if request.method == "POST" and reply.is_valid():
        data = reply.cleaned_data
        files = [
            OutgoingFile(name=f.name, content_type=(f.content_type or "").lower(), data=f.read())
            for f in data["attachments"]
        ]
        try:
            message_reply(thread=thread, text=data["text"], files=files, send_key=data["send_key"])
        except (MessageRefused, AllegroError) as exc:
            reply.add_error(None, _refusal(exc))
        else:
            messages.success(request, _("Odpowiedź wysłana do Allegro."))
            return redirect("allegro:message_thread", pk=thread.pk)
    return render(
        request,
        "allegro/messages/thread.html",
        page_context(
            request,
            title=_("Wiadomości: %(login)s") % {"login": thread.interlocutor_login},
            thread=thread,
            checkout_form=form,
            offer=offer_of(thread),
            conversation=thread_messages(thread),
            reply=reply,
            templates=templates_filled(template_values(thread, form)),
            can_call=thread.account.is_usable,
            now=timezone.now(),
        ),
    )


@require_POST
def message_thread_read(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(request, pk)
    try:
        thread_mark_read(thread=thread)
    except AllegroError as exc:
        messages.error(request, describe_error(exc))
    return redirect("allegro:message_thread", pk=thread.pk)


def message_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """The file through the back office: a download, never shown inline, type never guessed."""
    thread = _thread(request, pk)
    attachment = get_object_or_404(
        AllegroMessageAttachment.objects.select_related("message__thread__account"),
        pk=attachment_pk,
        message__thread=thread,
    )
    try:
        data, content_type = attachment_download(attachment=attachment)
    except (MessageRefused, AllegroError) as exc:
        messages.error(request, _refusal(exc))
        return redirect("allegro:message_thread", pk=thread.pk)
    return download_response(data, content_type=content_type, file_name=attachment.file_name)


def message_templates(request: HttpRequest) -> HttpResponse:
    form = MessageTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Zapisano szablon odpowiedzi."))
        return redirect("allegro:message_templates")
    return render(
        request,
        "allegro/messages/templates.html",
        page_context(
            request,
            title=_("Szablony odpowiedzi"),
            form=form,
            templates=MessageTemplate.objects.all(),
        ),
    )


@require_POST
def message_template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(MessageTemplate, pk=pk).delete()
    messages.success(request, _("Usunięto szablon."))
    return redirect("allegro:message_templates")
