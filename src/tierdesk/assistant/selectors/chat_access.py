"""Who may see which conversation: the ONE rule of the assistant.

A conversation belongs to whoever holds its token (the session of the browser it started in, or
the API client it was given to) and, once someone signed in while holding it, to that user only.
Nobody else reaches it, whatever id they send: the `access_*` helpers answer Http404. The
vendor's staff read every conversation on their pages (they are not customers of any account).
"""

from __future__ import annotations

from django.http import Http404

from tierdesk.accounts.models import Viewer
from tierdesk.knowledge.selectors.access import STAFF_ROLES

from ..models import Conversation, FaqEntry, Handoff, Turn


def may_manage_assistant(user: Viewer | None) -> bool:
    """The vendor's support staff (agents, supervisors, staff admins) read logs and write FAQs."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.account_id is None
        and user.role in STAFF_ROLES
    )


def access_assistant_staff(user: Viewer | None) -> None:
    """Http404 unless the user is support staff: the staff pages do not exist for others."""
    if not may_manage_assistant(user):
        raise Http404("No such page.")


def conversation_of(token: str | None, user: Viewer | None) -> Conversation | None:
    """The conversation this token names, if this user may continue it; else None.

    A conversation of a signed-in user is theirs only; one started signed out is whoever's holds
    the token (the caller attaches it at sign-in: services.chat.conversation_resume).
    """
    if not token:
        return None
    conversation = Conversation.objects.filter(token=token).first()
    if conversation is None:
        return None
    if conversation.user_id is None:
        return conversation
    if user is not None and user.is_authenticated and conversation.user_id == user.pk:
        return conversation
    return None


def access_turn(conversation: Conversation | None, pk: int) -> Turn:
    """A turn of this conversation; Http404 for any other (another session's, another tenant's)."""
    if conversation is None:
        raise Http404("No such answer.")
    try:
        return conversation.turns.get(pk=pk)
    except Turn.DoesNotExist:
        raise Http404("No such answer.") from None


def access_handoff(conversation: Conversation | None, pk: int) -> Handoff:
    """A hand-off of this conversation; Http404 for any other."""
    if conversation is None:
        raise Http404("No such hand-off.")
    try:
        return conversation.handoffs.select_related("turn", "case").get(pk=pk)
    except Handoff.DoesNotExist:
        raise Http404("No such hand-off.") from None


def access_faq_entry(user: Viewer | None, pk: int) -> FaqEntry:
    """An FAQ entry for the staff who manage them; Http404 for anyone else."""
    access_assistant_staff(user)
    try:
        return FaqEntry.objects.select_related("article", "owner").get(pk=pk)
    except FaqEntry.DoesNotExist:
        raise Http404("No such FAQ entry.") from None
