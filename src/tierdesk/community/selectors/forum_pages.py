"""What the forum's pages and API read: thread lists, a thread's posts, the moderators' views."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet

from ..models import (
    Flag,
    ForumCategory,
    ModerationAction,
    Post,
    PostImage,
    Subscription,
    Thread,
    Vote,
)
from .forum_access import (
    EXPERT_REPUTATION,
    display_name,
    is_moderator,
    is_vendor,
    visible_posts,
    visible_threads,
)

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 50
FILTERS = ("solved", "unsolved", "unanswered")


def categories(language: str | None = None) -> QuerySet[ForumCategory]:
    found = ForumCategory.objects.all()
    return found.filter(language=language) if language else found


def thread_list(
    user: Any,
    *,
    category: ForumCategory | None = None,
    state: str = "",
    tag: str = "",
    language: str = "",
) -> QuerySet[Thread]:
    """Threads the user may read, newest activity first; `state` one of FILTERS or ""."""
    threads = visible_threads(user)
    if category is not None:
        threads = threads.filter(category=category)
    if language:
        threads = threads.filter(language=language)
    if state == "solved":
        threads = threads.filter(is_solved=True)
    elif state == "unsolved":
        threads = threads.filter(is_solved=False)
    elif state == "unanswered":
        threads = threads.filter(reply_count=0)
    if tag:
        threads = threads.filter(tags__slug=tag)
    return threads.select_related("author", "author__forum_profile", "category").order_by(
        "-last_activity_at", "-id"
    )


def thread_page(threads: QuerySet[Thread], number: Any) -> Page:
    return Paginator(threads, THREADS_PER_PAGE).get_page(number)


@dataclass
class PostView:
    post: Post
    author_name: str
    is_staff: bool
    is_expert: bool
    reputation: int
    accepted: bool = False
    my_vote: int = 0
    images: list[PostImage] = field(default_factory=list)
    flags: int = 0


def badges(user: Any) -> tuple[bool, bool, int]:
    """(staff badge, expert badge, reputation) of a poster."""
    profile = getattr(user, "forum_profile", None) if user is not None else None
    reputation = profile.reputation if profile is not None else 0
    return is_vendor(user), reputation >= EXPERT_REPUTATION, reputation


def _post_views(user: Any, posts: list[Post], accepted_id: int | None) -> list[PostView]:
    ids = [post.pk for post in posts]
    mine: dict[int, int] = {}
    if user is not None and user.is_authenticated and ids:
        mine = dict(Vote.objects.filter(user=user, post_id__in=ids).values_list("post_id", "value"))
    views = []
    for post in posts:
        staff, expert, reputation = badges(post.author)
        views.append(
            PostView(
                post=post,
                author_name=display_name(post.author),
                is_staff=staff,
                is_expert=expert,
                reputation=reputation,
                accepted=post.pk == accepted_id,
                my_vote=mine.get(post.pk, 0),
                images=list(post.images.all()),
                flags=getattr(post, "open_flags", 0),
            )
        )
    return views


def thread_posts(
    user: Any, thread: Thread, page_number: Any = 1
) -> tuple[PostView | None, PostView | None, Page, list[PostView]]:
    """The question, the accepted reply (shown first), and a page of the other replies."""
    base = visible_posts(user, thread).select_related("author", "author__forum_profile")
    base = base.prefetch_related(Prefetch("images", queryset=PostImage.objects.order_by("id")))
    if is_moderator(user):
        base = base.annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
    first = [p for p in base.filter(Q(is_question=True) | Q(pk=thread.accepted_post_id or 0))]
    replies = base.filter(is_question=False)
    if thread.accepted_post_id:
        replies = replies.exclude(pk=thread.accepted_post_id)
    page = Paginator(replies.order_by("created_at", "id"), POSTS_PER_PAGE).get_page(page_number)
    views = _post_views(user, [*first, *page.object_list], thread.accepted_post_id)
    question = next((v for v in views if v.post.is_question), None)
    accepted = next((v for v in views if v.accepted), None)
    others = [v for v in views[len(first) :]]
    return question, accepted, page, others


def is_following(
    user: Any, *, thread: Thread | None = None, category: ForumCategory | None = None
) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Subscription.objects.filter(user=user, thread=thread, category=category).exists()


def moderation_queue(user: Any) -> QuerySet[Post]:
    """Posts with open flags, most flagged first (moderators only: empty for anyone else)."""
    if not is_moderator(user):
        return Post.objects.none()
    # Counted, then filtered on the count: a filter on `flags__resolved_at__isnull` alone would
    # also match, through the outer join, every post that was never flagged.
    return (
        Post.objects.annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .filter(open_flags__gt=0)
        .select_related("author", "thread")
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(resolved_at__isnull=True).order_by("pk"),
                to_attr="open_flag_list",
            )
        )
        .order_by("-open_flags", "created_at")
    )


def flag_reasons(post: Post) -> list[str]:
    """The reasons of a queued post's open flags (prefetched by `moderation_queue`)."""
    flags = getattr(post, "open_flag_list", None)
    if flags is None:
        flags = list(Flag.objects.filter(post=post, resolved_at__isnull=True))
    return [str(f.get_reason_display()) for f in flags]


def audit_log(user: Any) -> QuerySet[ModerationAction]:
    if not is_moderator(user):
        return ModerationAction.objects.none()
    return ModerationAction.objects.select_related("actor", "thread", "target_user")
