"""The forum API's answers: a thread, a post, an image, an audit-log entry as rows of the schemas.

A poster is a display name and badges (`selectors.forum_access.display_name`): never an e-mail or
a customer account.
"""

import re
from typing import Any

from django.urls import reverse

from tierdesk.config.api_types import PageRows

from ..models import ModerationAction, Post, PostImage, Thread
from ..selectors import forum_pages
from ..selectors.forum_access import display_name


def poster(user: Any) -> dict[str, Any]:
    staff, expert, reputation = forum_pages.badges(user)
    return {"name": display_name(user), "staff": staff, "expert": expert, "reputation": reputation}


def thread_row(thread: Thread) -> dict[str, Any]:
    return {
        "id": thread.pk,
        "title": thread.title,
        "category": thread.category.slug,
        "language": thread.language,
        "author": poster(thread.author),
        "tags": [tag.slug for tag in thread.tags.all()],
        "reply_count": thread.reply_count,
        "score": thread.score,
        "solved": thread.accepted_post_id is not None,
        "locked": thread.is_locked,
        "hidden": thread.is_hidden,
        "duplicate_of": thread.duplicate_of_id,
        "created_at": thread.created_at,
        "last_activity_at": thread.last_activity_at,
        "url": reverse("community:thread", args=[thread.pk]),
    }


def post_row(view: forum_pages.PostView) -> dict[str, Any]:
    post = view.post
    return {
        "id": post.pk,
        "author": {
            "name": view.author_name,
            "staff": view.is_staff,
            "expert": view.is_expert,
            "reputation": view.reputation,
        },
        "is_question": post.is_question,
        "accepted": view.accepted,
        "body": post.body,
        "body_html": post.body_html,
        "score": post.score,
        "my_vote": view.my_vote,
        "hidden": post.is_hidden,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "images": [reverse("community:image", args=[image.pk]) for image in view.images],
    }


def post_view(post: Post) -> forum_pages.PostView:
    staff, expert, reputation = forum_pages.badges(post.author)
    return forum_pages.PostView(
        post=post,
        author_name=display_name(post.author),
        is_staff=staff,
        is_expert=expert,
        reputation=reputation,
    )


def thread_rows(queryset: Any) -> PageRows:
    return PageRows(queryset.prefetch_related("tags"), thread_row)


# Markdown's punctuation in a link's text, escaped so that a file's name stays plain text.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+!|~-])")


def image_row(image: PostImage) -> dict[str, Any]:
    url = reverse("community:image", args=[image.pk])
    label = _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(image.name.split()) or "image")
    return {
        "id": image.pk,
        "url": url,
        "markdown": f"[{label}]({url})",
        "name": image.name,
        "content_type": image.content_type,
        "size": image.size,
    }


def moderation_row(action: ModerationAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "action": action.kind,
        "action_label": action.get_kind_display(),
        "moderator": display_name(action.actor),
        "thread": action.thread_id,
        "post": action.post_id,
        "member": display_name(action.target_user) if action.target_user_id else None,
        "note": action.note,
        "created_at": action.created_at,
    }
