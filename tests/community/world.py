"""Forum data for the page-by-page browser tests (tests/e2e/test_every_page.py): made on first use
from that test's `world`, so its fixture needs no change."""

from __future__ import annotations

from typing import Any

from tierdesk.community.models import ForumCategory
from tierdesk.community.services.forum_follow import unsubscribe_token
from tierdesk.community.services.forum_moderation import flag_create
from tierdesk.community.services.forum_posts import post_edit, reply_create, thread_create
from tierdesk.community.services.forum_votes import solution_accept


def forum(world: dict[str, Any]) -> dict[str, Any]:
    if "forum_thread" in world:
        return world
    category = ForumCategory.objects.create(
        slug="calls", name="Calls and phones", product_area="phone", language="en"
    )
    ForumCategory.objects.create(
        slug="chiamate", name="Chiamate e telefoni", product_area="phone", language="it"
    )
    customer, agent = world["customer"], world["agent"]
    thread = thread_create(
        actor=customer,
        category=category,
        title="Calls drop after five minutes on the Milan trunk",
        body="Every call drops after **5 minutes**.\n\n```\nSIP/2.0 408 Request Timeout\n```",
        tags=["sip", "timeouts"],
    )
    question = thread.posts.get()
    post_edit(actor=customer, post=question, body=question.body + "\n\nSince Monday.")
    reply = reply_create(actor=agent, thread=thread, body="Raise the SIP session timer to 1800 s.")
    other = reply_create(
        actor=world["supervisor"], thread=thread, body="Also check the NAT keep-alive."
    )
    solution_accept(actor=customer, thread=thread, post=reply)
    flag_create(actor=customer, post=other, reason="off_topic")
    world["forum_category"] = category
    world["forum_thread"] = thread
    world["forum_question"] = question
    world["forum_token"] = unsubscribe_token(user=customer, thread=thread)
    return world


def thread_kwargs(world: dict[str, Any]) -> dict[str, Any]:
    return {"pk": forum(world)["forum_thread"].pk}


def category_kwargs(world: dict[str, Any]) -> dict[str, Any]:
    return {"slug": forum(world)["forum_category"].slug}


def question_kwargs(world: dict[str, Any]) -> dict[str, Any]:
    return {"pk": forum(world)["forum_question"].pk}


def token_kwargs(world: dict[str, Any]) -> dict[str, Any]:
    return {"token": forum(world)["forum_token"]}


def made(world: dict[str, Any]) -> dict[str, Any]:
    forum(world)
    return {}
