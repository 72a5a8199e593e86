"""A conversation's writes: starting or resuming it, asking, picking, feedback, hand-off cases.

`assistant_ask` is the live assistant's one code path: the built index (selectors.faq_index,
never rebuilt per question) matches the question, the engine's `decide` answers, asks which
entry was meant, or hands off, and the turn is written with what was cited and how long it took.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tierdesk.accounts.entitlements import Capability, user_may
from tierdesk.accounts.models import User, Viewer
from tierdesk.accounts.selectors.support import support_contacts
from tierdesk.assistant.retrieval import Decision, decide
from tierdesk.knowledge.models import ArticleTranslation
from tierdesk.knowledge.selectors.access import visible_translations
from tierdesk.knowledge.selectors.search import search
from tierdesk.tickets.choices import Channel
from tierdesk.tickets.services.cases import case_open

from ..choices import DecisionKind, HandoffReason, Offer
from ..models import MAX_QUESTION, Conversation, FaqEntry, Handoff, Turn
from ..selectors.chat_access import conversation_of
from ..selectors.faq_index import assistant_index, parse_key

# Asking for a person, in either language: the assistant hands off at once.
# Words that mean it anywhere, phrases that need their verb ("talk to someone", "parlare con
# qualcuno": "add someone to a meeting" is a question), and a question of one such word.
PERSON_WORDS = re.compile(
    r"\b(operators?|humans?|representative|real person|live agent|operatore|operatori|"
    r"operatrice|essere umano)\b"
    r"|\b(talk|speak|chat)\s+(to|with)\s+(a\s+|an\s+)?(person|someone|somebody|agent)\b"
    r"|\b(parlare|parlo|parla)\s+con\s+(una\s+|un\s+)?(persona|qualcuno|tecnico|agente)\b"
    r"|^\W*(person|persona|agent|agente|help me|aiuto)\W*$",
    re.IGNORECASE,
)
# The suggested severity of a hand-off case: 2 ("major impact") when the question says that
# work has stopped for many, else 3; severity 1 is for the phone (product.md). A person sets
# the case's real severity; this only fills the form's default.
SEVERITY_2_WORDS = re.compile(
    r"\b(down|outage|nobody|no one|everyone|all (?:users|calls|our)|production|urgent|"
    r"non funziona(?:no)? più|bloccat[oiae]|tutti|nessuno|urgente|produzione|disservizio)\b",
    re.IGNORECASE,
)
SEARCH_RESULTS = 3


def wants_a_person(question: str) -> bool:
    """Whether the question asks for a person rather than an answer."""
    return PERSON_WORDS.search(question) is not None


def suggested_severity(text: str) -> int:
    """The severity a hand-off case is opened with: 2 for a stoppage, else 3 (see above)."""
    return 2 if SEVERITY_2_WORDS.search(text) else 3


def handoff_offers(user: Viewer | None) -> list[str]:
    """What a hand-off offers this user: search and the community to all; a person and the
    phone where the plan has them (accounts.entitlements decides, nothing here restates it)."""
    offers = [Offer.SEARCH.value, Offer.COMMUNITY.value]
    if user_may(user, Capability.ASSISTANT_HANDOFF) and user_may(user, Capability.WEB_TICKETS):
        offers.append(Offer.CASE.value)
    if user is not None and user.is_authenticated and support_contacts(user).phone:
        offers.append(Offer.PHONE.value)
    return offers


def conversation_resume(*, token: str | None, user: Viewer | None, language: str) -> Conversation:
    """The conversation to continue (attached to the user who has just signed in), or a new one."""
    conversation = conversation_of(token, user)
    member = user if isinstance(user, User) and user.is_authenticated else None
    if conversation is None:
        return Conversation.objects.create(
            user=member,
            account_id=member.account_id if member is not None else None,
            language=language,
        )
    if member is not None and conversation.user_id is None:
        user = member
        # Claimed once: the UPDATE only matches while nobody has claimed it yet.
        Conversation.objects.filter(pk=conversation.pk, user__isnull=True).update(
            user=user, account_id=user.account_id
        )
        conversation.refresh_from_db()
        if conversation.user_id != user.pk:
            return conversation_resume(token=None, user=user, language=language)
    return conversation


def _clean_question(question: str) -> str:
    text = " ".join((question or "").split())
    if not text:
        raise ValidationError({"question": _("Type a question.")})
    if len(text) > MAX_QUESTION:
        raise ValidationError({"question": _("At most %(n)d characters.") % {"n": MAX_QUESTION}})
    return text


@dataclass(frozen=True)
class Cited:
    """What an index key names, as this reader may see it (None: gone or not theirs)."""

    entry: FaqEntry | None = None
    article: ArticleTranslation | None = None


def cited(user: Viewer | None, key: str) -> Cited:
    """The FAQ entry or article translation an index key names, if published and visible."""
    parsed = parse_key(key)
    if parsed is None:
        return Cited()
    if parsed.kind == "faq":
        entry = FaqEntry.objects.filter(pk=parsed.pk, published=True).first()
        return Cited(entry=entry)
    article = visible_translations(user).filter(pk=parsed.pk).first()
    return Cited(article=article)


def _search_hits(user: Viewer | None, question: str) -> list[dict[str, str]]:
    results = search(user, question, limit=SEARCH_RESULTS)
    return [{"title": hit.title, "url": hit.url} for hit in results.hits if hit.url]


def _record(
    conversation: Conversation,
    *,
    question: str,
    decision: str,
    confidence: float,
    started: float,
    entry: FaqEntry | None = None,
    article: ArticleTranslation | None = None,
    candidates: list[str] | None = None,
    reason: str = "",
) -> Turn:
    now = timezone.now()
    turn = Turn.objects.create(
        conversation=conversation,
        question=question,
        decision=decision,
        handoff_reason=reason,
        entry=entry,
        article=article,
        candidates=candidates or [],
        confidence=round(confidence, 4),
        milliseconds=int((time.perf_counter() - started) * 1000),
        created_at=now,
    )
    Conversation.objects.filter(pk=conversation.pk).update(updated_at=now)
    return turn


def _hand_off(
    conversation: Conversation,
    user: Viewer | None,
    *,
    question: str,
    reason: str,
    confidence: float,
    started: float,
) -> Turn:
    turn = _record(
        conversation,
        question=question,
        decision=DecisionKind.HANDOFF,
        confidence=confidence,
        started=started,
        reason=reason,
    )
    Handoff.objects.create(
        conversation=conversation,
        turn=turn,
        offers=handoff_offers(user),
        results=_search_hits(user, question),
        suggested_severity=suggested_severity(question),
    )
    return turn


def _topic(user: Viewer | None, key: str) -> tuple[str, int] | None:
    """The article a key is about (an FAQ entry's linked article), else the key's own object."""
    found = cited(user, key)
    if found.entry is not None:
        if found.entry.article_id is not None:
            return ("article", found.entry.article_id)
        return ("faq", found.entry.pk)
    if found.article is not None:
        return ("article", found.article.article_id)
    return None


def _same_topic(user: Viewer | None, keys: list[str]) -> bool:
    topics = {_topic(user, key) for key in keys}
    return len(topics) == 1 and None not in topics


def _language_of(user: Viewer | None, key: str) -> str:
    found = cited(user, key)
    if found.entry is not None:
        return found.entry.language
    return found.article.language if found.article is not None else ""


def _visible_keys(user: Viewer | None, keys: tuple[str, ...]) -> list[str]:
    return [key for key in keys if (c := cited(user, key)).entry or c.article]


@transaction.atomic
def assistant_ask(
    *, conversation: Conversation, user: Viewer | None, question: str, language: str
) -> Turn:
    """Answer a question, ask which entry was meant, or hand off; the turn that says which."""
    started = time.perf_counter()
    question = _clean_question(question)
    if wants_a_person(question):
        return _hand_off(
            conversation,
            user,
            question=question,
            reason=HandoffReason.ASKED,
            confidence=0.0,
            started=started,
        )
    index = assistant_index(user)
    match = index.match(question, language=language)
    decision: Decision = decide(match, threshold=index.threshold, margin=index.settings.margin)
    if decision.kind == "clarify":
        keys = _visible_keys(user, decision.keys)[:2]
        if len(keys) == 2 and _same_topic(user, keys):
            # "Did you mean A or A?": the same answer in two languages (or an FAQ entry and the
            # article it links). Answer, in the asker's language when one of them is.
            keys = sorted(keys, key=lambda k: _language_of(user, k) != language)[:1]
        if len(keys) == 2:
            return _record(
                conversation,
                question=question,
                decision=DecisionKind.CLARIFY,
                confidence=decision.confidence,
                started=started,
                candidates=keys,
            )
        decision = Decision(kind="answer", keys=tuple(keys), confidence=decision.confidence)
    if decision.kind == "answer" and decision.keys:
        found = cited(user, decision.keys[0])
        if found.entry or found.article:
            return _record(
                conversation,
                question=question,
                decision=DecisionKind.ANSWER,
                confidence=decision.confidence,
                started=started,
                entry=found.entry,
                article=found.article,
            )
    return _hand_off(
        conversation,
        user,
        question=question,
        reason=HandoffReason.UNSURE,
        confidence=decision.confidence,
        started=started,
    )


@transaction.atomic
def assistant_pick(*, turn: Turn, user: Viewer | None, key: str) -> Turn:
    """The asker's choice after "Did you mean A or B?": a new turn answering with that entry."""
    started = time.perf_counter()
    if turn.decision != DecisionKind.CLARIFY or key not in turn.candidates:
        raise ValidationError({"pick": _("Choose one of the answers offered.")})
    found = cited(user, key)
    if not (found.entry or found.article):
        raise ValidationError({"pick": _("That answer is no longer available.")})
    return _record(
        turn.conversation,
        question=turn.question,
        decision=DecisionKind.ANSWER,
        confidence=turn.confidence,
        started=started,
        entry=found.entry,
        article=found.article,
    )


@transaction.atomic
def turn_feedback_record(*, turn: Turn, helpful: bool) -> Turn:
    """The asker's "was this helpful?" on an answer (the last word counts)."""
    if turn.decision != DecisionKind.ANSWER:
        raise ValidationError({"helpful": _("Only answers take feedback.")})
    Turn.objects.filter(pk=turn.pk).update(helpful=helpful, feedback_at=timezone.now())
    turn.refresh_from_db()
    return turn


def transcript(conversation: Conversation, *, until: Turn) -> str:
    """The conversation so far as the case's first message, in the conversation's language:
    markdown, one labelled list item per turn ("You: …", "Assistant: …")."""
    with translation.override(conversation.language or None):
        lines = [_("Conversation with the virtual assistant:"), ""]
        turns = conversation.turns.filter(pk__lte=until.pk).select_related("entry", "article")
        for turn in turns:
            lines.append("- " + _("You: %(question)s") % {"question": turn.question})
            if turn.decision == DecisionKind.ANSWER:
                entry, article = turn.entry, turn.article
                title = entry.question if entry else (article.title if article else "")
                reply = _("Assistant: answered with “%(title)s”.") % {"title": title}
                if turn.helpful is False:
                    reply += " " + _("Marked as not helpful.")
            elif turn.decision == DecisionKind.CLARIFY:
                reply = _("Assistant: asked which answer was meant.")
            else:
                reply = _("Assistant: handed off to a person.")
            lines.append(f"- {reply}")
        return "\n".join(lines)


@transaction.atomic
def handoff_case_open(*, handoff: Handoff, actor: Viewer | None) -> Handoff:
    """Open the case a hand-off offered (once: a repeat returns the same case)."""
    if not isinstance(actor, User) or Offer.CASE not in handoff.offers:
        raise PermissionDenied(_("Your plan does not include cases."))
    if not (
        user_may(actor, Capability.ASSISTANT_HANDOFF) and user_may(actor, Capability.WEB_TICKETS)
    ):
        raise PermissionDenied(_("Your plan does not include cases."))
    locked = (
        Handoff.objects.select_for_update()
        .select_related("turn", "conversation")
        .get(pk=handoff.pk)
    )
    if locked.case_id is not None:
        return locked
    question = locked.turn.question
    opened = case_open(
        actor=actor,
        subject=question[:200],
        description=transcript(locked.conversation, until=locked.turn),
        severity=locked.suggested_severity,
        channel=Channel.ASSISTANT,
        idempotency_key=f"assistant-handoff-{locked.pk}",
    )
    Handoff.objects.filter(pk=locked.pk).update(case=opened.case, case_opened_at=timezone.now())
    locked.refresh_from_db()
    return locked
