"""The customer portal: listing, opening, reading, replying, files and self-escalation."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.factories import UserFactory
from tierdesk.tickets.choices import EscalationReason, Status
from tierdesk.tickets.models import Attachment, Case, Message, SelfEscalation
from tierdesk.tickets.services.attachments import attachment_add
from tierdesk.tickets.services.cases import (
    case_assign,
    case_create,
    case_reply,
    case_set_status,
    case_set_tags,
)
from tierdesk.tickets.services.escalations import (
    self_escalation_decide,
    self_escalation_request,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def open_case(user, subject="Printer on fire", severity=3, **kwargs):
    return case_create(
        actor=user, subject=subject, description="It *burns*.", severity=severity, **kwargs
    )


def upload(name="log.txt", content=b"line 1\n", content_type="text/plain"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def body(response) -> str:
    return response.content.decode()


# The list ---------------------------------------------------------------------------------


def test_a_member_lists_their_own_cases_and_those_they_are_ccd_on(
    client, customer, account_admin, other_customer
):
    colleague = UserFactory(account=customer.account)
    mine = open_case(customer, subject="Mine")
    ccd = open_case(colleague, subject="CC'd to me", cc=[customer])
    hidden = open_case(colleague, subject="Colleague only")
    foreign = open_case(other_customer, subject="Another tenant")
    client.force_login(customer)
    page = body(client.get("/cases/"))
    assert f'data-case="{mine.pk}"' in page
    assert f'data-case="{ccd.pk}"' in page
    assert f'data-case="{hidden.pk}"' not in page
    assert f'data-case="{foreign.pk}"' not in page


def test_an_account_admin_lists_all_of_the_accounts_cases_only(
    client, customer, account_admin, other_customer
):
    colleague = UserFactory(account=customer.account)
    cases = [open_case(customer), open_case(colleague)]
    foreign = open_case(other_customer)
    client.force_login(account_admin)
    page = body(client.get("/cases/"))
    for case in cases:
        assert f'data-case="{case.pk}"' in page
    assert f'data-case="{foreign.pk}"' not in page


def test_the_list_filters_by_status_severity_and_search(client, customer, agent):
    printer = open_case(customer, subject="Printer jams", severity=2)
    audio = open_case(customer, subject="No audio", severity=3)
    case_set_status(actor=agent, case=audio, status=Status.WAITING)
    client.force_login(customer)

    def listed(query: str) -> set[int]:
        page = body(client.get("/cases/?" + query))
        return {c.pk for c in (printer, audio) if f'data-case="{c.pk}"' in page}

    assert listed("") == {printer.pk, audio.pk}
    assert listed("status=waiting") == {audio.pk}
    assert listed("severity=2") == {printer.pk}
    assert listed("q=printer") == {printer.pk}
    assert listed(f"q=%23{audio.pk}") == {audio.pk}
    assert listed("q=nothing-like-this") == set()


def test_an_invalid_filter_is_reported_and_ignored(client, customer):
    case = open_case(customer)
    client.force_login(customer)
    response = client.get("/cases/?status=bogus&severity=9")
    assert response.status_code == 200
    page = body(response)
    assert "Select a valid choice" in page
    assert f'data-case="{case.pk}"' in page


def test_the_list_shows_the_targets_as_badges_with_a_countdown(client, customer):
    open_case(customer, severity=2)
    client.force_login(customer)
    page = body(client.get("/cases/"))
    assert 'class="clock clock-' in page
    assert "data-countdown=" in page
    assert "tickets/countdown.js" in page


def test_the_list_pages_by_25(client, customer):
    for n in range(27):
        open_case(customer, subject=f"Case {n}")
    client.force_login(customer)
    first = body(client.get("/cases/"))
    assert first.count("data-case=") == 25
    assert 'rel="next"' in first
    second = body(client.get("/cases/?page=2"))
    assert second.count("data-case=") == 2


def test_the_lists_query_count_does_not_grow_with_the_number_of_cases(
    client, customer, django_assert_max_num_queries
):
    client.force_login(customer)
    open_case(customer)
    with django_assert_max_num_queries(12) as few:
        client.get("/cases/")
    for n in range(20):
        open_case(customer, subject=f"More {n}", severity=1 + n % 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert body(client.get("/cases/")).count("data-case=") == 21


def test_agents_do_not_use_the_portal_pages(client, agent):
    client.force_login(agent)
    try:
        queues = reverse("tickets:queues")
    except NoReverseMatch:  # the console's queues are not routed yet
        assert client.get("/cases/").status_code == 403
    else:
        assert client.get("/cases/")["Location"] == queues
    assert client.get("/cases/new/").status_code == 403
    assert client.post("/cases/new/", {"subject": "s"}).status_code == 403
    assert Case.objects.count() == 0


def test_visitors_are_sent_to_sign_in(client):
    for url in ("/cases/", "/cases/new/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# Opening a case ---------------------------------------------------------------------------


def test_the_form_shows_each_severitys_definition_and_the_phone_notice(client, customer):
    client.force_login(customer)
    page = body(client.get("/cases/new/"))
    assert 'id="case-form"' in page
    assert "phone is the fastest way" in page
    assert "Blocking failure: the platform is gravely degraded" in page
    assert "Requests for information or help on features" in page
    for n in (1, 2, 3, 4):
        assert f'name="severity" value="{n}"' in page


def test_the_cc_choices_are_the_accounts_other_active_users(client, customer, other_customer):
    colleague = UserFactory(account=customer.account, email="colleague@premier.example")
    gone = UserFactory(account=customer.account, email="gone@premier.example", is_active=False)
    client.force_login(customer)
    page = body(client.get("/cases/new/"))
    assert colleague.email in page
    assert gone.email not in page
    assert other_customer.email not in page
    assert f'name="cc" value="{customer.pk}"' not in page


def test_a_customer_opens_a_case_with_cc_and_a_file(client, customer):
    colleague = UserFactory(account=customer.account)
    client.force_login(customer)
    response = client.post(
        "/cases/new/",
        {
            "subject": "Calls drop",
            "description": "Every call drops after **5 minutes**.",
            "severity": "2",
            "cc": [colleague.pk],
            "attachment": upload(),
            "idempotency_key": "k1",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert (case.subject, case.severity, case.requester, case.channel) == (
        "Calls drop",
        2,
        customer,
        "web",
    )
    assert list(case.cc.all()) == [colleague]
    assert [a.filename for a in case.attachments.all()] == ["log.txt"]
    assert case.clocks.count() == 2


def test_a_repeated_submission_opens_one_case(client, customer):
    client.force_login(customer)
    data = {"subject": "Twice", "description": "d", "severity": "3", "idempotency_key": "same"}
    first = client.post("/cases/new/", {**data, "attachment": upload()})
    second = client.post("/cases/new/", {**data, "attachment": upload()})
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"subject": "", "description": "d", "severity": "3"}, "subject"),
        ({"subject": "s", "description": "   ", "severity": "3"}, "description"),
        ({"subject": "s", "description": "d", "severity": "7"}, "severity"),
        ({"subject": "s", "description": "d"}, "severity"),
        ({"subject": "x" * 201, "description": "d", "severity": "3"}, "subject"),
    ],
)
def test_bad_input_shows_the_forms_errors_and_opens_nothing(client, customer, data, field):
    client.force_login(customer)
    response = client.post("/cases/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Case.objects.count() == 0


def test_ccing_someone_of_another_account_is_refused(client, customer, other_customer):
    client.force_login(customer)
    data = {"subject": "s", "description": "d", "severity": "3", "cc": [other_customer.pk]}
    response = client.post("/cases/new/", data)
    assert response.context["form"].errors["cc"]
    assert Case.objects.count() == 0


def test_a_refused_file_opens_no_case(client, customer, settings):
    client.force_login(customer)
    data = {"subject": "s", "description": "d", "severity": "3"}
    response = client.post(
        "/cases/new/", {**data, "attachment": upload("run.exe", b"MZ", "application/x-msdos")}
    )
    assert response.status_code == 200
    assert "is not accepted" in str(response.context["form"].errors["attachment"])
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert not list(settings.MEDIA_ROOT.rglob("*.exe"))


def test_every_self_service_place_is_routed():
    """A wrong URL name fails here (and on every page that lists them), never drops its link."""
    from tierdesk.tickets.selectors.portal import SELF_SERVICE, self_service_links

    assert [link.url for link in self_service_links()] == [
        reverse(name) for name, _label in SELF_SERVICE
    ]
    assert reverse("assistant:page") in [link.url for link in self_service_links()]


def test_a_basic_account_is_offered_self_service_and_no_form(client, basic_account):
    member = UserFactory(account=basic_account)
    client.force_login(member)
    response = client.get("/cases/new/")
    page = body(response)
    assert response.status_code == 200
    assert "Your plan includes the help center, the virtual assistant and the community" in page
    assert "<form" not in page.split('id="main"')[1].split("</main>")[0]
    assert not body(client.get("/cases/")).count('id="open-case"')
    client.post("/cases/new/", {"subject": "s", "description": "d", "severity": "3"})
    assert Case.objects.count() == 0


# The case page ----------------------------------------------------------------------------


def test_the_case_page_shows_public_replies_rendered_safely_but_no_internal_notes(
    client, customer, agent
):
    case = open_case(customer)
    case_reply(actor=agent, case=case, body="Try **restarting**. <script>alert(1)</script>")
    case_reply(actor=agent, case=case, body="Internal: customer is grumpy", public=False)
    client.force_login(customer)
    page = body(client.get(f"/cases/{case.pk}/"))
    assert "<strong>restarting</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "customer is grumpy" not in page
    assert "<em>burns</em>" in page  # the description, rendered


def test_the_case_page_shows_the_targets_in_the_viewers_time_zone(client, customer):
    customer.time_zone = "America/New_York"
    customer.save()
    case = open_case(customer, severity=2)
    client.force_login(customer)
    page = body(client.get(f"/cases/{case.pk}/"))
    due = case.clocks.get(target="first_response").due_at
    local = timezone.localtime(due, timezone=ZoneInfo("America/New_York"))
    assert local.strftime("%H:%M") in page
    assert "region time" in page  # Rome's time beside, because it differs
    assert 'data-target="first_response"' in page
    assert "data-countdown=" in page


def test_the_history_shows_status_changes_but_not_internal_moves(client, customer, agent):
    case = open_case(customer)
    case_assign(actor=agent, case=case, assignee=agent)
    case_set_tags(actor=agent, case=case, tags=["vip-grumpy"])
    case_set_status(actor=agent, case=case, status=Status.WAITING)
    client.force_login(customer)
    history = body(client.get(f"/cases/{case.pk}/")).split('id="history"')[1]
    assert "Case opened" in history
    assert "Status: Open → Waiting on customer" in history
    assert "vip-grumpy" not in history
    assert "assignee" not in history


def test_members_and_admins_see_exactly_the_cases_they_may(
    client, customer, account_admin, other_customer
):
    colleague = UserFactory(account=customer.account)
    colleagues_case = open_case(colleague)
    ccd = open_case(colleague, cc=[customer])
    client.force_login(customer)
    assert client.get(f"/cases/{colleagues_case.pk}/").status_code == 404
    assert client.get(f"/cases/{ccd.pk}/").status_code == 200
    client.force_login(account_admin)
    assert client.get(f"/cases/{colleagues_case.pk}/").status_code == 200
    client.force_login(other_customer)
    assert client.get(f"/cases/{colleagues_case.pk}/").status_code == 404


def test_every_portal_url_of_another_tenants_case_answers_404(client, customer, other_customer):
    case = open_case(customer)
    attachment = attachment_add(actor=customer, case=case, upload=upload())
    client.force_login(other_customer)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.post(f"/cases/{case.pk}/reply/", {"body": "hi"}).status_code == 404
    escalate = {"reason": EscalationReason.DELAYED_RESPONSES}
    assert client.post(f"/cases/{case.pk}/escalate/", escalate).status_code == 404
    assert client.get(f"/cases/{case.pk}/attachments/{attachment.pk}/").status_code == 404
    assert Message.objects.count() == 0
    assert SelfEscalation.objects.count() == 0


# Replies and files --------------------------------------------------------------------------


def test_a_customer_replies_with_a_file_and_a_waiting_case_reopens(client, customer, agent):
    case = open_case(customer)
    case_set_status(actor=agent, case=case, status=Status.WAITING)
    client.force_login(customer)
    response = client.post(
        f"/cases/{case.pk}/reply/", {"body": "Here is the log.", "attachment": upload("a.txt")}
    )
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.author, message.body, message.is_public) == (customer, "Here is the log.", True)
    assert [a.filename for a in message.attachments.all()] == ["a.txt"]
    case.refresh_from_db()
    assert case.status == Status.OPEN
    page = body(client.get(f"/cases/{case.pk}/"))
    assert "Here is the log." in page
    assert f"/cases/{case.pk}/attachments/{message.attachments.get().pk}/" in page


def test_an_empty_reply_or_a_refused_file_adds_nothing(client, customer):
    case = open_case(customer)
    client.force_login(customer)
    response = client.post(f"/cases/{case.pk}/reply/", {"body": "  "})
    assert response.status_code == 400
    assert response.context["reply_form"].errors["body"]
    response = client.post(
        f"/cases/{case.pk}/reply/",
        {"body": "with a bad file", "attachment": upload("x.exe", b"MZ", "application/x-msdos")},
    )
    assert response.status_code == 400
    assert response.context["reply_form"].errors["attachment"]
    assert Message.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_a_closed_case_has_no_reply_form(client, customer):
    case = open_case(customer)
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    client.force_login(customer)
    page = body(client.get(f"/cases/{case.pk}/"))
    assert 'id="reply-form"' not in page
    assert 'id="case-closed"' in page
    assert client.post(f"/cases/{case.pk}/reply/", {"body": "hi"}).status_code == 403
    assert Message.objects.count() == 0


def test_a_file_downloads_as_an_attachment_without_sniffing(client, customer, agent):
    case = open_case(customer)
    attachment = attachment_add(
        actor=customer, case=case, upload=upload("<b>.html.txt", b"<b>hi</b>")
    )
    url = f"/cases/{case.pk}/attachments/{attachment.pk}/"
    for user in (customer, agent):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        # Consuming the stream closes the file; an explicit close() would fire
        # request_finished and drop the test's database connection on PostgreSQL.
        assert b"".join(response.streaming_content) == b"<b>hi</b>"


def test_a_file_is_not_served_under_another_case_or_when_internal(client, customer, agent):
    case = open_case(customer)
    other = open_case(customer, subject="Other")
    public = attachment_add(actor=customer, case=case, upload=upload())
    internal = attachment_add(actor=agent, case=case, upload=upload("note.txt"), public=False)
    client.force_login(customer)
    assert client.get(f"/cases/{other.pk}/attachments/{public.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/attachments/{internal.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/attachments/999999/").status_code == 404
    assert "note.txt" not in body(client.get(f"/cases/{case.pk}/"))
    client.force_login(agent)
    response = client.get(f"/cases/{case.pk}/attachments/{internal.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


# Self-escalation ----------------------------------------------------------------------------


@pytest.fixture
def plus_customer(premier_plus_account):
    return UserFactory(account=premier_plus_account, email="member@plus.example")


def aged_case(user, hours=25):
    return open_case(user, now=timezone.now() - timedelta(hours=hours))


def test_the_escalation_form_shows_only_when_the_plan_allows_and_after_24_hours(
    client, plus_customer, customer
):
    client.force_login(plus_customer)
    assert 'id="escalation-form"' not in body(
        client.get(f"/cases/{aged_case(plus_customer, 23).pk}/")
    )
    page = body(client.get(f"/cases/{aged_case(plus_customer).pk}/"))
    assert 'id="escalation-form"' in page
    for reason in EscalationReason:
        assert f'value="{reason.value}"' in page
    client.force_login(customer)  # Business license: no self-escalation
    assert 'id="escalation-form"' not in body(client.get(f"/cases/{aged_case(customer).pk}/"))


def test_a_customer_asks_for_escalation_and_sees_the_pending_state(client, plus_customer):
    case = aged_case(plus_customer)
    client.force_login(plus_customer)
    response = client.post(
        f"/cases/{case.pk}/escalate/",
        {"reason": EscalationReason.TIME_ZONE, "details": "We are 9 hours apart."},
    )
    assert response.status_code == 302
    request = SelfEscalation.objects.get()
    assert (request.reason, request.requested_by, request.decision) == (
        EscalationReason.TIME_ZONE,
        plus_customer,
        "pending",
    )
    page = body(client.get(f"/cases/{case.pk}/"))
    assert 'data-decision="pending"' in page
    assert 'id="escalation-form"' not in page  # one pending request at a time


def test_an_escalation_without_a_valid_reason_changes_nothing(client, plus_customer):
    case = aged_case(plus_customer)
    client.force_login(plus_customer)
    response = client.post(f"/cases/{case.pk}/escalate/", {"reason": "i_am_impatient"})
    assert response.status_code == 400
    assert response.context["escalation_form"].errors["reason"]
    assert SelfEscalation.objects.count() == 0


def test_too_early_an_escalation_is_refused(client, plus_customer):
    case = aged_case(plus_customer, hours=2)
    client.force_login(plus_customer)
    response = client.post(f"/cases/{case.pk}/escalate/", {"reason": "critical_failure"})
    assert response.status_code == 403
    assert SelfEscalation.objects.count() == 0


def test_the_decision_and_its_reason_show_once_decided(client, plus_customer, supervisor):
    case = aged_case(plus_customer)
    request = self_escalation_request(
        actor=plus_customer, case=case, reason=EscalationReason.DELAYED_RESPONSES
    )
    self_escalation_decide(
        actor=supervisor, request=request, accept=False, reason="An engineer is on it already."
    )
    client.force_login(plus_customer)
    page = body(client.get(f"/cases/{case.pk}/"))
    assert 'data-decision="rejected"' in page
    assert "An engineer is on it already." in page
    assert "Escalation request decided: Rejected" in page
