"""Follows, mentions and their e-mails (through the outbox, in the recipient's language)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tierdesk.community.models import Subscription
from tierdesk.community.services.forum_follow import subscription_add, unsubscribe_token
from tierdesk.notifications.models import OutboxMessage

from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def test_a_reply_mails_the_threads_followers_but_not_its_author(people, categories):
    thread = ask(people["asker"], categories["en"])
    reply = answer(people["helper"], thread)
    rows = list(OutboxMessage.objects.all())
    assert [row.recipient for row in rows] == [people["asker"]]  # the asker follows their thread
    row = rows[0]
    assert (
        row.template == "community_post"
        and row.key == f"community:post:{reply.pk}:user:{people['asker'].pk}"
    )
    assert "Grace Hopper replied" in row.body_text and "/community/unsubscribe/" in row.body_text
    assert "helper@paid.example" not in row.body_text and "Paid Secret Co" not in row.body_text


def test_a_new_question_mails_the_categorys_followers_in_their_language(people, categories):
    subscription_add(user=people["paid"], category=categories["en"])  # paid reads Italian
    ask(people["asker"], categories["en"])
    row = OutboxMessage.objects.get(recipient=people["paid"])
    assert row.language == "it"
    assert "Calls drop after five minutes" in row.subject


def test_mentions_by_display_name(people, categories):
    thread = ask(people["asker"], categories["en"])
    answer(people["helper"], thread, "Hi!")
    answer(people["paid"], thread, "@[Alan Turing] and @Grace could you look?")
    mentioned = set(
        OutboxMessage.objects.filter(template="community_mention").values_list(
            "recipient", flat=True
        )
    )
    assert mentioned == {people["agent"].pk, people["helper"].pk}


def test_one_click_unsubscribe_works_signed_out(people, categories):
    thread = ask(people["asker"], categories["en"])
    token = unsubscribe_token(user=people["asker"], thread=thread)
    url = reverse("community:unsubscribe", args=[token])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200 and thread.title in page.content.decode()
    assert Subscription.objects.filter(user=people["asker"], thread=thread).exists()
    done = client.post(url)
    assert done.status_code == 200 and 'id="unsubscribed"' in done.content.decode()
    assert not Subscription.objects.filter(user=people["asker"], thread=thread).exists()
    assert client.get(reverse("community:unsubscribe", args=[token + "x"])).status_code == 404
    answer(people["helper"], thread)
    assert not OutboxMessage.objects.filter(recipient=people["asker"]).exists()


def test_follow_and_stop_following_from_the_pages(people, categories):
    thread = ask(people["asker"], categories["en"])
    client = Client()
    client.force_login(people["paid"])
    client.post(reverse("community:follow", args=[thread.pk]), {"follow": "1"})
    client.post(reverse("community:category-follow", args=["calls"]), {"follow": "1"})
    assert Subscription.objects.filter(user=people["paid"]).count() == 2
    client.post(reverse("community:follow", args=[thread.pk]), {"follow": "0"})
    assert Subscription.objects.filter(user=people["paid"]).count() == 1
