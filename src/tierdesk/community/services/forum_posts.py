"""Asking, replying, editing and attaching images: every write of a post's content.

Limits for new members (joined less than NEW_MEMBER_DAYS ago): NEW_MEMBER_POSTS_PER_HOUR posts
(threads and replies) in any rolling hour and NEW_MEMBER_LINKS_PER_POST links in one post.
Moderators have no limits. Images: at most MAX_IMAGES_PER_POST per post, each at most
MAX_IMAGE_BYTES, and a PNG, JPEG, GIF or WebP by its content (the `filetype` package reads the
bytes; the name and the browser's content type are not trusted). Each image refusal carries a
code (IMAGE_TOO_MANY, IMAGE_TOO_LARGE, IMAGE_NOT_AN_IMAGE) so that the API can answer 422, 413 or
415 without judging the file again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import filetype
import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User
from tierdesk.web.markdown import render_markdown

from ..models import (
    ForumCategory,
    ForumTag,
    Post,
    PostImage,
    PostRevision,
    SimilarIndexVersion,
    Thread,
)
from ..selectors.forum_access import is_moderator, may_edit, may_post, may_reply
from .forum_follow import notify_new_post, subscription_add
from .forum_search import thread_search_update

NEW_MEMBER_DAYS = 7
NEW_MEMBER_POSTS_PER_HOUR = 5
NEW_MEMBER_LINKS_PER_POST = 2
MAX_IMAGES_PER_POST = 4
MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
IMAGE_TOO_MANY = "too_many_images"
IMAGE_TOO_LARGE = "image_too_large"
IMAGE_NOT_AN_IMAGE = "not_an_image"
MAX_TAGS = 5
TITLE_MIN = 8
BODY_MAX = 20_000
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def link_count(text: str) -> int:
    return len(_LINK.findall(text or ""))


def is_new_member(user: User, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return user.date_joined > now - timedelta(days=NEW_MEMBER_DAYS)


def _limits_check(user: User, body: str, *, now: datetime) -> None:
    if is_moderator(user) or not is_new_member(user, now=now):
        return
    if link_count(body) > NEW_MEMBER_LINKS_PER_POST:
        raise ValidationError(
            {
                "body": _("New members may add at most %(n)d links to a post.")
                % {"n": NEW_MEMBER_LINKS_PER_POST}
            }
        )
    recent = Post.objects.filter(author=user, created_at__gt=now - timedelta(hours=1)).count()
    if recent >= NEW_MEMBER_POSTS_PER_HOUR:
        raise ValidationError(
            {
                "body": _("New members may post %(n)d times an hour. Please try again later.")
                % {"n": NEW_MEMBER_POSTS_PER_HOUR}
            }
        )


def _body_check(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something.")})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": _("At most %(n)d characters.") % {"n": BODY_MAX}})
    return body


def _title_check(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < TITLE_MIN:
        raise ValidationError(
            {"title": _("Write a title of at least %(n)d characters.") % {"n": TITLE_MIN}}
        )
    return title[:200]


def title_embedding(title: str) -> bytes:
    """The title's unit vector as 512 float16 values (the similar-threads lookup reads these)."""
    from tierdesk.assistant.retrieval.embeddings import encode

    return np.asarray(encode([title])[0], dtype=np.float16).tobytes()


def similar_index_bump() -> None:
    """Tell every process's similar-threads cache that the searchable titles changed."""
    updated = SimilarIndexVersion.objects.filter(pk=1).update(version=F("version") + 1)
    if not updated:
        SimilarIndexVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def _tags(names: Iterable[str]) -> list[ForumTag]:
    slugs = []
    for name in names:
        slug = slugify(name)[:50]
        if slug and slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(n)d tags.") % {"n": MAX_TAGS}})
    return [ForumTag.objects.get_or_create(slug=slug)[0] for slug in slugs]


def images_check(files: Sequence[UploadedFile], *, already: int = 0) -> list[str]:
    """Each file's real content type; a ValidationError names the first bad one."""
    if already + len(files) > MAX_IMAGES_PER_POST:
        message = _("At most %(n)d images per post.") % {"n": MAX_IMAGES_PER_POST}
        raise ValidationError({"images": ValidationError(message, code=IMAGE_TOO_MANY)})
    types = []
    for upload in files:
        if (upload.size or 0) > MAX_IMAGE_BYTES:
            message = _("%(name)s is larger than %(mb)d MB.") % {
                "name": upload.name,
                "mb": MAX_IMAGE_BYTES // (1024 * 1024),
            }
            raise ValidationError({"images": ValidationError(message, code=IMAGE_TOO_LARGE)})
        upload.seek(0)
        head = upload.read(262)
        upload.seek(0)
        kind = filetype.guess(head)
        if kind is None or kind.mime not in IMAGE_TYPES:
            message = _("%(name)s is not a PNG, JPEG, GIF or WebP image.") % {"name": upload.name}
            raise ValidationError({"images": ValidationError(message, code=IMAGE_NOT_AN_IMAGE)})
        types.append(kind.mime)
    return types


def _images_save(post: Post, files: Sequence[UploadedFile]) -> list[PostImage]:
    types = images_check(files, already=post.images.count())
    return [
        PostImage.objects.create(
            post=post,
            file=upload,
            content_type=content_type,
            size=upload.size or 0,
            name=(upload.name or "image")[:200],
        )
        for upload, content_type in zip(files, types, strict=True)
    ]


def thread_create(
    *,
    actor: User,
    category: ForumCategory,
    title: str,
    body: str,
    tags: Iterable[str] = (),
    images: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Thread:
    """Ask a question: the thread, its question post, the asker's follow, notifications."""
    if not may_post(actor):
        raise PermissionDenied(_("Sign in with an account that may post in the community."))
    now = now or timezone.now()
    title = _title_check(title)
    body = _body_check(body)
    _limits_check(actor, body, now=now)
    if images:
        images_check(images)
    embedding = title_embedding(title)
    with transaction.atomic():
        thread = Thread.objects.create(
            category=category,
            author=actor,
            title=title,
            language=category.language,
            created_at=now,
            last_activity_at=now,
            title_embedding=embedding,
        )
        thread.tags.set(_tags(tags))
        post = Post.objects.create(
            thread=thread,
            author=actor,
            is_question=True,
            body=body,
            body_html=render_markdown(body),
            created_at=now,
        )
        _images_save(post, images)
        subscription_add(user=actor, thread=thread)
        # No similar_index_bump: caches append threads above their greatest id on their own.
        notify_new_post(post=post)
        thread_search_update(thread_id=thread.pk)
    return thread


def reply_create(
    *,
    actor: User,
    thread: Thread,
    body: str,
    images: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Post:
    """Reply to a thread: the post, the thread's counters, follows and notifications."""
    if not may_reply(actor, thread):
        raise PermissionDenied(_("This thread takes no replies from you."))
    now = now or timezone.now()
    body = _body_check(body)
    _limits_check(actor, body, now=now)
    if images:
        images_check(images)
    with transaction.atomic():
        post = Post.objects.create(
            thread=thread, author=actor, body=body, body_html=render_markdown(body), created_at=now
        )
        _images_save(post, images)
        Thread.objects.filter(pk=thread.pk).update(
            reply_count=F("reply_count") + 1, last_activity_at=now
        )
        subscription_add(user=actor, thread=thread)
        notify_new_post(post=post)
    thread.reply_count += 1
    thread.last_activity_at = now
    return post


def post_edit(
    *,
    actor: User,
    post: Post,
    body: str,
    title: str | None = None,
    now: datetime | None = None,
) -> Post:
    """Edit a post (and the thread's title, for the question); the old text becomes a revision."""
    if not may_edit(actor, post):
        raise PermissionDenied(_("You may not edit this post."))
    now = now or timezone.now()
    body = _body_check(body)
    thread = post.thread
    new_title = _title_check(title) if (title is not None and post.is_question) else None
    if (
        not is_moderator(actor)
        and is_new_member(actor, now=now)
        and link_count(body) > NEW_MEMBER_LINKS_PER_POST
    ):
        raise ValidationError(
            {
                "body": _("New members may add at most %(n)d links to a post.")
                % {"n": NEW_MEMBER_LINKS_PER_POST}
            }
        )
    embedding = title_embedding(new_title) if new_title and new_title != thread.title else None
    with transaction.atomic():
        PostRevision.objects.create(
            post=post,
            title=thread.title if post.is_question else "",
            body=post.body,
            edited_by=actor,
            created_at=now,
        )
        post.body = body
        post.body_html = render_markdown(body)
        post.edited_at = now
        post.save(update_fields=["body", "body_html", "edited_at"])
        if embedding is not None and new_title is not None:
            thread.title = new_title
            thread.title_embedding = embedding
            thread.save(update_fields=["title", "title_embedding"])
            similar_index_bump()
        if post.is_question or thread.accepted_post_id == post.pk:
            thread_search_update(thread_id=thread.pk)
    return post


def images_add(*, actor: User, post: Post, images: Sequence[UploadedFile]) -> list[PostImage]:
    """Attach images to an existing post (whoever may edit it), within the per-post limit."""
    if not may_edit(actor, post):
        raise PermissionDenied(_("You may not edit this post."))
    with transaction.atomic():
        # Two uploads at once must not both count three images and each add a fourth: the
        # post's row lock (PostgreSQL) makes the count and the insert one step per post.
        Post.objects.select_for_update().filter(pk=post.pk).first()
        return _images_save(post, images)
