"""The API: asking as a visitor and as a customer, feedback, a hand-off's case, FAQ CRUD."""

from __future__ import annotations

import pytest

from tierdesk.assistant.models import FaqEntry, Turn
from tierdesk.tickets.models import Case

from .conftest import client_for

pytestmark = pytest.mark.django_db
API = "/api/v1/assistant"


def post(client, path, body):
    return client.post(f"{API}{path}", body, content_type="application/json")


def test_a_visitor_asks_and_gets_a_cited_answer(faq):
    client = client_for(None)
    response = post(client, "/ask", {"question": "Ho dimenticato la password", "language": "it"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["decision"] == "answer"
    assert data["citation"]["url"].startswith("/assistant/faq/")
    assert "<strong>" in data["answer_html"]
    token = data["conversation"]
    again = post(client, "/ask", {"question": "billing history", "conversation": token}).json()
    assert again["conversation"] == token
    feedback = post(
        client, f"/turns/{data['turn']}/feedback", {"conversation": token, "helpful": True}
    )
    assert feedback.json() == {"turn": data["turn"], "helpful": True}


def test_a_customers_conversation_is_theirs_only(faq, people):
    owner = client_for(people["pro"])
    data = post(owner, "/ask", {"question": "I want to talk to a person"}).json()
    assert data["decision"] == "handoff"
    assert "case" in data["handoff"]["offers"] and data["handoff"]["support_pin"]
    token, handoff = data["conversation"], data["handoff"]["id"]
    for intruder in (people["pro_other"], people["business"], None):
        client = client_for(intruder)
        assert post(client, "/ask", {"question": "x", "conversation": token}).status_code == 404
        body = {"conversation": token, "helpful": True}
        assert post(client, f"/turns/{data['turn']}/feedback", body).status_code == 404
    opened = post(owner, f"/handoffs/{handoff}/case", {"conversation": token})
    assert opened.status_code == 200, opened.content
    assert opened.json()["handoff"]["case_id"] == Case.objects.get().pk


def test_a_visitor_gets_no_person(faq):
    data = post(client_for(None), "/ask", {"question": "operatore"}).json()
    assert data["handoff"]["offers"] == ["search", "community"]
    assert data["handoff"]["support_pin"] == ""


def test_clarify_lists_the_candidates(faq, monkeypatch):
    from tierdesk.assistant.retrieval import RetrievalSettings
    from tierdesk.assistant.selectors import faq_index

    monkeypatch.setattr(faq_index, "RETRIEVAL", RetrievalSettings(margin=1.01, threshold=0.0))
    client = client_for(None)
    data = post(client, "/ask", {"question": "password"}).json()
    assert data["decision"] == "clarify" and len(data["candidates"]) == 2
    pick = data["candidates"][0]["key"]
    body = {
        "question": "password",
        "conversation": data["conversation"],
        "turn": data["turn"],
        "pick": pick,
    }
    picked = post(client, "/ask", body).json()
    assert picked["decision"] == "answer"
    assert Turn.objects.count() == 2


def test_faq_crud_is_for_staff(faq, people):
    body = {
        "question": "How do I mute?",
        "phrasings": ["mute myself"],
        "answer": "Press **M**.",
        "language": "en",
    }
    for who in (None, "pro"):
        assert post(client_for(people[who] if who else None), "/faq", body).status_code in {
            401,
            403,
        }
    staff = client_for(people["agent"])
    created = post(staff, "/faq", body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["phrasings"] == ["mute myself"]
    changed = staff.patch(f"{API}/faq/{pk}", {"published": False}, content_type="application/json")
    assert changed.json()["published"] is False
    assert staff.get(f"{API}/faq/{pk}").json()["question"] == "How do I mute?"
    bad = post(staff, "/faq", body | {"language": "fr"})
    assert bad.status_code == 422
    assert staff.delete(f"{API}/faq/{pk}").status_code == 204
    assert not FaqEntry.objects.filter(pk=pk).exists()
    assert client_for(people["pro"]).get(f"{API}/faq").status_code == 403
