"""The notification kinds: who receives what, stable keys, rendering in the recipient's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.utils import translation

from tests.factories import AccountFactory, SupportPlanFactory, UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.notifications.kinds import Kind
from tierdesk.notifications.models import OutboxMessage
from tierdesk.notifications.services import (
    case_url,
    notification_render,
    notify_assigned,
    notify_public_reply,
    notify_self_escalation_decided,
    notify_self_escalation_requested,
    notify_sla_breach,
    notify_sla_warning,
    notify_solved,
    notify_tam_case,
    outbox_send_due,
)

from .helpers import FakeCase, write_mo

pytestmark = pytest.mark.django_db

DUE = datetime(2025, 1, 6, 14, 30, tzinfo=UTC)  # a Monday; 15:30 in Rome


def make_case(account, **fields):
    values = {
        "id": 42,
        "subject": "VPN drops <every> hour & more",
        "severity": 2,
        "account_id": account.pk,
        "region_id": account.region_id,
        "assignee_id": None,
    }
    values.update(fields)
    return FakeCase(**values)


def recipients_of(messages):
    return sorted(message.to_email for message in messages)


@pytest.fixture
def premier_plus_account():
    tam = VendorUserFactory(role=Role.AGENT_L2, email="tam@vendor.example")
    return AccountFactory(
        support_plan=SupportPlanFactory(code="premier_plus"), technical_account_manager=tam
    )


def test_a_public_reply_goes_to_requester_and_ccs_once_each_but_not_to_its_author():
    account = AccountFactory()
    requester = UserFactory(account=account, email="req@example.com")
    cc = UserFactory(account=account, email="cc@example.com")
    agent = VendorUserFactory(first_name="Ada", last_name="Agent")
    case = make_case(account)
    messages = notify_public_reply(
        case=case,
        message_id=317,
        body="Try  the\n\nnew   client.",
        author=agent,
        recipients=[requester, cc, requester, agent],
    )
    assert recipients_of(messages) == ["cc@example.com", "req@example.com"]
    assert {m.key for m in messages} == {
        f"case:42:reply:317:user:{requester.pk}",
        f"case:42:reply:317:user:{cc.pk}",
    }
    # The same reply again (a retried request, a re-run job) writes nothing new.
    notify_public_reply(
        case=case, message_id=317, body="Try the new client.", author=agent, recipients=[cc]
    )
    assert OutboxMessage.objects.count() == 2
    outbox_send_due()
    body = next(m for m in mail.outbox if m.to == ["req@example.com"]).body
    assert "Ada Agent replied to case #42" in body
    assert "Try the\nnew client." in body
    # Plain text: nothing HTML-escaped.
    assert "VPN drops <every> hour & more" in body


def test_a_long_reply_is_cut_to_an_excerpt():
    account = AccountFactory()
    requester = UserFactory(account=account)
    (message,) = notify_public_reply(
        case=make_case(account),
        message_id=1,
        body="word " * 500,
        author=None,
        recipients=[requester],
    )
    assert len(message.context["excerpt"]) <= 600
    assert message.context["excerpt"].endswith("\u2026")


def test_each_solve_notifies_once():
    account = AccountFactory()
    requester = UserFactory(account=account)
    case = make_case(account)
    notify_solved(case=case, event_id=7, recipients=[requester])
    notify_solved(case=case, event_id=7, recipients=[requester])
    assert OutboxMessage.objects.count() == 1
    # Reopened and solved again: a new event, a new e-mail.
    notify_solved(case=case, event_id=9, recipients=[requester])
    assert OutboxMessage.objects.filter(template=Kind.CASE_SOLVED).count() == 2


def test_assignment_notifies_the_agent_unless_they_took_the_case_themselves():
    account = AccountFactory()
    agent = VendorUserFactory()
    supervisor = VendorUserFactory(role=Role.SUPERVISOR, first_name="Sue", last_name="Boss")
    case = make_case(account)
    assert notify_assigned(case=case, assignee=agent, event_id=1, assigned_by=agent) == []
    (message,) = notify_assigned(case=case, assignee=agent, event_id=2, assigned_by=supervisor)
    assert message.to_email == agent.email
    assert "Sue Boss assigned case #42" in message.body_text
    assert "(severity 2)" in message.body_text


def test_a_breach_goes_to_the_assignee_and_the_regions_supervisors(premier_plus_account):
    access_account = AccountFactory()
    assignee = VendorUserFactory(email="assignee@vendor.example")
    VendorUserFactory(
        role=Role.SUPERVISOR, region=access_account.region, email="sup@vendor.example"
    )
    VendorUserFactory(role=Role.SUPERVISOR, email="elsewhere@vendor.example")
    VendorUserFactory(
        role=Role.SUPERVISOR, region=access_account.region, is_active=False, email="gone@v.example"
    )
    case = make_case(access_account, assignee_id=assignee.pk)
    messages = notify_sla_breach(case=case, timer_id=5, target="first_response", due_at=DUE)
    assert recipients_of(messages) == ["assignee@vendor.example", "sup@vendor.example"]
    assert "first-response target" in messages[0].body_text
    assert "has been breached" in messages[0].body_text
    assert notify_sla_breach(case=case, timer_id=5, target="first_response", due_at=DUE)
    assert OutboxMessage.objects.count() == 2


def test_a_premier_plus_breach_also_goes_to_the_tam(premier_plus_account):
    case = make_case(premier_plus_account, assignee_id=None)
    messages = notify_sla_breach(case=case, timer_id=5, target="resolution", due_at=DUE)
    assert recipients_of(messages) == ["tam@vendor.example"]
    assert "resolution target" in messages[0].body_text


def test_a_warning_goes_to_the_assignee_and_on_premier_plus_the_tam(premier_plus_account):
    assignee = VendorUserFactory(email="assignee@vendor.example", time_zone="America/New_York")
    case = make_case(premier_plus_account, assignee_id=assignee.pk)
    messages = notify_sla_warning(case=case, timer_id=6, target="first_response", due_at=DUE)
    assert recipients_of(messages) == ["assignee@vendor.example", "tam@vendor.example"]
    to_assignee = next(m for m in messages if m.to_email == "assignee@vendor.example")
    # The due time in the recipient's own time zone.
    assert "Mon 6 Jan 2025, 09:30 EST" in to_assignee.body_text
    plain = AccountFactory()
    assert recipients_of(
        notify_sla_warning(
            case=make_case(plain, id=43, assignee_id=assignee.pk),
            timer_id=7,
            target="resolution",
            due_at=DUE,
        )
    ) == ["assignee@vendor.example"]


def test_a_naive_due_time_is_refused():
    account = AccountFactory()
    with pytest.raises(ValueError, match="timezone-aware"):
        notify_sla_warning(
            case=make_case(account),
            timer_id=1,
            target="resolution",
            due_at=DUE.replace(tzinfo=None),
        )
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(("severity", "expected"), [(1, 1), (2, 1), (3, 0), (4, 0)])
def test_the_tam_hears_of_severity_1_and_2_cases_only(premier_plus_account, severity, expected):
    case = make_case(premier_plus_account, severity=severity)
    assert len(notify_tam_case(case=case, account=premier_plus_account)) == expected
    assert len(notify_tam_case(case=case, account=premier_plus_account)) == expected
    assert OutboxMessage.objects.count() == expected


def test_a_severity_raised_to_1_tells_the_tam_again(premier_plus_account):
    case = make_case(premier_plus_account, severity=2)
    notify_tam_case(case=case, account=premier_plus_account)
    case.severity = 1
    (message,) = notify_tam_case(case=case, account=premier_plus_account)
    assert "severity 1 case" in message.body_text
    assert premier_plus_account.name in message.subject
    assert OutboxMessage.objects.count() == 2


def test_no_tam_e_mail_below_premier_plus_or_without_a_tam():
    tam = VendorUserFactory()
    premier = AccountFactory(
        support_plan=SupportPlanFactory(code="premier"), technical_account_manager=tam
    )
    no_tam = AccountFactory(support_plan=SupportPlanFactory(code="premier_plus"))
    assert notify_tam_case(case=make_case(premier, severity=1), account=premier) == []
    assert notify_tam_case(case=make_case(no_tam, severity=1), account=no_tam) == []
    assert not OutboxMessage.objects.exists()


def test_self_escalation_request_and_decision():
    account = AccountFactory()
    admin = UserFactory(account=account, role=Role.ACCOUNT_ADMIN, first_name="Cleo")
    supervisor = VendorUserFactory(role=Role.SUPERVISOR)
    case = make_case(account)
    (asked,) = notify_self_escalation_requested(
        case=case,
        request_id=3,
        requested_by=admin,
        reason="Down for two days.",
        recipients=[supervisor, admin],
    )
    assert asked.to_email == supervisor.email
    assert "Down for two days." in asked.body_text
    (approved,) = notify_self_escalation_decided(
        case=case, request_id=3, approved=True, note="", recipients=[admin]
    )
    assert "approved" in approved.subject
    (declined,) = notify_self_escalation_decided(
        case=case, request_id=4, approved=False, note="Working on it.", recipients=[admin]
    )
    assert "declined" in declined.subject
    assert "Working on it." in declined.body_text


def test_case_links_use_site_url(settings):
    settings.SITE_URL = "https://support.example.com/"
    assert case_url(7) == "https://support.example.com/cases/7/"
    settings.NOTIFICATIONS_CASE_PATH = "/desk/cases/{case_id}"
    assert case_url(7) == "https://support.example.com/desk/cases/7"


INVITATION_KINDS = [Kind.INVITATION, Kind.INVITATION_EXISTING_USER]


@pytest.mark.parametrize("kind", INVITATION_KINDS)
@pytest.mark.parametrize("language", ["en", "it"])
def test_every_invitation_kind_renders_in_both_languages(kind, language):
    user = UserFactory(language=language)
    context = {
        "invitation_id": 1,
        "account_name": "Acme",
        "inviter_name": "Ines",
        "expires_at": DUE.isoformat(),
        "accept_url": "http://x/invitations/abc/",
    }
    subject, body = notification_render(
        template=kind, context=context, recipient=user, language=language
    )
    assert subject and "\n" not in subject and "Acme" in subject
    assert "Ines" in body
    assert ("http://x/invitations/abc/" in body) == (kind == Kind.INVITATION)
    assert "{%" not in body and "{{" not in body
    english = "invites you" if kind == Kind.INVITATION else "tried to invite"
    assert (english in body) == (language == "en")


@pytest.mark.parametrize("kind", [kind for kind in Kind if kind not in INVITATION_KINDS])
@pytest.mark.parametrize("language", ["en", "it"])
def test_every_kind_renders_in_both_languages(kind, language):
    user = UserFactory(language=language)
    context = {
        "case_id": 1,
        "case_subject": "S",
        "case_url": "http://x/cases/1/",
        "severity": 1,
        "account_id": user.account_id,
        "account_name": "Acme",
        "author_name": "A",
        "excerpt": "E",
        "due_at": DUE.isoformat(),
        "target": "resolution",
        "approved": True,
        "note": "N",
        "reason": "R",
        "requested_by_name": "Q",
        "assigned_by_name": "",
    }
    subject, body = notification_render(
        template=kind, context=context, recipient=user, language=language
    )
    assert subject and "\n" not in subject
    assert "#1" in subject
    assert "http://x/cases/1/" in body
    assert "{%" not in body and "{{" not in body


def test_an_italian_user_gets_the_email_in_italian(settings, tmp_path):
    # The project's Italian catalogue is compiled by the i18n work; a test-only one stands in.
    write_mo(
        tmp_path,
        "it",
        {
            "[Case #%(case_id)s] SLA at risk (severity %(severity)s): %(case_subject)s": (
                "[Caso #%(case_id)s] SLA a rischio (severità %(severity)s): %(case_subject)s"
            ),
            "Hello %(recipient_name)s,": "Buongiorno %(recipient_name)s,",
        },
    )
    settings.LOCALE_PATHS = [str(tmp_path)]
    account = AccountFactory()
    italian = VendorUserFactory(
        language="it", first_name="Lia", last_name="Rossi", time_zone="Europe/Rome"
    )
    english = VendorUserFactory(language="en", time_zone="Europe/Rome")
    notify_sla_warning(
        case=make_case(account, assignee_id=italian.pk, subject="VPN"),
        timer_id=1,
        target="resolution",
        due_at=DUE,
    )
    notify_sla_warning(
        case=make_case(account, id=43, assignee_id=english.pk, subject="VPN"),
        timer_id=2,
        target="resolution",
        due_at=DUE,
    )
    outbox_send_due()
    assert translation.get_language() == "en"  # rendering did not leak the language
    by_address = {message.to[0]: message for message in mail.outbox}
    to_italian = by_address[italian.email]
    assert to_italian.subject == "[Caso #42] SLA a rischio (severità 2): VPN"
    assert to_italian.body.startswith("Buongiorno Lia Rossi,")
    # The one format (tierdesk.web.formats), in Italian: lower-case names, 24-hour local time.
    assert "lun 6 gen 2025, 15:30 CET" in to_italian.body
    assert to_italian.extra_headers["Content-Language"] == "it"
    to_english = by_address[english.email]
    assert to_english.subject == "[Case #43] SLA at risk (severity 2): VPN"
    assert "Mon 6 Jan 2025, 15:30 CET" in to_english.body


def test_an_unknown_language_falls_back_to_english():
    user = UserFactory(language="xx")
    (message,) = notify_solved(case=make_case(user.account), event_id=1, recipients=[user])
    assert message.language == "en"
