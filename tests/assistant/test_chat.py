"""The widget's endpoints and the page: answers with citations, clarify, feedback, hand-off per
plan, the conversation surviving sign-in, tenant isolation, sanitised answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tierdesk.assistant import PAGE_URL_NAME, STAFF_URL_NAME
from tierdesk.assistant.choices import DecisionKind, HandoffReason, Offer
from tierdesk.assistant.models import Conversation, FaqEntry, Handoff, Turn
from tierdesk.assistant.retrieval import RetrievalSettings
from tierdesk.assistant.selectors import faq_index
from tierdesk.assistant.selectors.chat_log import community_new_thread_url
from tierdesk.assistant.services.chat import suggested_severity, wants_a_person
from tierdesk.tickets.choices import Channel
from tierdesk.tickets.models import Case

from .conftest import client_for

pytestmark = pytest.mark.django_db
ASK = "/assistant/ask/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def ask(client, question, **extra):
    return client.post(ASK, {"question": question}, **extra)


def last_turn() -> Turn:
    return Turn.objects.select_related("handoff").latest("pk")


def test_the_url_names_other_apps_link_are_routed():
    """One source for the names the home, the help search and the navigation link."""
    assert reverse(PAGE_URL_NAME) == "/assistant/"
    assert reverse(STAFF_URL_NAME) == "/assistant/staff/"


def test_an_italian_question_gets_the_english_entry_with_its_citation(faq):
    client = client_for(None)
    response = ask(client, "Ho dimenticato la password, come la reimposto?", **HTMX)
    assert response.status_code == 200
    turn = last_turn()
    assert turn.decision == DecisionKind.ANSWER
    assert turn.entry == faq["How do I reset my password?"]
    html = response.content.decode()
    assert "<strong>Forgot your password?</strong>" in html
    assert reverse("assistant:faq-entry", args=[turn.entry.pk]) in html
    assert 'name="helpful"' in html


def test_without_javascript_the_form_posts_and_the_page_shows_the_conversation(faq):
    client = client_for(None)
    response = ask(client, "where are my invoices")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("assistant:page"))
    page = client.get(reverse("assistant:page")).content.decode()
    assert "where are my invoices" in page
    assert "Billing → Invoices" in page


def test_the_widget_is_on_help_pages_and_loads_the_conversation_lazily(faq):
    client = client_for(None)
    home = client.get("/").content.decode()
    assert 'id="assistant-panel"' in home and 'role="log"' in home
    assert 'for="assistant-question"' in home
    ask(client, "download an invoice", **HTMX)
    log = client.get(reverse("assistant:log")).content.decode()
    assert "download an invoice" in log


def test_clarify_asks_between_two_and_a_pick_answers(faq, monkeypatch):
    # A margin as wide as the scale: any runner-up counts as close, so it asks.
    monkeypatch.setattr(faq_index, "RETRIEVAL", RetrievalSettings(margin=1.01, threshold=0.0))
    client = client_for(None)
    html = ask(client, "password", **HTMX).content.decode()
    turn = last_turn()
    assert turn.decision == DecisionKind.CLARIFY
    assert len(turn.candidates) == 2
    assert "Did you mean" in html and html.count('name="pick"') == 2
    response = client.post(ASK, {"turn": turn.pk, "pick": turn.candidates[1]}, **HTMX)
    assert response.status_code == 200
    picked = last_turn()
    assert picked.decision == DecisionKind.ANSWER and picked.question == "password"
    assert f"faq:{picked.entry_id}" == turn.candidates[1]
    # A key that was not offered is refused, and changes nothing.
    count = Turn.objects.count()
    client.post(ASK, {"turn": turn.pk, "pick": "faq:999999"}, **HTMX)
    assert Turn.objects.count() == count


def test_feedback_is_recorded_on_the_answer(faq):
    client = client_for(None)
    ask(client, "I forgot my password", **HTMX)
    turn = last_turn()
    response = client.post(reverse("assistant:feedback", args=[turn.pk]), {"helpful": "no"}, **HTMX)
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    turn.refresh_from_db()
    assert turn.helpful is False and turn.feedback_at is not None
    client.post(reverse("assistant:feedback", args=[turn.pk]), {"helpful": "yes"})
    turn.refresh_from_db()
    assert turn.helpful is True


def test_the_conversation_survives_sign_in_and_becomes_the_users(faq, people):
    client = client_for(None)
    ask(client, "I forgot my password", **HTMX)
    conversation = Conversation.objects.get()
    assert conversation.user is None
    client.force_login(people["pro"])
    assert "I forgot my password" in client.get(reverse("assistant:log")).content.decode()
    ask(client, "billing history", **HTMX)
    conversation.refresh_from_db()
    assert Conversation.objects.count() == 1
    assert conversation.user == people["pro"]
    assert conversation.account == people["pro"].account
    assert conversation.turns.count() == 2


def test_another_user_never_sees_a_conversation_or_its_case(faq, people):
    owner = client_for(people["pro"])
    ask(owner, "I want to talk to a person", **HTMX)
    handoff = Handoff.objects.get()
    owner.post(reverse("assistant:handoff-case", args=[handoff.pk]))
    turn = last_turn()
    token = Conversation.objects.get().token
    # Same account, other user; another tenant; a visitor: none reaches it, even with its token.
    for intruder in (people["pro_other"], people["business"], None):
        client = client_for(intruder)
        session = client.session
        session["assistant_conversation"] = token
        session.save()
        assert "talk to a person" not in client.get(reverse("assistant:log")).content.decode()
        url = reverse("assistant:feedback", args=[turn.pk])
        assert client.post(url, {"helpful": "yes"}).status_code == 404
        url = reverse("assistant:handoff-case", args=[handoff.pk])
        assert client.post(url).status_code == 404
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "offers"),
    [
        (None, {Offer.SEARCH, Offer.COMMUNITY}),
        ("free", {Offer.SEARCH, Offer.COMMUNITY}),
        ("pro", {Offer.SEARCH, Offer.COMMUNITY, Offer.CASE, Offer.PHONE}),
        ("business", {Offer.SEARCH, Offer.COMMUNITY, Offer.CASE, Offer.PHONE}),
    ],
)
def test_hand_off_offers_follow_the_plan(faq, people, who, offers):
    client = client_for(people[who] if who else None)
    html = ask(client, "Can I speak to a person please?", **HTMX).content.decode()
    turn = last_turn()
    assert turn.decision == DecisionKind.HANDOFF
    assert turn.handoff_reason == HandoffReason.ASKED
    assert set(turn.handoff.offers) == {o.value for o in offers}
    community = community_new_thread_url("Can I speak to a person please?")
    assert (community.replace("&", "&amp;") in html) if community else True
    assert ("open a case" in html) == (Offer.CASE in offers)
    # The number as on the home page: grouped (web/formats.py format_phone), with its line.
    assert ("+39 02 0000 0101" in html) == (Offer.PHONE in offers)
    assert ">+390200000101<" not in html
    if Offer.PHONE in offers:
        assert people[who].account.support_pin in html
        assert 'href="tel:+390200000101"' in html and "First line" in html
    # A member whose plan has no person is told so, with a link to what the plan includes.
    assert ("not included in your plan" in html) == (who == "free")
    if who == "free":
        assert f'href="{reverse("account")}"' in html


def test_a_paid_plan_without_phone_gets_a_case_but_no_number(faq, people):
    plan = people["pro"].account.license_plan
    plan.phone_first_line = False
    plan.save()
    ask(client_for(people["pro"]), "operatore", **HTMX)
    assert set(last_turn().handoff.offers) == {"search", "community", "case"}


def test_low_confidence_hands_off_with_search_results(faq, monkeypatch):
    monkeypatch.setattr(faq_index, "RETRIEVAL", RetrievalSettings(threshold=1.01))
    html = ask(client_for(None), "invoices in another currency", **HTMX).content.decode()
    turn = last_turn()
    assert turn.decision == DecisionKind.HANDOFF
    assert turn.handoff_reason == HandoffReason.UNSURE
    assert "not sure" in html
    assert "Search the help center" in html or "<li><a" in html


def test_a_paid_customer_opens_a_case_with_the_transcript(faq, people):
    client = client_for(people["pro"])
    ask(client, "I forgot my password", **HTMX)
    ask(client, "All our calls are down, I need a human", **HTMX)
    handoff = Handoff.objects.get()
    assert handoff.suggested_severity == 2
    response = client.post(reverse("assistant:handoff-case", args=[handoff.pk]), **HTMX)
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.channel == Channel.ASSISTANT
    assert case.requester == people["pro"]
    assert case.severity == 2
    assert "I forgot my password" in case.description
    assert "I need a human" in case.description
    # One labelled line per turn, the customer's and the assistant's apart.
    lines = case.description.splitlines()
    assert "- You: All our calls are down, I need a human" in lines
    assert lines[-1] == "- Assistant: handed off to a person."
    assert f"Case #{case.pk}" in response.content.decode()
    # Again: the same case, nothing new.
    client.post(reverse("assistant:handoff-case", args=[handoff.pk]))
    assert Case.objects.count() == 1
    handoff.refresh_from_db()
    assert handoff.case == case


def test_the_transcript_is_in_the_conversation_s_language(faq, people):
    from tierdesk.assistant.services.chat import transcript

    client = client_for(people["pro"])
    ask(client, "Voglio parlare con una persona", HTTP_ACCEPT_LANGUAGE="it", **HTMX)
    handoff = Handoff.objects.get()
    handoff.conversation.language = "it"
    text = transcript(handoff.conversation, until=handoff.turn)
    assert "- Tu: Voglio parlare con una persona" in text.splitlines()
    assert text.splitlines()[-1].startswith("- Assistente:")


def test_a_free_member_cannot_open_a_case_from_a_hand_off(faq, people):
    client = client_for(people["free"])
    ask(client, "operator", **HTMX)
    handoff = Handoff.objects.get()
    assert client.post(reverse("assistant:handoff-case", args=[handoff.pk])).status_code == 403
    assert not Case.objects.exists()


def test_answers_are_sanitised(db):
    FaqEntry.objects.create(
        language="en",
        question="How do I reset my password?",
        answer="Click <script>alert(1)</script> [here](javascript:alert(2)) <img src=x onerror=1>",
    )
    client = client_for(None)
    html = ask(client, "reset my password", **HTMX).content.decode()
    assert "&lt;script&gt;alert(1)" in html
    assert "<script>alert" not in html
    assert 'href="javascript' not in html
    assert "<img" not in html
    page = client.get(reverse("assistant:faq-entry", args=[FaqEntry.objects.get().pk]))
    assert "<script>alert" not in page.content.decode()


def test_questions_are_validated(faq):
    client = client_for(None)
    response = client.post(ASK, {"question": "   "}, **HTMX)
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    response = client.post(ASK, {"question": "x" * 501}, **HTMX)
    assert 'role="alert"' in response.content.decode()
    assert not Turn.objects.exists()


def test_person_words_and_severity_rule():
    assert wants_a_person("I want to talk to a person")
    assert wants_a_person("vorrei parlare con un operatore")
    assert wants_a_person("persona")
    assert not wants_a_person("how do I add a person to a meeting")
    assert not wants_a_person("how many people can join")
    assert suggested_severity("Nobody can make calls") == 2
    assert suggested_severity("non funziona più niente, siamo bloccati") == 2
    assert suggested_severity("how do I change my greeting") == 3


def test_the_index_is_built_once_and_rebuilt_on_change(faq, monkeypatch):
    builds = []
    original = faq_index.Index.build

    def counting(entries, **kwargs):
        builds.append(len(entries))
        return original(entries, **kwargs)

    monkeypatch.setattr(faq_index.Index, "build", counting)
    client = client_for(None)
    ask(client, "I forgot my password", **HTMX)
    ask(client, "billing history", **HTMX)
    assert len(builds) == 1
    entry = FaqEntry.objects.create(language="en", question="How do I mute?", answer="Press M.")
    ask(client, "how to mute myself", **HTMX)
    assert len(builds) == 2
    entry.delete()
    ask(client, "billing history", **HTMX)
    assert len(builds) == 3


def test_the_same_answer_in_two_languages_is_answered_not_asked(db, monkeypatch):
    from tierdesk.knowledge.models import Article, Category

    category = Category.objects.create(slug="security", name_en="Security")
    article = Article.objects.create(category=category)
    for language, question in (
        ("en", "How do I reset my password?"),
        ("it", "Come reimposto la password?"),
    ):
        FaqEntry.objects.create(
            language=language, question=question, answer=question, article=article
        )
    monkeypatch.setattr(faq_index, "RETRIEVAL", RetrievalSettings(margin=1.01, threshold=0.0))
    client = client_for(None)
    client.post("/i18n/setlang/", {"language": "it"})
    ask(client, "password", **HTMX)
    turn = last_turn()
    assert turn.decision == DecisionKind.ANSWER
    assert turn.entry.language == "it"


def test_warming_builds_one_index_shared_by_readers_who_see_the_same(faq, monkeypatch):
    builds = []
    original = faq_index.Index.build

    def counting(entries, **kwargs):
        builds.append(len(entries))
        return original(entries, **kwargs)

    monkeypatch.setattr(faq_index.Index, "build", counting)
    monkeypatch.setattr(faq_index.connection, "close", lambda: None)  # the test's transaction
    faq_index.assistant_index_warm()
    assert builds == [4]  # no article at all: every kind of reader sees the same four entries
    ask(client_for(None), "I forgot my password", **HTMX)
    assert builds == [4]


def test_a_question_runs_a_bounded_number_of_queries(faq, django_assert_max_num_queries):
    client = client_for(None)
    ask(client, "I forgot my password", **HTMX)  # builds the index, starts the conversation
    # The session, the conversation, the content's version (2), the answer's entry, the turn
    # and the conversation's time written (within a savepoint), the turn read for the page.
    with django_assert_max_num_queries(10):
        assert ask(client, "billing history", **HTMX).status_code == 200
