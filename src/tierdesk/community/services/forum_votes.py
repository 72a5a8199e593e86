"""Votes, accepted solutions and reputation.

Reputation rule (the only place it is computed, `reputation_recompute`; stored in
ForumProfile.reputation):
    10 per up-vote on the member's visible posts
  -  2 per down-vote on them
  + 15 per thread whose accepted solution is the member's reply
never below 0. It is recomputed for the members a vote or an accept touches, in the same
transaction, so the stored number is always what the rule gives for the stored votes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ..models import ForumProfile, ModerationAction, ModerationKind, Post, Thread, Vote
from ..selectors.forum_access import is_moderator, may_accept, may_post
from .forum_search import thread_search_update

UP_POINTS = 10
DOWN_POINTS = 2
ACCEPTED_POINTS = 15


def reputation_recompute(*, user_id: int) -> int:
    votes = Vote.objects.filter(post__author_id=user_id, post__is_hidden=False).aggregate(
        up=Count("id", filter=Q(value=1)), down=Count("id", filter=Q(value=-1))
    )
    accepted = Thread.objects.filter(accepted_post__author_id=user_id, is_hidden=False).count()
    reputation = max(
        0, UP_POINTS * votes["up"] - DOWN_POINTS * votes["down"] + ACCEPTED_POINTS * accepted
    )
    ForumProfile.objects.update_or_create(user_id=user_id, defaults={"reputation": reputation})
    return reputation


def post_score_refresh(post: Post) -> int:
    score = Vote.objects.filter(post=post).aggregate(total=Sum("value"))["total"] or 0
    Post.objects.filter(pk=post.pk).update(score=score)
    if post.is_question:
        Thread.objects.filter(pk=post.thread_id).update(score=score)
    post.score = score
    return score


def vote_cast(*, actor: User, post: Post, value: int) -> int:
    """Vote +1 or -1 on a post (0 takes the vote back); one vote per member, changeable.

    Returns the post's new score. Nobody votes on their own post or in a locked thread.
    """
    if value not in (-1, 0, 1):
        raise ValidationError({"value": _("A vote is 1, -1 or 0.")})
    if not may_post(actor):
        raise PermissionDenied(_("Sign in with an account that may post in the community."))
    if post.author_id == actor.pk:
        raise ValidationError({"value": _("You cannot vote on your own post.")})
    if post.thread.is_locked and not is_moderator(actor):
        raise PermissionDenied(_("This thread is locked."))
    with transaction.atomic():
        if value == 0:
            Vote.objects.filter(post=post, user=actor).delete()
        else:
            # The unique (post, user) constraint makes a second vote an update, even in a race.
            Vote.objects.update_or_create(post=post, user=actor, defaults={"value": value})
        score = post_score_refresh(post)
        reputation_recompute(user_id=post.author_id)
    return score


def solution_accept(*, actor: User, thread: Thread, post: Post | None) -> Thread:
    """Mark `post` (a visible reply of `thread`) as the accepted solution; None takes it back.

    Only the asker or a moderator may; a moderator's accept on someone else's thread is logged.
    """
    if not may_accept(actor, thread):
        raise PermissionDenied(_("Only the person who asked or a moderator may accept a solution."))
    if post is not None and (post.thread_id != thread.pk or post.is_question or post.is_hidden):
        raise ValidationError({"post": _("Choose a visible reply of this thread.")})
    with transaction.atomic():
        previous = thread.accepted_post
        thread.accepted_post = post
        thread.is_solved = post is not None
        thread.save(update_fields=["accepted_post", "is_solved"])
        touched = {p.author_id for p in (previous, post) if p is not None}
        for user_id in touched:
            reputation_recompute(user_id=user_id)
        thread_search_update(thread_id=thread.pk)
        if thread.author_id != actor.pk:
            ModerationAction.objects.create(
                actor=actor, kind=ModerationKind.ACCEPT, thread=thread, post=post
            )
    return thread
