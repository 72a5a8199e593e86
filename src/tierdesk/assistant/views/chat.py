"""The widget's endpoints and the full page /assistant/ (the widget without JavaScript).

With htmx, a question posts to `ask` and the new turn is appended to the widget's log; without
JavaScript the same form posts, and the answer is shown on /assistant/ with the whole
conversation. The conversation's token lives in the session: Django keeps the session's data
when a visitor signs in, so the conversation follows them, and it is theirs from then on.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from tierdesk.knowledge.models.localizing import reader_language
from tierdesk.knowledge.selectors.articles import translations_for
from tierdesk.web.markdown import render_markdown

from .. import PAGE_URL_NAME
from ..models import Conversation, FaqEntry, Turn
from ..selectors.chat_access import access_handoff, access_turn, conversation_of
from ..selectors.chat_log import conversation_turns, turn_views
from ..services.chat import (
    assistant_ask,
    assistant_pick,
    conversation_resume,
    handoff_case_open,
    turn_feedback_record,
)

SESSION_KEY = "assistant_conversation"


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _language() -> str:
    return reader_language(get_language())


def current_conversation(request: HttpRequest) -> Conversation | None:
    """The conversation this browser holds, if it may continue it."""
    return conversation_of(request.session.get(SESSION_KEY), request.user)


def _conversation_for_question(request: HttpRequest) -> Conversation:
    conversation = conversation_resume(
        token=request.session.get(SESSION_KEY), user=request.user, language=_language()
    )
    if request.session.get(SESSION_KEY) != conversation.token:
        request.session[SESSION_KEY] = conversation.token
    return conversation


@require_safe
def assistant_page(request: HttpRequest) -> HttpResponse:
    """/assistant/: the conversation so far and the question form (works without JavaScript)."""
    turns = conversation_turns(current_conversation(request), request.user, _language())
    return render(request, "assistant/page.html", {"turns": turns, "full_page": True})


@require_safe
def widget_log(request: HttpRequest) -> HttpResponse:
    """The widget's log (an htmx fragment loaded when the panel opens)."""
    turns = conversation_turns(current_conversation(request), request.user, _language())
    return render(request, "assistant/_log.html", {"turns": turns})


def _error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    text = " ".join(str(m) for m in error.messages)
    if _htmx(request):
        return render(request, "assistant/_error.html", {"error": text})
    messages.error(request, text)
    return redirect(reverse(PAGE_URL_NAME))


@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    """POST question (and, answering "Did you mean…?", turn and pick): the new turn."""
    try:
        if request.POST.get("pick"):
            conversation = current_conversation(request)
            try:
                pk = int(request.POST.get("turn", ""))
            except ValueError:
                raise Http404("No such answer.") from None
            turn = assistant_pick(
                turn=access_turn(conversation, pk),
                user=request.user,
                key=request.POST["pick"],
            )
        else:
            conversation = _conversation_for_question(request)
            turn = assistant_ask(
                conversation=conversation,
                user=request.user,
                question=request.POST.get("question", ""),
                language=_language(),
            )
    except ValidationError as error:
        return _error(request, error)
    if _htmx(request):
        turns = turn_views([_reloaded(turn.pk)], request.user, _language())
        return render(request, "assistant/_turns.html", {"turns": turns, "fresh": True})
    return redirect(f"{reverse(PAGE_URL_NAME)}#turn-{turn.pk}")


def _reloaded(pk: int) -> Turn:
    return Turn.objects.select_related("entry", "article", "handoff", "handoff__case").get(pk=pk)


@require_POST
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """POST helpful=yes|no on an answer of this conversation (404 for anyone else's)."""
    turn = access_turn(current_conversation(request), pk)
    try:
        turn = turn_feedback_record(turn=turn, helpful=request.POST.get("helpful") == "yes")
    except ValidationError as error:
        return _error(request, error)
    if _htmx(request):
        return render(request, "assistant/_feedback.html", {"turn": turn})
    return redirect(f"{reverse(PAGE_URL_NAME)}#turn-{turn.pk}")


@require_POST
def handoff_case(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: open the case a hand-off offered; the case's page (htmx: the offer, now a link)."""
    handoff = access_handoff(current_conversation(request), pk)
    handoff = handoff_case_open(handoff=handoff, actor=request.user)
    if _htmx(request):
        turns = turn_views([_reloaded(handoff.turn_id)], request.user, _language())
        return render(request, "assistant/_turns.html", {"turns": turns, "focus_case": True})
    assert handoff.case_id is not None
    return redirect(reverse("case-detail", args=[handoff.case_id]))


@require_safe
def faq_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """/assistant/faq/<pk>/: a published FAQ entry, the page an answer cites."""
    entry = FaqEntry.objects.filter(pk=pk, published=True).select_related("article").first()
    if entry is None:
        raise Http404("No such FAQ entry.")
    more = None
    if entry.article_id is not None:
        more = translations_for(request.user, [entry.article_id], _language()).get(entry.article_id)
    context = {"entry": entry, "more": more, "answer_html": render_markdown(entry.answer)}
    return render(request, "assistant/faq_entry.html", context)
