"""Flags and the moderators' actions: hide, lock, move, merge, close as duplicate, ban.

Every moderator action writes one ModerationAction row (the audit log) in the same transaction
as the change. Who moderates: selectors.forum_access.is_moderator (the vendor's people).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ..models import (
    Flag,
    FlagReason,
    ForumCategory,
    ForumProfile,
    ModerationAction,
    ModerationKind,
    Post,
    Subscription,
    Thread,
)
from ..selectors.forum_access import is_moderator, may_post
from .forum_posts import similar_index_bump
from .forum_search import thread_search_update
from .forum_votes import reputation_recompute


def _moderator_check(actor: User) -> None:
    if not is_moderator(actor):
        raise PermissionDenied(_("Only moderators may do this."))


def _log(actor: User, kind: str, **fields: object) -> ModerationAction:
    return ModerationAction.objects.create(actor=actor, kind=kind, **fields)


def flag_create(*, actor: User, post: Post, reason: str, note: str = "") -> Flag:
    """Flag a post for the moderators; a member flags a post once (a second flag is the first)."""
    if not may_post(actor):
        raise PermissionDenied(_("Sign in with an account that may post in the community."))
    if reason not in FlagReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    try:
        with transaction.atomic():
            return Flag.objects.create(post=post, user=actor, reason=reason, note=note[:300])
    except IntegrityError:
        return Flag.objects.get(post=post, user=actor)


def post_hide(*, actor: User, post: Post, hidden: bool = True, note: str = "") -> Post:
    """Hide a post (the question hides the whole thread) or show it again; open flags close.

    Hiding a hidden post (or showing a shown one) changes nothing: a repeated or concurrent
    request must not count the reply out twice."""
    _moderator_check(actor)
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=post.thread_id)
        post.refresh_from_db(fields=["is_hidden"])
        if post.is_hidden == hidden:
            return post
        post.is_hidden = hidden
        post.save(update_fields=["is_hidden"])
        if post.is_question:
            thread.is_hidden = hidden
            thread.save(update_fields=["is_hidden"])
            similar_index_bump()
        else:
            thread.reply_count = Post.objects.filter(
                thread=thread, is_question=False, is_hidden=False
            ).count()
            thread.save(update_fields=["reply_count"])
            if hidden and thread.accepted_post_id == post.pk:
                thread.accepted_post = None
                thread.is_solved = False
                thread.save(update_fields=["accepted_post", "is_solved"])
        Flag.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=timezone.now())
        reputation_recompute(user_id=post.author_id)
        thread_search_update(thread_id=thread.pk)
        kind = ModerationKind.HIDE if hidden else ModerationKind.UNHIDE
        _log(actor, kind, thread=thread, post=post, target_user=post.author, note=note)
    return post


def flags_dismiss(*, actor: User, post: Post, note: str = "") -> int:
    _moderator_check(actor)
    with transaction.atomic():
        count = Flag.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        _log(actor, ModerationKind.DISMISS, thread=post.thread, post=post, note=note)
    return count


def thread_lock(*, actor: User, thread: Thread, locked: bool = True, note: str = "") -> Thread:
    _moderator_check(actor)
    with transaction.atomic():
        thread.is_locked = locked
        thread.save(update_fields=["is_locked"])
        _log(
            actor,
            ModerationKind.LOCK if locked else ModerationKind.UNLOCK,
            thread=thread,
            note=note,
        )
    return thread


def thread_move(*, actor: User, thread: Thread, category: ForumCategory, note: str = "") -> Thread:
    _moderator_check(actor)
    with transaction.atomic():
        before = thread.category.name
        thread.category = category
        thread.language = category.language
        thread.save(update_fields=["category", "language"])
        thread_search_update(thread_id=thread.pk)
        _log(
            actor,
            ModerationKind.MOVE,
            thread=thread,
            note=note or f"{before} \u2192 {category.name}",
        )
    return thread


def thread_merge(*, actor: User, source: Thread, target: Thread, note: str = "") -> Thread:
    """Move every reply (and the question, as a reply) of `source` into `target`; hide `source`."""
    _moderator_check(actor)
    if source.pk == target.pk:
        raise ValidationError({"target": _("Choose another thread.")})
    with transaction.atomic():
        moved = Post.objects.filter(thread=source)
        moved.update(thread=target, is_question=False)
        target.reply_count = Post.objects.filter(
            thread=target, is_question=False, is_hidden=False
        ).count()
        latest = Post.objects.filter(thread=target).aggregate(at=Max("created_at"))["at"]
        target.last_activity_at = latest or target.last_activity_at
        target.save(update_fields=["reply_count", "last_activity_at"])
        for follow in Subscription.objects.filter(thread=source):
            Subscription.objects.get_or_create(user_id=follow.user_id, thread=target)
        source.is_hidden = True
        source.duplicate_of = target
        source.reply_count = 0
        source.accepted_post = None
        source.is_solved = False
        source.save(
            update_fields=["is_hidden", "duplicate_of", "reply_count", "accepted_post", "is_solved"]
        )
        similar_index_bump()
        thread_search_update(thread_id=source.pk)
        thread_search_update(thread_id=target.pk)
        _log(actor, ModerationKind.MERGE, thread=source, note=note or f"\u2192 #{target.pk}")
    return target


def thread_close_duplicate(
    *, actor: User, thread: Thread, original: Thread, note: str = ""
) -> Thread:
    """Close a thread as a duplicate of `original`: locked, pointing there, out of suggestions."""
    _moderator_check(actor)
    if thread.pk == original.pk or original.duplicate_of_id == thread.pk:
        raise ValidationError({"original": _("Choose another thread as the original.")})
    with transaction.atomic():
        thread.duplicate_of = original
        thread.is_locked = True
        thread.save(update_fields=["duplicate_of", "is_locked"])
        similar_index_bump()
        thread_search_update(thread_id=thread.pk)
        _log(actor, ModerationKind.DUPLICATE, thread=thread, note=note or f"\u2192 #{original.pk}")
    return thread


def user_ban(*, actor: User, user: User, banned: bool = True, note: str = "") -> ForumProfile:
    """Stop (or let again) a member posting, voting and flagging in the forum."""
    _moderator_check(actor)
    if is_moderator(user):
        raise ValidationError({"user": _("Moderators cannot be banned.")})
    with transaction.atomic():
        profile, _created = ForumProfile.objects.get_or_create(user=user)
        profile.is_banned = banned
        profile.save(update_fields=["is_banned"])
        user._forum_banned = banned  # type: ignore[attr-defined]  # forum_access.is_banned cache
        _log(
            actor,
            ModerationKind.BAN if banned else ModerationKind.UNBAN,
            target_user=user,
            note=note,
        )
    return profile
