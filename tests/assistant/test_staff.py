"""The staff's pages: the log with feedback, the deflection rate, unanswered groups; 404 for
customers; bounded queries on the lists."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse

from tierdesk.assistant.models import Conversation, Handoff, Turn
from tierdesk.assistant.selectors.chat_staff import group_by_similarity

from .conftest import client_for

pytestmark = pytest.mark.django_db


def conversation(user=None, *turns, case=None):
    account = user.account if user else None
    found = Conversation.objects.create(user=user, account=account, language="en")
    for question, decision, reason, helpful in turns:
        turn = Turn.objects.create(
            conversation=found,
            question=question,
            decision=decision,
            handoff_reason=reason,
            helpful=helpful,
        )
        if decision == "handoff":
            Handoff.objects.create(conversation=found, turn=turn, offers=["search"], case=case)
    return found


@pytest.fixture
def log(people):
    conversation(None, ("password", "answer", "", True))
    conversation(people["pro"], ("invoice", "answer", "", False))
    conversation(None, ("How do I export call records to Excel?", "handoff", "unsure", None))
    conversation(None, ("export the call log as a spreadsheet", "handoff", "unsure", None))
    conversation(None, ("Come esporto il registro chiamate in Excel?", "handoff", "unsure", None))
    conversation(None, ("operator", "handoff", "asked", None))
    Conversation.objects.create(language="en")  # opened, never asked: not counted


@pytest.mark.parametrize(
    "route",
    [
        "assistant:staff-conversations",
        "assistant:staff-unanswered",
        "assistant:staff-faq",
        "assistant:staff-faq-new",
    ],
)
@pytest.mark.parametrize("who", [None, "free", "pro"])
def test_staff_pages_do_not_exist_for_customers(people, route, who):
    client = client_for(people[who] if who else None)
    assert client.get(reverse(route)).status_code == 404


def test_the_log_shows_feedback_and_the_deflection_rate(log, people, django_assert_max_num_queries):
    client = client_for(people["supervisor"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("assistant:staff-conversations"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("data-conversation=") == 6
    # 6 conversations with a question, 4 handed off: 2 deflected, 33 %.
    assert "33%" in html
    assert "Pro Co" in html


def test_the_log_stays_bounded_with_many_conversations(people, django_assert_max_num_queries):
    for n in range(30):
        conversation(people["pro"], (f"question {n}", "answer", "", n % 2 == 0))
    client = client_for(people["agent"])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("assistant:staff-conversations")).status_code == 200


def test_one_conversation_shows_its_turns(log, people, django_assert_max_num_queries):
    found = Conversation.objects.get(user=people["pro"])
    client = client_for(people["agent"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assistant:staff-conversation", args=[found.pk]))
    assert "invoice" in response.content.decode()
    assert (
        client_for(people["pro"])
        .get(reverse("assistant:staff-conversation", args=[found.pk]))
        .status_code
        == 404
    )


def test_unanswered_questions_are_grouped_across_languages(log, people):
    client = client_for(people["agent"])
    response = client.get(reverse("assistant:staff-unanswered"))
    html = response.content.decode()
    rows = response.context["rows"]
    # The three ways of asking to export the call log are one group; "operator" is not there.
    assert rows[0][0].count == 3
    assert "operator" not in html
    assert reverse("assistant:staff-faq-new") + "?question=" in html
    assert "/admin/" not in html


def test_grouping_is_greedy_by_cosine():
    a = np.array([1.0, 0.0], dtype=np.float32)
    b = np.array([0.96, 0.28], dtype=np.float32)
    c = np.array([0.0, 1.0], dtype=np.float32)
    assert group_by_similarity(np.stack([a, b, c]), 0.9) == [[0, 1], [2]]


def test_the_prefilled_admin_form_and_saving_an_entry(people, db):
    from tests.factories import StaffAdminFactory
    from tierdesk.assistant.models import FaqEntry

    admin = StaffAdminFactory(email="admin@vendor.example")
    client = client_for(admin)
    url = reverse("admin:assistant_faqentry_add")
    page = client.get(url, {"question": "Export calls to Excel?", "language": "it"})
    assert page.status_code == 200
    assert 'value="Export calls to Excel?"' in page.content.decode()
    response = client.post(
        url,
        {
            "question": "Export calls to Excel?",
            "phrasings": "call log spreadsheet",
            "answer": "Use **Reports → Export**.",
            "language": "en",
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content[:500]
    entry = FaqEntry.objects.get()
    assert entry.owner == admin and entry.phrasing_list == ["call log spreadsheet"]


def test_the_staff_faq_editor_is_for_agents_not_the_admin(people, django_assert_max_num_queries):
    """Agents and supervisors are not is_staff: the links go to the assistant's own editor."""
    from tierdesk.assistant.models import FaqEntry

    client = client_for(people["agent"])
    listing = client.get(reverse("assistant:staff-conversations")).content.decode()
    assert reverse("assistant:staff-faq") in listing and "/admin/" not in listing
    new = reverse("assistant:staff-faq-new")
    page = client.get(new, {"question": "Export calls to Excel?", "language": "it"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Export calls to Excel?"' in html and 'value="it" selected' in html
    response = client.post(
        new,
        {
            "question": "Export calls to Excel?",
            "phrasings": "call log spreadsheet",
            "answer": "Use **Reports → Export**.",
            "language": "en",
            "published": "on",
        },
    )
    assert response.status_code == 302
    entry = FaqEntry.objects.get()
    assert entry.owner == people["agent"] and entry.phrasing_list == ["call log spreadsheet"]
    edit = reverse("assistant:staff-faq-edit", args=[entry.pk])
    assert 'value="Export calls to Excel?"' in client.get(edit).content.decode()
    changed = {"question": "Export calls?", "answer": "Reports.", "language": "en"}
    response = client.post(edit, changed)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.question, entry.published) == ("Export calls?", False)
    assert client.post(edit, {"question": "", "answer": "", "language": "en"}).status_code == 200
    assert client_for(people["pro"]).get(edit).status_code == 404
    for n in range(30):
        FaqEntry.objects.create(language="en", question=f"q{n}", answer="a")
    supervisor = client_for(people["supervisor"])
    with django_assert_max_num_queries(8):
        response = supervisor.get(reverse("assistant:staff-faq"))
    assert response.content.decode().count("data-faq=") == 31


def test_the_editor_links_an_article_and_deletes_an_entry(people):
    """The linked article is a list of the help center's articles by title; deleting takes a POST
    from the edit page's confirmation, by staff only, and keeps the conversations' text."""
    from tests.knowledge.conftest import make_article, translate
    from tierdesk.assistant.models import FaqEntry
    from tierdesk.knowledge.models import Category

    category = Category.objects.create(slug="calls", name_en="Calls", name_it="Chiamate")
    article = make_article(category, title="Export the call log")
    translate(article, "it", "Esportare il registro chiamate")
    other = make_article(category, title="Reset a password")
    agent = client_for(people["agent"])
    new = reverse("assistant:staff-faq-new")
    page = agent.get(new).content.decode()
    assert page.index("Export the call log") < page.index("Reset a password")
    assert "Esportare il registro" not in page  # one line per article, its English title
    fields = {"question": "Export calls?", "answer": "Reports.", "language": "en"}
    assert agent.post(new, {**fields, "article": str(article.pk)}).status_code == 302
    entry = FaqEntry.objects.get()
    assert entry.article == article
    edit = reverse("assistant:staff-faq-edit", args=[entry.pk])
    assert f'<option value="{article.pk}" selected>' in agent.get(edit).content.decode()
    assert agent.post(edit, {**fields, "article": "999999"}).status_code == 200  # not a choice
    agent.post(edit, {**fields, "article": str(other.pk)})
    entry.refresh_from_db()
    assert entry.article == other
    agent.post(edit, {**fields, "article": ""})
    entry.refresh_from_db()
    assert entry.article is None
    cited = Conversation.objects.create(user=None, language="en")
    Turn.objects.create(
        conversation=cited, question="Export calls?", decision="answer", entry=entry
    )
    delete = reverse("assistant:staff-faq-delete", args=[entry.pk])
    assert agent.get(delete).status_code == 405
    assert client_for(people["pro"]).post(delete).status_code == 404
    assert FaqEntry.objects.filter(pk=entry.pk).exists()
    response = agent.post(delete)
    assert response.status_code == 302 and response["Location"] == reverse("assistant:staff-faq")
    assert not FaqEntry.objects.filter(pk=entry.pk).exists()
    assert Turn.objects.get(conversation=cited).question == "Export calls?"
