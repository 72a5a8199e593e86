"""The cases API: authentication, roles, bad input, idempotency, filters, pagination, SLA state."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import AccountAdminFactory, UserFactory
from tierdesk.accounts.services.tokens import api_token_create
from tierdesk.tickets.choices import Line, Status
from tierdesk.tickets.models import (
    Attachment,
    Case,
    IdempotencyKey,
    Message,
    SelfEscalation,
    SlaClock,
)
from tierdesk.tickets.services.cases import case_create, case_reply, case_set_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def bearer(user):
    _, secret = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


def post(client, url, data=None, **kwargs):
    return client.post(url, data or {}, content_type="application/json", **kwargs)


def field_errors(response):
    assert response.status_code == 422, response.content
    return {e["loc"][-1] for e in response.json()["detail"]}


def open_case(requester, severity=2, now=None, **kwargs):
    return case_create(
        actor=requester,
        subject="Meetings drop after 5 minutes",
        description="Every meeting drops.",
        severity=severity,
        now=now or timezone.now(),
        **kwargs,
    )


NEW_CASE = {"subject": "Audio cuts out", "description": "Since the update.", "severity": 3}

# Every endpoint of the cases API, with a body that would be valid.
ENDPOINTS = [
    ("get", "/api/v1/cases", None),
    ("post", "/api/v1/cases", NEW_CASE),
    ("get", "/api/v1/cases/{case}", None),
    ("get", "/api/v1/cases/{case}/sla", None),
    ("get", "/api/v1/cases/{case}/messages", None),
    ("post", "/api/v1/cases/{case}/messages", {"body": "Any news?"}),
    ("get", "/api/v1/cases/{case}/attachments", None),
    ("get", "/api/v1/cases/{case}/attachments/{attachment}", None),
    ("post", "/api/v1/cases/{case}/severity", {"severity": 1}),
    ("post", "/api/v1/cases/{case}/status", {"status": "waiting"}),
    ("post", "/api/v1/cases/{case}/assign", {"assignee_id": None}),
    ("post", "/api/v1/cases/{case}/escalate", {"line": "l2", "reason": "needs L2"}),
    ("get", "/api/v1/cases/{case}/self-escalations", None),
    ("post", "/api/v1/cases/{case}/self-escalations", {"reason": "critical_failure"}),
    (
        "post",
        "/api/v1/self-escalations/{request}/decision",
        {"decision": "accepted", "reason": "ok"},
    ),
]


def upload(name="log.txt", content=b"line 1\n", content_type="text/plain"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def world(customer, agent):
    """A case with a message, an attachment and a pending escalation request."""
    case = open_case(customer)
    case_reply(actor=agent, case=case, body="Looking into it.")
    from tierdesk.tickets.services.attachments import attachment_add

    attachment = attachment_add(actor=customer, case=case, upload=upload())
    request = SelfEscalation.objects.create(
        case=case,
        requested_by=customer,
        reason="critical_failure",
        requested_at=timezone.now(),
    )
    return {"case": case.pk, "attachment": attachment.pk, "request": request.pk}


def url_of(template, world):
    return template.format(**world)


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "template", "body"), ENDPOINTS)
@pytest.mark.parametrize("header", [None, "Bearer td_wrong", "Basic abc"])
def test_every_endpoint_is_401_without_valid_credentials(
    client, world, method, template, body, header
):
    before = (Case.objects.count(), Message.objects.count(), SelfEscalation.objects.get().decision)
    headers = {"Authorization": header} if header else {}
    response = getattr(client, method)(
        url_of(template, world), body or {}, content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    after = (Case.objects.count(), Message.objects.count(), SelfEscalation.objects.get().decision)
    assert after == before


def test_the_browser_session_needs_csrf_for_writes(customer):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer)
    assert browser.get("/api/v1/cases").status_code == 200
    assert post(browser, "/api/v1/cases", NEW_CASE).status_code == 403
    assert not Case.objects.exists()


# --- opening cases ----------------------------------------------------------------------------


def test_customer_opens_a_case_with_its_sla(client, customer):
    response = post(client, "/api/v1/cases", NEW_CASE, headers=bearer(customer))
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == case.pk
    assert body["requester"] == {"id": customer.pk, "name": str(customer)}
    assert (body["severity"], body["status"], body["line"], body["channel"]) == (
        3,
        "new",
        "l1",
        "web",
    )
    assert body["region"]["time_zone"] == "Europe/Rome"
    # Premier severity 3: first response 8 business hours, resolution 24 business hours.
    sla = {s["target"]: s for s in body["sla"]}
    assert set(sla) == {"first_response", "resolution"}
    assert sla["first_response"]["target_minutes"] == 480
    assert sla["first_response"]["clock"] == "business"
    stored = SlaClock.objects.get(case=case, target="first_response")
    assert sla["first_response"]["due_at"].replace("Z", "+00:00") == stored.due_at.isoformat()


def test_a_repeated_idempotency_key_returns_the_first_case_and_creates_nothing(client, customer):
    headers = {**bearer(customer), "Idempotency-Key": "create-42"}
    first = post(client, "/api/v1/cases", NEW_CASE, headers=headers)
    again = post(client, "/api/v1/cases", {**NEW_CASE, "subject": "Other"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["subject"] == "Audio cuts out"
    assert Case.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_the_same_key_from_another_user_is_another_case(client, customer, account_admin):
    key = {"Idempotency-Key": "same"}
    a = post(client, "/api/v1/cases", NEW_CASE, headers={**bearer(customer), **key})
    b = post(client, "/api/v1/cases", NEW_CASE, headers={**bearer(account_admin), **key})
    assert a.json()["id"] != b.json()["id"]
    assert Case.objects.count() == 2


def test_an_overlong_idempotency_key_is_refused(client, customer):
    headers = {**bearer(customer), "Idempotency-Key": "k" * 201}
    assert field_errors(post(client, "/api/v1/cases", NEW_CASE, headers=headers)) == {
        "idempotency_key"
    }
    assert not Case.objects.exists()


def test_basic_plan_cannot_open_cases(client, basic_account):
    response = post(
        client, "/api/v1/cases", NEW_CASE, headers=bearer(UserFactory(account=basic_account))
    )
    assert response.status_code == 403
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"severity": 5}, "severity"),
        ({"severity": "high"}, "severity"),
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"description": ""}, "description"),
        ({"channel": "fax"}, "channel"),
        ({"channel": "phone"}, "channel"),  # phone cases are logged by agents
        ({"cc": [999999]}, "cc"),
    ],
)
def test_bad_input_is_422_with_the_field_and_creates_nothing(client, customer, change, field):
    response = post(client, "/api/v1/cases", {**NEW_CASE, **change}, headers=bearer(customer))
    assert field in field_errors(response)
    assert not Case.objects.exists()


def test_cc_from_another_account_is_refused(client, customer, other_customer):
    body = {**NEW_CASE, "cc": [other_customer.pk]}
    assert field_errors(post(client, "/api/v1/cases", body, headers=bearer(customer))) == {"cc"}
    assert not Case.objects.exists()


def test_cc_of_a_colleague_is_kept(client, customer, account_admin):
    body = {**NEW_CASE, "cc": [account_admin.pk]}
    response = post(client, "/api/v1/cases", body, headers=bearer(customer))
    assert [p["id"] for p in response.json()["cc"]] == [account_admin.pk]


def test_customers_cannot_open_for_someone_else(client, customer, account_admin):
    body = {**NEW_CASE, "requester_id": account_admin.pk}
    assert field_errors(post(client, "/api/v1/cases", body, headers=bearer(customer))) == {
        "requester_id"
    }
    assert not Case.objects.exists()


def test_agent_logs_a_phone_case_for_a_customer(client, agent, customer):
    body = {**NEW_CASE, "severity": 1, "channel": "phone", "requester_id": customer.pk}
    response = post(client, "/api/v1/cases", body, headers=bearer(agent))
    assert response.status_code == 201
    case = Case.objects.get()
    assert (case.requester, case.account, case.channel) == (customer, customer.account, "phone")


@pytest.mark.parametrize("requester", [None, "vendor", "missing"])
def test_agent_must_name_an_existing_customer(client, agent, supervisor, requester):
    requester_id = {None: None, "vendor": supervisor.pk, "missing": 999999}[requester]
    body = {**NEW_CASE, "requester_id": requester_id}
    errors = field_errors(post(client, "/api/v1/cases", body, headers=bearer(agent)))
    assert errors & {"requester", "requester_id"}
    assert not Case.objects.exists()


def test_agent_cannot_log_a_case_for_a_basic_account(client, agent, basic_account):
    body = {**NEW_CASE, "requester_id": UserFactory(account=basic_account).pk}
    assert post(client, "/api/v1/cases", body, headers=bearer(agent)).status_code == 403
    assert not Case.objects.exists()


# --- listing ----------------------------------------------------------------------------------


def test_members_list_their_cases_admins_all_of_the_account(client, customer, account_admin):
    mine = open_case(customer)
    colleague = open_case(UserFactory(account=customer.account))
    cc_on = open_case(UserFactory(account=customer.account), cc=[customer])
    member_ids = {
        c["id"] for c in client.get("/api/v1/cases", headers=bearer(customer)).json()["items"]
    }
    admin_ids = {
        c["id"] for c in client.get("/api/v1/cases", headers=bearer(account_admin)).json()["items"]
    }
    assert member_ids == {mine.pk, cc_on.pk}
    assert admin_ids == {mine.pk, colleague.pk, cc_on.pk}


def test_list_never_shows_another_tenants_cases(client, customer, other_customer, agent):
    open_case(other_customer)
    body = client.get("/api/v1/cases", headers=bearer(customer)).json()
    assert body == {"items": [], "count": 0, "count_capped": False}
    other_account = other_customer.account_id
    body = client.get(f"/api/v1/cases?account={other_account}", headers=bearer(customer)).json()
    assert body["count"] == 0


def test_filters_and_pagination(client, account_admin, agent):
    now = timezone.now()
    cases = [
        open_case(account_admin, severity=1 + i % 4, now=now - timedelta(minutes=i))
        for i in range(7)
    ]
    case_set_status(actor=agent, case=cases[0], status=Status.WAITING)
    headers = bearer(account_admin)

    def ids(query):
        response = client.get(f"/api/v1/cases{query}", headers=headers)
        assert response.status_code == 200, response.content
        return [c["id"] for c in response.json()["items"]]

    assert ids("") == [c.pk for c in cases]  # newest first
    assert ids("?severity=2") == [cases[1].pk, cases[5].pk]
    assert ids("?status=waiting") == [cases[0].pk]
    assert ids(f"?search=%23{cases[3].pk}") == [cases[3].pk]
    assert ids("?search=drops") == [c.pk for c in cases]
    assert ids("?search=nothing-like-this") == []
    assert ids("?line=l2") == []
    page = client.get("/api/v1/cases?limit=3&offset=3", headers=headers).json()
    assert page["count"] == 7
    assert [c["id"] for c in page["items"]] == [c.pk for c in cases[3:6]]


def test_agent_filters_by_line_account_and_mine(client, customer, other_customer, agent, agent_l2):
    a = open_case(customer)
    b = open_case(other_customer)
    c = open_case(customer)
    from tierdesk.tickets.services.cases import case_assign
    from tierdesk.tickets.services.escalations import case_escalate

    case_escalate(actor=agent, case=c, line=Line.L2, reason="needs L2")
    case_assign(actor=agent_l2, case=a, assignee=agent_l2)
    headers = bearer(agent_l2)

    def ids(query):
        return {
            x["id"] for x in client.get(f"/api/v1/cases{query}", headers=headers).json()["items"]
        }

    assert ids("") == {a.pk, b.pk, c.pk}
    assert ids("?line=l2") == {c.pk}
    assert ids(f"?account={other_customer.account_id}") == {b.pk}
    assert ids("?mine=true") == {a.pk}
    # L1 agents do not see the L2 queue at all.
    assert {
        x["id"] for x in client.get("/api/v1/cases", headers=bearer(agent)).json()["items"]
    } == {
        a.pk,
        b.pk,
    }


@pytest.mark.parametrize(
    "query",
    [
        "?status=lost",
        "?severity=9",
        "?line=l9",
        "?limit=0",
        "?limit=201",
        "?offset=-1",
        "?mine=perhaps",
    ],
)
def test_bad_filters_are_422(client, customer, query):
    response = client.get(f"/api/v1/cases{query}", headers=bearer(customer))
    assert response.status_code == 422


def test_list_query_count_does_not_grow_with_the_page(
    client, account_admin, agent, django_assert_max_num_queries
):
    for _ in range(12):
        case = open_case(account_admin)
        from tierdesk.tickets.services.cases import case_assign

        case_assign(actor=agent, case=case, assignee=agent)
    headers = bearer(account_admin)
    # Token (2: lookup, last used) + count + page.
    with django_assert_max_num_queries(5):
        body = client.get("/api/v1/cases?limit=50", headers=headers).json()
    assert body["count"] == 12
    assert all(row["assignee"]["id"] == agent.pk for row in body["items"])


# --- one case and its SLA ---------------------------------------------------------------------


def test_sla_state_pauses_while_waiting_and_explains(client, customer, agent):
    case = open_case(customer, now=timezone.now() - timedelta(hours=2))
    case_set_status(actor=agent, case=case, status=Status.WAITING)
    response = client.get(f"/api/v1/cases/{case.pk}/sla?explain=true", headers=bearer(customer))
    assert response.status_code == 200
    sla = {s["target"]: s for s in response.json()}
    assert sla["resolution"]["paused"] is True
    assert sla["resolution"]["state"] == "paused"
    assert sla["resolution"]["explanation"][0].startswith("1440 business minutes from")
    # The plain detail leaves the explanation out.
    detail = client.get(f"/api/v1/cases/{case.pk}", headers=bearer(customer)).json()
    assert all(s["explanation"] is None for s in detail["sla"])


def test_first_response_met_shows_met(client, customer, agent):
    case = open_case(customer)
    case_reply(actor=agent, case=case, body="Hello")
    sla = {
        s["target"]: s
        for s in client.get(f"/api/v1/cases/{case.pk}/sla", headers=bearer(customer)).json()
    }
    assert sla["first_response"]["state"] == "met"
    assert sla["first_response"]["met_at"] is not None
    assert sla["resolution"]["state"] == "running"
    assert sla["resolution"]["remaining_seconds"] > 0


def test_access_plan_without_targets_has_no_resolution_clock(client, pro_account):
    customer = UserFactory(account=pro_account)
    case = open_case(customer, severity=3)
    body = client.get(f"/api/v1/cases/{case.pk}", headers=bearer(customer)).json()
    assert [s["target"] for s in body["sla"]] == ["first_response"]


# --- messages ---------------------------------------------------------------------------------


def test_customer_replies_and_never_sees_internal_notes(client, customer, agent):
    case = open_case(customer)
    note = post(
        client,
        f"/api/v1/cases/{case.pk}/messages",
        {"body": "Customer seems confused", "public": False},
        headers=bearer(agent),
    )
    assert note.status_code == 201 and note.json()["public"] is False
    reply = post(
        client, f"/api/v1/cases/{case.pk}/messages", {"body": "Any news?"}, headers=bearer(customer)
    )
    assert reply.status_code == 201
    seen = client.get(f"/api/v1/cases/{case.pk}/messages", headers=bearer(customer)).json()
    assert [m["body"] for m in seen["items"]] == ["Any news?"]
    seen_by_agent = client.get(f"/api/v1/cases/{case.pk}/messages", headers=bearer(agent)).json()
    assert [m["body"] for m in seen_by_agent["items"]] == ["Customer seems confused", "Any news?"]


def test_customer_cannot_write_a_note(client, customer):
    case = open_case(customer)
    response = post(
        client,
        f"/api/v1/cases/{case.pk}/messages",
        {"body": "secret", "public": False},
        headers=bearer(customer),
    )
    assert response.status_code == 403
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"), [({"body": "  "}, "body"), ({"body": "ok", "status": "closed"}, "status")]
)
def test_bad_messages_are_422_and_change_nothing(client, customer, agent, body, field):
    case = open_case(customer)
    response = post(client, f"/api/v1/cases/{case.pk}/messages", body, headers=bearer(agent))
    assert field in field_errors(response)
    assert not Message.objects.exists()
    case.refresh_from_db()
    assert (case.status, case.first_responded_at) == (Status.NEW, None)


def test_agent_reply_can_move_the_case_to_waiting(client, customer, agent):
    case = open_case(customer)
    response = post(
        client,
        f"/api/v1/cases/{case.pk}/messages",
        {"body": "Can you send the logs?", "status": "waiting"},
        headers=bearer(agent),
    )
    assert response.status_code == 201
    case.refresh_from_db()
    assert case.status == Status.WAITING
    assert case.first_responded_at is not None


# --- attachments ------------------------------------------------------------------------------


def test_upload_list_and_download(client, customer):
    case = open_case(customer)
    response = client.post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"file": upload("trace.log", b"boom\n")},
        headers=bearer(customer),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["filename"], body["size"], body["public"]) == ("trace.log", 5, True)
    listed = client.get(f"/api/v1/cases/{case.pk}/attachments", headers=bearer(customer)).json()
    assert [a["id"] for a in listed["items"]] == [body["id"]]
    download = client.get(body["download_url"], headers=bearer(customer))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"boom\n"
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


def test_customers_cannot_see_or_upload_private_files(client, customer, agent):
    case = open_case(customer)
    private = client.post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"file": upload("internal.txt"), "public": "false"},
        headers=bearer(agent),
    )
    assert private.status_code == 201 and private.json()["public"] is False
    listed = client.get(f"/api/v1/cases/{case.pk}/attachments", headers=bearer(customer)).json()
    assert listed["count"] == 0
    url = private.json()["download_url"]
    assert client.get(url, headers=bearer(customer)).status_code == 404
    refused = client.post(
        f"/api/v1/cases/{case.pk}/attachments",
        {"file": upload(), "public": "false"},
        headers=bearer(customer),
    )
    assert refused.status_code == 403
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"file": SimpleUploadedFile("evil.exe", b"MZ", "application/x-msdownload")}, "file"),
        ({"file": SimpleUploadedFile("empty.txt", b"", "text/plain")}, "file"),
        ({}, "file"),
        ({"file": "bad-message", "message_id": "999999"}, "message_id"),
    ],
)
def test_bad_uploads_are_422_and_store_nothing(client, customer, settings, data, field):
    case = open_case(customer)
    if data.get("file") == "bad-message":
        data = {**data, "file": upload()}
    response = client.post(f"/api/v1/cases/{case.pk}/attachments", data, headers=bearer(customer))
    assert field in field_errors(response)
    assert not Attachment.objects.exists()
    root = settings.MEDIA_ROOT
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


# Real bytes: the type comes from the content, never from the name or the browser's claim.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "claimed", "stored"),
    [
        ("report.pdf", PDF, "application/pdf", "application/pdf"),
        ("screen.txt", PNG, "text/plain", "image/png"),
        ("notes.docx", zipped({"word/document.xml": "<w/>"}), "application/msword", DOCX_TYPE),
        ("sheet.xlsx", zipped({"xl/workbook.xml": "<x/>"}), "application/octet-stream", XLSX_TYPE),
        ("logs.docx", zipped({"logs/a.txt": "x"}), DOCX_TYPE, "application/zip"),
        ("data.csv", "città;ora\n".encode(), "text/csv", "text/csv"),
        ("data.json", b'{"a": 1}', "application/octet-stream", "application/json"),
        ("trace", b"boom\n", "application/octet-stream", "text/plain"),
    ],
)
def test_the_stored_type_is_read_from_the_content(client, customer, name, content, claimed, stored):
    case = open_case(customer)
    file = SimpleUploadedFile(name, content, content_type=claimed)
    response = client.post(
        f"/api/v1/cases/{case.pk}/attachments", {"file": file}, headers=bearer(customer)
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == stored
    assert Attachment.objects.get().content_type == stored


@pytest.mark.parametrize(
    ("name", "content", "detected"),
    [
        ("x.pdf", EXE, "application/x-msdownload"),
        ("setup.txt", EXE, "application/x-msdownload"),
        ("log.txt", b"line 1\x00line 2\n", "application/octet-stream"),
        ("data.csv", "città".encode("latin-1"), "application/octet-stream"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "application/octet-stream"),
    ],
)
def test_a_file_whose_content_is_not_accepted_is_refused_naming_its_type(
    client, customer, name, content, detected
):
    case = open_case(customer)
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        f"/api/v1/cases/{case.pk}/attachments", {"file": file}, headers=bearer(customer)
    )
    assert field_errors(response) == {"file"}
    assert detected in response.json()["detail"][0]["msg"]
    assert not Attachment.objects.exists()


def test_an_attachment_answers_only_under_its_own_case(client, customer):
    first, second = open_case(customer), open_case(customer)
    from tierdesk.tickets.services.attachments import attachment_add

    attachment = attachment_add(actor=customer, case=first, upload=upload())
    url = f"/api/v1/cases/{second.pk}/attachments/{attachment.pk}"
    assert client.get(url, headers=bearer(customer)).status_code == 404


# --- workflow ---------------------------------------------------------------------------------


def test_agent_changes_severity_and_the_clocks_recompute(client, customer, agent):
    case = open_case(customer, severity=3)
    before = SlaClock.objects.get(case=case, target="first_response").due_at
    response = post(
        client,
        f"/api/v1/cases/{case.pk}/severity",
        {"severity": 1, "note": "outage"},
        headers=bearer(agent),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["severity"] == 1
    assert body["severity_changes"][0]["from_severity"] == 3
    after = SlaClock.objects.get(case=case, target="first_response")
    assert after.due_at == case.created_at + timedelta(hours=1) != before
    assert after.clock == "24x7"


def test_customer_cannot_change_severity_status_assignee_or_line(client, customer):
    case = open_case(customer, severity=3)
    headers = bearer(customer)
    for url, body in [
        ("severity", {"severity": 1}),
        ("status", {"status": "solved"}),
        ("assign", {"assignee_id": None}),
        ("escalate", {"line": "l2", "reason": "now"}),
    ]:
        assert (
            post(client, f"/api/v1/cases/{case.pk}/{url}", body, headers=headers).status_code == 403
        )
    case.refresh_from_db()
    assert (case.severity, case.status, case.line) == (3, Status.NEW, Line.L1)


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("severity", {"severity": 0}, "severity"),
        ("severity", {}, "severity"),
        ("status", {"status": "closed"}, "status"),
        ("status", {"status": "new"}, "status"),
        ("assign", {"assignee_id": 999999}, "assignee_id"),
        ("escalate", {"line": "l2", "reason": "  "}, "reason"),
        ("escalate", {"line": "l7", "reason": "x"}, "line"),
    ],
)
def test_bad_workflow_input_is_422_and_changes_nothing(client, customer, agent, url, body, field):
    case = open_case(customer, severity=3)
    response = post(client, f"/api/v1/cases/{case.pk}/{url}", body, headers=bearer(agent))
    assert field in field_errors(response)
    case.refresh_from_db()
    assert (case.severity, case.status, case.line, case.assignee) == (3, Status.NEW, Line.L1, None)


def test_status_waiting_pauses_the_clocks(client, customer, agent):
    case = open_case(customer)
    response = post(
        client, f"/api/v1/cases/{case.pk}/status", {"status": "waiting"}, headers=bearer(agent)
    )
    assert response.status_code == 200
    assert response.json()["status"] == "waiting"
    assert all(s["paused"] for s in response.json()["sla"])


def test_assignment_rules(client, customer, agent, agent_l2, supervisor):
    case = open_case(customer)
    url = f"/api/v1/cases/{case.pk}/assign"
    refused = post(client, url, {"assignee_id": agent_l2.pk}, headers=bearer(agent))
    assert refused.status_code == 403
    taken = post(client, url, {"assignee_id": agent.pk}, headers=bearer(agent))
    assert taken.status_code == 200 and taken.json()["assignee"]["id"] == agent.pk
    moved = post(client, url, {"assignee_id": agent_l2.pk}, headers=bearer(supervisor))
    assert moved.json()["assignee"]["id"] == agent_l2.pk
    customer_as_assignee = post(
        client, url, {"assignee_id": customer.pk}, headers=bearer(supervisor)
    )
    assert field_errors(customer_as_assignee) == {"assignee_id"}
    case.refresh_from_db()
    assert case.assignee == agent_l2


def test_escalation_to_l2_and_engineering_needs_the_plan(client, customer, agent, agent_l2):
    case = open_case(customer)  # Business + Premier: no technical intervention
    url = f"/api/v1/cases/{case.pk}/escalate"
    to_l2 = post(
        client, url, {"line": "l2", "reason": "needs logs analysis"}, headers=bearer(agent)
    )
    assert to_l2.status_code == 200 and to_l2.json()["line"] == "l2"
    to_eng = post(client, url, {"line": "engineering", "reason": "bug"}, headers=bearer(agent_l2))
    assert field_errors(to_eng) == {"line"}
    case.refresh_from_db()
    assert case.line == Line.L2


# --- self-escalation --------------------------------------------------------------------------


def test_self_escalation_through_the_api(client, premier_plus_account, supervisor, agent):
    admin = AccountAdminFactory(account=premier_plus_account)
    case = open_case(admin, severity=3, now=timezone.now() - timedelta(hours=25))
    asked = post(
        client,
        f"/api/v1/cases/{case.pk}/self-escalations",
        {"reason": "delayed_responses", "details": "No answer since yesterday"},
        headers=bearer(admin),
    )
    assert asked.status_code == 201
    request_id = asked.json()["id"]
    assert asked.json()["decision"] == "pending"
    listed = client.get(f"/api/v1/cases/{case.pk}/self-escalations", headers=bearer(admin)).json()
    assert [r["id"] for r in listed] == [request_id]
    decision_url = f"/api/v1/self-escalations/{request_id}/decision"
    by_agent = post(
        client, decision_url, {"decision": "accepted", "reason": "ok"}, headers=bearer(agent)
    )
    assert by_agent.status_code == 403
    by_customer = post(
        client, decision_url, {"decision": "accepted", "reason": "ok"}, headers=bearer(admin)
    )
    assert by_customer.status_code == 403
    no_reason = post(
        client, decision_url, {"decision": "accepted", "reason": ""}, headers=bearer(supervisor)
    )
    assert field_errors(no_reason) == {"reason"}
    assert SelfEscalation.objects.get().decision == "pending"
    accepted = post(
        client, decision_url, {"decision": "accepted", "reason": "fair"}, headers=bearer(supervisor)
    )
    assert accepted.status_code == 200 and accepted.json()["decision"] == "accepted"
    case.refresh_from_db()
    assert case.line == Line.L2


@pytest.mark.parametrize(("body", "field"), [({"reason": "impatience"}, "reason"), ({}, "reason")])
def test_self_escalation_reasons_are_validated(client, premier_plus_account, body, field):
    admin = AccountAdminFactory(account=premier_plus_account)
    case = open_case(admin, now=timezone.now() - timedelta(hours=25))
    response = post(
        client, f"/api/v1/cases/{case.pk}/self-escalations", body, headers=bearer(admin)
    )
    assert field in field_errors(response)
    assert not SelfEscalation.objects.exists()


def test_self_escalation_too_early_or_without_the_plan_is_403(
    client, customer, premier_plus_account
):
    admin = AccountAdminFactory(account=premier_plus_account)
    fresh = open_case(admin)
    old_on_business = open_case(customer, now=timezone.now() - timedelta(hours=48))
    body = {"reason": "critical_failure"}
    for user, case in [(admin, fresh), (customer, old_on_business)]:
        response = post(
            client, f"/api/v1/cases/{case.pk}/self-escalations", body, headers=bearer(user)
        )
        assert response.status_code == 403
    assert not SelfEscalation.objects.exists()
