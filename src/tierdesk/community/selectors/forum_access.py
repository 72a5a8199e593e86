"""Who may do what in the forum: the one place for every community rule.

- Reading is public (visitors included); hidden posts and threads are seen by moderators only.
- Posting needs an active account on any plan (`Capability.COMMUNITY_POST`) and no forum ban.
- Moderators are the vendor's people: agents (L1, L2), engineers, supervisors and staff admins
  (accounts.roles.VENDOR_ROLES), and Django staff. Customers never moderate.
- The asker or a moderator accepts a solution; a locked thread takes no replies, votes or accepts
  except from moderators.
- Posters are shown by display name only (`display_name`): never an e-mail or a customer account.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tierdesk.accounts.entitlements import Capability, user_may
from tierdesk.accounts.roles import VENDOR_ROLES

from ..models import ForumCategory, ForumProfile, Post, Thread

# Reputation at which a member shows the "expert" badge.
EXPERT_REPUTATION = 100


def display_name(user: Any) -> str:
    """What the forum shows for a poster: their name, or "Member <n>"; never their e-mail."""
    if user is None:
        return _("Former member")
    name = f"{user.first_name} {user.last_name}".strip()
    return name or _("Member %(number)s") % {"number": user.pk}


def is_moderator(user: Any) -> bool:
    """Vendor staff (agents, engineers, supervisors, staff admins) moderate the forum."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_staff or user.role in VENDOR_ROLES)


def is_vendor(user: Any) -> bool:
    return user is not None and getattr(user, "role", None) in VENDOR_ROLES


def is_banned(user: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    # Read once per request's user object: a page asks for every post it shows.
    cached = getattr(user, "_forum_banned", None)
    if cached is None:
        cached = ForumProfile.objects.filter(user=user, is_banned=True).exists()
        user._forum_banned = cached
    return bool(cached)


def may_post(user: Any) -> bool:
    """Signed in, active, entitled to post (every plan is), and not banned from the forum."""
    if user is None or not user.is_authenticated:
        return False
    return user_may(user, Capability.COMMUNITY_POST) and not is_banned(user)


def may_reply(user: Any, thread: Thread) -> bool:
    if not may_post(user):
        return False
    if thread.is_locked or thread.duplicate_of_id is not None:
        return is_moderator(user)
    return True


def may_accept(user: Any, thread: Thread) -> bool:
    """The asker or a moderator marks the accepted solution."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_moderator(user):
        return True
    return thread.author_id == user.pk and not thread.is_locked and may_post(user)


def may_edit(user: Any, post: Post) -> bool:
    if is_moderator(user):
        return True
    return (
        user is not None
        and user.is_authenticated
        and post.author_id == user.pk
        and not post.thread.is_locked
        and may_post(user)
    )


def may_turn_into_case(user: Any, thread: Thread) -> bool:
    """The asker, when their plan allows web cases, turns their thread into a case (once)."""
    return (
        user is not None
        and user.is_authenticated
        and thread.author_id == user.pk
        and thread.case_id is None
        and user_may(user, Capability.WEB_TICKETS)
    )


def visible_threads(user: Any) -> QuerySet[Thread]:
    threads = Thread.objects.all()
    if not is_moderator(user):
        threads = threads.filter(is_hidden=False)
    return threads


def visible_posts(user: Any, thread: Thread) -> QuerySet[Post]:
    posts = Post.objects.filter(thread=thread)
    if not is_moderator(user):
        posts = posts.filter(is_hidden=False)
    return posts


def access_forum_category(user: Any, *, slug: str) -> ForumCategory:
    try:
        return ForumCategory.objects.get(slug=slug)
    except ForumCategory.DoesNotExist:
        raise Http404 from None


def access_thread(user: Any, *, pk: int) -> Thread:
    """The thread if the user may read it; 404 otherwise (hidden ones are moderators')."""
    try:
        return visible_threads(user).select_related("category").get(pk=pk)
    except Thread.DoesNotExist:
        raise Http404 from None


def access_post(user: Any, *, pk: int) -> Post:
    """A post the user may read (its thread too); 404 otherwise."""
    try:
        post = Post.objects.select_related("thread", "thread__category").get(pk=pk)
    except Post.DoesNotExist:
        raise Http404 from None
    if not is_moderator(user) and (post.is_hidden or post.thread.is_hidden):
        raise Http404
    return post
