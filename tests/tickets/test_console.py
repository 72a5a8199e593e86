"""The agent console: queues, the case page and its actions, explanations, escalation requests."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AccountFactory,
    LicensePlanFactory,
    StaffAdminFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.roles import Role
from tierdesk.tickets.choices import Line, Status, TargetKind
from tierdesk.tickets.models import Case, CaseEvent, SelfEscalation, SlaClock
from tierdesk.tickets.services.cases import case_create, case_reply, case_set_status
from tierdesk.tickets.services.escalations import case_escalate, self_escalation_request

from .conftest import MONDAY_10, rome

pytestmark = pytest.mark.django_db

ACTIONS = ("claim", "assign", "reply", "note", "severity", "status", "escalate", "tags", "merge")


def open_case(customer, *, severity=2, now=None, subject="Meetings drop after 5 minutes"):
    return case_create(
        actor=customer,
        subject=subject,
        description="Every meeting **drops**.",
        severity=severity,
        now=now or timezone.now() - timedelta(hours=1),
    )


def case_url(case):
    return reverse("case-detail", args=[case.pk])


def action_url(name, case):
    return reverse(f"tickets:console-{name}", args=[case.pk])


def snapshot(case):
    """What an action may change: to prove a refused action changed nothing."""
    case.refresh_from_db()
    return (
        case.status,
        case.severity,
        case.line,
        case.assignee_id,
        case.merged_into_id,
        sorted(case.tags.values_list("name", flat=True)),
        case.messages.count(),
        case.events.count(),
        sorted(SlaClock.objects.filter(case=case).values_list("target", "due_at")),
    )


@pytest.fixture
def case(customer):
    return open_case(customer)


# The case page ----------------------------------------------------------------------------------


def test_case_page_shows_thread_notes_history_and_reply_form(client, agent, case):
    case_reply(actor=agent, case=case, body="Looking into it", public=False)
    client.force_login(agent)
    response = client.get(case_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="reply-body"' in html and 'name="body"' in html
    assert 'id="reply-submit"' in html
    assert "Looking into it" in html
    assert "message-note" in html and "Internal note: not visible to the customer" in html
    assert 'data-state="running"' in html  # the first-response badge
    assert 'hx-trigger="every 30s"' in html
    assert 'data-kind="created"' in html  # history
    assert "tickets/console.js" in html


def test_reply_meets_first_response_and_redirects_with_message(client, agent, case):
    client.force_login(agent)
    response = client.post(action_url("reply", case), {"body": "Hello, try this."}, follow=True)
    assert response.redirect_chain[-1][0] == case_url(case)
    assert "Reply sent." in response.content.decode()
    case.refresh_from_db()
    assert case.first_responded_at is not None
    assert case.status == Status.OPEN
    message = case.messages.get()
    assert message.is_public and message.author == agent


@pytest.mark.parametrize(("button", "status"), [("wait", Status.WAITING), ("solve", Status.SOLVED)])
def test_reply_and_then(client, agent, case, button, status):
    client.force_login(agent)
    response = client.post(action_url("reply", case), {"body": "Done?", "send": button})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == status


def test_empty_reply_shows_the_error_and_changes_nothing(client, agent, case):
    client.force_login(agent)
    before = snapshot(case)
    response = client.post(action_url("reply", case), {"body": "   "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert snapshot(case) == before


def test_internal_note_is_private_and_does_not_meet_first_response(client, agent, case):
    client.force_login(agent)
    assert client.post(action_url("note", case), {"body": "Customer is on v5"}).status_code == 302
    case.refresh_from_db()
    assert case.first_responded_at is None
    assert case.messages.get().is_public is False


def test_customers_get_404_on_every_console_address(client, customer, case):
    client.force_login(customer)
    gets = [
        reverse("tickets:queues"),
        reverse("tickets:escalations"),
        reverse("tickets:console-clocks", args=[case.pk]),
        reverse("tickets:console-explain", args=[case.pk, TargetKind.FIRST_RESPONSE]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    before = snapshot(case)
    for name in (
        "claim",
        "assign",
        "reply",
        "note",
        "severity",
        "status",
        "escalate",
        "tags",
        "merge",
    ):
        assert (
            client.post(action_url(name, case), {"body": "x", "status": "solved"}).status_code
            == 404
        )
    assert snapshot(case) == before


def test_l1_agent_gets_404_for_an_engineering_case_everywhere(client, agent, supervisor):
    customer = UserFactory(
        account=AccountFactory(
            license_plan=LicensePlanFactory(code="enterprise"),
            support_plan=SupportPlanFactory(code="premier"),
            region=agent.region,
        )
    )
    case = open_case(customer)
    case_escalate(actor=supervisor, case=case, line=Line.ENGINEERING, reason="Needs a fix")
    client.force_login(agent)
    assert client.get(case_url(case)).status_code == 404
    assert client.get(reverse("tickets:console-clocks", args=[case.pk])).status_code == 404
    explain = reverse("tickets:console-explain", args=[case.pk, TargetKind.FIRST_RESPONSE])
    assert client.get(explain).status_code == 404
    before = snapshot(case)
    for name in ACTIONS:
        assert client.post(action_url(name, case), {"body": "x"}).status_code == 404, name
    assert snapshot(case) == before


# Claim and assign ----------------------------------------------------------------------------


def test_claim_takes_the_case_and_opens_it(client, agent, case):
    client.force_login(agent)
    response = client.post(action_url("claim", case), follow=True)
    assert "You took case" in response.content.decode()
    case.refresh_from_db()
    assert case.assignee == agent
    assert case.status == Status.OPEN
    assert CaseEvent.objects.filter(case=case, kind="assignee", actor=agent).exists()


def test_agent_sees_no_assign_form_and_cannot_assign_others(client, agent, agent_l2, case):
    client.force_login(agent)
    assert 'id="assign-form"' not in client.get(case_url(case)).content.decode()
    before = snapshot(case)
    response = client.post(action_url("assign", case), {"assignee": agent_l2.pk})
    assert response.status_code == 403
    assert "Only supervisors assign cases to others." in response.content.decode()
    assert snapshot(case) == before


def test_supervisor_reassigns_to_an_agent_of_the_line(client, supervisor, agent, agent_l2, case):
    client.force_login(supervisor)
    html = client.get(case_url(case)).content.decode()
    assert 'id="assign-form"' in html and agent.get_full_name() in html
    assert client.post(action_url("assign", case), {"assignee": agent.pk}).status_code == 302
    case.refresh_from_db()
    assert case.assignee == agent
    assert client.post(action_url("assign", case), {"assignee": agent_l2.pk}).status_code == 302
    case.refresh_from_db()
    assert case.assignee == agent_l2


def test_supervisor_cannot_assign_someone_outside_the_line(client, supervisor, engineer, case):
    client.force_login(supervisor)
    before = snapshot(case)
    response = client.post(action_url("assign", case), {"assignee": engineer.pk})
    assert response.status_code == 400  # engineers are not among the choices of an L1 case
    assert snapshot(case) == before


# Severity and status --------------------------------------------------------------------------


def test_severity_change_through_the_page_moves_the_due_time(client, agent, customer):
    case = open_case(customer, severity=3)
    first = SlaClock.objects.get(case=case, target=TargetKind.FIRST_RESPONSE)
    client.force_login(agent)
    response = client.post(action_url("severity", case), {"severity": "1", "note": "Outage"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.severity == 1
    moved = SlaClock.objects.get(case=case, target=TargetKind.FIRST_RESPONSE)
    # Severity 1 on Premier: 1 hour around the clock, from the case's start.
    assert moved.due_at == case.created_at + timedelta(hours=1)
    assert moved.due_at != first.due_at
    event = CaseEvent.objects.get(case=case, kind="severity")
    assert (event.before, event.after, event.note) == (3, 1, "Outage")


def test_bad_severity_changes_nothing(client, agent, case):
    client.force_login(agent)
    before = snapshot(case)
    assert client.post(action_url("severity", case), {"severity": "7"}).status_code == 400
    assert snapshot(case) == before


@pytest.mark.parametrize("status", [Status.WAITING, Status.ON_HOLD, Status.SOLVED, Status.OPEN])
def test_status_buttons(client, agent, case, status):
    client.force_login(agent)
    assert client.post(action_url("status", case), {"status": status}).status_code == 302
    case.refresh_from_db()
    assert case.status == status


def test_waiting_pauses_the_badges(client, agent, case):
    client.force_login(agent)
    client.post(action_url("status", case), {"status": Status.WAITING})
    html = client.get(reverse("tickets:console-clocks", args=[case.pk])).content.decode()
    assert 'data-state="paused"' in html
    assert 'hx-trigger="every 30s"' in html


def test_status_closed_is_refused(client, agent, case):
    client.force_login(agent)
    before = snapshot(case)
    assert client.post(action_url("status", case), {"status": Status.CLOSED}).status_code == 400
    assert snapshot(case) == before


# Escalation -----------------------------------------------------------------------------------


def test_escalate_to_l2_with_a_reason(client, agent, case):
    client.force_login(agent)
    response = client.post(action_url("escalate", case), {"line": Line.L2, "reason": "Logs needed"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.line == Line.L2
    assert CaseEvent.objects.get(case=case, kind="escalated").note == "Logs needed"


def test_an_agent_who_loses_sight_of_the_case_goes_back_to_the_queue(client, agent, case):
    # L1 may not see L2's cases: the case page would be a bare 404.
    client.force_login(agent)
    response = client.post(action_url("escalate", case), {"line": Line.L2, "reason": "Logs needed"})
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:queues") + "?line=l1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert f"Case #{case.pk} escalated to Second line (L2)." in page.content.decode()
    assert client.get(case_url(case)).status_code == 404


def test_an_agent_who_still_sees_the_case_goes_back_to_it(client, agent_l2, case):
    client.force_login(agent_l2)
    response = client.post(action_url("escalate", case), {"line": Line.L2, "reason": "Mine now"})
    assert response["Location"] == case_url(case)
    page = client.get(response["Location"])
    assert f"Case #{case.pk} escalated to Second line (L2)." in page.content.decode()


def test_every_action_that_succeeds_leads_somewhere_the_actor_may_see(
    client, agent, supervisor, customer, case
):
    other = open_case(customer, subject="Same problem")
    client.force_login(supervisor)
    data = {"assignee": agent.pk}
    assert client.post(action_url("assign", case), data)["Location"] == case_url(case)
    client.force_login(agent)
    response = client.post(action_url("merge", other), {"target": case.pk})
    assert response["Location"] == case_url(other)
    assert client.get(response["Location"]).status_code == 200


def test_escalation_needs_a_reason(client, agent, case):
    client.force_login(agent)
    before = snapshot(case)
    assert (
        client.post(action_url("escalate", case), {"line": Line.L2, "reason": ""}).status_code
        == 400
    )
    assert snapshot(case) == before


def test_engineering_refused_when_the_plan_lacks_it_and_the_page_says_why(client, agent, case):
    # Premier Co is on Business: no technical intervention.
    client.force_login(agent)
    html = client.get(case_url(case)).content.decode()
    assert 'data-line="engineering" data-allowed="false"' in html
    assert "does not include technical intervention" in html
    before = snapshot(case)
    response = client.post(
        action_url("escalate", case), {"line": Line.ENGINEERING, "reason": "Bug"}
    )
    assert response.status_code == 400
    assert "does not include technical intervention" in response.content.decode()
    assert snapshot(case) == before


def test_engineering_allowed_on_enterprise(client, agent_l2, premier_plus_account):
    case = open_case(UserFactory(account=premier_plus_account))
    client.force_login(agent_l2)
    assert (
        'data-line="engineering" data-allowed="true"' in client.get(case_url(case)).content.decode()
    )
    response = client.post(
        action_url("escalate", case), {"line": Line.ENGINEERING, "reason": "Server bug"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.line == Line.ENGINEERING


# Tags and merge -------------------------------------------------------------------------------


def test_tags_are_saved(client, agent, case):
    client.force_login(agent)
    assert (
        client.post(action_url("tags", case), {"tags": "Audio, zoom-rooms  audio"}).status_code
        == 302
    )
    assert sorted(case.tags.values_list("name", flat=True)) == ["audio", "zoom-rooms"]


def test_merge_a_duplicate(client, agent, customer, case):
    duplicate = open_case(customer, subject="Meetings drop again")
    client.force_login(agent)
    response = client.post(action_url("merge", duplicate), {"target": f"#{case.pk}"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == case
    assert duplicate.status == Status.CLOSED


def test_merge_refuses_another_account_and_unknown_numbers(client, agent, case, other_customer):
    other = open_case(other_customer)
    client.force_login(agent)
    before = snapshot(case)
    response = client.post(action_url("merge", case), {"target": str(other.pk)})
    assert response.status_code == 400
    assert "Only cases of the same account can be merged." in response.content.decode()
    response = client.post(action_url("merge", case), {"target": "999999"})
    assert response.status_code == 400
    assert "There is no case #999999 you may see." in response.content.decode()
    response = client.post(action_url("merge", case), {"target": "abc"})
    assert response.status_code == 400
    assert snapshot(case) == before


# The explanation ------------------------------------------------------------------------------


def test_explanation_adds_up_to_the_target_minus_pauses(client, agent, customer):
    case = case_create(actor=customer, subject="Drops", description="x", severity=2, now=MONDAY_10)
    case_set_status(actor=agent, case=case, status=Status.WAITING, now=rome(2026, 3, 2, 11, 0))
    case_set_status(actor=agent, case=case, status=Status.OPEN, now=rome(2026, 3, 2, 12, 0))
    client.force_login(agent)
    url = reverse("tickets:console-explain", args=[case.pk, TargetKind.FIRST_RESPONSE])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the fragment for htmx
    # 4 business hours from Monday 10:00 Rome: 10-11, (11-12 paused), 12-13, 14-16.
    rows = re.findall(
        r'data-label="From">([^<]*)</td>\s*<td data-label="To">([^<]*)</td>\s*'
        r'<td data-label="Duration">([^<]*)</td>',
        html,
    )
    assert rows == [
        ("10:00", "11:00", "1 h"),
        ("11:00", "12:00", "1 h"),
        ("12:00", "13:00", "1 h"),
        ("14:00", "16:00", "2 h"),
    ]
    assert "paused: not counted" in html
    assert "Europe/Rome" in html
    assert SlaClock.objects.get(case=case, target=TargetKind.FIRST_RESPONSE).due_at == rome(
        2026, 3, 2, 16, 0
    )
    full = client.get(url)
    assert "<html" in full.content.decode()


def test_explanation_of_a_missing_target_is_404(client, agent, pro_account):
    case = open_case(UserFactory(account=pro_account))  # Access support: no resolution target
    client.force_login(agent)
    url = reverse("tickets:console-explain", args=[case.pk, TargetKind.RESOLUTION])
    assert client.get(url).status_code == 404
    url = reverse("tickets:console-explain", args=[case.pk, "nonsense"])
    assert client.get(url).status_code == 404


def test_region_time_shown_beside_the_viewers(client, agent, case):
    agent.time_zone = "America/New_York"
    agent.save()
    client.force_login(agent)
    html = client.get(case_url(case)).content.decode()
    due = SlaClock.objects.get(case=case, target=TargetKind.FIRST_RESPONSE).due_at
    assert due.astimezone(ZoneInfo("Europe/Rome")).strftime("%H:%M") + " CE" in html
    assert due.astimezone(ZoneInfo("America/New_York")).strftime("%H:%M") in html


# Queues ---------------------------------------------------------------------------------------


def queue_ids(response):
    return [
        int(n)
        for n in re.findall(r'data-queue-row data-case-id="(\d+)"', response.content.decode())
    ]


def test_queue_in_documented_order(client, agent, region, customer, pro_account):
    pro_customer = UserFactory(account=pro_account)
    now = timezone.now()
    sev3_old = open_case(customer, severity=3, now=now - timedelta(hours=3))
    sev1 = open_case(customer, severity=1, now=now - timedelta(minutes=10))
    sev2_pro = open_case(pro_customer, severity=2, now=now - timedelta(hours=2))
    sev2_premier = open_case(customer, severity=2, now=now - timedelta(hours=2))
    client.force_login(agent)
    response = client.get(reverse("tickets:queues"))
    assert response.status_code == 200
    # Severity first; among S2, Premier's due time is earlier (4 h vs Access 8 h).
    assert queue_ids(response) == [sev1.pk, sev2_premier.pk, sev2_pro.pk, sev3_old.pk]
    html = response.content.decode()
    assert 'hx-trigger="every 30s"' in html
    assert 'data-line="l1"' in html and 'data-line="l2"' not in html  # an L1 agent's tabs


def test_queue_region_defaults_to_the_agents_and_can_show_all(client, agent, customer):
    elsewhere = SupportRegionFactory(code="us", name="US", time_zone="America/New_York")
    far = open_case(
        UserFactory(
            account=AccountFactory(
                license_plan=LicensePlanFactory(code="business"),
                support_plan=SupportPlanFactory(code="premier"),
                region=elsewhere,
            )
        )
    )
    near = open_case(customer)
    client.force_login(agent)
    assert queue_ids(client.get(reverse("tickets:queues"))) == [near.pk]
    everywhere = client.get(reverse("tickets:queues"), {"region": "all"})
    assert set(queue_ids(everywhere)) == {near.pk, far.pk}
    there = client.get(reverse("tickets:queues"), {"region": elsewhere.pk})
    assert queue_ids(there) == [far.pk]


def test_the_region_filter_names_regions_in_the_reader_language(client, supervisor):
    """As the home, /account/ and the phone console do (SupportRegion.display_name)."""
    for code, name in (("jp", "Japan"), ("us", "United States"), ("au", "Australia")):
        SupportRegionFactory(code=code, name=name, time_zone="Asia/Tokyo")
    supervisor.language = "it"
    supervisor.save()
    client.force_login(supervisor)
    html = client.get(reverse("tickets:queues")).content.decode()
    select = html.split('id="queue-region"')[1].split("</select>")[0]
    options = re.findall(r"<option [^>]*>([^<]+)</option>", select)
    # In Italian's alphabetical order, after "every region".
    assert options == ["Tutte le regioni", "Australia", "Giappone", "Italia", "Stati Uniti"]


def test_queue_bad_filters_answer_400_with_the_reason(client, agent_l2):
    client.force_login(agent_l2)
    response = client.get(reverse("tickets:queues"), {"region": "nowhere"})
    assert response.status_code == 400
    assert "Unknown region." in response.content.decode()
    # An L2 agent has no engineering queue.
    assert client.get(reverse("tickets:queues"), {"line": "engineering"}).status_code == 400


def test_queue_tabs_by_role(client, agent_l2, engineer, supervisor):
    for user, lines in (
        (agent_l2, ["l1", "l2"]),
        (engineer, ["engineering"]),
        (supervisor, ["l1", "l2", "engineering"]),
    ):
        client.force_login(user)
        html = client.get(reverse("tickets:queues")).content.decode()
        assert re.findall(r'data-line="([a-z0-9]+)">', html) == lines, user.role


def test_queue_queries_do_not_grow_with_cases(
    client, agent, customer, django_assert_max_num_queries
):
    client.force_login(agent)
    for _ in range(3):
        open_case(customer)
    with django_assert_max_num_queries(8):
        assert len(queue_ids(client.get(reverse("tickets:queues")))) == 3
    for _ in range(22):
        open_case(customer)
    with django_assert_max_num_queries(8):
        assert len(queue_ids(client.get(reverse("tickets:queues")))) == 25


def test_queue_pages(client, agent, customer):
    for _ in range(27):
        open_case(customer)
    client.force_login(agent)
    first = client.get(reverse("tickets:queues"))
    second = client.get(reverse("tickets:queues"), {"page": 2})
    assert len(queue_ids(first)) == 25 and len(queue_ids(second)) == 2
    assert not set(queue_ids(first)) & set(queue_ids(second))


def test_queue_htmx_poll_returns_only_the_table(client, agent, case):
    client.force_login(agent)
    response = client.get(reverse("tickets:queues"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="queue-table"')
    assert queue_ids(response) == [case.pk]
    assert 'data-state="running"' in html


def test_case_page_links_the_next_case_of_the_queue(client, agent, customer):
    first = open_case(customer, severity=1)
    second = open_case(customer, severity=2)
    client.force_login(agent)
    html = client.get(case_url(first)).content.decode()
    assert f'href="{case_url(second)}" data-shortcut="j"' in html
    html = client.get(case_url(second)).content.decode()
    assert f'href="{case_url(first)}" data-shortcut="k"' in html


# Customers' escalation requests ------------------------------------------------------------------


@pytest.fixture
def request_pending(premier_plus_account):
    admin = UserFactory(account=premier_plus_account, role=Role.ACCOUNT_ADMIN)
    case = open_case(admin, now=timezone.now() - timedelta(days=3))
    return self_escalation_request(actor=admin, case=case, reason="delayed_responses")


def decide_url(item):
    return reverse("tickets:escalation-decide", args=[item.pk])


def test_supervisor_sees_pending_requests_of_their_region(client, supervisor, request_pending):
    client.force_login(supervisor)
    html = client.get(reverse("tickets:escalations")).content.decode()
    assert f'id="request-{request_pending.pk}"' in html
    assert "Delayed responses" in html
    other = VendorUserFactory(role=Role.SUPERVISOR, region=SupportRegionFactory())
    client.force_login(other)
    html = client.get(reverse("tickets:escalations")).content.decode()
    assert f'id="request-{request_pending.pk}"' not in html
    prefix = f"r{request_pending.pk}"
    response = client.post(
        decide_url(request_pending), {f"{prefix}-decision": "accept", f"{prefix}-reason": "ok"}
    )
    assert response.status_code == 404
    request_pending.refresh_from_db()
    assert request_pending.decision == SelfEscalation.Decision.PENDING


def test_accepting_moves_the_case_up_a_line(client, supervisor, request_pending):
    client.force_login(supervisor)
    prefix = f"r{request_pending.pk}"
    response = client.post(
        decide_url(request_pending),
        {f"{prefix}-decision": "accept", f"{prefix}-reason": "Agreed, too slow"},
        follow=True,
    )
    assert "accepted" in response.content.decode()
    request_pending.refresh_from_db()
    assert request_pending.decision == SelfEscalation.Decision.ACCEPTED
    assert request_pending.decision_reason == "Agreed, too slow"
    assert request_pending.case.line == Line.L2


def test_rejecting_needs_a_reason_and_twice_is_refused(client, supervisor, request_pending):
    client.force_login(supervisor)
    prefix = f"r{request_pending.pk}"
    url = decide_url(request_pending)
    response = client.post(url, {f"{prefix}-decision": "reject", f"{prefix}-reason": ""})
    assert response.status_code == 400
    request_pending.refresh_from_db()
    assert request_pending.decision == SelfEscalation.Decision.PENDING
    data = {f"{prefix}-decision": "reject", f"{prefix}-reason": "Within targets"}
    assert client.post(url, data).status_code == 302
    request_pending.refresh_from_db()
    assert request_pending.decision == SelfEscalation.Decision.REJECTED
    assert request_pending.case.line == Line.L1
    again = client.post(url, {f"{prefix}-decision": "accept", f"{prefix}-reason": "Changed mind"})
    assert again.status_code == 400
    assert "already decided" in again.content.decode()
    request_pending.refresh_from_db()
    assert request_pending.decision == SelfEscalation.Decision.REJECTED


def test_agents_and_customers_get_404_on_the_escalation_desk(
    client, agent, customer, request_pending
):
    prefix = f"r{request_pending.pk}"
    for user in (agent, customer, request_pending.requested_by):
        client.force_login(user)
        assert client.get(reverse("tickets:escalations")).status_code == 404
        data = {f"{prefix}-decision": "accept", f"{prefix}-reason": "x"}
        assert client.post(decide_url(request_pending), data).status_code == 404
    request_pending.refresh_from_db()
    assert request_pending.decision == SelfEscalation.Decision.PENDING


def test_staff_admin_sees_every_region(client, request_pending):
    client.force_login(StaffAdminFactory(region=SupportRegionFactory()))
    html = client.get(reverse("tickets:escalations")).content.decode()
    assert f'id="request-{request_pending.pk}"' in html


def test_navigation_entries(client, agent, supervisor, customer):
    client.force_login(agent)
    html = client.get(reverse("tickets:queues")).content.decode()
    assert f'href="{reverse("tickets:queues")}"' in html
    assert f'href="{reverse("tickets:escalations")}"' not in html
    client.force_login(supervisor)
    html = client.get(reverse("tickets:queues")).content.decode()
    assert f'href="{reverse("tickets:escalations")}"' in html


# The Django admin ------------------------------------------------------------------------------


def test_admin_lists_cases_in_bounded_queries_and_is_read_only(
    client, customer, agent, django_assert_max_num_queries
):
    for _ in range(5):
        case = open_case(customer)
    case_reply(actor=agent, case=case, body="Hi", public=True)
    admin_user = StaffAdminFactory()
    client.force_login(admin_user)
    url = reverse("admin:tickets_case_changelist")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    for _ in range(20):
        open_case(customer)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    detail = client.get(reverse("admin:tickets_case_change", args=[case.pk]))
    assert detail.status_code == 200
    assert "Hi" in detail.content.decode()
    assert client.get(reverse("admin:tickets_case_add")).status_code == 403
    before = snapshot(case)
    client.post(reverse("admin:tickets_case_change", args=[case.pk]), {"subject": "Changed"})
    assert snapshot(case) == before
    assert Case.objects.get(pk=case.pk).subject != "Changed"
    for name in ("selfescalation", "slatimer", "tag"):
        assert client.get(reverse(f"admin:tickets_{name}_changelist")).status_code == 200


def test_history_shows_who_when_and_readable_before_after(client, agent, case):
    client.force_login(agent)
    client.post(action_url("status", case), {"status": Status.WAITING, "note": "Need logs"})
    html = client.get(case_url(case)).content.decode()
    row = re.search(r'<tr data-kind="status">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
    assert cells[1:] == [agent.get_full_name(), "Status", "New", "Waiting on customer", "Need logs"]


def test_case_page_queries_do_not_grow_with_messages(
    client, agent, case, django_assert_max_num_queries
):
    client.force_login(agent)
    case_reply(actor=agent, case=case, body="one", public=True)
    with django_assert_max_num_queries(30) as few:
        client.get(case_url(case))
    for n in range(10):
        case_reply(actor=agent, case=case, body=f"note {n}", public=bool(n % 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(case_url(case)).content.decode()
    assert "note 9" in html
