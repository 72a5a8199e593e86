"""The staff's pages: the conversation log with feedback and the deflection rate, one
conversation, and the unanswered questions grouped by meaning. 404 for everyone else."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from tierdesk.knowledge.models.localizing import reader_language

from ..selectors.chat_access import access_assistant_staff
from ..selectors.chat_log import turn_views
from ..selectors.chat_staff import (
    QuestionGroup,
    conversation_detail,
    conversation_log,
    deflection_rate,
    unanswered_groups,
)

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
    """The admin's new FAQ entry form, filled with the group's question and wordings."""
    query = urlencode(
        {
            "question": group.title[:300],
            "phrasings": "\n".join(group.questions[1:20]),
            "language": group.language,
        }
    )
    return f"{reverse('admin:assistant_faqentry_add')}?{query}"


@require_safe
def unanswered(request: HttpRequest) -> HttpResponse:
    """/assistant/staff/unanswered/: the questions it could not answer, grouped by meaning."""
    access_assistant_staff(request.user)
    groups = unanswered_groups(request.user)[:GROUPS_SHOWN]
    rows = [(group, faq_prefill_url(group)) for group in groups]
    return render(request, "assistant/staff_unanswered.html", {"rows": rows})
