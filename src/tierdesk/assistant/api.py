"""API of the assistant under /api/v1/assistant/: ask, feedback, a hand-off's case, FAQ entries.

Asking is for everyone, visitors included (no credential): a conversation is named by the token
the first answer returns, and one that a signed-in user continued is theirs only (another
caller's token answers 404, like a missing one). FAQ entries are the support staff's (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Status

from tierdesk.accounts.models import User
from tierdesk.config.api_types import READ_ERRORS, WRITE_ERRORS, PathId
from tierdesk.knowledge.models.localizing import reader_language

from .models import Conversation, FaqEntry, Turn
from .schemas import (
    AskIn,
    AskOut,
    FaqIn,
    FaqOut,
    FaqPatch,
    FeedbackIn,
    FeedbackOut,
    HandoffCaseIn,
)
from .selectors.chat_access import (
    access_faq_entry,
    access_handoff,
    access_turn,
    conversation_of,
    may_manage_assistant,
)
from .selectors.chat_log import turn_views
from .services.chat import (
    assistant_ask,
    assistant_pick,
    conversation_resume,
    handoff_case_open,
    turn_feedback_record,
)
from .services.faq import faq_entry_create, faq_entry_delete, faq_entry_update

PREFIX = "/assistant"
router = Router(tags=["assistant"])


def _visitor(request: HttpRequest) -> AnonymousUser:
    """No credential at all: the caller asks as a visitor."""
    return AnonymousUser()


def _open_auth() -> list[Any]:
    from tierdesk.config.api import BearerTokenAuth, SessionCsrfAuth

    return [BearerTokenAuth(), SessionCsrfAuth(), _visitor]


OPEN_AUTH = _open_auth()


def _caller(request: HttpRequest) -> User | AnonymousUser:
    return request.auth  # type: ignore[attr-defined]


def _staff(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User) or not may_manage_assistant(user):
        raise PermissionDenied(_("Only support staff manage the assistant's answers."))
    return user


def _conversation(request: HttpRequest, token: str) -> Conversation:
    found = conversation_of(token, _caller(request))
    if found is None:
        raise Http404("No such conversation.")
    return found


def _reloaded(pk: int) -> Turn:
    return Turn.objects.select_related("entry", "article", "handoff", "handoff__case").get(pk=pk)


def _ask_out(turn: Turn, user: User | AnonymousUser, language: str) -> dict[str, Any]:
    view = turn_views([turn], user, language)[0]
    handoff = None
    if view.handoff is not None:
        handoff = {
            "id": view.handoff.pk,
            "reason": turn.handoff_reason,
            "offers": list(view.handoff.offers),
            "search_results": [{"title": s.title, "url": s.url} for s in view.search],
            "community_url": view.community_url,
            "suggested_severity": view.handoff.suggested_severity,
            "case_id": view.handoff.case_id,
            "phone": [
                {
                    "line": line.line,
                    "label": line.label,
                    "numbers": [n.number for n in line.numbers],
                }
                for line in view.contacts.phone_lines
            ]
            if "phone" in view.offers
            else [],
            "support_pin": view.contacts.support_pin if "phone" in view.offers else "",
        }
    markdown = ""
    if turn.entry is not None:
        markdown = turn.entry.answer
    elif turn.article is not None:
        markdown = turn.article.summary or turn.article.title
    return {
        "conversation": turn.conversation.token,
        "turn": turn.pk,
        "decision": turn.decision,
        "confidence": turn.confidence,
        "answer_markdown": markdown if turn.decision == "answer" else "",
        "answer_html": str(view.answer_html or ""),
        "citation": view.citation and {"title": view.citation.title, "url": view.citation.url},
        "more": view.more and {"title": view.more.title, "url": view.more.url},
        "candidates": [{"key": c.key, "label": c.label} for c in view.choices],
        "handoff": handoff,
    }


@router.post("/ask", response={200: AskOut, **WRITE_ERRORS}, auth=OPEN_AUTH)
def ask(request: HttpRequest, payload: AskIn) -> dict[str, Any]:
    """Ask a question: the answer with its citation, a clarifying question, or a hand-off.

    `pick` with `turn` answers a clarifying question with one of its candidates' keys.
    """
    user = _caller(request)
    language = reader_language(payload.language or get_language())
    if payload.pick:
        if payload.turn is None or payload.conversation is None:
            raise ValidationError({"turn": _("Give the turn and the conversation with pick.")})
        conversation = _conversation(request, payload.conversation)
        turn = assistant_pick(
            turn=access_turn(conversation, payload.turn), user=user, key=payload.pick
        )
    else:
        if payload.conversation:
            _conversation(request, payload.conversation)  # 404 for another's token
        conversation = conversation_resume(token=payload.conversation, user=user, language=language)
        turn = assistant_ask(
            conversation=conversation, user=user, question=payload.question, language=language
        )
    return _ask_out(_reloaded(turn.pk), user, language)


@router.post(
    "/turns/{turn_id}/feedback", response={200: FeedbackOut, **WRITE_ERRORS}, auth=OPEN_AUTH
)
def feedback(request: HttpRequest, turn_id: PathId, payload: FeedbackIn) -> dict[str, Any]:
    """Say whether an answer helped (the last word counts)."""
    turn = access_turn(_conversation(request, payload.conversation), turn_id)
    turn = turn_feedback_record(turn=turn, helpful=payload.helpful)
    return {"turn": turn.pk, "helpful": turn.helpful}


@router.post("/handoffs/{handoff_id}/case", response={200: AskOut, **WRITE_ERRORS})
def handoff_case(request: HttpRequest, handoff_id: PathId, payload: HandoffCaseIn) -> Any:
    """Open the case a hand-off offered (plans with assistant hand-off; once per hand-off)."""
    handoff = access_handoff(_conversation(request, payload.conversation), handoff_id)
    handoff = handoff_case_open(handoff=handoff, actor=_caller(request))
    return _ask_out(_reloaded(handoff.turn_id), _caller(request), get_language() or "en")


def _faq_out(entry: FaqEntry) -> dict[str, Any]:
    from tierdesk.web.markdown import render_markdown

    return {
        "id": entry.pk,
        "question": entry.question,
        "phrasings": entry.phrasing_list,
        "answer": entry.answer,
        "answer_html": str(render_markdown(entry.answer)),
        "article": entry.article_id,
        "language": entry.language,
        "published": entry.published,
        "updated_at": entry.updated_at,
    }


@router.get("/faq", response={200: list[FaqOut], **READ_ERRORS})
def faq_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every FAQ entry, published or not (support staff)."""
    _staff(request)
    return [_faq_out(e) for e in FaqEntry.objects.order_by("pk")]


@router.post("/faq", response={201: FaqOut, **WRITE_ERRORS})
def faq_create(request: HttpRequest, payload: FaqIn) -> Status[dict[str, Any]]:
    """A new FAQ entry; the assistant knows it from the next question."""
    values = payload.dict() | {"phrasings": "\n".join(payload.phrasings)}
    entry = faq_entry_create(actor=_staff(request), **values)
    return Status(201, _faq_out(entry))


@router.get("/faq/{entry_id}", response={200: FaqOut, **READ_ERRORS})
def faq_detail(request: HttpRequest, entry_id: PathId) -> dict[str, Any]:
    """One FAQ entry (support staff)."""
    _staff(request)
    return _faq_out(access_faq_entry(_caller(request), entry_id))


@router.patch("/faq/{entry_id}", response={200: FaqOut, **WRITE_ERRORS})
def faq_update(request: HttpRequest, entry_id: PathId, payload: FaqPatch) -> dict[str, Any]:
    """Change the fields given."""
    actor = _staff(request)
    entry = access_faq_entry(actor, entry_id)
    values = payload.dict(exclude_unset=True)
    if values.get("phrasings") is not None:
        values["phrasings"] = "\n".join(values["phrasings"])
    return _faq_out(faq_entry_update(actor=actor, entry=entry, **values))


@router.delete("/faq/{entry_id}", response={204: None, **WRITE_ERRORS})
def faq_delete(request: HttpRequest, entry_id: PathId) -> Status[None]:
    """Delete an FAQ entry."""
    actor = _staff(request)
    faq_entry_delete(actor=actor, entry=access_faq_entry(actor, entry_id))
    return Status(204, None)
