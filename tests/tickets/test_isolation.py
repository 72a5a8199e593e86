"""Another tenant's case, message and attachment answer 404 through every endpoint and page.

The pages are found from the URL configuration, so a page added later is checked too: for an
outsider, every case page must answer like a case that does not exist (and the customer-facing
ones, and the shared case address, exactly 404), and nothing may change.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, reverse
from django.utils import timezone

from tests.factories import AccountAdminFactory, AccountFactory, LicensePlanFactory
from tierdesk.accounts.roles import Role
from tierdesk.tickets.choices import Line
from tierdesk.tickets.models import (
    Attachment,
    Case,
    CaseEvent,
    Message,
    SelfEscalation,
    SlaClock,
)
from tierdesk.tickets.services.attachments import attachment_add
from tierdesk.tickets.services.cases import case_create, case_reply
from tierdesk.tickets.services.escalations import case_escalate, self_escalation_request
from tierdesk.tickets.urls import console as urls_console
from tierdesk.tickets.urls import portal as urls_portal

from .test_api import ENDPOINTS, bearer

pytestmark = pytest.mark.django_db

MISSING = 987654


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def victim(region, agent, agent_l2):
    """An Enterprise account's case on the engineering line, with a note, a reply, a file."""
    account = AccountFactory(license_plan=LicensePlanFactory(code="enterprise"), region=region)
    owner = AccountAdminFactory(account=account)
    case = case_create(
        actor=owner,
        subject="Secret outage",
        description="Our secret project.",
        severity=2,
        now=timezone.now() - timedelta(hours=30),
    )
    case_reply(actor=agent, case=case, body="Public answer")
    case_reply(actor=agent, case=case, body="Internal note", public=False)
    attachment = attachment_add(
        actor=owner,
        case=case,
        upload=SimpleUploadedFile("secret.txt", b"secret", content_type="text/plain"),
    )
    request = self_escalation_request(actor=owner, case=case, reason="critical_failure")
    case_escalate(actor=agent_l2, case=case, line=Line.ENGINEERING, reason="bug")
    return {"case": case, "owner": owner, "attachment": attachment, "request": request}


def snapshot():
    """Everything an outsider's request could change."""
    case = Case.objects.get()
    return (
        case.status,
        case.severity,
        case.line,
        case.assignee_id,
        Message.objects.count(),
        Attachment.objects.count(),
        CaseEvent.objects.count(),
        list(SelfEscalation.objects.values_list("decision", flat=True)),
        list(SlaClock.objects.values_list("due_at", flat=True)),
    )


@pytest.fixture(params=["other_tenant", "agent_of_another_line"])
def outsider(request, other_customer, agent):
    """Someone who may not see the victim's case: another account, or L1 (case on engineering)."""
    return {"other_tenant": other_customer, "agent_of_another_line": agent}[request.param]


# --- the API ----------------------------------------------------------------------------------

CASE_ENDPOINTS = [e for e in ENDPOINTS if "{" in e[1]]


@pytest.mark.parametrize(("method", "template", "body"), CASE_ENDPOINTS)
def test_every_api_endpoint_answers_404_to_an_outsider(
    client, victim, outsider, method, template, body
):
    before = snapshot()
    url = template.format(
        case=victim["case"].pk, attachment=victim["attachment"].pk, request=victim["request"].pk
    )
    response = getattr(client, method)(
        url, body or {}, content_type="application/json", headers=bearer(outsider)
    )
    assert response.status_code == 404, (url, response.content)
    assert snapshot() == before


@pytest.mark.parametrize(("method", "template", "body"), CASE_ENDPOINTS)
def test_a_missing_id_answers_the_same_404(client, victim, other_customer, method, template, body):
    url = template.format(case=MISSING, attachment=MISSING, request=MISSING)
    response = getattr(client, method)(
        url, body or {}, content_type="application/json", headers=bearer(other_customer)
    )
    assert response.status_code == 404


def test_a_foreign_attachment_under_ones_own_case_is_404(client, victim, other_customer):
    own = case_create(actor=other_customer, subject="Mine", description="Mine", severity=3)
    url = f"/api/v1/cases/{own.pk}/attachments/{victim['attachment'].pk}"
    assert client.get(url, headers=bearer(other_customer)).status_code == 404


def test_the_list_and_search_never_show_a_foreign_case(client, victim, other_customer):
    headers = bearer(other_customer)
    for query in ("", f"?search=%23{victim['case'].pk}", "?search=secret", "?line=engineering"):
        assert client.get(f"/api/v1/cases{query}", headers=headers).json()["count"] == 0


def test_a_foreign_cc_or_requester_id_reads_like_a_missing_one(client, victim, other_customer):
    headers = bearer(other_customer)
    body = {"subject": "x", "description": "y", "severity": 3, "cc": [victim["owner"].pk]}
    foreign = client.post("/api/v1/cases", body, content_type="application/json", headers=headers)
    missing = client.post(
        "/api/v1/cases", {**body, "cc": [MISSING]}, content_type="application/json", headers=headers
    )
    assert foreign.status_code == missing.status_code == 422
    assert foreign.json() == missing.json()


def test_customers_never_read_internal_notes_of_their_own_case(client, victim):
    bodies = [
        m["body"]
        for m in client.get(
            f"/api/v1/cases/{victim['case'].pk}/messages", headers=bearer(victim["owner"])
        ).json()["items"]
    ]
    assert bodies == ["Public answer"]


# --- the pages --------------------------------------------------------------------------------


def _case_pages() -> list[URLPattern]:
    patterns = [*urls_portal.urlpatterns, *urls_console.urlpatterns]
    return [p for p in patterns if "pk" in p.pattern.converters]


CASE_PAGES = _case_pages()
PORTAL_PAGES = {p.name for p in urls_portal.urlpatterns}
FORM = {
    "body": "Let me in",
    "severity": "1",
    "status": "solved",
    "reason": "critical_failure",
    "details": "x",
    "line": "engineering",
    "assignee": "",
    "decision": "accept",
    "accept": "1",
    "tags": "hacked",
    "target": "1",
    "note": "x",
}


def _page_url(pattern: URLPattern, *, case: int, attachment: int, request: int) -> str:
    kwargs: dict[str, object] = {}
    for name in pattern.pattern.converters:
        if name == "pk":
            kwargs[name] = request if "escalation" in (pattern.name or "") else case
        elif name == "attachment_id":
            kwargs[name] = attachment
        else:
            kwargs[name] = "first_response"
    return reverse(f"tickets:{pattern.name}", kwargs=kwargs)


def test_the_shared_case_address_is_404_for_outsiders_and_missing_cases(victim, outsider):
    try:
        url = reverse("case-detail", kwargs={"pk": victim["case"].pk})
    except NoReverseMatch:
        pytest.skip("the case page is not routed yet")
    browser = Client()
    browser.force_login(outsider)
    assert browser.get(url).status_code == 404
    assert browser.get(reverse("case-detail", kwargs={"pk": MISSING})).status_code == 404


def test_the_owner_sees_the_case_page(victim):
    browser = Client()
    browser.force_login(victim["owner"])
    response = browser.get(reverse("case-detail", kwargs={"pk": victim["case"].pk}))
    assert response.status_code == 200
    assert b"Secret outage" in response.content
    assert b"Internal note" not in response.content


@pytest.mark.skipif(not CASE_PAGES, reason="no case pages are routed yet")
@pytest.mark.parametrize("pattern", CASE_PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_case_page_answers_an_outsider_like_a_missing_case(victim, outsider, pattern, method):
    browser = Client()
    browser.force_login(outsider)
    before = snapshot()
    real = _page_url(
        pattern,
        case=victim["case"].pk,
        attachment=victim["attachment"].pk,
        request=victim["request"].pk,
    )
    missing = _page_url(pattern, case=MISSING, attachment=MISSING, request=MISSING)
    answer = getattr(browser, method)(real, FORM)
    assert answer.status_code >= 400, (real, answer.status_code)
    assert answer.status_code == getattr(browser, method)(missing, FORM).status_code
    if pattern.name in PORTAL_PAGES and outsider.role in (Role.MEMBER, Role.ACCOUNT_ADMIN):
        assert answer.status_code in (404, 405), real
    assert b"secret" not in answer.content.lower()
    assert snapshot() == before


def test_the_attachment_page_is_404_for_outsiders_and_under_another_case(victim, other_customer):
    try:
        reverse("tickets:attachment", kwargs={"pk": 1, "attachment_id": 1})
    except NoReverseMatch:
        pytest.skip("the attachment page is not routed yet")
    browser = Client()
    browser.force_login(other_customer)
    foreign = reverse(
        "tickets:attachment",
        kwargs={"pk": victim["case"].pk, "attachment_id": victim["attachment"].pk},
    )
    assert browser.get(foreign).status_code == 404
    own = case_create(actor=other_customer, subject="Mine", description="Mine", severity=3)
    crossed = reverse(
        "tickets:attachment", kwargs={"pk": own.pk, "attachment_id": victim["attachment"].pk}
    )
    assert browser.get(crossed).status_code == 404
    owner = Client()
    owner.force_login(victim["owner"])
    response = owner.get(foreign)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret"
