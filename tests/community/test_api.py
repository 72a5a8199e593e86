"""The forum's API: the pages' rules through /api/v1/community/, and no e-mail in any answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tierdesk.accounts.services.tokens import api_token_create
from tierdesk.community.models import ModerationAction, Post, Thread, Vote

from .conftest import answer, ask
from .test_pages import assert_private

pytestmark = pytest.mark.django_db
BASE = "/api/v1/community"


class Api:
    def __init__(self, user: Any = None) -> None:
        self.client = Client()
        self.headers = {}
        if user is not None:
            _token, secret = api_token_create(user=user, name="test")
            self.headers = {"Authorization": f"Bearer {secret}"}
        self.answers: list[str] = []

    def get(self, path: str, **params: Any) -> Any:
        response = self.client.get(BASE + path, params, headers=self.headers)
        self.answers.append(response.content.decode())
        return response

    def post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.client.post(
            BASE + path, json.dumps(body), content_type="application/json", headers=self.headers
        )
        self.answers.append(response.content.decode())
        return response

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.client.generic(
            method,
            BASE + path,
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )
        self.answers.append(response.content.decode())
        return response


def test_ask_answer_vote_accept_flag_and_moderate_through_the_api(people, categories):
    asker, helper, paid, agent = (Api(people[k]) for k in ("asker", "helper", "paid", "agent"))
    visitor = Api()
    created = asker.post(
        "/threads", {"category": "calls", "title": "Calls drop after five minutes", "body": "Why?"}
    )
    assert created.status_code == 201, created.content
    thread_id = created.json()["id"]
    assert created.json()["author"]["name"] == "Ada Lovelace"
    assert (
        visitor.post("/threads", {"category": "calls", "title": "x" * 10, "body": "y"}).status_code
        == 401
    )
    reply = helper.post(f"/threads/{thread_id}/replies", {"body": "Raise the SIP timer."})
    assert reply.status_code == 201
    reply_id = reply.json()["id"]
    assert paid.post(f"/posts/{reply_id}/vote", {"value": 1}).json() == {"score": 1}
    assert paid.post(f"/posts/{reply_id}/vote", {"value": 1}).json() == {"score": 1}
    assert paid.post(f"/posts/{reply_id}/vote", {"value": -1}).json() == {"score": -1}
    assert Vote.objects.filter(post_id=reply_id).count() == 1
    assert helper.post(f"/posts/{reply_id}/vote", {"value": 1}).status_code == 422
    assert paid.post(f"/posts/{reply_id}/vote", {"value": 2}).status_code == 422
    assert paid.post(f"/threads/{thread_id}/accept", {"post": reply_id}).status_code == 403
    accepted = asker.post(f"/threads/{thread_id}/accept", {"post": reply_id})
    assert accepted.status_code == 200 and accepted.json()["accepted"]["id"] == reply_id
    assert paid.post(f"/posts/{reply_id}/flag", {"reason": "spam"}).status_code == 201
    assert paid.get("/moderation/flags").status_code == 403
    queue = agent.get("/moderation/flags").json()
    assert queue[0]["post"] == reply_id and queue[0]["open_flags"] == 1
    assert paid.post(f"/posts/{reply_id}/moderation", {"action": "hide"}).status_code == 403
    hidden = agent.post(f"/posts/{reply_id}/moderation", {"action": "hide", "note": "spam"})
    assert hidden.status_code == 200 and hidden.json()["hidden"]
    assert visitor.get(f"/threads/{thread_id}").json()["accepted"] is None
    assert agent.post(f"/threads/{thread_id}/moderation", {"action": "lock"}).json()["locked"]
    assert helper.post(f"/threads/{thread_id}/replies", {"body": "More"}).status_code == 403
    assert ModerationAction.objects.count() == 2
    for api in (asker, helper, paid, agent, visitor):
        for text in api.answers:
            assert_private(text)


def test_reads_are_public_and_hidden_things_answer_404(people, categories):
    thread = ask(people["asker"], categories["en"])
    answer(people["helper"], thread)
    hidden = ask(people["paid"], categories["en"], title="A question to hide later")
    Thread.objects.filter(pk=hidden.pk).update(is_hidden=True)
    Post.objects.filter(thread=hidden).update(is_hidden=True)
    visitor, agent = Api(), Api(people["agent"])
    listed = visitor.get("/threads").json()
    assert [row["id"] for row in listed["items"]] == [thread.pk]
    assert visitor.get(f"/threads/{hidden.pk}").status_code == 404
    assert agent.get(f"/threads/{hidden.pk}").status_code == 200
    assert {row["id"] for row in agent.get("/threads").json()["items"]} == {thread.pk, hidden.pk}
    assert visitor.get("/threads", state="unanswered").json()["count"] == 0
    assert visitor.get("/categories").json()[0]["slug"] in {"calls", "chiamate"}
    similar = visitor.get("/similar", title="le chiamate cadono dopo cinque minuti").json()
    assert similar and similar[0]["id"] == thread.pk
    for text in visitor.answers + agent.answers:
        assert_private(text)


def test_edit_a_post_read_its_history_and_follow_through_the_api(people, categories):
    """Author and moderators edit (the question retitles its thread), others get 403; the
    history is as public as the post; following a thread or a category is idempotent."""
    from tierdesk.community.models import PostRevision, Subscription

    asker, helper, agent, visitor = (
        Api(people["asker"]),
        Api(people["helper"]),
        Api(people["agent"]),
        Api(),
    )
    thread = ask(people["asker"], categories["en"], title="Calls drop after five minutes")
    question = thread.posts.get(is_question=True)
    reply = answer(people["helper"], thread, "Try the **SIP** timer.")
    edited = asker.send(
        "PATCH", f"/posts/{question.pk}", {"body": "Since Monday.", "title": "Calls drop at 5 min"}
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["body"] == "Since Monday." and edited.json()["edited_at"]
    thread.refresh_from_db()
    assert thread.title == "Calls drop at 5 min"
    assert helper.send("PATCH", f"/posts/{question.pk}", {"body": "Mine now"}).status_code == 403
    assert asker.send("PATCH", f"/posts/{reply.pk}", {"body": "Not mine"}).status_code == 403
    assert asker.send("PATCH", f"/posts/{question.pk}", {"body": ""}).status_code == 422
    assert agent.send("PATCH", f"/posts/{reply.pk}", {"body": "Moderated."}).status_code == 200
    assert PostRevision.objects.count() == 2  # the two edits that went through, nothing else
    history = visitor.get(f"/posts/{question.pk}/revisions")
    assert history.status_code == 200
    assert [(r["title"], r["body"]) for r in history.json()] == [
        ("Calls drop after five minutes", question.body)
    ]
    assert history.json()[0]["editor"] == "Ada Lovelace"
    agent.post(f"/posts/{reply.pk}/moderation", {"action": "hide"})
    assert visitor.get(f"/posts/{reply.pk}/revisions").status_code == 404
    assert agent.get(f"/posts/{reply.pk}/revisions").status_code == 200

    for _twice in range(2):
        followed = helper.send("PUT", f"/threads/{thread.pk}/follow")
        assert followed.status_code == 200 and followed.json() == {"following": True}
    assert Subscription.objects.filter(user=people["helper"], thread=thread).count() == 1
    assert helper.send("DELETE", f"/threads/{thread.pk}/follow").json() == {"following": False}
    assert not Subscription.objects.filter(user=people["helper"], thread=thread).exists()
    assert helper.send("PUT", "/categories/calls/follow").json() == {"following": True}
    assert Subscription.objects.filter(user=people["helper"], category=categories["en"]).exists()
    assert helper.send("DELETE", "/categories/calls/follow").json() == {"following": False}
    assert helper.send("PUT", "/categories/no-such/follow").status_code == 404
    assert visitor.send("PUT", f"/threads/{thread.pk}/follow").status_code == 401
    for answered in (*asker.answers, *helper.answers, *agent.answers, *visitor.answers):
        assert_private(answered)
