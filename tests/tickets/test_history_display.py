"""The history in words: one `EventKind` vocabulary, one formatter for the console and portal."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import tierdesk
from tests.factories import UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.tickets.choices import EventKind, Line, Status
from tierdesk.tickets.models import CaseEvent, SlaTimer
from tierdesk.tickets.selectors.history_display import history_rows, history_value
from tierdesk.tickets.services.cases import (
    case_assign,
    case_change_severity,
    case_create,
    case_merge,
    case_reply,
    case_set_cc,
    case_set_tags,
)
from tierdesk.tickets.services.escalations import (
    case_escalate,
    self_escalation_decide,
    self_escalation_request,
)
from tierdesk.tickets.services.history import event_new
from tierdesk.tickets.services.timers import timers_sweep

from .conftest import MONDAY_10, rome

pytestmark = pytest.mark.django_db

ISO_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
RAW_KEYS = [kind.value for kind in EventKind if "_" in kind.value] + ["waiting", "l2"]


def test_every_kind_has_a_label_of_words():
    for kind in EventKind:
        assert str(kind.label) != kind.value
        assert "_" not in str(kind.label)


def test_an_entry_outside_the_vocabulary_is_refused(customer):
    case = case_create(actor=customer, subject="S", description="D", severity=3, now=MONDAY_10)
    with pytest.raises(ValueError, match="not_a_kind"):
        event_new(case=case, actor=None, at=MONDAY_10, kind="not_a_kind")


def _event_kinds_written_in_the_source() -> set[str]:
    """Every kind literal handed to `event_record`, `event_new` or the sweep's `writes.event`."""
    found: set[str] = set()
    root = Path(tierdesk.__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ("event_record", "event_new", "event"):
                continue
            values = [k.value for k in node.keywords if k.arg == "kind"]
            if name == "event" and len(node.args) >= 3:
                values.append(node.args[2])
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add(value.value)
                elif isinstance(value, ast.Attribute) and getattr(value.value, "id", "") == (
                    "EventKind"
                ):
                    found.add(EventKind[value.attr].value)
    return found


def test_every_kind_written_anywhere_belongs_to_the_vocabulary():
    written = _event_kinds_written_in_the_source()
    assert written  # the scan finds the writes
    assert written <= set(EventKind.values), written - set(EventKind.values)


def test_values_are_shown_by_their_labels():
    assert history_value(EventKind.STATUS, "waiting") == "Waiting on customer"
    assert history_value(EventKind.ESCALATED, "engineering") == "Engineering"
    assert history_value(EventKind.SEVERITY, 1) == "S1"
    assert history_value(EventKind.MERGED_INTO, 12) == "#12"
    assert history_value(EventKind.SELF_ESCALATION_DECIDED, "accepted") == "Accepted"
    assert history_value(EventKind.SELF_ESCALATION_REQUESTED, "time_zone_difference") == (
        "Time-zone difference"
    )
    assert history_value(
        EventKind.CREATED, {"severity": 2, "channel": "phone", "subject": "x"}
    ) == ("S2, Phone")
    assert history_value(EventKind.TAGS, ["vip", "vpn"]) == "vip, vpn"
    assert history_value(EventKind.STATUS, None) == ""


def test_instants_are_shown_in_the_viewer_zone():
    due = rome(2026, 3, 2, 15, 0).isoformat()
    value = {"target": "first_response", "fraction": 0.75, "due_at": due}
    from django.utils import timezone

    with timezone.override("America/New_York"):
        assert history_value(EventKind.SLA_WARNING, value) == (
            "First response, 75 %, due Mon 2 Mar 2026, 09:00 EST"
        )
        assert history_value(EventKind.FIRST_RESPONSE, due) == "Mon 2 Mar 2026, 09:00 EST"
    with timezone.override("Europe/Rome"):
        assert history_value(EventKind.FIRST_RESPONSE, due) == "Mon 2 Mar 2026, 15:00 CET"


def test_labels_are_translated_into_italian():
    with translation.override("it"):
        rows = history_rows(
            [CaseEvent(at=MONDAY_10, kind="status", before="new", after="waiting", note="")]
        )
        assert rows[0].label == "Stato"
        assert rows[0].after == "In attesa del cliente"


@pytest.fixture
def walked_case(customer, account_admin, agent, supervisor, premier_account):
    """A case that went through every kind of entry a person can cause, plus the sweep's."""
    premier_account.license_plan.self_escalation = True
    premier_account.license_plan.engineering_escalation = True
    premier_account.license_plan.save()
    t = MONDAY_10
    case = case_create(actor=customer, subject="VPN drops", description="D", severity=2, now=t)
    duplicate = case_create(
        actor=account_admin, subject="VPN again", description="D", severity=3, now=t
    )
    # The first-response warning (75 %) and breach fire before anyone answers.
    timers_sweep(now=t + timedelta(hours=6))
    case_assign(actor=agent, case=case, assignee=agent, now=t + timedelta(hours=6, minutes=1))
    # Waiting in the same reply as the first response (finding 1 is tested elsewhere).
    case_reply(
        actor=agent,
        case=case,
        body="Send logs",
        then_status=Status.WAITING,
        now=t + timedelta(hours=6, minutes=2),
    )
    case_set_tags(actor=agent, case=case, tags=["vpn"], now=t + timedelta(hours=6, minutes=3))
    case_set_cc(actor=agent, case=case, cc=[account_admin], now=t + timedelta(hours=6, minutes=4))
    case_reply(actor=customer, case=case, body="Logs", now=t + timedelta(hours=6, minutes=30))
    case_change_severity(actor=agent, case=case, severity=1, now=t + timedelta(hours=7))
    case_escalate(
        actor=agent, case=case, line=Line.L2, reason="Needs L2", now=t + timedelta(hours=9)
    )
    request = self_escalation_request(
        actor=customer, case=case, reason="delayed_responses", now=t + timedelta(days=2)
    )
    self_escalation_decide(
        actor=supervisor, request=request, accept=True, reason="Ok", now=t + timedelta(days=2)
    )
    case_merge(actor=supervisor, source=duplicate, target=case, now=t + timedelta(days=2, hours=1))
    assert SlaTimer.objects.filter(case=case, fired_at__isnull=False).exists()
    return case


def _history_html(client, user, case) -> str:
    client.force_login(user)
    html = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    return html.split('id="history"')[1]


def test_the_console_history_shows_words_not_keys_or_iso_stamps(client, walked_case, supervisor):
    kinds = set(walked_case.events.values_list("kind", flat=True))
    unseen = {EventKind.ATTACHMENT, EventKind.MERGED_INTO, EventKind.TARGETS}
    assert kinds == set(EventKind.values) - unseen
    html = _history_html(client, supervisor, walked_case)
    assert not ISO_INSTANT.search(re.sub(r'datetime="[^"]*"', "", html))
    cells = re.sub(r"<[^>]+>", " ", html)
    for key in RAW_KEYS:
        assert not re.search(rf"\b{key}\b", cells), key
    for words in (
        "Case opened",
        "SLA warning",
        "SLA breach",
        "Customer asked to escalate",
        "Escalation request decided",
        "Duplicate merged in",
        "Waiting on customer",
        "Second line (L2)",
        "Engineering",
        "Delayed responses",
        "Accepted",
        f"#{walked_case.merged_cases.get().pk}",
    ):
        assert words in cells, words
    assert re.search(r"<td[^>]*>\s*S2\s*</td>\s*<td[^>]*>\s*S1\s*</td>", html)
    # The supervisor sits in Rome; the first response (at 16:02 Rome) in their zone.
    assert "Mon 2 Mar 2026, 16:02 CET" in cells


def test_the_portal_history_shows_the_same_words_in_the_customer_zone(
    client, walked_case, customer
):
    customer.time_zone = "Asia/Tokyo"
    customer.save()
    html = _history_html(client, customer, walked_case)
    text = re.sub(r"<[^>]+>", " ", html)
    assert not ISO_INSTANT.search(re.sub(r'datetime="[^"]*"', "", html))
    assert "Status: Open → Waiting on customer" in text
    assert "Severity: S2 → S1" in text
    assert "Escalated: First line (L1) → Second line (L2)" in text
    assert "Customer asked to escalate: Delayed responses" in text
    assert "Escalation request decided: Accepted" in text
    assert "First response: Tue 3 Mar 2026, 00:02 JST" in text
    for hidden in ("Tags", "Duplicate merged in", "Assignee", "SLA breach"):
        assert hidden not in text, hidden


def test_an_italian_customer_reads_the_history_in_italian(client, walked_case):
    italian = UserFactory(account=walked_case.account, language="it")
    walked_case.cc.add(italian)
    client.force_login(italian)
    html = client.get(
        reverse("case-detail", args=[walked_case.pk]), HTTP_ACCEPT_LANGUAGE="it"
    ).content.decode()
    text = re.sub(r"<[^>]+>", " ", html.split('id="history"')[1])
    assert "Caso aperto" in text
    assert "In attesa del cliente" in text


def _assignee_cells(html: str) -> list[tuple[str, str]]:
    rows = re.findall(r'<tr data-kind="assignee">(.*?)</tr>', html, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [(row[3].strip(), row[4].strip()) for row in cells]


def test_the_console_history_names_assignees_with_a_constant_number_of_queries(
    client, customer, supervisor, region
):
    """Assignment entries store e-mails; the page shows names (else the e-mail), one query."""
    case = case_create(actor=customer, subject="S", description="D", severity=3, now=MONDAY_10)
    people = [
        VendorUserFactory(role=Role.AGENT_L1, region=region, first_name="Lia", last_name="Rossi"),
        VendorUserFactory(role=Role.AGENT_L1, region=region, first_name="Ugo", last_name="Neri"),
        VendorUserFactory(role=Role.AGENT_L1, region=region, first_name="", last_name=""),
    ]
    client.force_login(supervisor)
    url = reverse("case-detail", args=[case.pk])

    def queries_after(assignee) -> int:
        step = case.events.count()
        case_assign(
            actor=supervisor, case=case, assignee=assignee, now=MONDAY_10 + timedelta(minutes=step)
        )
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = queries_after(people[0])
    for person in people[1:]:
        assert queries_after(person) == one
    assert queries_after(None) == one
    html = client.get(url).content.decode()
    assert _assignee_cells(html) == [
        ("", "Lia Rossi"),
        ("Lia Rossi", "Ugo Neri"),
        ("Ugo Neri", people[2].email),  # no name: the e-mail, as the "Who" column does
        (people[2].email, ""),
    ]
    history = html.split('id="history"')[1].split("</table>")[0]
    for person in people[:2]:
        assert person.email not in history


def test_an_assignee_who_left_keeps_the_stored_e_mail(customer, agent):
    case = case_create(actor=customer, subject="S", description="D", severity=3, now=MONDAY_10)
    case_assign(actor=agent, case=case, assignee=agent, now=MONDAY_10)
    event = case.events.get(kind=EventKind.ASSIGNEE)
    event.after = "gone@vendor.example"
    assert history_rows([event])[0].after == "gone@vendor.example"


def test_the_portal_history_names_support_staff_never_by_e_mail(client, customer, region):
    """Customers see an agent's name, or "Support": never the vendor's e-mails."""
    nameless = VendorUserFactory(role=Role.AGENT_L1, region=region, first_name="", last_name="")
    case = case_create(actor=customer, subject="S", description="D", severity=3, now=MONDAY_10)
    case_assign(actor=nameless, case=case, assignee=nameless, now=MONDAY_10)
    case_reply(
        actor=nameless,
        case=case,
        body="Send logs",
        then_status=Status.WAITING,
        now=MONDAY_10 + timedelta(minutes=1),
    )
    html = _history_html(client, customer, case)
    assert "Status: Open → Waiting on customer" in re.sub(r"<[^>]+>", " ", html)
    assert "(Support)" in html
    assert nameless.email not in client.get(reverse("case-detail", args=[case.pk])).content.decode()
