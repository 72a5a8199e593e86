"""The forum's pages: who sees what, the forms' targets, query counts, and no e-mail anywhere."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tierdesk.community.models import ModerationAction, Post, Thread, Vote
from tierdesk.community.services.forum_moderation import flag_create, post_hide
from tierdesk.community.services.forum_votes import solution_accept

from .conftest import answer, ask

pytestmark = pytest.mark.django_db

SECRETS = ("@free.example", "@paid.example", "@vendor.example", "Secret Co")


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def assert_private(html: str) -> None:
    for secret in SECRETS:
        assert secret not in html, secret


@pytest.fixture
def solved(people, categories):
    thread = ask(people["asker"], categories["en"], tags=["sip", "Timeouts"])
    first = answer(people["helper"], thread, "Raise the **SIP** session timer.")
    second = answer(people["paid"], thread, "Prova a riavviare il centralino.")
    solution_accept(actor=people["asker"], thread=thread, post=second)
    flag_create(actor=people["asker"], post=first, reason="spam")
    return thread


def test_reading_is_public_and_pages_show_display_names_only(people, categories, solved):
    pages = [
        reverse("community:index"),
        reverse("community:category", args=["calls"]),
        reverse("community:category", args=["calls"]) + "?state=solved",
        reverse("community:thread", args=[solved.pk]),
        reverse("community:post-history", args=[solved.posts.first().pk]),
    ]
    for who in (None, people["asker"], people["paid"], people["agent"]):
        for url in pages:
            response = client_for(who).get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert_private(html)
    html = client_for().get(pages[3]).content.decode()
    assert "Ada Lovelace" in html and "Grace Hopper" in html
    moderator_pages = [reverse("community:moderation"), reverse("community:audit")]
    for url in moderator_pages:
        assert client_for(people["agent"]).get(url).status_code == 200
        assert_private(client_for(people["agent"]).get(url).content.decode())
        assert client_for(people["asker"]).get(url).status_code == 404
        assert client_for().get(url).status_code == 404


def test_the_accepted_solution_is_shown_first(people, solved):
    html = client_for().get(reverse("community:thread", args=[solved.pk])).content.decode()
    assert html.index("Prova a riavviare") < html.index("Raise the <strong>SIP</strong>")
    assert "Accepted solution" in html


def test_filters(people, categories, solved):
    open_one = ask(people["paid"], categories["en"], title="Voicemail greeting is silent")
    url = reverse("community:index")
    solved_html = client_for().get(url + "?state=solved").content.decode()
    assert solved.title in solved_html and open_one.title not in solved_html
    unsolved_html = client_for().get(url + "?state=unsolved").content.decode()
    assert solved.title not in unsolved_html and open_one.title in unsolved_html
    unanswered_html = client_for().get(url + "?state=unanswered").content.decode()
    assert open_one.title in unanswered_html and solved.title not in unanswered_html
    tagged = client_for().get(url + "?tag=sip").content.decode()
    assert solved.title in tagged and open_one.title not in tagged


def test_the_category_page_reads_a_fixed_number_of_queries(
    people, categories, solved, django_assert_max_num_queries
):
    for number in range(12):
        ask(people["helper"], categories["en"], title=f"Question number {number} about calls")
    with django_assert_max_num_queries(8):
        client_for().get(reverse("community:category", args=["calls"]))


def test_the_thread_page_reads_a_fixed_number_of_queries(
    people, solved, django_assert_max_num_queries
):
    for number in range(20):
        answer(people["helper"], solved, f"Reply {number}")
    client = client_for(people["paid"])
    with django_assert_max_num_queries(16):
        client.get(reverse("community:thread", args=[solved.pk]))


def test_asking_through_the_page(people, categories):
    client = client_for(people["asker"])
    url = reverse("community:thread_new")
    response = client.get(url + "?title=Calls%20drop%20at%20night")
    assert response.status_code == 200
    assert 'value="Calls drop at night"' in response.content.decode()
    response = client.post(
        url,
        {
            "category": categories["en"].pk,
            "title": "Calls drop at night only",
            "body": "Since Monday.",
            "tags": "night, sip",
        },
    )
    thread = Thread.objects.get(title="Calls drop at night only")
    assert response.status_code == 302 and response.url == reverse(
        "community:thread", args=[thread.pk]
    )
    assert sorted(thread.tags.values_list("slug", flat=True)) == ["night", "sip"]


def test_a_visitor_is_sent_to_sign_in_to_ask(categories):
    response = client_for().get(reverse("community:thread_new") + "?title=x")
    assert response.status_code == 302 and "/login" in response.url


def test_reply_vote_accept_and_flag_through_the_pages(people, categories):
    thread = ask(people["asker"], categories["en"])
    helper = client_for(people["helper"])
    response = helper.post(reverse("community:reply", args=[thread.pk]), {"body": "Try this."})
    assert response.status_code == 302
    reply = Post.objects.get(thread=thread, is_question=False)
    paid = client_for(people["paid"])
    for _twice in range(2):
        paid.post(reverse("community:vote", args=[reply.pk]), {"value": "1"})
    assert Vote.objects.get(post=reply).value == 1
    # Someone else than the asker cannot accept.
    assert (
        paid.post(reverse("community:accept", args=[thread.pk]), {"post": reply.pk}).status_code
        == 403
    )
    client_for(people["asker"]).post(
        reverse("community:accept", args=[thread.pk]), {"post": reply.pk}
    )
    thread.refresh_from_db()
    assert thread.accepted_post == reply
    paid.post(reverse("community:flag", args=[reply.pk]), {"reason": "rude"})
    assert reply.flags.count() == 1
    # A member's moderation post is refused as if the route did not exist.
    assert (
        paid.post(
            reverse("community:post-moderate", args=[reply.pk]), {"action": "hide"}
        ).status_code
        == 404
    )
    client_for(people["agent"]).post(
        reverse("community:post-moderate", args=[reply.pk]), {"action": "hide"}
    )
    reply.refresh_from_db()
    assert reply.is_hidden and ModerationAction.objects.filter(kind="hide").exists()


def test_a_hidden_reply_is_not_on_the_page_but_moderators_see_it(people, solved):
    reply = Post.objects.filter(thread=solved, is_question=False).first()
    post_hide(actor=people["agent"], post=reply)
    url = reverse("community:thread", args=[solved.pk])
    assert f'id="post-{reply.pk}"' not in client_for(people["asker"]).get(url).content.decode()
    assert f'id="post-{reply.pk}"' in client_for(people["agent"]).get(url).content.decode()


def toasts(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_each_moderation_action_confirms_itself(people, categories, solved):
    """Hide, show, dismiss, ban, unban: each ends on its page with a toast, as flagging does."""
    flagged = solved.posts.get(body__startswith="Raise the")
    moderator = client_for(people["agent"])
    url = reverse("community:post-moderate", args=[flagged.pk])
    expected = {
        "hide": "Hidden: only moderators see this post.",
        "unhide": "The post is visible again.",
        "dismiss": "The flags are dismissed; the post stays visible.",
        "ban": "Grace Hopper can no longer post in the community.",
        "unban": "Grace Hopper may post in the community again.",
    }
    for action, toast in expected.items():
        response = moderator.post(url, {"action": action, "next": "queue"}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("community:moderation")
        assert toasts(response) == [toast], action
        assert 'class="toast-container' in response.content.decode()
    question = solved.posts.get(is_question=True)
    response = moderator.post(
        reverse("community:post-moderate", args=[question.pk]), {"action": "hide"}, follow=True
    )
    assert toasts(response) == ["This thread is hidden: only moderators see it."]
    # A refused action says why, and confirms nothing.
    staff_post = answer(people["agent"], solved, "Check the **greeting** file.")
    response = moderator.post(
        reverse("community:post-moderate", args=[staff_post.pk]), {"action": "ban"}, follow=True
    )
    assert toasts(response) == ["Moderators cannot be banned."]


def test_the_similar_fragment(people, categories, solved):
    response = client_for().get(
        reverse("community:similar"), {"title": "chiamate che cadono dopo cinque minuti"}
    )
    assert response.status_code == 200
    assert solved.title in response.content.decode()


def test_the_moderation_queue_lists_only_posts_with_open_flags(
    people, categories, solved, django_assert_max_num_queries
):
    """One flagged reply among the thread's posts: the queue shows it alone, as text, and offers
    no ban against a moderator's post."""
    flagged = solved.posts.get(body__startswith="Raise the")
    quiet = ask(people["paid"], categories["en"], title="Voicemail greeting is silent")
    staff_post = answer(people["agent"], quiet, "Check the **greeting** file.")
    flag_create(actor=people["paid"], post=staff_post, reason="spam")
    for i in range(3):  # more unflagged posts: the page's queries do not grow with them
        ask(people["paid"], categories["en"], title=f"Unflagged question {i}")
    moderator = client_for(people["agent"])
    with django_assert_max_num_queries(10):
        response = moderator.get(reverse("community:moderation"))
    rows = response.context["rows"]
    assert [row["post"].pk for row in rows] == [flagged.pk, staff_post.pk]
    html = response.content.decode()
    assert "Unflagged question" not in html and "Prova a riavviare" not in html
    assert "**SIP**" not in html  # the excerpt is text, not the markdown source
    assert html.count('value="ban"') == 1  # the helper's post, not the agent's


def test_each_reader_gets_the_post_controls_their_role_allows(people, solved):
    """The cards (views/post_cards.py): votes and flags for members on others' posts, accept for
    the asker, moderation for staff, nothing to press for a visitor; the forms carry the CSRF."""
    url = reverse("community:thread", args=[solved.pk])
    reply = Post.objects.filter(thread=solved, is_question=False).order_by("id").first()
    visitor = client_for().get(url).content.decode()
    assert "/vote/" not in visitor and "/flag/" not in visitor and "/moderate/" not in visitor
    asker = client_for(people["asker"]).get(url).content.decode()
    assert f'action="/community/p/{reply.pk}/vote/"' in asker
    assert f'id="flag-reason-{reply.pk}"' in asker and 'name="csrfmiddlewaretoken"' in asker
    assert asker.count('class="btn btn-sm btn-success accept"') == 1  # the reply not accepted
    assert "/moderate/" not in asker
    agent = client_for(people["agent"]).get(url).content.decode()
    assert f'action="/community/p/{reply.pk}/moderate/"' in agent
    assert "1 flag</span>" in agent and 'value="dismiss"' in agent


def test_a_posters_name_is_escaped_on_the_cards(people, solved):
    helper = people["helper"]
    helper.first_name, helper.last_name = "<img src=x onerror=alert(1)>", ""
    helper.save(update_fields=["first_name", "last_name"])
    html = client_for().get(reverse("community:thread", args=[solved.pk])).content.decode()
    assert "<img src=x onerror" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
