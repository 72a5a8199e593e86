"""Deflection: the case form's suggestions honour visibility, a suggested article's
click-through is counted, a case opened afterwards in the session is no deflection, the staff's
figure, and the console's article picker (staff only, markdown links)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import AccountFactory, LicensePlanFactory, SupportPlanFactory, UserFactory
from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import Deflection
from tierdesk.knowledge.selectors.deflection import deflection_figures
from tierdesk.knowledge.views.deflection import link_markdown

from .conftest import EXPECTED, make_article, translate

SUGGEST = "/help/suggestions/"


def client_for(user: Any) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.fixture
def printer_articles(category):
    for visibility in Visibility:
        make_article(category, title=f"Printer offline {visibility}", visibility=visibility)
    make_article(category, title="Printer draft", publish=False)


@pytest.fixture
def customer(db):
    """A customer whose plan opens web cases."""
    account = AccountFactory(
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="premier"),
    )
    return UserFactory(account=account, email="case@example.com")


def shown(html: str) -> set[str]:
    return {title for title in (f"Printer offline {v}" for v in Visibility) if f">{title}<" in html}


@pytest.mark.parametrize("reader", ["free_member", "paid_member", "agent"])
def test_suggestions_honour_the_one_rule(readers, printer_articles, reader):
    html = client_for(readers[reader]).get(SUGGEST, {"subject": "printer offline"})
    assert html.status_code == 200
    assert shown(html.content.decode()) == {f"Printer offline {v}" for v in EXPECTED[reader]}
    assert "Printer draft" not in html.content.decode()


def test_visitors_get_no_suggestions_endpoint(db):
    assert Client().get(SUGGEST, {"subject": "printer"}).status_code == 404


def test_short_subjects_suggest_nothing(readers, printer_articles):
    html = client_for(readers["paid_member"]).get(SUGGEST, {"subject": "pr"}).content.decode()
    assert "case-suggestions-list" not in html
    assert not Deflection.objects.exists()


def test_suggestion_links_carry_the_case_form_marker(readers, printer_articles):
    client = client_for(readers["paid_member"])
    client.get(SUGGEST, {"subject": "printer offline"})
    url = reverse("knowledge:suggestion-open", args=["en", "printer-offline-public"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/help/en/printer-offline-public/?from=case-form"
    secret = reverse("knowledge:suggestion-open", args=["en", "printer-offline-agents"])
    assert client.get(secret).status_code == 404


def test_the_case_form_asks_for_suggestions(customer):
    html = client_for(customer).get(reverse("tickets:new")).content.decode()
    assert 'id="case-suggestions"' in html
    assert f'hx-get="{SUGGEST}"' in html
    assert 'hx-include="#id_subject"' in html


def open_case(client: Client) -> None:
    response = client.post(
        reverse("tickets:new"),
        {
            "subject": "Printer offline",
            "severity": "3",
            "description": "It stays offline.",
            "idempotency_key": "k1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]


def test_opened_and_no_case_is_a_deflection(customer, printer_articles):
    client = client_for(customer)
    client.get(SUGGEST, {"subject": "printer offline"})
    client.get(SUGGEST, {"subject": "printer offline again"})
    visit = Deflection.objects.get()
    assert visit.suggestions_shown >= 2 and visit.opened_at is None
    client.get(reverse("knowledge:suggestion-open", args=["en", "printer-offline-public"]))
    visit.refresh_from_db()
    assert visit.opened.slug == "printer-offline-public" and visit.deflected
    later = timezone.now() + timedelta(hours=1)
    figures = deflection_figures(now=later)
    assert (figures.visits, figures.opened, figures.deflected, figures.cases) == (1, 1, 1, 0)
    assert figures.rate == 1.0
    assert figures.articles[0].translation.slug == "printer-offline-public"


def test_a_case_opened_afterwards_is_no_deflection(customer, printer_articles):
    client = client_for(customer)
    client.get(SUGGEST, {"subject": "printer offline"})
    client.get(reverse("knowledge:suggestion-open", args=["en", "printer-offline-public"]))
    open_case(client)
    visit = Deflection.objects.get()
    assert visit.case_opened_at is not None and not visit.deflected
    figures = deflection_figures(now=timezone.now() + timedelta(hours=1))
    assert (figures.visits, figures.opened, figures.deflected, figures.cases) == (1, 1, 0, 1)
    # The next case form in the same session is a new visit.
    client.get(SUGGEST, {"subject": "printer offline"})
    assert Deflection.objects.count() == 2


def test_suggestions_never_opened_are_no_deflection(customer, printer_articles):
    client_for(customer).get(SUGGEST, {"subject": "printer offline"})
    figures = deflection_figures(now=timezone.now() + timedelta(hours=1))
    assert (figures.visits, figures.opened, figures.deflected) == (1, 0, 0)
    assert figures.rate == 0


def test_a_visit_still_going_is_not_counted_yet(customer, printer_articles):
    client = client_for(customer)
    client.get(SUGGEST, {"subject": "printer offline"})
    client.get(reverse("knowledge:suggestion-open", args=["en", "printer-offline-public"]))
    assert deflection_figures().visits == 0


def test_another_session_is_another_visit(customer, printer_articles):
    client_for(customer).get(SUGGEST, {"subject": "printer offline"})
    other = client_for(customer)
    other.get(reverse("knowledge:suggestion-open", args=["en", "printer-offline-public"]))
    # Opened without suggestions in that session: nothing to count it in.
    assert Deflection.objects.filter(opened__isnull=False).count() == 0


@pytest.mark.parametrize("reader", ["visitor", "free_member", "paid_member", "agent"])
def test_the_staff_page_and_its_figure(readers, reader):
    response = client_for(readers[reader]).get(reverse("knowledge:deflection"))
    assert response.status_code == (200 if reader == "agent" else 404)
    if reader == "agent":
        assert 'data-figure="rate">—' in response.content.decode()


# --- the console's article picker ---------------------------------------------------------


@pytest.mark.parametrize("reader", ["visitor", "free_member", "paid_member", "agent"])
def test_the_picker_is_for_staff(readers, printer_articles, reader):
    picker = reverse("knowledge:article-picker")
    response = client_for(readers[reader]).get(picker, {"q": "printer"})
    assert response.status_code == (200 if reader == "agent" else 404)


def test_the_picker_offers_markdown_links_to_published_articles(readers, category):
    article = make_article(category, title="Reset [the] printer")
    translate(article, "it", "Ripristinare la stampante")
    make_article(category, title="Printer secret draft", publish=False)
    html = client_for(readers["agent"]).get(reverse("knowledge:article-picker"), {"q": "printer"})
    text = html.content.decode()
    assert (
        'data-insert-markdown="[Reset \\[the\\] printer](http://testserver/help/en/reset-the-printer/)"'
        in text
    )
    assert "secret draft" not in text


def test_link_markdown_escapes_brackets():
    assert link_markdown("A [b] \\c", "https://x/") == "[A \\[b\\] \\\\c](https://x/)"
