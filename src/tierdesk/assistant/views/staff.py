"""The staff's pages: the conversation log with feedback and the deflection rate, one
conversation, the unanswered questions grouped by meaning, and the FAQ entries' editor. 404 for
everyone else."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tierdesk.accounts.models import User
from tierdesk.knowledge.models.localizing import reader_language

from ..forms.faq import FaqEntryForm
from ..models import FaqEntry
from ..selectors.chat_access import access_assistant_staff, access_faq_entry
from ..selectors.chat_log import turn_views
from ..selectors.chat_staff import (
    QuestionGroup,
    conversation_detail,
    conversation_log,
    deflection_rate,
    faq_entries_for_staff,
    unanswered_groups,
)
from ..services.faq import faq_entry_create, faq_entry_delete, faq_entry_update

PAGE_SIZE = 50
GROUPS_SHOWN = 50


@require_safe
def conversations(request: HttpRequest) -> HttpResponse:
    """/assistant/staff/: the conversations, newest first, and the deflection rate."""
    page = Paginator(conversation_log(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "deflection": deflection_rate(request.user)}
    return render(request, "assistant/staff_conversations.html", context)


@require_safe
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    """/assistant/staff/<pk>/: one conversation's turns as the asker saw them, with figures."""
    found, turns = conversation_detail(request.user, pk)
    views = turn_views(turns, request.user, reader_language(get_language()))
    return render(
        request, "assistant/staff_conversation.html", {"conversation": found, "turns": views}
    )


def faq_prefill_url(group: QuestionGroup) -> str:
    """The staff's new FAQ entry form, filled with the group's question and wordings."""
    query = urlencode(
        {
            "question": group.title[:300],
            "phrasings": "\n".join(group.questions[1:20]),
            "language": group.language,
        }
    )
    return f"{reverse('assistant:staff-faq-new')}?{query}"


@require_safe
def unanswered(request: HttpRequest) -> HttpResponse:
    """/assistant/staff/unanswered/: the questions it could not answer, grouped by meaning."""
    access_assistant_staff(request.user)
    groups = unanswered_groups(request.user)[:GROUPS_SHOWN]
    rows = [(group, faq_prefill_url(group)) for group in groups]
    return render(request, "assistant/staff_unanswered.html", {"rows": rows})


@require_safe
def faq_entries(request: HttpRequest) -> HttpResponse:
    """/assistant/staff/faq/: the FAQ entries, the last changed first."""
    page = Paginator(faq_entries_for_staff(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "assistant/staff_faq_list.html", {"page": page})


def _faq_form(request: HttpRequest, entry: FaqEntry | None) -> HttpResponse:
    actor = cast(User, request.user)  # access_assistant_staff let only staff in
    if request.method == "POST":
        form = FaqEntryForm(request.POST)
        if form.is_valid():
            try:
                if entry is None:
                    faq_entry_create(actor=actor, **form.cleaned_data)
                else:
                    faq_entry_update(actor=actor, entry=entry, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("The FAQ entry is saved."))
                return redirect("assistant:staff-faq")
    elif entry is None:
        # Prefilled from an unanswered group: ?question=&phrasings=&language=
        initial = {
            name: request.GET[name]
            for name in ("question", "phrasings", "language")
            if name in request.GET
        }
        form = FaqEntryForm(initial={"published": True, **initial})
    else:
        saved = {name: getattr(entry, name) for name in FaqEntryForm.base_fields}
        form = FaqEntryForm(initial={**saved, "article": entry.article_id})
    return render(request, "assistant/staff_faq_form.html", {"form": form, "entry": entry})


@require_http_methods(["GET", "HEAD", "POST"])
def faq_entry_new(request: HttpRequest) -> HttpResponse:
    """/assistant/staff/faq/new/: a new FAQ entry (prefilled by the query's fields)."""
    access_assistant_staff(request.user)
    return _faq_form(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
def faq_entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """/assistant/staff/faq/<pk>/edit/: change one FAQ entry."""
    return _faq_form(request, access_faq_entry(request.user, pk))


@require_POST
def faq_entry_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /assistant/staff/faq/<pk>/delete/: delete one FAQ entry (asked to confirm on the
    edit page); the conversations that cited it keep their text."""
    entry = access_faq_entry(request.user, pk)
    faq_entry_delete(actor=cast(User, request.user), entry=entry)
    messages.success(request, _("The FAQ entry is deleted."))
    return redirect("assistant:staff-faq")
