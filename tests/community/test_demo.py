"""The demo forum (loaded by `tierdesk load_demo`): categories in both languages, threads,
solutions, once."""

from __future__ import annotations

import pytest

from tierdesk.accounts.services.demo import demo_load
from tierdesk.community.models import ForumCategory, Thread
from tierdesk.community.services.forum_demo import demo_forum_load

pytestmark = pytest.mark.django_db


def test_the_demo_forum_is_made_once():
    demo_load()
    assert demo_forum_load() == 10
    assert set(ForumCategory.objects.values_list("language", flat=True)) == {"en", "it"}
    threads = Thread.objects.all()
    assert threads.count() == 10
    assert threads.filter(accepted_post__isnull=False).count() >= 5
    assert threads.filter(reply_count=0).exists()
    assert threads.filter(language="it").count() >= 4
    assert demo_forum_load() == 0
    assert Thread.objects.count() == 10


def test_load_demo_calls_it():
    from tierdesk.accounts.management.commands import load_demo

    assert load_demo.demo_forum_load is demo_forum_load
