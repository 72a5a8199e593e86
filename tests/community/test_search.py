"""Community threads in the help center's search (kind "thread"): found while visible, gone when
hidden or closed as a duplicate, in the page and the API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from tierdesk.community.services.forum_moderation import post_hide, thread_close_duplicate
from tierdesk.community.services.forum_votes import solution_accept
from tierdesk.knowledge.selectors.search import search

from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def thread_hits(query: str, user=None) -> list[str]:
    results = search(user or AnonymousUser(), query)
    return [hit.url for hit in results.hits if hit.kind == "thread"]


def test_a_thread_is_found_by_its_title_question_and_solution(people, categories):
    thread = ask(people["asker"], categories["en"], body="The trunk answers with a 408 timeout.")
    assert thread_hits("trunk timeout") == [f"/community/t/{thread.pk}/"]
    reply = answer(people["helper"], thread, "Raise the keepalive interval on the router.")
    assert thread_hits("keepalive") == []  # only the accepted solution is indexed
    solution_accept(actor=people["asker"], thread=thread, post=reply)
    assert thread_hits("keepalive") == [f"/community/t/{thread.pk}/"]
    page = Client().get("/help/search/", {"q": "keepalive"}).content.decode()
    assert f'href="/community/t/{thread.pk}/"' in page
    api = Client().get("/api/v1/help/search", {"q": "keepalive"}).json()
    assert [item["kind"] for item in api["items"]] == ["thread"]


def test_hidden_and_duplicate_threads_leave_the_search(people, categories):
    thread = ask(people["asker"], categories["en"], body="Voicemail greeting silent.")
    other = ask(people["paid"], categories["en"], title="Greeting of the voicemail is silent")
    post_hide(actor=people["agent"], post=thread.posts.get(is_question=True))
    assert thread_hits("greeting") == [f"/community/t/{other.pk}/"]
    post_hide(actor=people["agent"], post=thread.posts.get(is_question=True), hidden=False)
    thread_close_duplicate(actor=people["agent"], thread=other, original=thread)
    assert thread_hits("greeting") == [f"/community/t/{thread.pk}/"]
