"""The home page of each role: what each sees, what it never sees, and its constant cost."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AccountAdminFactory,
    AccountFactory,
    LicensePlanFactory,
    StaffAdminFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.models import SupportNumber
from tierdesk.accounts.roles import Role
from tierdesk.tickets.choices import Line
from tierdesk.tickets.models import Case, SlaClock
from tierdesk.tickets.services.cases import case_create
from tierdesk.tickets.services.escalations import case_escalate, self_escalation_request

pytestmark = pytest.mark.django_db

HOME = "/"


def open_case(requester, *, severity=3, subject="Meetings drop", hours_ago=1):
    return case_create(
        actor=requester,
        subject=subject,
        description="Every meeting drops.",
        severity=severity,
        now=timezone.now() - timedelta(hours=hours_ago),
    )


def page(client, user=None):
    if user is not None:
        client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def rome():
    return SupportRegionFactory(code="it", name="Italy", time_zone="Europe/Rome")


@pytest.fixture
def tokyo():
    return SupportRegionFactory(code="jp", name="Japan", time_zone="Asia/Tokyo")


@pytest.fixture
def numbers(rome, tokyo):
    for region, first, second in (
        (rome, "+390200000101", "+390200000102"),
        (tokyo, "+81300000101", "+81300000102"),
    ):
        SupportNumber.objects.create(region=region, line="first", number=first, label="Desk")
        SupportNumber.objects.create(region=region, line="second", number=second)


def account(region, license_code, support_code="access", name=None):
    return AccountFactory(
        name=name or f"{license_code} {support_code} {region.code}",
        license_plan=LicensePlanFactory(code=license_code),
        support_plan=SupportPlanFactory(code=support_code),
        region=region,
    )


# Visitors -------------------------------------------------------------------------------------


def test_visitors_see_what_free_accounts_get_and_a_sign_in_call(client, numbers):
    html = page(client)
    assert "How can we help?" in html
    for included in ("help_center", "assistant", "community_read", "community_post"):
        assert f'data-entitlement="{included}" data-included="yes"' in html
    # The free plan's checklist lists only what it includes.
    assert 'data-entitlement="web_tickets"' not in html
    assert 'data-included="no"' not in html
    assert 'id="sign-in-call"' in html
    assert f'href="{reverse("login")}?next=/"' in html


def test_visitors_see_no_private_data(client, numbers, rome):
    customer = UserFactory(account=account(rome, "business", "premier"))
    open_case(customer, subject="Secret outage of Rossi")
    html = page(client)
    assert "Secret outage" not in html
    assert "+39" not in html and "+81" not in html
    assert customer.account.support_pin not in html
    assert 'id="open-cases"' not in html
    assert 'id="support-contacts"' not in html


def self_service_hrefs(html):
    """The links of the home's self-service card."""
    card = html.split('aria-label="Self-service"')[1].split("</nav>")[0]
    return set(re.findall(r'<a [^>]*href="([^"]+)"', card))


def test_visitors_are_offered_the_assistant_and_the_community(client, rome):
    hrefs = self_service_hrefs(page(client))
    assert {reverse("assistant:page"), reverse("community:index")} <= hrefs


def test_basic_customers_are_offered_every_self_service_place(client, rome):
    hrefs = self_service_hrefs(page(client, UserFactory(account=account(rome, "basic"))))
    assert hrefs == {
        reverse("knowledge:index"),
        reverse("assistant:page"),
        reverse("community:index"),
    }


def test_no_search_box_while_the_help_center_search_is_not_routed(client, monkeypatch, rome):
    # As before the help center's search lands (issue 9): its URL name does not resolve.
    monkeypatch.setattr("tierdesk.web.views.HELP_SEARCH_URL_NAME", "knowledge:not-routed-yet")
    customer = UserFactory(account=account(rome, "pro"))
    for user in (None, customer):
        html = page(client, user)
        assert 'role="search"' not in html
        assert 'id="help-search"' not in html


def test_the_search_box_goes_to_the_help_center_search_once_routed(client, rome):
    html = page(client)
    assert re.search(r'<form method="get" action="/help/search/" role="search"', html)
    assert 'name="q"' in html
    assert client.get("/help/search/", {"q": "vpn"}).status_code == 200
    html = page(client, UserFactory(account=account(rome, "basic")))
    assert 'action="/help/search/"' in html


ASSISTANT_STAFF_LINK = re.compile(r'<a [^>]*href="/assistant/staff/"[^>]*id="assistant-staff-link"')


@pytest.mark.parametrize(
    "role", [Role.AGENT_L1, Role.AGENT_L2, Role.ENGINEER, Role.SUPERVISOR, Role.STAFF_ADMIN]
)
def test_support_staff_reach_the_assistant_staff_pages_from_their_home(client, rome, role):
    """Conversations, unanswered questions and FAQ entries: linked as the phone figures are."""
    user = VendorUserFactory(role=role, region=rome)
    assert ASSISTANT_STAFF_LINK.search(page(client, user))
    assert client.get("/assistant/staff/").status_code == 200


def test_customers_and_visitors_get_no_link_to_the_assistant_staff_pages(client, rome):
    assert "/assistant/staff/" not in page(client)
    for role in ("basic", "business"):
        assert "/assistant/staff/" not in page(client, UserFactory(account=account(rome, role)))


# Customers --------------------------------------------------------------------------------------


def contacts_of(html):
    """The support numbers and the PIN the contacts card shows."""
    card = html.split('id="support-contacts"', 1)[1] if 'id="support-contacts"' in html else ""
    shown = set(re.findall(r'href="tel:(\+\d+)"', card))
    pin = re.search(r'id="home-support-pin">(\d{6})<', card)
    return shown, pin.group(1) if pin else None


def test_basic_plan_customers_see_no_numbers_and_no_pin(client, numbers, rome):
    user = UserFactory(account=account(rome, "basic"))
    html = page(client, user)
    assert contacts_of(html) == (set(), None)
    assert user.account.support_pin not in html
    assert "includes neither web tickets nor phone support" in html
    assert 'data-entitlement="web_tickets" data-included="no"' in html
    assert 'id="open-cases"' not in html  # no web tickets, no cases


def test_first_line_plans_show_first_line_numbers_and_the_pin(client, numbers, rome):
    user = UserFactory(account=account(rome, "pro"))
    html = page(client, user)
    assert contacts_of(html) == ({"+390200000101"}, user.account.support_pin)
    assert 'data-phone-line="second"' not in html
    assert 'data-entitlement="phone_first_line" data-included="yes"' in html
    assert 'data-entitlement="phone_second_line" data-included="no"' in html
    assert f'href="{reverse("tickets:new")}"' in html


def test_second_line_plans_show_both_lines(client, numbers, rome):
    user = AccountAdminFactory(account=account(rome, "business"))
    html = page(client, user)
    assert contacts_of(html) == ({"+390200000101", "+390200000102"}, user.account.support_pin)
    assert "+39 02 0000 0101" in html  # shown grouped, dialled as E.164


def test_a_line_without_numbers_says_so_and_keeps_the_pin(client, rome):
    user = UserFactory(account=account(rome, "pro"))
    html = page(client, user)
    assert "No number is published for Italy yet." in html
    assert contacts_of(html) == (set(), user.account.support_pin)


def test_customers_see_their_region_numbers_never_another_region(client, numbers, rome, tokyo):
    user = UserFactory(account=account(rome, "enterprise"))
    shown, _pin = contacts_of(page(client, user))
    assert shown == {"+390200000101", "+390200000102"}
    assert "+8130" not in page(client, user)


def test_a_member_never_sees_another_account_case_or_pin(client, numbers, rome):
    mine = UserFactory(account=account(rome, "business", "premier", name="Mine"))
    theirs = UserFactory(account=account(rome, "business", "premier", name="Theirs"))
    open_case(mine, subject="My printer is on fire")
    open_case(theirs, subject="Their private outage")
    html = page(client, mine)
    assert "My printer is on fire" in html
    assert "Their private outage" not in html
    assert theirs.account.support_pin not in html
    assert mine.account.support_pin in html


def test_customers_see_their_open_cases_with_sla_badges(client, rome):
    user = UserFactory(account=account(rome, "business", "premier"))
    case = open_case(user, severity=2, subject="VPN down")
    html = page(client, user)
    row = html.split(f'data-case="{case.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "VPN down" in row
    assert f'href="{reverse("case-detail", args=[case.pk])}"' in html
    assert 'class="clock clock-' in row
    assert "First response" in row and "Resolution" in row


def test_solved_cases_are_not_in_the_open_list(client, rome):
    user = UserFactory(account=account(rome, "pro"))
    case = open_case(user, subject="Long solved")
    Case.objects.filter(pk=case.pk).update(status="solved")
    html = page(client, user)
    assert "Long solved" not in html
    assert "No open cases" in html


def test_premier_customers_see_their_targets_by_severity(client, rome):
    html = page(client, UserFactory(account=account(rome, "business", "premier")))
    row = html.split('data-severity="1"', 1)[1].split("</tr>", 1)[0]
    assert ">1 h<" in row and ">4 h<" in row and "24x7" in row
    row = html.split('data-severity="2"', 1)[1].split("</tr>", 1)[0]
    assert ">4 h<" in row and ">24 h<" in row and "regional business hours" in row


def test_access_customers_see_first_response_targets_only(client, rome):
    html = page(client, UserFactory(account=account(rome, "pro", "access")))
    row = html.split('data-severity="3"', 1)[1].split("</tr>", 1)[0]
    assert ">16 h<" in row and ">—<" in row


def test_basic_customers_see_no_targets(client, rome):
    html = page(client, UserFactory(account=account(rome, "basic")))
    assert 'id="plan-targets"' not in html


def test_customers_see_no_agent_or_supervisor_facts(client, rome):
    html = page(client, UserFactory(account=account(rome, "business")))
    assert 'id="queue-counts"' not in html
    assert 'id="nearest-to-breach"' not in html
    assert "line-figures" not in html


# Agents ---------------------------------------------------------------------------------------


@pytest.fixture
def customer(rome):
    return UserFactory(account=account(rome, "enterprise", "premier"))


def test_l1_agents_see_their_queue_count_and_nearest_cases(client, rome, customer):
    agent = VendorUserFactory(role=Role.AGENT_L1, region=rome)
    urgent = open_case(customer, severity=1, subject="Everything is down", hours_ago=2)
    open_case(customer, severity=4, subject="How do I export?")
    html = page(client, agent)
    assert re.search(r'data-line="l1">.*?data-count>2<', html, re.S)
    assert 'data-line="l2"' not in html and 'data-line="engineering"' not in html
    nearest = html.split('id="nearest-to-breach"', 1)[1]
    # The severity 1 case breached (1 h, opened 2 h ago): first; then the other.
    assert nearest.index("Everything is down") < nearest.index("How do I export?")
    assert 'class="clock clock-breached"' in nearest
    assert f'href="{reverse("case-detail", args=[urgent.pk])}"' in nearest
    assert f'href="{reverse("tickets:queues")}?line=l1"' in html
    assert 'id="support-contacts"' not in html and 'id="plan-checklist"' not in html
    assert "line-figures" not in html


def test_nearest_to_breach_lists_five(client, rome, customer):
    for n in range(7):
        open_case(customer, subject=f"Case number {n}")
    html = page(client, VendorUserFactory(role=Role.AGENT_L2, region=rome))
    nearest = html.split('id="nearest-to-breach"', 1)[1]
    assert nearest.count("data-case=") == 5


def test_agents_see_only_the_cases_of_their_lines_and_region(client, rome, tokyo, customer):
    elsewhere = UserFactory(account=account(tokyo, "enterprise", "premier"))
    open_case(elsewhere, subject="Tokyo case")
    engineering = open_case(customer, subject="Kernel panic")
    supervisor = VendorUserFactory(role=Role.SUPERVISOR, region=rome)
    case_escalate(actor=supervisor, case=engineering, line=Line.ENGINEERING, reason="A bug")
    l1 = page(client, VendorUserFactory(role=Role.AGENT_L1, region=rome))
    assert "Tokyo case" not in l1 and "Kernel panic" not in l1
    engineer = page(client, VendorUserFactory(role=Role.ENGINEER, region=rome))
    assert "Kernel panic" in engineer and "Tokyo case" not in engineer
    assert re.search(r'data-line="engineering">.*?data-count>1<', engineer, re.S)


def test_an_agent_with_an_empty_queue_gets_an_empty_state(client, rome):
    html = page(client, VendorUserFactory(role=Role.ENGINEER, region=rome))
    assert "Nothing is running against a target" in html
    assert re.search(r'data-line="engineering">.*?data-count>0<', html, re.S)


# Supervisors and staff admins -------------------------------------------------------------------


def figures(html, region_code, line):
    block = html.split(f'data-region="{region_code}"', 1)[1].split("</section>", 1)[0]
    row = block.split(f'<tr data-line="{line}">', 1)[1].split("</tr>", 1)[0]
    return tuple(
        int(re.sub(r"<[^>]+>", "", re.search(rf'data-figure="{name}">(.*?)</td>', row).group(1)))
        for name in ("open", "breached", "pending")
    )


@pytest.fixture
def busy_regions(rome, tokyo):
    premier_plus = account(rome, "enterprise", "premier_plus", name="Rossi")
    admin = AccountAdminFactory(account=premier_plus)
    breached = open_case(admin, severity=1, subject="Down", hours_ago=2)  # 1 h target: breached
    open_case(admin, severity=4, subject="Question")
    old = open_case(admin, severity=3, subject="Slow", hours_ago=72)
    self_escalation_request(actor=admin, case=old, reason="delayed_responses")
    tokyo_admin = AccountAdminFactory(account=account(tokyo, "enterprise", "premier_plus"))
    open_case(tokyo_admin, subject="Tokyo slow", hours_ago=72)
    return breached


def test_supervisors_see_their_region_lines_breaches_and_requests(client, rome, busy_regions):
    html = page(client, VendorUserFactory(role=Role.SUPERVISOR, region=rome))
    assert 'data-region="jp"' not in html
    open_cases, breached, pending = figures(html, "it", "l1")
    assert open_cases == 3
    assert breached >= 1  # S1's first response (and the 72 h-old cases' targets)
    assert pending == 1
    assert figures(html, "it", "l2") == (0, 0, 0)
    assert figures(html, "it", "engineering") == (0, 0, 0)
    assert f'href="{reverse("tickets:queues")}?line=l1&amp;region={rome.pk}"' in html
    assert f'href="{reverse("tickets:escalations")}"' in html
    assert 'id="support-contacts"' not in html and 'id="nearest-to-breach"' not in html


def test_breached_clocks_count_the_clocks_in_breach(client, rome, busy_regions):
    now = timezone.now()
    expected = sum(
        1
        for clock in SlaClock.objects.filter(case__region=rome, case__in_queue=True)
        if clock.breached_at is not None or (clock.met_at is None and clock.due_at < now)
    )
    html = page(client, VendorUserFactory(role=Role.SUPERVISOR, region=rome))
    assert figures(html, "it", "l1")[1] == expected


def test_staff_admins_see_every_region(client, rome, tokyo, busy_regions):
    html = page(client, StaffAdminFactory())
    assert figures(html, "it", "l1")[0] == 3
    tokyo_open, _breached, tokyo_pending = figures(html, "jp", "l1")
    assert (tokyo_open, tokyo_pending) == (1, 0)
    assert figures(html, "it", "l1")[2] == 1


# Cost: constant in the number of cases -----------------------------------------------------------


def queries_for(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "role", ["member", "account_admin", "agent_l1", "agent_l2", "engineer", "supervisor", "staff"]
)
def test_each_home_costs_the_same_with_1_and_10_cases(client, numbers, rome, role):
    customer_account = account(rome, "enterprise", "premier_plus")
    admin = AccountAdminFactory(account=customer_account)
    member = UserFactory(account=customer_account)
    users = {
        "member": member,
        "account_admin": admin,
        "agent_l1": VendorUserFactory(role=Role.AGENT_L1, region=rome),
        "agent_l2": VendorUserFactory(role=Role.AGENT_L2, region=rome),
        "engineer": VendorUserFactory(role=Role.ENGINEER, region=rome),
        "supervisor": VendorUserFactory(role=Role.SUPERVISOR, region=rome),
        "staff": StaffAdminFactory(),
    }
    escalator = VendorUserFactory(role=Role.SUPERVISOR, region=rome)

    def add_case(n):
        case = open_case(member, subject=f"Case {n}", severity=1 + n % 4, hours_ago=30 + n)
        # Every role's lists hold the first case and then grow: the engineer's queue too.
        if n % 3 == 1 or (role == "engineer" and n == 0):
            case_escalate(actor=escalator, case=case, line=Line.ENGINEERING, reason="Bug")
        if n % 2 == 0:
            self_escalation_request(actor=admin, case=case, reason="delayed_responses")

    add_case(0)
    one = queries_for(client, users[role])
    for n in range(1, 10):
        add_case(n)
    ten = queries_for(client, users[role])
    assert one == ten
    # Session and user, then: customers the account, its two plans, the targets, the numbers,
    # the cases, their clocks and their count; agents the queue counts, the cases and their
    # clocks; supervisors the regions and three grouped counts.
    assert ten <= (10 if role in ("member", "account_admin") else 6)
