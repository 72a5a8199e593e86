"""Writing FAQ entries (the staff's): every change moves `updated_at`, so the index rebuilds."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User
from tierdesk.knowledge.models import Article

from ..models import FaqEntry
from ..selectors.chat_access import may_manage_assistant

FIELDS = ("question", "phrasings", "answer", "article", "language", "published")
LANGUAGES = ("en", "it")


def _check(actor: User) -> None:
    if not may_manage_assistant(actor):
        raise PermissionDenied(_("Only support staff manage the assistant's answers."))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    question = str(values.get("question", "")).strip()
    answer = str(values.get("answer", "")).strip()
    if not question:
        errors["question"] = _("This field is required.")
    elif len(question) > 300:
        errors["question"] = _("At most %(n)d characters.") % {"n": 300}
    if not answer:
        errors["answer"] = _("This field is required.")
    if values.get("language") not in LANGUAGES:
        errors["language"] = _("Choose English or Italian.")
    article = values.get("article")
    if isinstance(article, int):
        found = Article.objects.filter(pk=article).first()
        if found is None:
            errors["article"] = _("No such article.")
        article = found
    if errors:
        raise ValidationError(errors)
    phrasings = "\n".join(
        line.strip() for line in str(values.get("phrasings", "")).splitlines() if line.strip()
    )
    return {
        "question": question,
        "phrasings": phrasings,
        "answer": answer,
        "article": article,
        "language": values["language"],
        "published": bool(values.get("published", True)),
    }


@transaction.atomic
def faq_entry_create(*, actor: User, **values: Any) -> FaqEntry:
    """A new FAQ entry owned by its author."""
    _check(actor)
    now = timezone.now()
    return FaqEntry.objects.create(**_clean(values), owner=actor, created_at=now, updated_at=now)


@transaction.atomic
def faq_entry_update(*, actor: User, entry: FaqEntry, **values: Any) -> FaqEntry:
    """Change an entry's fields (those given; the others stay)."""
    _check(actor)
    merged = {name: getattr(entry, name) for name in FIELDS} | values
    for name, value in _clean(merged).items():
        setattr(entry, name, value)
    entry.updated_at = timezone.now()
    entry.save()
    return entry


@transaction.atomic
def faq_entry_delete(*, actor: User, entry: FaqEntry) -> None:
    """Delete an entry; the turns that cited it keep their question and lose the link."""
    _check(actor)
    entry.delete()
