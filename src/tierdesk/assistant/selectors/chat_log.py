"""A conversation as its asker sees it: each turn with its answer, citation, choices, offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from tierdesk.accounts.models import Viewer
from tierdesk.accounts.selectors.support import NO_CONTACTS, SupportContacts, support_contacts
from tierdesk.knowledge.models import ArticleTranslation
from tierdesk.knowledge.selectors.access import visible_translations
from tierdesk.knowledge.selectors.articles import translations_for
from tierdesk.web.markdown import render_markdown

from ..choices import DecisionKind, Offer
from ..models import Conversation, FaqEntry, Handoff, Turn
from .faq_index import parse_key

MAX_SHOWN_TURNS = 50


@dataclass(frozen=True)
class ChatLink:
    """Something to open: a title and its address."""

    title: str
    url: str
    language: str = ""


@dataclass(frozen=True)
class Choice:
    """One answer of "Did you mean A or B?"."""

    key: str
    label: str


@dataclass
class TurnView:
    """A turn ready for the templates."""

    turn: Turn
    answer_html: SafeString | None = None
    citation: ChatLink | None = None
    more: ChatLink | None = None  # the article an FAQ entry links to
    choices: list[Choice] = field(default_factory=list)
    handoff: Handoff | None = None
    search: list[ChatLink] = field(default_factory=list)
    community_url: str = ""
    search_url: str = ""
    case_url: str = ""
    offers: frozenset[str] = frozenset()
    contacts: SupportContacts = NO_CONTACTS


def faq_entry_url(entry: FaqEntry) -> str:
    """The public page of an FAQ entry (what an answer cites)."""
    return reverse("assistant:faq-entry", args=[entry.pk])


def article_link(translation: ArticleTranslation) -> ChatLink:
    """An article translation's page."""
    url = reverse("knowledge:article", args=[translation.language, translation.slug])
    return ChatLink(translation.title, url, translation.language)


def community_new_thread_url(question: str) -> str:
    """The community's new-thread form with the question as its title ("" without a forum)."""
    try:
        url = reverse("community:thread_new")
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({'title': question[:200]})}"


def _labels(user: Viewer | None, keys: set[str]) -> dict[str, str]:
    """The question (FAQ) or title (article) of each key the reader may still see."""
    faq_ids = [p.pk for k in keys if (p := parse_key(k)) and p.kind == "faq"]
    article_ids = [p.pk for k in keys if (p := parse_key(k)) and p.kind == "article"]
    labels: dict[str, str] = {}
    if faq_ids:
        for pk, question in FaqEntry.objects.filter(pk__in=faq_ids, published=True).values_list(
            "pk", "question"
        ):
            labels[f"faq:{pk}"] = question
    if article_ids:
        rows = visible_translations(user).filter(pk__in=article_ids).values_list("pk", "title")
        for pk, title in rows:
            labels[f"article:{pk}"] = title
    return labels


def conversation_turns(
    conversation: Conversation | None, user: Viewer | None, language: str
) -> list[TurnView]:
    """The conversation's last turns, oldest first, as the asker sees them (a few queries)."""
    if conversation is None:
        return []
    turns = list(
        conversation.turns.select_related("entry", "article", "handoff", "handoff__case").order_by(
            "-pk"
        )[:MAX_SHOWN_TURNS]
    )
    turns.reverse()
    return turn_views(turns, user, language)


def turn_views(turns: list[Turn], user: Viewer | None, language: str) -> list[TurnView]:
    """Turns (with entry, article, handoff selected) as TurnViews: at most three more queries."""
    keys = {key for turn in turns for key in turn.candidates}
    labels = _labels(user, keys) if keys else {}
    linked = {t.entry.article_id for t in turns if t.entry and t.entry.article_id}
    articles = translations_for(user, linked, language) if linked else {}
    contacts: SupportContacts = NO_CONTACTS
    if any(
        hasattr(t, "handoff") and Offer.PHONE in t.handoff.offers
        for t in turns
        if t.decision == DecisionKind.HANDOFF
    ):
        contacts = support_contacts(user) if user is not None else NO_CONTACTS
    views = []
    for turn in turns:
        view = TurnView(turn=turn)
        if turn.decision == DecisionKind.ANSWER:
            if turn.entry is not None:
                view.answer_html = render_markdown(turn.entry.answer)
                view.citation = ChatLink(turn.entry.question, faq_entry_url(turn.entry))
                if turn.entry.article_id in articles:
                    view.more = article_link(articles[turn.entry.article_id])
            elif turn.article is not None:
                view.answer_html = render_markdown(turn.article.summary or turn.article.title)
                view.citation = article_link(turn.article)
        elif turn.decision == DecisionKind.CLARIFY:
            view.choices = [Choice(k, labels[k]) for k in turn.candidates if k in labels]
        elif hasattr(turn, "handoff"):
            handoff = turn.handoff
            view.handoff = handoff
            view.offers = frozenset(handoff.offers)
            view.search = [ChatLink(r["title"], r["url"]) for r in handoff.results]
            view.community_url = community_new_thread_url(turn.question)
            view.search_url = f"{reverse('knowledge:search')}?{urlencode({'q': turn.question})}"
            view.contacts = contacts
            if handoff.case_id is not None:
                view.case_url = reverse("case-detail", args=[handoff.case_id])
        views.append(view)
    return views
