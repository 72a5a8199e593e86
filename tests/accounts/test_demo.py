"""`tierdesk load_demo`: regions, accounts, users and cases in every state; idempotent."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tierdesk.accounts.entitlements import Capability, user_may
from tierdesk.accounts.models import (
    Account,
    CalendarException,
    LicensePlan,
    OpeningWindow,
    SupportPlan,
    SupportRegion,
    Territory,
    User,
)
from tierdesk.accounts.roles import Role
from tierdesk.accounts.services.demo import DEMO_PASSWORD, demo_load
from tierdesk.notifications.models import OutboxMessage, OutboxStatus
from tierdesk.sla.clock import ClockStatus
from tierdesk.tickets.choices import EventKind, Line, Status, TargetKind
from tierdesk.tickets.models import (
    Case,
    CaseEvent,
    Message,
    Pause,
    SelfEscalation,
    SlaClock,
    SlaTimer,
)
from tierdesk.tickets.selectors.clocks import case_clock_states
from tierdesk.tickets.services.demo_cases import OUTBOX_NOTE, demo_cases_load

pytestmark = pytest.mark.django_db

MODELS = [SupportRegion, OpeningWindow, CalendarException, Territory, Account, User]
H = 60


def snapshot() -> dict[str, list[dict]]:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.fixture
def demo():
    return demo_load()


def test_running_it_twice_changes_nothing_and_duplicates_nothing(demo):
    before = snapshot()
    again = demo_load()
    assert not again.created_anything
    assert snapshot() == before
    assert [login.email for login in again.logins] == [login.email for login in demo.logins]


def test_the_four_regions_and_their_calendars(demo):
    regions = {r.code: r for r in SupportRegion.objects.all()}
    assert set(regions) == {"it", "us", "jp", "au"}
    expected = {
        "it": ("Europe/Rome", "IT", "", [(9 * H, 13 * H), (14 * H, 18 * H)]),
        "us": ("America/New_York", "US", "", [(8 * H, 20 * H)]),
        "jp": ("Asia/Tokyo", "JP", "", [(9 * H, 18 * H)]),
        "au": ("Australia/Sydney", "AU", "NSW", [(9 * H, 17 * H)]),
    }
    for code, (tz, country, subdivision, windows) in expected.items():
        region = regions[code]
        assert (region.time_zone, region.holiday_country, region.holiday_subdivision) == (
            tz,
            country,
            subdivision,
        )
        for weekday in range(7):
            rows = list(
                region.windows.filter(weekday=weekday).values_list("start_minute", "end_minute")
            )
            assert rows == (windows if weekday < 5 else []), (code, weekday)
    assert {(t.country, t.region.code) for t in Territory.objects.select_related("region")} == {
        ("IT", "it"),
        ("US", "us"),
        ("JP", "jp"),
        ("AU", "au"),
    }


def test_every_license_plan_in_every_region_and_every_support_plan_on_paid_plans(demo):
    accounts = list(Account.objects.select_related("license_plan", "support_plan", "region"))
    for region in SupportRegion.objects.all():
        plans = {a.license_plan.code for a in accounts if a.region_id == region.pk}
        assert plans == set(LicensePlan.objects.values_list("code", flat=True)), region.code
    paid_support = {(a.license_plan.code, a.support_plan.code) for a in accounts}
    for plan in LicensePlan.objects.filter(is_paid=True):
        for support in SupportPlan.objects.all():
            assert (plan.code, support.code) in paid_support
    for account in accounts:
        if not account.license_plan.is_paid:
            assert account.support_plan.code == "access"
        assert account.support_pin.isdigit()
        assert len(account.support_pin) == 6
    assert Account.objects.filter(name="Rossi Pro (Premier)").exists()


def test_each_account_has_an_admin_and_a_member_in_its_region_time_zone(demo):
    for account in Account.objects.select_related("region"):
        users = {u.role: u for u in account.users.all()}
        assert set(users) == {Role.ACCOUNT_ADMIN, Role.MEMBER}, account.name
        for user in users.values():
            assert user.time_zone == account.region.time_zone
            assert user.language == ("it" if account.region.code == "it" else "en")
    admin = User.objects.get(email="admin@rossi-pro.example")
    assert admin.role == Role.ACCOUNT_ADMIN
    assert admin.account.name.startswith("Rossi Pro")


def test_premier_plus_accounts_have_an_l2_technical_account_manager(demo):
    plus = Account.objects.filter(support_plan__code="premier_plus").select_related(
        "technical_account_manager", "region"
    )
    assert plus.exists()
    for account in plus:
        tam = account.technical_account_manager
        assert tam is not None
        assert tam.role == Role.AGENT_L2
        assert tam.region_id == account.region_id
    assert not Account.objects.exclude(support_plan__code="premier_plus").filter(
        technical_account_manager__isnull=False
    )


def test_vendor_staff_in_every_region_and_one_staff_admin(demo):
    for code in ("it", "us", "jp", "au"):
        for prefix, role in [
            ("agent.l1", Role.AGENT_L1),
            ("agent.l2", Role.AGENT_L2),
            ("engineer", Role.ENGINEER),
            ("supervisor", Role.SUPERVISOR),
        ]:
            user = User.objects.get(email=f"{prefix}.{code}@tierdesk.example")
            assert user.role == role
            assert user.account is None
            assert user.region.code == code
            assert user.time_zone == user.region.time_zone
            assert not user.is_staff
    admin = User.objects.get(email="admin@tierdesk.example")
    assert admin.role == Role.STAFF_ADMIN
    assert admin.is_staff
    assert admin.is_superuser


@pytest.mark.parametrize(
    "email",
    [
        "admin@tierdesk.example",
        "agent.l1.it@tierdesk.example",
        "supervisor.au@tierdesk.example",
        "admin@rossi-pro.example",
        "member@hudson-business-plus.example",
    ],
)
def test_demo_logins_work_with_the_documented_password(demo, client, rf, email):
    # django-axes needs the request, which client.login() does not pass: sign in through the
    # real login view instead (its form names the e-mail field "username").
    response = client.post(
        reverse("login"), {"username": email, "email": email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email=email).pk
    assert authenticate(rf.post("/"), email=email, password="wrong") is None


def test_demo_entitlements_follow_the_plans(demo):
    basic = User.objects.get(email="member@rossi-basic.example")
    enterprise = User.objects.get(email="member@rossi-enterprise.example")
    assert not user_may(basic, Capability.WEB_TICKETS)
    assert user_may(enterprise, Capability.ENGINEERING_ESCALATION)


def test_the_command_prints_the_logins_and_the_password():
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Created:" in text
    assert "admin@tierdesk.example" in text
    assert "agent.l2.jp@tierdesk.example" in text
    assert "Rossi Pro (" in text
    assert DEMO_PASSWORD in text
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing changed" in out.getvalue()


# The demo's cases ------------------------------------------------------------------------------


@pytest.fixture
def demo_cases(demo):
    return demo_cases_load()


def _demo_case(report, state):
    [link] = [link for link in report.links if link.state == state]
    return Case.objects.select_related("account__support_plan", "region").get(pk=link.case_id)


def _clock(case, target):
    return SlaClock.objects.get(case=case, target=target)


def test_every_state_a_newcomer_should_see_exists(demo_cases):
    now = timezone.now()
    case = _demo_case(demo_cases, "new")
    assert (case.status, case.assignee_id) == (Status.NEW, None)
    assert not SlaClock.objects.filter(case=case, breached_at__isnull=False).exists()

    case = _demo_case(demo_cases, "claimed")
    assert case.status == Status.OPEN
    assert case.assignee.email == "agent.l1.us@tierdesk.example"

    case = _demo_case(demo_cases, "waiting on the customer")
    assert case.status == Status.WAITING
    assert Pause.objects.filter(case=case, ended_at__isnull=True).exists()
    assert _clock(case, TargetKind.FIRST_RESPONSE).met_at is not None

    case = _demo_case(demo_cases, "solved")
    assert case.status == Status.SOLVED
    assert _clock(case, TargetKind.RESOLUTION).met_at == case.solved_at
    assert case.messages.filter(author=case.requester).exists()  # the customer answered

    case = _demo_case(demo_cases, "breached")
    for target in TargetKind.values:
        clock = _clock(case, target)
        assert clock.met_at is None
        assert clock.breached_at == clock.due_at < now
    assert case.events.filter(kind=EventKind.SLA_BREACH).count() == 2

    case = _demo_case(demo_cases, "near breach")
    clock = _clock(case, TargetKind.FIRST_RESPONSE)
    assert clock.breached_at is None
    assert clock.met_at is None
    assert now < clock.due_at <= now + timedelta(hours=1)
    assert case.events.filter(kind=EventKind.SLA_WARNING).exists()
    assert not case.events.filter(kind=EventKind.SLA_BREACH).exists()

    case = _demo_case(demo_cases, "escalated to L2")
    assert case.line == Line.L2
    assert case.assignee.email == "agent.l2.it@tierdesk.example"
    assert case.messages.filter(is_public=False).exists()  # an internal note

    case = _demo_case(demo_cases, "escalated to engineering")
    assert case.line == Line.ENGINEERING
    assert list(case.events.filter(kind=EventKind.ESCALATED).values_list("before", "after")) == [
        (Line.L1, Line.L2),
        (Line.L2, Line.ENGINEERING),
    ]

    case = _demo_case(demo_cases, "self-escalation pending")
    request = SelfEscalation.objects.get(case=case)
    assert request.decision == SelfEscalation.Decision.PENDING
    assert request.requested_at < now - timedelta(hours=24)
    assert request.requested_at - case.created_at >= timedelta(hours=24)

    case = _demo_case(demo_cases, "merged")
    duplicate = case.merged_cases.get()
    assert (duplicate.status, case.status) == (Status.CLOSED, Status.NEW)


def test_the_cases_have_replies_and_history_and_span_regions_and_plans(demo_cases):
    cases = Case.objects.filter(pk__in=[link.case_id for link in demo_cases.links])
    assert {case.region.code for case in cases} == {"it", "us", "jp", "au"}
    assert {case.account.support_plan.code for case in cases} == {
        "access",
        "premier",
        "premier_plus",
    }
    assert all(user_may(case.requester, Capability.WEB_TICKETS) for case in cases)
    assert Message.objects.filter(case__in=cases).count() >= 10
    for case in cases:
        assert case.events.filter(kind=EventKind.CREATED).exists()
    # The history's instants are the story's, not the load's.
    assert len(set(CaseEvent.objects.values_list("at", flat=True))) >= 20


def _last_computed(case, now):
    """When the product last had reason to compute the case's clocks, as of `now`.

    A running clock's row is what a recompute now finds (the sweep records breaches as they
    come). A paused or closed case's row stays as its last change left it (the page shows it
    paused or closed), so it is what a recompute at that change finds.
    """
    if case.closed_at is not None:
        return case.closed_at
    pause = Pause.objects.filter(case=case, ended_at__isnull=True).first()
    return pause.started_at if pause is not None else now


def test_every_clock_row_is_what_a_recompute_finds(demo_cases):
    now = timezone.now()
    for case in Case.objects.select_related("account__support_plan", "region"):
        states = case_clock_states(case, now=_last_computed(case, now))
        rows = {clock.target: clock for clock in SlaClock.objects.filter(case=case)}
        assert set(rows) == set(states), case.subject
        for target, state in states.items():
            row = rows[target]
            assert row.due_at == state.due, (case.subject, target)
            met = state.stopped_at if state.state is ClockStatus.MET else None
            assert row.met_at == met, (case.subject, target)
            breached = state.due if state.state is ClockStatus.BREACHED else None
            assert row.breached_at == breached, (case.subject, target)


def test_warnings_and_breaches_are_recorded_when_they_were_due(demo_cases):
    case = _demo_case(demo_cases, "breached")
    dues = sorted(SlaClock.objects.filter(case=case).values_list("due_at", flat=True))
    breaches = sorted(case.events.filter(kind=EventKind.SLA_BREACH).values_list("at", flat=True))
    assert breaches == dues
    assert not SlaTimer.objects.filter(
        case__in=[link.case_id for link in demo_cases.links],
        fired_at__isnull=True,
        fire_at__lte=timezone.now(),
    ).exists()


def test_the_demo_sends_no_mail_for_its_past_events(demo_cases):
    rows = OutboxMessage.objects.all()
    assert rows.exists()  # written as the product writes them...
    assert not rows.exclude(status=OutboxStatus.CANCELLED).exists()  # ...but never sent
    assert set(rows.values_list("last_error", flat=True)) == {OUTBOX_NOTE}


CASE_MODELS = [Case, Message, CaseEvent, Pause, SlaClock, SlaTimer, SelfEscalation, OutboxMessage]


def test_a_second_run_changes_no_case_row(demo_cases):
    before = {model.__name__: list(model.objects.order_by("pk").values()) for model in CASE_MODELS}
    again = demo_cases_load()
    assert again.created == 0
    assert [link.case_id for link in again.links] == [link.case_id for link in demo_cases.links]
    after = {model.__name__: list(model.objects.order_by("pk").values()) for model in CASE_MODELS}
    assert after == before


def test_the_command_says_where_to_look():
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "10 cases" in text
    assert "Where to look" in text
    for state in ("breached", "near breach", "self-escalation pending", "merged"):
        assert state in text
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert Case.objects.count() == 11  # ten stories, the merged one with its duplicate
