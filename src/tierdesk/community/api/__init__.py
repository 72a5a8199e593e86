"""API of the forum under /api/v1/community/: threads, replies, images, votes, accept, flag,
moderation and its audit log.

Reads are public (no credential: a visitor); writes need a signed-in member whose plan allows
posting (every plan does), and the moderation endpoints a moderator (403 for anyone else). Every
rule is the pages' (selectors.forum_access and the services); hidden things answer 404.
"""

from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from tierdesk.accounts.models import User
from tierdesk.config.api_types import (
    MAX_OFFSET,
    READ_ERRORS,
    WRITE_ERRORS,
    PageRows,
    Pagination,
    PathId,
    PathSlug,
    Text,
    error_responses,
)

from ..models import ForumCategory, Post, PostRevision, Thread
from ..schemas import (
    AcceptIn,
    FlaggedPostOut,
    FlagIn,
    FlagOut,
    FollowOut,
    ForumCategoryOut,
    ModerationEntryOut,
    PostEditIn,
    PostImageOut,
    PostModerationIn,
    PostOut,
    ReplyIn,
    RevisionOut,
    SimilarOut,
    StateValue,
    ThreadDetailOut,
    ThreadIn,
    ThreadModerationIn,
    ThreadOut,
    VoteIn,
    VoteOut,
)
from ..selectors import forum_pages
from ..selectors.forum_access import (
    access_forum_category,
    access_post,
    access_thread,
    display_name,
    is_moderator,
)
from ..selectors.forum_similar import similar_threads
from ..services import forum_moderation as moderation
from ..services.forum_follow import subscription_add, subscription_remove
from ..services.forum_posts import (
    IMAGE_NOT_AN_IMAGE,
    IMAGE_TOO_LARGE,
    images_add,
    post_edit,
    reply_create,
    thread_create,
)
from ..services.forum_votes import solution_accept, vote_cast
from . import rows

PREFIX = "/community"
router = Router(tags=["community"])


def _visitor(request: HttpRequest) -> AnonymousUser:
    return AnonymousUser()


def _read_auth() -> list[Any]:
    from tierdesk.config.api import BearerTokenAuth, SessionCsrfAuth

    return [BearerTokenAuth(), SessionCsrfAuth(), _visitor]


READ_AUTH = _read_auth()


def _reader(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _member(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise PermissionDenied(_("Sign in to post."))
    return user


def _moderator(request: HttpRequest) -> User:
    user = _member(request)
    if not is_moderator(user):
        raise PermissionDenied(_("Only moderators may do this."))
    return user


def _detail(request: HttpRequest, thread: Thread, page: int = 1) -> dict[str, Any]:
    question, accepted, found, others = forum_pages.thread_posts(_reader(request), thread, page)
    return rows.thread_row(thread) | {
        "question": rows.post_row(question) if question else None,
        "accepted": rows.post_row(accepted) if accepted else None,
        "replies": [rows.post_row(view) for view in others],
        "reply_pages": found.paginator.num_pages,
    }


def _category(slug: str) -> ForumCategory:
    found = ForumCategory.objects.filter(slug=slug).first()
    if found is None:
        raise ValidationError({"category": _("No category has this slug.")})
    return found


# --- reads ------------------------------------------------------------------------------------


@router.get("/categories", response={200: list[ForumCategoryOut], **READ_ERRORS}, auth=READ_AUTH)
def category_list(request: HttpRequest) -> list[ForumCategory]:
    """Every category: a product area in one language."""
    return list(forum_pages.categories())


@router.get("/threads", response={200: list[ThreadOut], **READ_ERRORS}, auth=READ_AUTH)
@paginate(Pagination)
def thread_list(
    request: HttpRequest,
    category: Annotated[Text | None, Query(None, max_length=80)] = None,
    state: Annotated[StateValue | None, Query(None)] = None,
    tag: Annotated[Text | None, Query(None, max_length=50)] = None,
) -> Any:
    """Threads the caller may read, newest activity first."""
    found = ForumCategory.objects.filter(slug=category).first() if category else None
    if category and found is None:
        return rows.thread_rows(Thread.objects.none())
    threads = forum_pages.thread_list(
        _reader(request), category=found, state=state or "", tag=tag or ""
    )
    return rows.thread_rows(threads)


@router.get("/threads/{thread_id}", response={200: ThreadDetailOut, **READ_ERRORS}, auth=READ_AUTH)
def thread_detail(
    request: HttpRequest,
    thread_id: PathId,
    page: Annotated[int, Query(1, ge=1, le=MAX_OFFSET)] = 1,
) -> dict[str, Any]:
    """A thread: its question, the accepted solution, then a page of 50 other replies."""
    return _detail(request, access_thread(_reader(request), pk=thread_id), page)


@router.get("/similar", response={200: list[SimilarOut], **READ_ERRORS}, auth=READ_AUTH)
def similar(
    request: HttpRequest,
    title: Annotated[Text, Query(..., min_length=1, max_length=200)],
) -> list[dict[str, Any]]:
    """Threads like a title being typed, in either language, solved ones first."""
    return [
        {
            "id": found.id,
            "title": found.title,
            "solved": found.solved,
            "url": reverse("community:thread", args=[found.id]),
        }
        for found in similar_threads(title)
    ]


# --- writes -----------------------------------------------------------------------------------


@router.post("/threads", response={201: ThreadDetailOut, **WRITE_ERRORS})
def thread_post(request: HttpRequest, payload: ThreadIn) -> Status[dict[str, Any]]:
    """Ask a question (the same limits as the page: new members post and link less)."""
    user = _member(request)
    thread = thread_create(
        actor=user,
        category=_category(payload.category),
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
    )
    return Status(201, _detail(request, thread))


@router.post("/threads/{thread_id}/replies", response={201: PostOut, **WRITE_ERRORS})
def reply_post(request: HttpRequest, thread_id: PathId, payload: ReplyIn) -> Status[dict[str, Any]]:
    """Answer a thread."""
    user = _member(request)
    thread = access_thread(user, pk=thread_id)
    post = reply_create(actor=user, thread=thread, body=payload.body)
    return Status(201, rows.post_row(rows.post_view(post)))


@router.patch("/posts/{post_id}", response={200: PostOut, **WRITE_ERRORS})
def post_patch(request: HttpRequest, post_id: PathId, payload: PostEditIn) -> dict[str, Any]:
    """Edit a post (its author or a moderator; a question's `title` retitles the thread); the
    text before the edit becomes a revision."""
    user = _member(request)
    post = access_post(user, pk=post_id)
    post_edit(actor=user, post=post, body=payload.body, title=payload.title)
    post = Post.objects.select_related("author", "author__forum_profile").get(pk=post.pk)
    return rows.post_row(rows.post_view(post))


@router.get(
    "/posts/{post_id}/revisions",
    response={200: list[RevisionOut], **READ_ERRORS},
    auth=READ_AUTH,
)
def post_revisions(request: HttpRequest, post_id: PathId) -> list[dict[str, Any]]:
    """A post's earlier texts, newest first (for whoever may read the post)."""
    post = access_post(_reader(request), pk=post_id)
    return [
        {
            "title": revision.title,
            "body": revision.body,
            "editor": display_name(revision.edited_by),
            "created_at": revision.created_at,
        }
        for revision in PostRevision.objects.filter(post=post).select_related("edited_by")
    ]


# An image refused for its bytes: too large (413) or not an image (415); too many for the post
# stays a 422 on the field `images`, like any other service refusal.
_IMAGE_REFUSALS = {IMAGE_TOO_LARGE: 413, IMAGE_NOT_AN_IMAGE: 415}


def _image_refusal(error: ValidationError) -> HttpError | None:
    for field_errors in getattr(error, "error_dict", {}).values():
        for found in field_errors:
            if found.code in _IMAGE_REFUSALS:
                return HttpError(_IMAGE_REFUSALS[found.code], " ".join(found.messages))
    return None


@router.post(
    "/posts/{post_id}/images",
    response={201: PostImageOut, **WRITE_ERRORS, **error_responses(415)},
)
def image_attach(
    request: HttpRequest, post_id: PathId, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """Attach an image to a post (multipart/form-data, field `file`): its author while they may
    edit it (not banned, thread not locked), or a moderator. The page's limits: a PNG, JPEG, GIF
    or WebP by its bytes (415 otherwise), 2 MB (413), 4 images a post (422). The answer's
    `markdown` links the image from the post's text (PATCH posts/{id})."""
    user = _member(request)
    post = access_post(user, pk=post_id)
    try:
        (image,) = images_add(actor=user, post=post, images=[file])
    except ValidationError as exc:
        refusal = _image_refusal(exc)
        if refusal is None:
            raise
        raise refusal from exc
    return Status(201, rows.image_row(image))


@router.put("/threads/{thread_id}/follow", response={200: FollowOut, **WRITE_ERRORS})
def thread_follow(request: HttpRequest, thread_id: PathId) -> dict[str, bool]:
    """Follow a thread: its replies come by e-mail (following twice is one follow)."""
    user = _member(request)
    subscription_add(user=user, thread=access_thread(user, pk=thread_id))
    return {"following": True}


@router.delete("/threads/{thread_id}/follow", response={200: FollowOut, **WRITE_ERRORS})
def thread_unfollow(request: HttpRequest, thread_id: PathId) -> dict[str, bool]:
    """Stop following a thread."""
    user = _member(request)
    subscription_remove(user=user, thread=access_thread(user, pk=thread_id))
    return {"following": False}


@router.put("/categories/{slug}/follow", response={200: FollowOut, **WRITE_ERRORS})
def category_follow(request: HttpRequest, slug: PathSlug) -> dict[str, bool]:
    """Follow a category: its new threads come by e-mail."""
    user = _member(request)
    subscription_add(user=user, category=access_forum_category(user, slug=slug))
    return {"following": True}


@router.delete("/categories/{slug}/follow", response={200: FollowOut, **WRITE_ERRORS})
def category_unfollow(request: HttpRequest, slug: PathSlug) -> dict[str, bool]:
    """Stop following a category."""
    user = _member(request)
    subscription_remove(user=user, category=access_forum_category(user, slug=slug))
    return {"following": False}


@router.post("/posts/{post_id}/vote", response={200: VoteOut, **WRITE_ERRORS})
def vote(request: HttpRequest, post_id: PathId, payload: VoteIn) -> dict[str, int]:
    """Vote on a question or a reply: one vote per member, changeable (0 takes it back)."""
    user = _member(request)
    return {"score": vote_cast(actor=user, post=access_post(user, pk=post_id), value=payload.value)}


@router.post("/threads/{thread_id}/accept", response={200: ThreadDetailOut, **WRITE_ERRORS})
def accept(request: HttpRequest, thread_id: PathId, payload: AcceptIn) -> dict[str, Any]:
    """Mark the accepted solution (the asker or a moderator)."""
    user = _member(request)
    thread = access_thread(user, pk=thread_id)
    post = access_post(user, pk=payload.post) if payload.post else None
    solution_accept(actor=user, thread=thread, post=post)
    return _detail(request, thread)


@router.post("/posts/{post_id}/flag", response={201: FlagOut, **WRITE_ERRORS})
def flag(request: HttpRequest, post_id: PathId, payload: FlagIn) -> Status[dict[str, Any]]:
    """Flag a post for the moderators (once per member and post)."""
    user = _member(request)
    found = moderation.flag_create(
        actor=user, post=access_post(user, pk=post_id), reason=payload.reason, note=payload.note
    )
    return Status(201, {"id": found.pk, "reason": found.reason})


# --- moderation -------------------------------------------------------------------------------


@router.get("/moderation/flags", response={200: list[FlaggedPostOut], **READ_ERRORS})
def flagged(request: HttpRequest) -> list[dict[str, Any]]:
    """The moderation queue: posts with open flags, most flagged first (first 100)."""
    user = _moderator(request)
    return [
        {
            "post": post.pk,
            "thread": post.thread_id,
            "author": rows.poster(post.author),
            "body": post.body,
            "open_flags": post.open_flags,  # type: ignore[attr-defined]
            "reasons": forum_pages.flag_reasons(post),
        }
        for post in forum_pages.moderation_queue(user)[:100]
    ]


@router.get("/moderation/log", response={200: list[ModerationEntryOut], **READ_ERRORS})
@paginate(Pagination)
def moderation_log(request: HttpRequest) -> Any:
    """The audit log: every moderator action, newest first (`limit`, `offset`); moderators and
    members by display name."""
    return PageRows(forum_pages.audit_log(_moderator(request)), rows.moderation_row)


@router.post("/posts/{post_id}/moderation", response={200: PostOut, **WRITE_ERRORS})
def post_moderation(
    request: HttpRequest, post_id: PathId, payload: PostModerationIn
) -> dict[str, Any]:
    """Hide or show a post, dismiss its flags, or ban or let again its poster (logged)."""
    user = _moderator(request)
    post = access_post(user, pk=post_id)
    if payload.action in ("hide", "unhide"):
        moderation.post_hide(
            actor=user, post=post, hidden=payload.action == "hide", note=payload.note
        )
    elif payload.action == "dismiss":
        moderation.flags_dismiss(actor=user, post=post, note=payload.note)
    else:
        moderation.user_ban(
            actor=user, user=post.author, banned=payload.action == "ban", note=payload.note
        )
    post = Post.objects.select_related("author", "author__forum_profile").get(pk=post.pk)
    return rows.post_row(rows.post_view(post))


@router.post("/threads/{thread_id}/moderation", response={200: ThreadOut, **WRITE_ERRORS})
def thread_moderation(
    request: HttpRequest, thread_id: PathId, payload: ThreadModerationIn
) -> dict[str, Any]:
    """Lock, unlock, move, merge into another thread, or close as its duplicate (logged)."""
    user = _moderator(request)
    thread = access_thread(user, pk=thread_id)
    if payload.action in ("lock", "unlock"):
        moderation.thread_lock(
            actor=user, thread=thread, locked=payload.action == "lock", note=payload.note
        )
    elif payload.action == "move":
        if not payload.category:
            raise ValidationError({"category": _("Choose a category.")})
        moderation.thread_move(
            actor=user, thread=thread, category=_category(payload.category), note=payload.note
        )
    else:
        if not payload.target:
            raise ValidationError({"target": _("Give the other thread's id.")})
        other = access_thread(user, pk=payload.target)
        if payload.action == "merge":
            moderation.thread_merge(actor=user, source=thread, target=other, note=payload.note)
        else:
            moderation.thread_close_duplicate(
                actor=user, thread=thread, original=other, note=payload.note
            )
    return rows.thread_row(Thread.objects.select_related("category", "author").get(pk=thread.pk))
