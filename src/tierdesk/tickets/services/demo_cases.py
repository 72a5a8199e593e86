"""The demo's cases: one in every state a newcomer should see, made the way the product makes them.

Each case is written through the services (opening, replies, claims, escalations, requests,
merges) with `now=` instants in the past, so its messages, history, pauses, clocks and timers
are the product's own. Between two steps, the SLA timers that came due are fired at the instant
they were due, as the worker would have fired them: warnings and breaches appear in the history
at their real times. A last sweep at the load's instant leaves every clock as a recompute now
would find it.

Breached and near breach are true against the real clock at load time: both are severity 1
cases on Premier, whose targets run around the clock (1 h first response, 4 h resolution), so
they do not depend on the region's opening hours. The other cases' timelines are short enough
in business time that their clocks neither warn nor breach while the story unfolds.

The e-mails these past events write to the outbox are never sent: they are marked cancelled
with a note (the demo's addresses are fictitious and the events are not news), and stay in the
outbox for whoever wants to see what tierdesk would have sent.

A demo case is known by its requester and subject: a second run finds each story told and
creates nothing, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import Account, User
from tierdesk.notifications.models import OutboxMessage, OutboxStatus

from ..choices import EscalationReason, Line, Status
from ..models import Case, SlaTimer
from .cases import case_assign, case_create, case_merge, case_reply
from .escalations import case_escalate, self_escalation_request
from .timers import timer_fire

STAFF_DOMAIN: Final = "tierdesk.example"
OUTBOX_NOTE: Final = "demo data: written for a past event of the demo, never sent"
# How many timers one step may fire at most (a safety net: a handful fire in practice).
MAX_FIRINGS: Final = 200


@dataclass(frozen=True)
class DemoCaseLink:
    """Where to look at one demo state: the case, and who to sign in as."""

    state: str
    case_id: int
    region: str
    account: str
    customer: str
    agent: str


@dataclass
class DemoCasesReport:
    """What `demo_cases_load` did."""

    created: int = 0
    links: list[DemoCaseLink] = field(default_factory=list)


class _Story:
    """The instants, people and cases of one load; fires due timers as time moves on."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.case_ids: set[int] = set()

    def at(self, ago: timedelta) -> datetime:
        """The instant `ago` before the load, after firing the timers due by then."""
        instant = self.now - ago
        self.fire_due(instant)
        return instant

    def fire_due(self, until: datetime) -> None:
        """Fire the demo cases' timers due by `until`, each at its own instant, in order."""
        for _round in range(MAX_FIRINGS):
            timer = (
                SlaTimer.objects.filter(
                    case_id__in=self.case_ids, fired_at__isnull=True, fire_at__lte=until
                )
                .order_by("fire_at", "pk")
                .first()
            )
            if timer is None:
                return
            timer_fire(timer_id=timer.pk, worker="demo", now=timer.fire_at)

    def opened(self, case: Case) -> Case:
        self.case_ids.add(case.pk)
        return case


def _customer(account: Account, role: str) -> User:
    return User.objects.get(account=account, role=role)


def _staff(prefix: str, region: str) -> User:
    return User.objects.get(email=f"{prefix}.{region}@{STAFF_DOMAIN}")


def _account(region: str, license_plan: str) -> Account:
    return Account.objects.select_related("support_plan", "license_plan", "region").get(
        region__code=region, license_plan__code=license_plan
    )


@dataclass(frozen=True)
class _Spec:
    """One state to show: where (region, license plan), who opens it, and its story."""

    state: str | Promise
    region: str
    license_plan: str
    requester_role: str
    subject: str
    agent: str
    tell: Callable[[_Story, Account, User, str], Case]


def _open(
    story: _Story, requester: User, subject: str, severity: int, ago: timedelta, body: str
) -> Case:
    return story.opened(
        case_create(
            actor=requester,
            subject=subject,
            description=body,
            severity=severity,
            now=story.at(ago),
        )
    )


H = timedelta(hours=1)
M = timedelta(minutes=1)
D = timedelta(days=1)


def _new(story: _Story, account: Account, requester: User, subject: str) -> Case:
    body = "Da stamattina la VPN aziendale cade ogni ora circa; dobbiamo riconnetterci a mano."
    return _open(story, requester, subject, 3, 25 * M, body)


def _claimed(story: _Story, account: Account, requester: User, subject: str) -> Case:
    case = _open(
        story,
        requester,
        subject,
        3,
        3 * H,
        "Every invitation sent from the web calendar reaches attendees twice since Monday.",
    )
    agent = _staff("agent.l1", "us")
    return case_assign(actor=agent, case=case, assignee=agent, now=story.at(2 * H + 50 * M))


def _waiting(story: _Story, account: Account, requester: User, subject: str) -> Case:
    case = _open(
        story,
        requester,
        subject,
        2,
        3 * D,
        "Users created this week cannot sign in with SSO: the identity provider says "
        "'audience mismatch'. Older users are fine.",
    )
    agent = _staff("agent.l1", "jp")
    case_assign(actor=agent, case=case, assignee=agent, now=story.at(3 * D - 20 * M))
    case_reply(
        actor=agent,
        case=case,
        body="Could you send us a SAML trace of a failing sign-in (browser extension "
        "'SAML-tracer')? We will look at the audience value it carries.",
        then_status=Status.WAITING,
        now=story.at(3 * D - 40 * M),
    )
    return case


def _solved(story: _Story, account: Account, requester: User, subject: str) -> Case:
    case = _open(
        story,
        requester,
        subject,
        3,
        2 * D,
        "Exporting a meeting recording stops at exactly 2 GB; the file cannot be played.",
    )
    agent = _staff("agent.l1", "au")
    case_assign(actor=agent, case=case, assignee=agent, now=story.at(2 * D - 30 * M))
    case_reply(
        actor=agent,
        case=case,
        body="Thanks. Which storage is the export written to: the local disk or a network share?",
        now=story.at(2 * D - H),
    )
    case_reply(
        actor=requester,
        case=case,
        body="A network share, formatted FAT32 as far as I know.",
        now=story.at(2 * D - 3 * H),
    )
    case_reply(
        actor=agent,
        case=case,
        body="FAT32 cannot hold files over 4 GB and the exporter splits at 2 GB on it. Export to "
        "an NTFS or exFAT share, or turn on 'split exports' in Settings > Recordings.",
        then_status=Status.SOLVED,
        now=story.at(D),
    )
    return case


def _breached(story: _Story, account: Account, requester: User, subject: str) -> Case:
    # Severity 1 on Premier, 24x7: first response due after 1 h, resolution after 4 h. Opened
    # 5 h ago with no answer, both have breached.
    return _open(
        story,
        requester,
        subject,
        1,
        5 * H,
        "Nessun utente riesce ad accedere alla piattaforma: la pagina di login va in timeout.",
    )


def _near_breach(story: _Story, account: Account, requester: User, subject: str) -> Case:
    # Severity 1 on Premier, 24x7: first response due 1 h after opening, 10 minutes from now;
    # the 75 % warning has fired.
    return _open(
        story,
        requester,
        subject,
        1,
        50 * M,
        "No meeting can start in the Osaka office since 9:00; other offices are fine.",
    )


def _escalated_l2(story: _Story, account: Account, requester: User, subject: str) -> Case:
    case = _open(
        story,
        requester,
        subject,
        2,
        D,
        "La sincronizzazione LDAP notturna fallisce per gli utenti con caratteri accentati.",
    )
    l1, l2 = _staff("agent.l1", "it"), _staff("agent.l2", "it")
    case_assign(actor=l1, case=case, assignee=l1, now=story.at(D - 20 * M))
    case_reply(
        actor=l1,
        case=case,
        body="Grazie, abbiamo riprodotto l'errore con un nome accentato: lo passiamo al secondo "
        "livello per l'analisi.",
        now=story.at(D - 30 * M),
    )
    case_escalate(
        actor=l1,
        case=case,
        line=Line.L2,
        reason="Reproduced: the LDAP sync rejects non-ASCII names; needs L2 analysis.",
        now=story.at(D - H),
    )
    case_assign(actor=l2, case=case, assignee=l2, now=story.at(D - 2 * H))
    case_reply(
        actor=l2,
        case=case,
        body="The connector sends names in Latin-1; checking the encoding setting.",
        public=False,
        now=story.at(D - 2 * H - 10 * M),
    )
    return case


def _escalated_engineering(story: _Story, account: Account, requester: User, subject: str) -> Case:
    case = _open(
        story,
        requester,
        subject,
        2,
        D,
        "The media server restarts whenever more than 200 people join one webinar.",
    )
    l1, l2 = _staff("agent.l1", "au"), _staff("agent.l2", "au")
    engineer = _staff("engineer", "au")
    case_assign(actor=l1, case=case, assignee=l1, now=story.at(D - 10 * M))
    case_reply(
        actor=l1,
        case=case,
        body="We are on it. Could you tell us the server version? (Admin > About)",
        now=story.at(D - 30 * M),
    )
    case_reply(actor=requester, case=case, body="Version 8.4.2, on-premises.", now=story.at(D - H))
    case_escalate(
        actor=l1,
        case=case,
        line=Line.L2,
        reason="Crash under load on 8.4.2: beyond first-line checks.",
        now=story.at(D - 90 * M),
    )
    case_assign(actor=l2, case=case, assignee=l2, now=story.at(D - 2 * H))
    case_escalate(
        actor=l2,
        case=case,
        line=Line.ENGINEERING,
        reason="Core dump shows a crash in the mixer with >200 streams: a product defect.",
        now=story.at(D - 4 * H),
    )
    case_assign(actor=engineer, case=case, assignee=engineer, now=story.at(D - 5 * H))
    return case


def _self_escalation(story: _Story, account: Account, requester: User, subject: str) -> Case:
    case = _open(
        story,
        requester,
        subject,
        3,
        3 * D,
        "The dial-in numbers for Canada are missing from every invitation.",
    )
    agent = _staff("agent.l1", "us")
    case_reply(
        actor=agent,
        case=case,
        body="Thanks for the report: we are checking the dial-in plan of your account.",
        now=story.at(3 * D - 2 * H),
    )
    # More than 24 hours after opening (the plan's minimum), and pending for more than a day.
    self_escalation_request(
        actor=requester,
        case=case,
        reason=EscalationReason.DELAYED_RESPONSES,
        details="Two days without news; our Canadian offices have meetings tomorrow.",
        now=story.at(30 * H),
    )
    return case


def _merged(story: _Story, account: Account, requester: User, subject: str) -> Case:
    original = _open(
        story,
        requester,
        subject,
        3,
        6 * H,
        "The admin console answers 'quota exceeded' when we add a user, though we have seats.",
    )
    member = _customer(account, "member")
    duplicate = _open(
        story,
        member,
        "Adding users fails with 'quota exceeded'",
        3,
        5 * H,
        "I cannot add our new colleague: 'quota exceeded'.",
    )
    agent = _staff("agent.l1", "au")
    case_merge(actor=agent, source=duplicate, target=original, now=story.at(4 * H))
    return original


SPECS: Final = (
    _Spec(_("new"), "it", "pro", "member", "La VPN si disconnette ogni ora", "agent.l1", _new),
    _Spec(
        _("claimed"),
        "us",
        "business_plus",
        "member",
        "Calendar invitations arrive twice",
        "agent.l1",
        _claimed,
    ),
    _Spec(
        _("waiting on the customer"),
        "jp",
        "business",
        "account_admin",
        "Single sign-on fails for new users",
        "agent.l1",
        _waiting,
    ),
    _Spec(
        _("solved"),
        "au",
        "enterprise",
        "member",
        "Recording export stops at 2 GB",
        "agent.l1",
        _solved,
    ),
    _Spec(
        _("breached"),
        "it",
        "enterprise",
        "account_admin",
        "Piattaforma irraggiungibile per tutti gli utenti",
        "supervisor",
        _breached,
    ),
    _Spec(
        _("near breach"),
        "jp",
        "education",
        "member",
        "Meetings cannot start in the Osaka office",
        "agent.l1",
        _near_breach,
    ),
    _Spec(
        _("escalated to L2"),
        "it",
        "business",
        "account_admin",
        "Errori di sincronizzazione LDAP con nomi accentati",
        "agent.l2",
        _escalated_l2,
    ),
    _Spec(
        _("escalated to engineering"),
        "au",
        "education",
        "account_admin",
        "Media server restarts above 200 participants",
        "engineer",
        _escalated_engineering,
    ),
    _Spec(
        _("self-escalation pending"),
        "us",
        "education",
        "member",
        "Canadian dial-in numbers missing",
        "supervisor",
        _self_escalation,
    ),
    _Spec(
        _("merged"),
        "au",
        "business_plus",
        "account_admin",
        "Cannot add users: quota exceeded",
        "agent.l1",
        _merged,
    ),
)


def _link(spec: _Spec, case: Case, requester: User) -> DemoCaseLink:
    return DemoCaseLink(
        state=str(spec.state),
        case_id=case.pk,
        region=spec.region,
        account=case.account.name,
        customer=requester.email,
        agent=f"{spec.agent}.{spec.region}@{STAFF_DOMAIN}",
    )


@transaction.atomic
def demo_cases_load(*, now: datetime | None = None) -> DemoCasesReport:
    """Tell each demo case's story that is not told yet (needs the demo accounts and staff)."""
    story = _Story(now or timezone.now())
    report = DemoCasesReport()
    for spec in SPECS:
        account = _account(spec.region, spec.license_plan)
        requester = _customer(account, spec.requester_role)
        case = Case.objects.filter(requester=requester, subject=spec.subject).first()
        if case is None:
            case = spec.tell(story, account, requester, spec.subject)
            report.created += 1
        report.links.append(_link(spec, case, requester))
    if story.case_ids:
        story.fire_due(story.now)
        # Past events are not news: their e-mails stay in the outbox, cancelled (see above).
        written = Q()
        for case_id in story.case_ids:
            written |= Q(key__startswith=f"case:{case_id}:")
        OutboxMessage.objects.filter(written, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.CANCELLED, last_error=OUTBOX_NOTE
        )
    return report
