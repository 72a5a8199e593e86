"""SLA timers fire exactly once: two workers, a worker that dies, state re-checks, recipients."""

from datetime import timedelta

import pytest
from django.conf import settings

from tests.factories import UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.notifications.models import OutboxMessage
from tierdesk.tickets.choices import Line, Status, TargetKind, TimerEvent
from tierdesk.tickets.models import Case, CaseEvent, SlaClock, SlaTimer
from tierdesk.tickets.selectors.clocks import case_calendar
from tierdesk.tickets.services import timers as timer_services
from tierdesk.tickets.services.cases import case_assign, case_create, case_set_status
from tierdesk.tickets.services.timers import timer_fire, timers_claim_due, timers_sweep

from .conftest import MONDAY_10, rome

pytestmark = pytest.mark.django_db

LEASE = timedelta(seconds=settings.SLA_TIMER_LEASE_SECONDS)


def open_case(requester, severity=2, now=MONDAY_10):
    return case_create(
        actor=requester,
        subject="Meetings drop",
        description="Every meeting drops.",
        severity=severity,
        now=now,
    )


def breach_timer(case, target=TargetKind.FIRST_RESPONSE):
    return SlaTimer.objects.get(
        case=case, target=target, event=TimerEvent.BREACH, fired_at__isnull=True
    )


def warning_timer(case, target=TargetKind.FIRST_RESPONSE):
    return SlaTimer.objects.get(
        case=case, target=target, event=TimerEvent.WARNING, fired_at__isnull=True
    )


def events(case, kind):
    return CaseEvent.objects.filter(case=case, kind=kind).count()


def outbox_keys(prefix):
    return sorted(
        OutboxMessage.objects.filter(key__startswith=prefix).values_list("key", flat=True)
    )


# Severity 2 on Premier, opened Monday 10:00 Rome: first response due Monday 15:00.
FR_DUE = rome(2026, 3, 2, 15, 0)
AFTER_FR_DUE = FR_DUE + timedelta(minutes=1)


# --- two workers ------------------------------------------------------------------------------


def test_two_workers_claiming_at_once_never_share_a_timer(customer):
    open_case(customer)
    open_case(customer)
    first = timers_claim_due(worker="a", now=AFTER_FR_DUE)
    second = timers_claim_due(worker="b", now=AFTER_FR_DUE)
    # Both first-response timers (warning and breach) of both cases are due; "a" holds them all.
    assert len(first) == 4
    assert second == []
    assert set(SlaTimer.objects.filter(pk__in=first).values_list("claimed_by", flat=True)) == {"a"}


def test_two_workers_firing_the_same_timer_act_once(customer, supervisor):
    case = open_case(customer)
    timer = breach_timer(case)
    one = timer_fire(timer_id=timer.pk, worker="a", now=AFTER_FR_DUE)
    two = timer_fire(timer_id=timer.pk, worker="b", now=AFTER_FR_DUE)
    assert (one.outcome, two.outcome) == ("breach", "not-ours")
    assert events(case, "sla_breach") == 1
    assert outbox_keys(f"case:{case.pk}:breach:") == [
        f"case:{case.pk}:breach:{timer.pk}:user:{supervisor.pk}"
    ]


def test_a_worker_cannot_fire_a_timer_leased_to_another(customer):
    case = open_case(customer)
    timer = breach_timer(case)
    assert timer.pk in timers_claim_due(worker="a", now=AFTER_FR_DUE)
    stolen = timer_fire(timer_id=timer.pk, worker="b", now=AFTER_FR_DUE)
    assert stolen.outcome == "not-ours"
    timer.refresh_from_db()
    assert timer.fired_at is None
    assert timer_fire(timer_id=timer.pk, worker="a", now=AFTER_FR_DUE).outcome == "breach"


def test_two_sweeps_fire_everything_once(customer):
    case = open_case(customer)
    first = timers_sweep(now=AFTER_FR_DUE, worker="a")
    second = timers_sweep(now=AFTER_FR_DUE, worker="b")
    assert sorted(r.outcome for r in first) == ["breach", "warning"]
    assert second == []
    assert events(case, "sla_breach") == 1
    assert events(case, "sla_warning") == 1


# --- a worker that dies -----------------------------------------------------------------------


def test_a_worker_that_dies_after_claiming_is_replaced_once_its_lease_expires(customer):
    case = open_case(customer)
    timer = breach_timer(case)
    assert timer.pk in timers_claim_due(worker="dead", now=AFTER_FR_DUE)
    # While the lease holds, nobody else takes it.
    assert timers_sweep(now=AFTER_FR_DUE + LEASE - timedelta(seconds=1), worker="b") == []
    later = AFTER_FR_DUE + LEASE + timedelta(seconds=1)
    results = timers_sweep(now=later, worker="b")
    assert {r.timer_id: r.outcome for r in results}[timer.pk] == "breach"
    assert timers_sweep(now=later + LEASE * 2, worker="c") == []
    timer.refresh_from_db()
    assert (timer.claimed_by, timer.fired_at, timer.outcome) == ("b", later, "breach")
    assert events(case, "sla_breach") == 1


def test_a_worker_that_dies_while_firing_leaves_nothing_and_the_timer_fires_later(
    customer, supervisor, monkeypatch
):
    case = open_case(customer)
    timer = breach_timer(case)
    assert timer.pk in timers_claim_due(worker="dying", now=AFTER_FR_DUE)

    def crash(**kwargs):
        raise RuntimeError("worker killed")

    with monkeypatch.context() as patch:
        # The crash comes after the breach is recorded and the event written, before the e-mail.
        patch.setattr(timer_services.notices, "sla_breach", crash)
        with pytest.raises(RuntimeError):
            timer_fire(timer_id=timer.pk, worker="dying", now=AFTER_FR_DUE)
    timer.refresh_from_db()
    assert timer.fired_at is None and timer.outcome == ""
    assert events(case, "sla_breach") == 0
    assert SlaClock.objects.get(case=case, target="first_response").breached_at is None
    assert not OutboxMessage.objects.filter(key__contains=":breach:").exists()

    later = AFTER_FR_DUE + LEASE + timedelta(seconds=1)
    outcomes = {r.timer_id: r.outcome for r in timers_sweep(now=later, worker="next")}
    assert outcomes[timer.pk] == "breach"
    assert timers_sweep(now=later + LEASE * 2, worker="again") == []
    assert events(case, "sla_breach") == 1
    assert SlaClock.objects.get(case=case, target="first_response").breached_at == FR_DUE
    assert len(outbox_keys(f"case:{case.pk}:breach:")) == 1


# --- re-checking the case before acting -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        ("met", "skipped:clock-met"),
        ("solved", "skipped:case-not-running"),
        ("waiting", "skipped:case-not-running"),
        ("closed", "skipped:case-not-running"),
    ],
)
def test_a_breach_rechecks_the_case_and_skips(customer, supervisor, change, outcome):
    case = open_case(customer)
    timer = breach_timer(case)
    # The case moved on after the timer was written (e.g. between claim and fire): the rows
    # are changed directly so the timer survives to meet the new state.
    if change == "met":
        SlaClock.objects.filter(case=case, target=timer.target).update(met_at=MONDAY_10)
    else:
        Case.objects.filter(pk=case.pk).update(status=change)
    result = timer_fire(timer_id=timer.pk, worker="a", now=AFTER_FR_DUE)
    assert result.outcome == outcome
    timer.refresh_from_db()
    assert timer.fired_at is not None and timer.outcome == outcome
    assert events(case, "sla_breach") == 0
    assert SlaClock.objects.get(case=case, target=timer.target).breached_at is None
    assert not OutboxMessage.objects.filter(key__contains=":breach:").exists()


def test_a_breach_whose_clock_moved_later_is_skipped(customer):
    case = open_case(customer)
    timer = breach_timer(case)
    SlaClock.objects.filter(case=case, target=timer.target).update(
        due_at=AFTER_FR_DUE + timedelta(hours=1)
    )
    assert timer_fire(timer_id=timer.pk, worker="a", now=AFTER_FR_DUE).outcome == "skipped:not-due"
    assert events(case, "sla_breach") == 0


def test_a_reply_in_time_removes_the_timers(customer, agent):
    from tierdesk.tickets.services.cases import case_reply

    case = open_case(customer)
    case_reply(actor=agent, case=case, body="On it", now=MONDAY_10 + timedelta(minutes=30))
    results = timers_sweep(now=AFTER_FR_DUE, worker="a")
    assert all(r.outcome != "breach" for r in results)
    assert not SlaTimer.objects.filter(case=case, target=TargetKind.FIRST_RESPONSE).exists()


def test_waiting_removes_timers_and_resuming_rearms_them(customer, agent):
    case = open_case(customer)
    case_set_status(
        actor=agent, case=case, status=Status.WAITING, now=MONDAY_10 + timedelta(hours=1)
    )
    assert not SlaTimer.objects.filter(case=case).exists()
    assert timers_sweep(now=AFTER_FR_DUE + timedelta(days=3), worker="a") == []
    # Back to open on Tuesday 10:00 after a full day of waiting: the hour already counted stays.
    case_set_status(actor=agent, case=case, status=Status.OPEN, now=rome(2026, 3, 3, 10, 0))
    assert breach_timer(case).fire_at == rome(2026, 3, 3, 13, 0)


# --- recipients -------------------------------------------------------------------------------


def test_a_breach_reaches_the_assignee_and_the_regions_supervisors_once(
    customer, agent, supervisor, region
):
    other_supervisor = VendorUserFactory(role=Role.SUPERVISOR, region=region)
    elsewhere = VendorUserFactory(role=Role.SUPERVISOR)  # another region's supervisor
    case = open_case(customer)
    case_assign(actor=agent, case=case, assignee=agent, now=MONDAY_10 + timedelta(minutes=5))
    timer = breach_timer(case)
    timers_sweep(now=AFTER_FR_DUE, worker="a")
    timers_sweep(now=AFTER_FR_DUE + LEASE * 2, worker="b")
    recipients = set(
        OutboxMessage.objects.filter(key__startswith=f"case:{case.pk}:breach:").values_list(
            "recipient_id", flat=True
        )
    )
    assert recipients == {agent.pk, supervisor.pk, other_supervisor.pk}
    assert elsewhere.pk not in recipients
    assert len(outbox_keys(f"case:{case.pk}:breach:{timer.pk}:")) == 3


def test_premier_plus_warning_escalates_to_l2_and_tells_the_tam(premier_plus_account, agent):
    customer = UserFactory(account=premier_plus_account)
    tam = premier_plus_account.technical_account_manager
    case = open_case(customer, severity=3)
    case_assign(actor=agent, case=case, assignee=agent, now=MONDAY_10 + timedelta(minutes=1))
    warning = warning_timer(case)
    # 75 % of 8 business hours (6 h) from Monday 10:00: 10-13, 14-17 -> Monday 17:00.
    assert warning.fire_at == rome(2026, 3, 2, 17, 0)
    result = timer_fire(timer_id=warning.pk, worker="a", now=warning.fire_at)
    assert result.outcome == "warning+escalated"
    case.refresh_from_db()
    assert case.line == Line.L2
    assert case.assignee is None  # the L1 agent lets go; the case joins the L2 queue
    keys = outbox_keys(f"case:{case.pk}:warning:{warning.pk}:")
    assert f"case:{case.pk}:warning:{warning.pk}:user:{tam.pk}" in keys
    # The recomputation after escalating did not re-arm the warning that fired.
    assert not SlaTimer.objects.filter(
        case=case, target=warning.target, event=TimerEvent.WARNING, fired_at__isnull=True
    ).exists()
    assert timers_sweep(now=warning.fire_at + timedelta(minutes=1), worker="b") == []


def test_premier_warning_does_not_escalate(customer, agent):
    case = open_case(customer, severity=3)
    warning = warning_timer(case)
    assert timer_fire(timer_id=warning.pk, worker="a", now=warning.fire_at).outcome == "warning"
    case.refresh_from_db()
    assert case.line == Line.L1


# --- warnings on a business clock -------------------------------------------------------------

STARTS = [
    rome(2026, 3, 2, 10, 0),  # the 75 % point lands on the 13:00 closing -> 14:00
    rome(2026, 3, 2, 12, 59),
    rome(2026, 3, 2, 16, 30),  # crosses the night
    rome(2026, 3, 6, 17, 0),  # Friday evening: crosses the weekend
    rome(2026, 3, 7, 11, 0),  # opened on a Saturday
    rome(2026, 3, 2, 13, 30),  # opened at lunch
    rome(2026, 3, 27, 17, 45),  # the Friday before the spring DST change
]


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("severity", [2, 3, 4])
def test_business_clock_warnings_never_fall_in_a_closed_period(customer, start, severity):
    case = open_case(customer, severity=severity, now=start)
    calendar = case_calendar(case)
    warnings = SlaTimer.objects.filter(case=case, event=TimerEvent.WARNING)
    assert warnings.exists()
    for warning in warnings:
        assert calendar.is_open(warning.fire_at), (warning.target, warning.fire_at)
        # And a warning comes before its breach.
        assert warning.fire_at < warning.due_at


def test_a_warning_found_while_the_region_is_closed_waits_for_the_opening(customer, agent):
    case = open_case(customer, severity=3)
    case_assign(actor=agent, case=case, assignee=agent, now=MONDAY_10 + timedelta(minutes=1))
    warning = warning_timer(case)
    # The worker was down: it finds the Monday 17:00 warning at 22:00, when Rome is closed.
    night = rome(2026, 3, 2, 22, 0)
    assert timer_fire(timer_id=warning.pk, worker="a", now=night).outcome == "deferred:closed"
    warning.refresh_from_db()
    assert (warning.fired_at, warning.fire_at) == (None, rome(2026, 3, 3, 9, 0))
    assert events(case, "sla_warning") == 0
    assert not outbox_keys(f"case:{case.pk}:warning:")
    assert timers_sweep(now=rome(2026, 3, 3, 8, 59), worker="b") == []
    opening = rome(2026, 3, 3, 9, 0)
    outcomes = {r.timer_id: r.outcome for r in timers_sweep(now=opening, worker="b")}
    assert outcomes[warning.pk] == "warning"
    assert timers_sweep(now=opening + LEASE * 2, worker="c") == []
    assert events(case, "sla_warning") == 1
    assert outbox_keys(f"case:{case.pk}:warning:{warning.pk}:") == [
        f"case:{case.pk}:warning:{warning.pk}:user:{agent.pk}"
    ]


# --- one failing timer in a sweep -------------------------------------------------------------


def test_a_timer_that_fails_rolls_back_alone_and_the_others_fire(customer, supervisor, monkeypatch):
    failing, healthy = open_case(customer), open_case(customer)
    real_breach = timer_services.notices.sla_breach

    def breach_unless_failing(*, case, timer):
        if case.pk == failing.pk:
            raise RuntimeError("mail template broken")
        real_breach(case=case, timer=timer)

    monkeypatch.setattr(timer_services.notices, "sla_breach", breach_unless_failing)
    outcomes = {r.timer_id: r.outcome for r in timers_sweep(now=AFTER_FR_DUE, worker="a")}
    assert outcomes[breach_timer(failing).pk] == "error"  # unfired: still found as pending
    assert events(healthy, "sla_breach") == 1 and events(healthy, "sla_warning") == 1
    assert events(failing, "sla_breach") == 0 and events(failing, "sla_warning") == 1
    assert SlaClock.objects.get(case=failing, target="first_response").breached_at is None
    assert len(outbox_keys(f"case:{healthy.pk}:breach:")) == 1
    assert outbox_keys(f"case:{failing.pk}:breach:") == []

    monkeypatch.setattr(timer_services.notices, "sla_breach", real_breach)
    later = AFTER_FR_DUE + LEASE + timedelta(seconds=1)
    retried = timers_sweep(now=later, worker="b")
    assert [r.outcome for r in retried] == ["breach"]
    assert events(failing, "sla_breach") == 1
    assert len(outbox_keys(f"case:{failing.pk}:breach:")) == 1


def test_a_chunk_of_timers_writes_in_a_few_statements(
    customer, supervisor, django_assert_max_num_queries
):
    for _ in range(10):
        open_case(customer)
    # 10 cases, a warning and a breach each: the writes are per chunk, not per timer.
    with django_assert_max_num_queries(25):
        results = timers_sweep(now=AFTER_FR_DUE, worker="a")
    assert sorted({r.outcome for r in results}) == ["breach", "warning"]
    assert len(results) == 20
    assert CaseEvent.objects.filter(kind="sla_breach").count() == 10
    assert OutboxMessage.objects.filter(key__contains=":breach:").count() == 10
