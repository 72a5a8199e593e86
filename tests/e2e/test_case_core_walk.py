"""The case core walked as its users walk it, in a real browser, with time passing between steps.

A Premier customer opens a severity 2 case in the portal; an L1 agent of the region claims it
from the queue and answers; an hour later waits on the customer (finding 1: a 500 before); the
customer answers later and the case reopens; the agent escalates it to L2 and lands on the queue
with a confirmation (finding 6: a 404 before); an L2 agent solves it and the customer sees it
solved, the history in words. A day later the customer asks for a supervisor's escalation on
another case: a supervisor of another region neither sees nor decides it, the region's own does.

Runs at 1366 px in English and at 390 px in Italian (switched in the top bar by the customer, set
in the profile of the staff). The clock is moved with time-machine (it patches the clock of the
live server's thread too), forward from now so the browser's cookies stay valid. Screenshots of
every step go to /tmp/walk/ (TIERDESK_WALK_SCREENSHOTS overrides the folder).
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.e2e.browsing import DESKTOP, PHONE, overflow
from tests.e2e.test_case_flow import sign_in
from tests.factories import (
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.roles import Role
from tierdesk.tickets.choices import (
    EscalationReason,
    EventKind,
    Line,
    Severity,
    Status,
    TargetKind,
)
from tierdesk.tickets.models import Case, SelfEscalation
from tierdesk.tickets.services.cases import case_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]
SHOTS = Path(os.environ.get("TIERDESK_WALK_SCREENSHOTS") or Path(tempfile.gettempdir()) / "walk")
ISO_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


class Walk:
    """What the people of one run see: their language, the window, where screenshots go."""

    def __init__(self, browser: Any, base: str, width: str, lang: str) -> None:
        self.browser = browser
        self.base = base
        self.width = width
        self.lang = lang
        self.viewport = PHONE if width == "phone" else DESKTOP
        self.shots: list[str] = []
        self.overflows: dict[str, int] = {}

    def t(self, text: str, **values: Any) -> str:
        """The text in the run's language, as the catalog translates it."""
        with translation.override(self.lang):
            translated = gettext(text)
        return translated % values if values else translated

    def label(self, choice: Any) -> str:
        with translation.override(self.lang):
            return str(choice.label)

    def page_for(self, user: Any) -> Any:
        context = self.browser.new_context(viewport=self.viewport, locale="en-US")
        page = context.new_page()
        sign_in(page, self.base, user.email)
        return page

    def shot(self, page: Any, step: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = f"{self.width}-{self.lang}-{step}.png"
        page.screenshot(path=str(SHOTS / name), full_page=True)
        self.shots.append(name)

    def fits(self, page: Any, step: str) -> None:
        """On a phone, nothing scrolls sideways (every page is restyled for phones, issue 8)."""
        if self.width != "phone":
            return
        extra = overflow(page)
        self.overflows[step] = extra
        assert extra == 0, f"{step}: {page.url} is {extra} px too wide: {too_wide(page)}"

    def in_language(self, page: Any) -> None:
        assert page.locator("html").get_attribute("lang") == self.lang, page.url


def too_wide(page: Any) -> list[str]:
    """The outermost elements that reach past the window's right edge (to say what overflows)."""
    return page.evaluate(
        """() => {
          const w = window.innerWidth, out = [];
          for (const el of document.querySelectorAll("main *")) {
            const r = el.getBoundingClientRect();
            if (r.right > w + 1 && !(el.parentElement.getBoundingClientRect().right > w + 1)) {
              out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                + (el.className ? "." + String(el.className).split(" ").join(".") : "")
                + " " + Math.round(r.width) + "px");
            }
          }
          return out.slice(0, 8);
        }"""
    )


def said(page: Any, text: str) -> None:
    """The confirmation at the top of the page."""
    from playwright.sync_api import expect

    expect(page.locator(".messages")).to_contain_text(text)


def clock(page: Any, walk: Walk, target: TargetKind) -> Any:
    return page.locator("#case-clocks .clock").filter(has_text=walk.label(target))


@pytest.mark.parametrize(("width", "lang"), [("desktop", "en"), ("phone", "it")])
def test_a_case_walked_from_the_portal_through_l1_and_l2_to_solved(
    browser, live_server, media, width, lang
):
    from playwright.sync_api import expect

    rome = SupportRegionFactory(
        code="it", name="Italia", time_zone="Europe/Rome", windows=ALWAYS_OPEN
    )
    usa = SupportRegionFactory(
        code="us", name="United States", time_zone="America/New_York", windows=ALWAYS_OPEN
    )
    account = AccountFactory(
        name="Acme",
        # Business Plus: its members may ask a supervisor to escalate after 24 hours.
        license_plan=LicensePlanFactory(code="business_plus"),
        support_plan=SupportPlanFactory(code="premier"),
        region=rome,
    )
    customer = UserFactory(
        account=account, email="ada@acme.example", first_name="Ada", last_name="Lovelace"
    )
    staff = {"language": lang}
    l1 = VendorUserFactory(
        role=Role.AGENT_L1, region=rome, email="l1@vendor.example", first_name="Lin", **staff
    )
    l2 = VendorUserFactory(
        role=Role.AGENT_L2, region=rome, email="l2@vendor.example", first_name="Leo", **staff
    )
    boss_it = VendorUserFactory(
        role=Role.SUPERVISOR, region=rome, email="sup.it@vendor.example", **staff
    )
    boss_us = VendorUserFactory(
        role=Role.SUPERVISOR, region=usa, email="sup.us@vendor.example", **staff
    )
    walk = Walk(browser, live_server.url, width, lang)
    base = live_server.url
    start = timezone.now().replace(microsecond=0)

    with time_machine.travel(start, tick=True) as clock_hand:
        # 1. The customer opens a severity 2 case in the portal and sees its SLA badges.
        other = case_create(
            actor=customer,
            subject="Voicemail greetings are cut short",
            description="The last second of every greeting is lost.",
            severity=3,
        )
        customer_page = walk.page_for(customer)
        customer_page.goto(f"{base}/cases/new/")
        if lang != "en":  # the language switcher of the top bar (behind the menu on a phone)
            if width == "phone":
                customer_page.click(".navbar-toggler")
            customer_page.click("#language-toggle")
            customer_page.locator(f".language-menu button[value={lang}]").click()
            customer_page.wait_for_load_state()
        walk.in_language(customer_page)
        customer.refresh_from_db()
        assert customer.language == lang  # the switcher saved the choice in the profile
        customer_page.fill("input[name=subject]", "Calls drop after five minutes")
        customer_page.fill("textarea[name=description]", "Every call drops after **5 minutes**.")
        customer_page.check("input[name=severity][value='2']")
        customer_page.click("#case-submit")
        customer_page.wait_for_url(re.compile(r"/cases/\d+/$"))
        case = Case.objects.exclude(pk=other.pk).get()
        assert (case.severity, case.status, case.line) == (2, Status.NEW, Line.L1)
        said(customer_page, walk.t("Case #%(n)d is open. We will answer here.", n=case.pk))
        expect(customer_page.locator("#case-title")).to_contain_text(
            "Calls drop after five minutes"
        )
        expect(customer_page.locator("#case-status")).to_have_text(walk.label(Status.NEW))
        expect(customer_page.locator("#case-severity")).to_have_text(walk.label(Severity.S2))
        for target in (TargetKind.FIRST_RESPONSE, TargetKind.RESOLUTION):
            expect(clock(customer_page, walk, target)).to_have_attribute(
                "data-state", re.compile("running|due_soon")
            )
        expect(clock(customer_page, walk, TargetKind.FIRST_RESPONSE)).to_contain_text(walk.t("due"))
        walk.in_language(customer_page)
        walk.fits(customer_page, "1-portal-case")
        walk.shot(customer_page, "1-portal-case-opened")

        # 2. An L1 agent of the region finds it in the queue, claims it and answers.
        clock_hand.move_to(start + timedelta(minutes=20))
        agent_page = walk.page_for(l1)
        agent_page.goto(f"{base}/console/")
        walk.in_language(agent_page)
        row = agent_page.locator(f"tr[data-case-id='{case.pk}']")
        expect(row).to_contain_text("Calls drop after five minutes")
        expect(row).to_contain_text(walk.label(Status.NEW))
        walk.fits(agent_page, "2-console-queue")
        walk.shot(agent_page, "2-console-queue")
        row.locator("a", has_text="Calls drop").click()
        agent_page.wait_for_url(f"{base}/cases/{case.pk}/")
        agent_page.click("#claim-submit")
        said(agent_page, walk.t("You took case #%(n)d.", n=case.pk))
        expect(agent_page.locator("#case-assignee")).to_contain_text("Lin")
        expect(agent_page.locator("#case-status")).to_have_text(walk.label(Status.OPEN))
        agent_page.fill("#reply-body", "Which client version do you run?")
        agent_page.click("#reply-submit")
        said(agent_page, walk.t("Reply sent."))
        expect(agent_page.locator(".message").last).to_contain_text("Which client version")
        expect(clock(agent_page, walk, TargetKind.FIRST_RESPONSE)).to_have_attribute(
            "data-state", "met"
        )
        walk.fits(agent_page, "2-console-case")
        walk.shot(agent_page, "2-console-replied")

        # 3. An hour later the agent waits on the customer (finding 1: a 500 before).
        clock_hand.move_to(start + timedelta(hours=1, minutes=20))
        agent_page.reload()
        agent_page.click("#status-waiting")
        said(agent_page, walk.t("The case waits on the customer; its clocks are paused."))
        expect(agent_page.locator("#case-status")).to_have_text(walk.label(Status.WAITING))
        expect(clock(agent_page, walk, TargetKind.RESOLUTION)).to_have_attribute(
            "data-state", "paused"
        )
        expect(clock(agent_page, walk, TargetKind.RESOLUTION)).to_contain_text(walk.t("paused"))
        expect(agent_page.locator("#status-waiting")).to_be_disabled()
        walk.fits(agent_page, "3-console-waiting")
        walk.shot(agent_page, "3-console-waiting")
        case.refresh_from_db()
        paused_due = case.clocks.get(target=TargetKind.RESOLUTION).due_at

        # 4. Three hours later the customer answers in the portal: the case reopens.
        clock_hand.move_to(start + timedelta(hours=4, minutes=20))
        customer_page.reload()
        expect(customer_page.locator("#case-status")).to_have_text(walk.label(Status.WAITING))
        expect(customer_page.locator("#thread")).to_contain_text("Which client version")
        expect(clock(customer_page, walk, TargetKind.RESOLUTION)).to_have_attribute(
            "data-state", "paused"
        )
        walk.shot(customer_page, "4-portal-waiting")
        customer_page.fill("#reply-form textarea[name=body]", "Version 8.4.2 on every desk.")
        customer_page.click("#reply-form #reply-submit")
        said(customer_page, walk.t("Your reply is sent."))
        expect(customer_page.locator("#case-status")).to_have_text(walk.label(Status.OPEN))
        expect(clock(customer_page, walk, TargetKind.RESOLUTION)).to_have_attribute(
            "data-state", re.compile("running|due_soon")
        )
        expect(clock(customer_page, walk, TargetKind.FIRST_RESPONSE)).to_have_attribute(
            "data-state", "met"
        )
        case.refresh_from_db()
        # The three paused hours (around the clock: 24/7 region) moved the due time on.
        resumed_due = case.clocks.get(target=TargetKind.RESOLUTION).due_at
        assert resumed_due - paused_due >= timedelta(hours=2, minutes=59), (
            paused_due,
            resumed_due,
        )
        walk.fits(customer_page, "4-portal-case")
        walk.shot(customer_page, "4-portal-reopened")

        # 5. The agent escalates it to L2: back on the queue, told so (finding 6: a 404 before).
        clock_hand.move_to(start + timedelta(hours=5))
        agent_page.reload()
        expect(agent_page.locator("#case-status")).to_have_text(walk.label(Status.OPEN))
        agent_page.select_option("#escalate-line", Line.L2.value)
        agent_page.fill("#escalate-reason", "Needs a look at the trunk's SIP traces.")
        agent_page.click("#escalate-submit")
        agent_page.wait_for_url(re.compile(r"/console/(\?.*)?$"))
        said(
            agent_page,
            walk.t("Case #%(n)d escalated to %(line)s.", n=case.pk, line=walk.label(Line.L2)),
        )
        expect(agent_page.locator("h1")).to_have_text(walk.t("Queues"))
        expect(agent_page.locator(f"tr[data-case-id='{case.pk}']")).to_have_count(0)
        walk.shot(agent_page, "5-console-escalated")
        assert agent_page.request.get(f"{base}/cases/{case.pk}/").status == 404

        # 6. An L2 agent solves it; the customer sees it solved, and its history in words.
        clock_hand.move_to(start + timedelta(hours=6))
        l2_page = walk.page_for(l2)
        l2_page.goto(f"{base}/console/?line={Line.L2.value}")
        expect(l2_page.locator(f"tr[data-case-id='{case.pk}']")).to_be_visible()
        l2_page.locator(f"tr[data-case-id='{case.pk}'] a", has_text="Calls drop").click()
        l2_page.wait_for_url(f"{base}/cases/{case.pk}/")
        expect(l2_page.locator(".case-meta")).to_contain_text(walk.label(Line.L2))
        l2_page.click("#claim-submit")
        said(l2_page, walk.t("You took case #%(n)d.", n=case.pk))
        l2_page.fill("#reply-body", "Fixed in 8.4.3: please upgrade.")
        l2_page.click("#reply-submit")
        said(l2_page, walk.t("Reply sent."))
        l2_page.once("dialog", lambda dialog: dialog.accept())  # "Solve this case?"
        l2_page.click("#status-solved")
        said(l2_page, walk.t("The case is solved."))
        expect(l2_page.locator("#case-status")).to_have_text(walk.label(Status.SOLVED))
        expect(clock(l2_page, walk, TargetKind.RESOLUTION)).to_have_attribute("data-state", "met")
        # The console's history: labels in the before/after cells, formatted times.
        history = l2_page.locator("#history")
        status_rows = history.locator(f"tr[data-kind='{EventKind.STATUS.value}']")
        moves = [
            (
                status_rows.nth(i).locator("td").nth(3).inner_text().strip(),
                status_rows.nth(i).locator("td").nth(4).inner_text().strip(),
            )
            for i in range(status_rows.count())
        ]
        label = walk.label
        assert moves == [
            (label(Status.NEW), label(Status.OPEN)),
            (label(Status.OPEN), label(Status.WAITING)),
            (label(Status.WAITING), label(Status.OPEN)),
            (label(Status.OPEN), label(Status.SOLVED)),
        ], moves
        escalated = history.locator(f"tr[data-kind='{EventKind.ESCALATED.value}'] td")
        expect(escalated.nth(2)).to_have_text(label(EventKind.ESCALATED))
        expect(escalated.nth(4)).to_have_text(label(Line.L2))
        assert not ISO_STAMP.search(history.inner_text()), history.inner_text()
        walk.fits(l2_page, "6-console-solved")
        walk.shot(l2_page, "6-console-solved")

        clock_hand.move_to(start + timedelta(hours=6, minutes=30))
        customer_page.reload()
        expect(customer_page.locator("#case-status")).to_have_text(label(Status.SOLVED))
        expect(customer_page.locator("#thread")).to_contain_text("Fixed in 8.4.3")
        expect(clock(customer_page, walk, TargetKind.RESOLUTION)).to_have_attribute(
            "data-state", "met"
        )
        lines = customer_page.locator("#history li").all_inner_texts()
        shown = "\n".join(lines)
        arrow = "{}: {} → {}"
        for before, after in [
            (Status.OPEN, Status.WAITING),
            (Status.WAITING, Status.OPEN),
            (Status.OPEN, Status.SOLVED),
        ]:
            assert arrow.format(label(EventKind.STATUS), label(before), label(after)) in shown, (
                shown
            )
        assert label(EventKind.CREATED) in shown, shown
        assert not ISO_STAMP.search(shown), shown
        for raw in ("waiting", "solved", "first_response", "l2", "self_escalation"):
            assert not re.search(rf"\b{raw}\b", shown), (raw, shown)
        walk.fits(customer_page, "6-portal-case")
        walk.shot(customer_page, "6-portal-solved")

        # 7. A day later the customer asks a supervisor to escalate the other case.
        clock_hand.move_to(start + timedelta(hours=25))
        customer_page.goto(f"{base}/cases/{other.pk}/")
        form = customer_page.locator("#escalation-form")
        form.locator("input[name=reason][value=delayed_responses]").check()
        form.locator("textarea[name=details]").fill("Nobody has answered for a day.")
        form.locator("#escalation-submit").click()
        said(customer_page, walk.t("Your escalation request is sent to a supervisor."))
        request = SelfEscalation.objects.get(case=other)
        expect(customer_page.locator("#escalation [data-decision=pending]")).to_contain_text(
            label(SelfEscalation.Decision.PENDING)
        )
        walk.shot(customer_page, "7-portal-asked")

        # The supervisor of the United States neither sees nor decides it.
        us_page = walk.page_for(boss_us)
        us_page.goto(f"{base}/console/escalations/")
        walk.in_language(us_page)
        expect(us_page.locator(f"#request-{request.pk}")).to_have_count(0)
        expect(us_page.locator("main")).to_contain_text(walk.t("No pending requests."))
        walk.shot(us_page, "7-console-escalations-other-region")
        token = us_page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
        refused = us_page.request.post(
            base + reverse("tickets:escalation-decide", args=[request.pk]),
            form={
                "csrfmiddlewaretoken": token or "",
                f"r{request.pk}-decision": "accept",
                f"r{request.pk}-reason": "Not mine to decide.",
            },
        )
        assert refused.status == 404, refused.status
        # Supervisors read every case; on this one the request shows, its decision link not.
        us_page.goto(f"{base}/cases/{other.pk}/")
        expect(us_page.locator(".self-escalations")).to_contain_text(
            label(EscalationReason.DELAYED_RESPONSES)
        )
        expect(us_page.get_by_text(walk.t("Decide on the escalation page"))).to_have_count(0)
        walk.shot(us_page, "7-console-case-other-region")

        # The supervisor of the customer's region accepts it.
        it_page = walk.page_for(boss_it)
        it_page.goto(f"{base}/cases/{other.pk}/")
        it_page.get_by_text(walk.t("Decide on the escalation page")).click()
        it_page.wait_for_url(f"{base}/console/escalations/")
        card = it_page.locator(f"#request-{request.pk}")
        expect(card).to_contain_text("Voicemail greetings are cut short")
        expect(card).to_contain_text(label(EscalationReason.DELAYED_RESPONSES))
        walk.fits(it_page, "7-console-escalations")
        walk.shot(it_page, "7-console-escalations")
        card.locator("textarea").fill("Agreed: L2 takes it today.")
        card.locator("button[value=accept]").click()
        said(it_page, walk.t("Request on case #%(n)d accepted.", n=other.pk))
        expect(it_page.locator(f"#request-{request.pk}")).to_have_count(0)
        request.refresh_from_db()
        other.refresh_from_db()
        assert (request.decision, request.decided_by_id) == ("accepted", boss_it.pk)
        assert other.line == Line.L2

        customer_page.reload()
        decided = customer_page.locator("#escalation [data-decision=accepted]")
        expect(decided).to_contain_text(label(SelfEscalation.Decision.ACCEPTED))
        expect(decided).to_contain_text("Agreed: L2 takes it today.")
        walk.fits(customer_page, "7-portal-case")
        walk.shot(customer_page, "7-portal-accepted")

    print(f"\n{width}/{lang} screenshots: {', '.join(walk.shots)}; overflow: {walk.overflows}")
    for page in (customer_page, agent_page, l2_page, us_page, it_page):
        page.context.close()
