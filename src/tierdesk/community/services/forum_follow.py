"""Following: subscriptions to threads and categories, @mentions, and the e-mails they cause.

A new thread tells its category's followers; a reply tells the thread's followers; a mention
(`@[Display Name]`, or `@First Last` / `@First` for someone who posted in the thread) tells the
person named. One e-mail per post and recipient (the outbox key names both), in the recipient's
language, never to the post's author. Every e-mail carries a signed one-click unsubscribe link
(`unsubscribe_token`): it names the user and what they follow and works signed out.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from tierdesk.accounts.models import User
from tierdesk.notifications.kinds import CommunityKind
from tierdesk.notifications.services.outbox import outbox_enqueue

from ..models import ForumCategory, Post, Subscription, Thread
from ..selectors.forum_access import display_name

UNSUBSCRIBE_SALT = "tierdesk.community.unsubscribe"
EXCERPT_CHARS = 400
_BRACKETED = re.compile(r"@\[([^\]\n]{1,80})\]")
_PLAIN = re.compile(r"@([^\W\d_][\w'-]*)(?:[ \t]+([^\W\d_][\w'-]*))?")


def subscription_add(
    *, user: User, thread: Thread | None = None, category: ForumCategory | None = None
) -> None:
    """Follow a thread or a category; following twice is one follow."""
    try:
        with transaction.atomic():
            Subscription.objects.get_or_create(user=user, thread=thread, category=category)
    except IntegrityError:  # a concurrent follow won the race: the follow exists
        pass


def subscription_remove(
    *, user: User, thread: Thread | None = None, category: ForumCategory | None = None
) -> int:
    return Subscription.objects.filter(user=user, thread=thread, category=category).delete()[0]


def unsubscribe_token(
    *, user: User, thread: Thread | None = None, category: ForumCategory | None = None
) -> str:
    return signing.dumps(
        {"u": user.pk, "t": thread.pk if thread else None, "c": category.pk if category else None},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )


def unsubscribe_read(token: str) -> dict[str, Any] | None:
    """The token's user and target, or None if it was not made here."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) and "u" in data else None


def follow_lookup(data: dict[str, Any]) -> dict[str, Any]:
    """The Subscription filter a token's data names (a thread's follow or a category's)."""
    return {"user_id": data["u"], "thread_id": data.get("t"), "category_id": data.get("c")}


def unsubscribe_apply(token: str) -> bool:
    """Stop the follow the token names (no sign-in needed); False for a bad token."""
    data = unsubscribe_read(token)
    if data is None:
        return False
    Subscription.objects.filter(**follow_lookup(data)).delete()
    return True


def mentioned_users(post: Post) -> list[User]:
    """The people a post names: `@[Full Name]` anyone, `@First Last`/`@First` thread posters."""
    text = post.body
    found: dict[int, User] = {}
    names = {" ".join(m.split()).casefold() for m in _BRACKETED.findall(text)}
    for name in names:
        first, _sep, last = name.partition(" ")
        matches = list(
            User.objects.filter(
                is_active=True, first_name__iexact=first, last_name__iexact=last.strip()
            )[:2]
        )
        if len(matches) == 1:  # an ambiguous name notifies nobody
            found[matches[0].pk] = matches[0]
    plain = _PLAIN.findall(_BRACKETED.sub("", text))
    if plain:
        posters = User.objects.filter(
            forum_posts__thread_id=post.thread_id, is_active=True
        ).distinct()
        by_name: dict[str, list[User]] = {}
        for user in posters:
            by_name.setdefault(display_name(user).casefold(), []).append(user)
            by_name.setdefault(user.first_name.casefold(), []).append(user)
        for first, last in plain:
            for key in (f"{first} {last}".casefold(), first.casefold()):
                users = {u.pk: u for u in by_name.get(key, [])}
                if key.strip() and len(users) == 1:
                    user = next(iter(users.values()))
                    found[user.pk] = user
                    break
    return [user for pk, user in found.items() if pk != post.author_id]


def thread_url(thread: Thread) -> str:
    path = reverse("community:thread", args=[thread.pk])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _excerpt(text: str) -> str:
    compact = " ".join(text.split())
    return compact if len(compact) <= EXCERPT_CHARS else compact[: EXCERPT_CHARS - 1] + "\u2026"


def notify_new_post(*, post: Post) -> int:
    """Queue the e-mails a new post causes, in the caller's transaction; returns how many."""
    thread = post.thread
    mentioned = mentioned_users(post)
    recipients: dict[int, tuple[User, str, Subscription | None]] = {}
    follows = Subscription.objects.select_related("user", "thread", "category")
    if post.is_question:
        follows = follows.filter(category_id=thread.category_id)
    else:
        follows = follows.filter(thread_id=thread.pk)
    for found in follows:
        recipients[found.user_id] = (found.user, CommunityKind.COMMUNITY_POST, found)
    for user in mentioned:
        earlier = recipients.get(user.pk)
        recipients[user.pk] = (
            user,
            CommunityKind.COMMUNITY_MENTION,
            earlier[2] if earlier is not None else None,
        )
    base = {
        "thread_id": thread.pk,
        "thread_title": thread.title,
        "thread_url": f"{thread_url(thread)}#post-{post.pk}",
        "author_name": display_name(post.author),
        "excerpt": _excerpt(post.body),
        "is_question": post.is_question,
    }
    sent = 0
    for user_id, (user, kind, follow) in recipients.items():
        if user_id == post.author_id:
            continue
        context = dict(base)
        if follow is not None:
            token = unsubscribe_token(user=user, thread=follow.thread, category=follow.category)
            path = reverse("community:unsubscribe", args=[token])
            context["unsubscribe_url"] = f"{settings.SITE_URL.rstrip('/')}{path}"
        message = outbox_enqueue(
            key=f"community:post:{post.pk}:user:{user_id}",
            recipient=user,
            template=kind,
            context=context,
        )
        sent += message is not None
    return sent
