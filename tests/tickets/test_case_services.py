"""Cases: opening, replies, workflow, clocks that pause and recompute, history."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import UserFactory
from tierdesk.tickets.choices import Channel, Status, TargetKind
from tierdesk.tickets.models import Case, CaseEvent, Message, SlaClock, SlaTimer
from tierdesk.tickets.selectors.clocks import case_clock_states
from tierdesk.tickets.services import cases as case_services
from tierdesk.tickets.services.cases import (
    case_assign,
    case_change_severity,
    case_create,
    case_merge,
    case_reply,
    case_set_status,
    case_set_tags,
)

from .conftest import MONDAY_10, rome

pytestmark = pytest.mark.django_db


def open_case(customer, severity=2, now=MONDAY_10, **kwargs):
    return case_create(
        actor=customer,
        subject="Meetings drop after 5 minutes",
        description="Every meeting **drops**.",
        severity=severity,
        now=now,
        **kwargs,
    )


def clock(case, target):
    return SlaClock.objects.get(case=case, target=target)


def test_premier_severity_2_clocks_count_rome_business_hours(customer):
    case = open_case(customer, severity=2)
    # 4 business hours from Monday 10:00: 10-13 (3h) and 14-15 (1h) -> Monday 15:00 Rome.
    assert clock(case, TargetKind.FIRST_RESPONSE).due_at == rome(2026, 3, 2, 15, 0)
    # 24 business hours (resolution), 8 h a day: 10-13, 14-18 Mon (7h), Tue, Wed (16h), Thu 9-10.
    assert clock(case, TargetKind.RESOLUTION).due_at == rome(2026, 3, 5, 10, 0)
    case.refresh_from_db()
    assert case.next_due_at == rome(2026, 3, 2, 15, 0)
    assert case.status == Status.NEW
    assert case.queue_weight == 2 + 2  # Business weight + Premier boost


def test_severity_1_counts_around_the_clock(customer):
    case = open_case(customer, severity=1, now=rome(2026, 3, 6, 20, 0))  # Friday evening
    assert clock(case, TargetKind.FIRST_RESPONSE).due_at == rome(2026, 3, 6, 21, 0)
    assert clock(case, TargetKind.RESOLUTION).due_at == rome(2026, 3, 7, 0, 0)


def test_timers_are_written_with_the_case(customer):
    case = open_case(customer, severity=2)
    timers = SlaTimer.objects.filter(case=case, target=TargetKind.FIRST_RESPONSE)
    by_event = {(t.event, t.fraction): t.fire_at for t in timers}
    assert by_event[("breach", 1.0)] == rome(2026, 3, 2, 15, 0)
    # 75 % of 4 business hours = 3 h: 10-13 -> 13:00 is a closing time, so warn at 14:00.
    assert by_event[("warning", 0.75)] == rome(2026, 3, 2, 14, 0)


def test_access_plan_has_first_response_but_no_resolution_target(pro_account):
    customer = UserFactory(account=pro_account)
    case = open_case(customer, severity=3)
    assert set(SlaClock.objects.filter(case=case).values_list("target", flat=True)) == {
        TargetKind.FIRST_RESPONSE
    }


def test_basic_account_cannot_open_a_case(basic_account):
    customer = UserFactory(account=basic_account)
    with pytest.raises(PermissionDenied):
        open_case(customer)
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("subject", {"subject": "  "}),
        ("description", {"description": ""}),
        ("severity", {"severity": 5}),
        ("severity", {"severity": "1"}),
        ("channel", {"channel": "fax"}),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(customer, field, kwargs):
    args = {
        "actor": customer,
        "subject": "Subject",
        "description": "Body",
        "severity": 2,
        "now": MONDAY_10,
        **kwargs,
    }
    with pytest.raises(ValidationError) as info:
        case_create(**args)
    assert field in info.value.message_dict
    assert Case.objects.count() == 0
    assert SlaTimer.objects.count() == 0


def test_cc_must_belong_to_the_same_account(customer, other_customer):
    with pytest.raises(ValidationError) as info:
        open_case(customer, cc=[other_customer])
    assert "cc" in info.value.message_dict
    assert Case.objects.count() == 0


def test_idempotency_key_returns_the_first_case(customer):
    first = open_case(customer, idempotency_key="abc-1")
    again = open_case(customer, idempotency_key="abc-1")
    assert again.pk == first.pk
    assert Case.objects.count() == 1
    other = open_case(customer, idempotency_key="abc-2")
    assert other.pk != first.pk


def test_a_request_that_loses_the_idempotency_race_returns_the_winners_case(customer, monkeypatch):
    # The key is written with the case and looked up only when its INSERT is refused, so a
    # request racing the winner and a later replay take the same path: everything the loser
    # wrote is rolled back and the winner's case is the answer.
    winner = open_case(customer, idempotency_key="abc-1")
    real_look_up, look_ups = case_services._case_of_key, []

    def counted(actor, key):
        look_ups.append(key)
        return real_look_up(actor, key)

    monkeypatch.setattr(case_services, "_case_of_key", counted)
    loser = open_case(customer, idempotency_key="abc-1")
    assert loser.pk == winner.pk
    assert look_ups == ["abc-1"]
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(kind="created").count() == 1
    assert SlaClock.objects.filter(case_id__gt=winner.pk).count() == 0
    assert SlaTimer.objects.filter(case_id__gt=winner.pk).count() == 0
    fresh = open_case(customer, idempotency_key="abc-2")
    assert fresh.pk != winner.pk and look_ups == ["abc-1"]  # a new key is never looked up


def test_agent_first_public_reply_meets_first_response(customer, agent):
    case = open_case(customer)
    case_reply(
        actor=agent, case=case, body="Internal", public=False, now=MONDAY_10 + timedelta(minutes=5)
    )
    assert clock(case, TargetKind.FIRST_RESPONSE).met_at is None
    answered = MONDAY_10 + timedelta(minutes=30)
    case_reply(actor=agent, case=case, body="Looking into it", now=answered)
    first = clock(case, TargetKind.FIRST_RESPONSE)
    assert first.met_at == answered
    assert not SlaTimer.objects.filter(
        case=case, target=TargetKind.FIRST_RESPONSE, fired_at__isnull=True
    ).exists()
    case.refresh_from_db()
    assert case.status == Status.OPEN
    assert case.first_responded_at == answered


def test_customer_cannot_see_or_write_internal_notes(customer, agent):
    case = open_case(customer)
    with pytest.raises(PermissionDenied):
        case_reply(actor=customer, case=case, body="secret", public=False)
    assert Message.objects.filter(case=case).count() == 0


def test_waiting_on_customer_pauses_the_clock_and_a_reply_resumes_it(customer, agent):
    case = open_case(customer, severity=2)
    # Agent answers at 11:00 and waits on the customer; the customer answers Tuesday 11:00.
    case_reply(
        actor=agent,
        case=case,
        body="Which version?",
        then_status=Status.WAITING,
        now=rome(2026, 3, 2, 11, 0),
    )
    case.refresh_from_db()
    assert case.status == Status.WAITING
    assert case.next_due_at is None
    assert not SlaTimer.objects.filter(case=case, fired_at__isnull=True).exists()
    states = case_clock_states(case, now=rome(2026, 3, 2, 16, 0))
    assert states[TargetKind.RESOLUTION].state == "paused"

    case_reply(actor=customer, case=case, body="6.1", now=rome(2026, 3, 3, 11, 0))
    case.refresh_from_db()
    assert case.status == Status.OPEN
    # Resolution: 24 business hours minus the paused Mon 11:00-Tue 11:00 (8 business hours)
    # -> due 8 business hours later than unpaused (Thu 10:00 -> Fri 10:00).
    assert clock(case, TargetKind.RESOLUTION).due_at == rome(2026, 3, 6, 10, 0)
    assert case.next_due_at == rome(2026, 3, 6, 10, 0)


def test_on_hold_does_not_pause(customer, agent):
    case = open_case(customer, severity=2)
    case_set_status(actor=agent, case=case, status=Status.ON_HOLD, now=rome(2026, 3, 2, 11, 0))
    assert clock(case, TargetKind.RESOLUTION).due_at == rome(2026, 3, 5, 10, 0)
    case.refresh_from_db()
    assert case.next_due_at is not None


def test_severity_change_recomputes_from_the_start(customer, agent):
    case = open_case(customer, severity=3)
    assert clock(case, TargetKind.FIRST_RESPONSE).due_at == rome(2026, 3, 3, 10, 0)  # 8 bh
    case_change_severity(actor=agent, case=case, severity=1, now=rome(2026, 3, 2, 10, 20))
    # As if severity 1 applied from 10:00: 1 hour around the clock.
    assert clock(case, TargetKind.FIRST_RESPONSE).due_at == rome(2026, 3, 2, 11, 0)
    assert clock(case, TargetKind.FIRST_RESPONSE).clock == "24x7"
    assert CaseEvent.objects.filter(case=case, kind="severity", before=3, after=1).exists()
    pending = SlaTimer.objects.filter(case=case, fired_at__isnull=True, event="breach")
    assert {t.fire_at for t in pending} == {rome(2026, 3, 2, 11, 0), rome(2026, 3, 2, 14, 0)}


def test_customer_cannot_change_severity(customer):
    case = open_case(customer)
    with pytest.raises(PermissionDenied):
        case_change_severity(actor=customer, case=case, severity=1)
    case.refresh_from_db()
    assert case.severity == 2


def test_solve_meets_resolution_and_customer_reply_reopens(customer, agent):
    case = open_case(customer, severity=2)
    solved_at = rome(2026, 3, 3, 9, 30)
    case_reply(actor=agent, case=case, body="Fixed", then_status=Status.SOLVED, now=solved_at)
    assert clock(case, TargetKind.RESOLUTION).met_at == solved_at
    case.refresh_from_db()
    assert case.status == Status.SOLVED
    case_reply(actor=customer, case=case, body="Still broken", now=rome(2026, 3, 4, 9, 0))
    case.refresh_from_db()
    assert case.status == Status.OPEN
    assert case.solved_at is None
    assert clock(case, TargetKind.RESOLUTION).met_at is None
    # The solved period (Tue 09:30 - Wed 09:00 = 8 business hours) did not count.
    assert clock(case, TargetKind.RESOLUTION).due_at == rome(2026, 3, 6, 9, 30)


def test_history_records_who_when_before_after(customer, agent):
    case = open_case(customer)
    case_assign(actor=agent, case=case, assignee=agent, now=MONDAY_10 + timedelta(minutes=1))
    case_set_tags(
        actor=agent, case=case, tags=["Audio", "video"], now=MONDAY_10 + timedelta(minutes=2)
    )
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", "actor__email"))
    assert ("created", customer.email) in kinds
    assert ("assignee", agent.email) in kinds
    assert ("status", agent.email) in kinds  # new -> open on claim
    tags = CaseEvent.objects.get(case=case, kind="tags")
    assert tags.before == [] and tags.after == ["audio", "video"]


def test_agents_claim_only_for_themselves(customer, agent, agent_l2, supervisor):
    case = open_case(customer)
    with pytest.raises(PermissionDenied):
        case_assign(actor=agent, case=case, assignee=agent_l2)
    case_assign(actor=supervisor, case=case, assignee=agent_l2)
    case.refresh_from_db()
    assert case.assignee == agent_l2


def test_merge_closes_the_duplicate(customer, account_admin, agent):
    first = open_case(customer)
    duplicate = open_case(account_admin)
    case_merge(actor=agent, source=duplicate, target=first)
    duplicate.refresh_from_db()
    first.refresh_from_db()
    assert duplicate.status == Status.CLOSED
    assert duplicate.merged_into == first
    assert account_admin in first.cc.all()
    assert not SlaTimer.objects.filter(case=duplicate, fired_at__isnull=True).exists()


def test_merge_refuses_other_accounts(customer, other_customer, agent):
    first = open_case(customer)
    other = open_case(other_customer)
    with pytest.raises(ValidationError):
        case_merge(actor=agent, source=other, target=first)
    other.refresh_from_db()
    assert other.status == Status.NEW


def test_agent_opens_a_phone_case_for_a_customer(customer, agent):
    case = case_create(
        actor=agent,
        requester=customer,
        subject="Called: cannot join",
        description="Logged from a call",
        severity=1,
        channel=Channel.PHONE,
        now=MONDAY_10,
    )
    assert case.channel == Channel.PHONE
    assert case.requester == customer
    assert case.account == customer.account


def test_attachments_are_checked_and_stored_outside_the_web_root(customer, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tierdesk.tickets.models import Attachment
    from tierdesk.tickets.services.attachments import attachment_add

    settings.MEDIA_ROOT = tmp_path
    case = open_case(customer)
    attachment = attachment_add(
        actor=customer, case=case, upload=SimpleUploadedFile("log.txt", b"trace", "text/plain")
    )
    assert attachment.size == 5
    assert str(tmp_path) in attachment.file.path
    with pytest.raises(ValidationError):
        attachment_add(
            actor=customer,
            case=case,
            upload=SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"),
        )
    settings.ATTACHMENT_MAX_BYTES = 3
    with pytest.raises(ValidationError):
        attachment_add(
            actor=customer, case=case, upload=SimpleUploadedFile("big.txt", b"1234", "text/plain")
        )
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize("status", Status.values)
def test_the_database_keeps_in_queue_true_exactly_for_active_cases(customer, status):
    case = open_case(customer)
    Case.objects.filter(pk=case.pk).update(status=status)
    in_queue = Case.objects.values_list("in_queue", flat=True).get(pk=case.pk)
    assert in_queue is (status in Status.active())
