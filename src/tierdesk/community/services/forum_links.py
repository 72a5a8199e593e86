"""Connections: a thread becomes a case (the asker, on a plan with web cases) or a draft article
(staff, from a solved thread). The link lives on the thread (Thread.case, Thread.article)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User
from tierdesk.knowledge.models import Article, Category
from tierdesk.tickets.choices import Channel
from tierdesk.tickets.models import Case
from tierdesk.tickets.services.cases import case_create

from ..models import ModerationAction, ModerationKind, Post, Thread
from ..selectors.forum_access import is_moderator, may_turn_into_case

DEFAULT_CASE_SEVERITY = 3


def thread_to_case(*, actor: User, thread: Thread, severity: int = DEFAULT_CASE_SEVERITY) -> Case:
    """Open a case from the asker's thread (once): the question and a link back become its text."""
    if not may_turn_into_case(actor, thread):
        raise PermissionDenied(_("Only the person who asked, on a plan with cases, may do this."))
    question = Post.objects.get(thread=thread, is_question=True)
    link = reverse("community:thread", args=[thread.pk])
    # A markdown link, so the case page shows the thread's title as a link back to it.
    title = thread.title.replace("[", "(").replace("]", ")")
    description = f"{question.body}\n\n---\n" + _(
        "From the community thread [%(title)s](%(link)s)"
    ) % {"title": title, "link": link}
    with transaction.atomic():
        locked = Thread.objects.select_for_update().get(pk=thread.pk)
        if locked.case_id is not None:
            raise ValidationError({"thread": _("This thread is already a case.")})
        case = case_create(
            actor=actor,
            subject=thread.title,
            description=description,
            severity=severity,
            channel=Channel.COMMUNITY,
            idempotency_key=f"community-thread-{thread.pk}",
        )
        Thread.objects.filter(pk=thread.pk).update(case=case)
    thread.case = case
    return case


def thread_to_article(*, actor: User, thread: Thread, category: Category) -> Article:
    """A draft help-center article from a solved thread: the question, then the solution."""
    from tierdesk.knowledge.services.articles import article_create

    if not is_moderator(actor):
        raise PermissionDenied(_("Only staff may turn a thread into an article."))
    if thread.accepted_post_id is None:
        raise ValidationError({"thread": _("Only a solved thread becomes an article.")})
    question = Post.objects.get(thread=thread, is_question=True)
    solution = Post.objects.get(pk=thread.accepted_post_id)
    body = f"{question.body}\n\n## " + _("Solution") + f"\n\n{solution.body}\n"
    with transaction.atomic():
        article = article_create(
            category=category,
            language=thread.language,
            title=thread.title,
            body=body,
            actor=actor,
            publish=False,
            note=_("Drafted from community thread #%(id)s.") % {"id": thread.pk},
        )
        Thread.objects.filter(pk=thread.pk).update(article=article)
        ModerationAction.objects.create(actor=actor, kind=ModerationKind.ARTICLE, thread=thread)
    thread.article = article
    return article
