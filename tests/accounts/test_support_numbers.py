"""Support numbers: the model, the admin, the demo set, and who may see which number and the PIN."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse

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
from tierdesk.accounts.models import LicensePlan, SupportNumber, SupportRegion
from tierdesk.accounts.roles import Role
from tierdesk.accounts.selectors.support import (
    NO_CONTACTS,
    account_plan_summary,
    free_plan_summary,
    support_contacts,
)
from tierdesk.accounts.services.support_numbers import (
    DEMO_SUPPORT_NUMBERS,
    demo_support_numbers_load,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    region = SupportRegionFactory(code="it", name="Italy")
    SupportNumber.objects.create(region=region, line="first", number="+390200000101")
    SupportNumber.objects.create(region=region, line="first", number="+390200000103", sort_order=1)
    SupportNumber.objects.create(region=region, line="second", number="+390200000102")
    return region


@pytest.fixture
def other_region():
    other = SupportRegionFactory(code="jp", name="Japan")
    SupportNumber.objects.create(region=other, line="first", number="+81300000101")
    SupportNumber.objects.create(region=other, line="second", number="+81300000102")
    return other


def customer(region, license_code, support_code="access", role=Role.MEMBER):
    account = AccountFactory(
        license_plan=LicensePlanFactory(code=license_code),
        support_plan=SupportPlanFactory(code=support_code),
        region=region,
    )
    return UserFactory(account=account, role=role)


def shown(contacts):
    return {line.line: [n.number for n in line.numbers] for line in contacts.phone_lines}


# The model --------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["+390200000109", "+18005550100", "+61255500101"])
def test_e164_numbers_are_accepted(region, number):
    SupportNumber(region=region, line="first", number=number, label="Desk").full_clean()


@pytest.mark.parametrize(
    "number", ["0200000101", "+39 02 0000 0101", "+0390200000", "+1", "+3902000001011234", "tel"]
)
def test_other_numbers_are_refused_with_the_reason(region, number):
    with pytest.raises(ValidationError) as raised:
        SupportNumber(region=region, line="first", number=number).full_clean()
    assert "E.164" in str(raised.value.message_dict["number"])


def test_a_number_is_listed_once_per_region_and_line(region):
    with pytest.raises(IntegrityError):
        SupportNumber.objects.create(region=region, line="first", number="+390200000101")


def test_numbers_are_ordered_by_line_and_order(region):
    numbers = list(region.support_numbers.values_list("line", "number"))
    assert numbers == [
        ("first", "+390200000101"),
        ("first", "+390200000103"),
        ("second", "+390200000102"),
    ]
    assert str(region.support_numbers.first()) == "+390200000101 (first line)"


def test_the_admin_lists_and_adds_numbers(client, region):
    client.force_login(StaffAdminFactory())
    assert client.get(reverse("admin:accounts_supportnumber_changelist")).status_code == 200
    response = client.post(
        reverse("admin:accounts_supportnumber_add"),
        {"region": region.pk, "line": "second", "number": "+39 02", "label": "", "sort_order": 0},
    )
    assert response.status_code == 200  # the form again, with the error
    assert "E.164" in response.content.decode()
    response = client.post(
        reverse("admin:accounts_supportnumber_add"),
        {"region": region.pk, "line": "second", "number": "+390200000199", "sort_order": 2},
    )
    assert response.status_code == 302
    assert region.support_numbers.filter(number="+390200000199", line="second").exists()


# Who sees what ----------------------------------------------------------------------------------


def test_basic_gets_no_number_no_pin_and_no_portal(region):
    contacts = support_contacts(customer(region, "basic"))
    assert (contacts.web_tickets, contacts.phone_lines, contacts.support_pin) == (False, (), "")
    assert not contacts.reachable


@pytest.mark.parametrize("role", [Role.MEMBER, Role.ACCOUNT_ADMIN])
def test_pro_gets_the_first_line_numbers_and_the_pin(region, other_region, role):
    user = customer(region, "pro", "premier", role=role)
    contacts = support_contacts(user)
    assert shown(contacts) == {"first": ["+390200000101", "+390200000103"]}
    assert contacts.support_pin == user.account.support_pin
    assert contacts.web_tickets


@pytest.mark.parametrize("plan", ["business", "business_plus", "enterprise", "education"])
def test_second_line_plans_get_both_lines_of_their_region_only(region, other_region, plan):
    user = customer(region, plan)
    contacts = support_contacts(user)
    assert shown(contacts) == {
        "first": ["+390200000101", "+390200000103"],
        "second": ["+390200000102"],
    }
    assert contacts.support_pin == user.account.support_pin


def test_the_numbers_follow_the_plan_data(region):
    user = customer(region, "pro")
    LicensePlan.objects.filter(code="pro").update(phone_first_line=False, phone_second_line=True)
    user = type(user).objects.get(pk=user.pk)
    contacts = support_contacts(user)
    assert shown(contacts) == {"second": ["+390200000102"]}
    assert contacts.support_pin == user.account.support_pin
    LicensePlan.objects.filter(code="pro").update(phone_first_line=False, phone_second_line=False)
    user = type(user).objects.get(pk=user.pk)
    assert support_contacts(user).support_pin == ""


def test_visitors_vendor_staff_and_inactive_users_get_nothing(region):
    assert support_contacts(AnonymousUser()) == NO_CONTACTS
    assert support_contacts(VendorUserFactory(role=Role.SUPERVISOR, region=region)) == NO_CONTACTS
    inactive = customer(region, "enterprise")
    inactive.is_active = False
    contacts = support_contacts(inactive)
    assert (contacts.phone_lines, contacts.support_pin, contacts.web_tickets) == ((), "", False)


def test_support_contacts_cost_a_fixed_number_of_queries(region, django_assert_num_queries):
    user = customer(region, "enterprise")
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(3):  # the account, its license plan, the numbers
        support_contacts(user)


# The plan's summary -----------------------------------------------------------------------------


def items(summary):
    return {item.key: item.included for item in summary.items}


def test_the_summary_follows_the_entitlement_matrix(region):
    basic = customer(region, "basic").account
    assert items(account_plan_summary(basic)) == {
        "help_center": True,
        "assistant": True,
        "community_read": True,
        "community_post": True,
        "web_tickets": False,
        "assistant_handoff": False,
        "phone_first_line": False,
        "phone_second_line": False,
        "engineering_escalation": False,
        "self_escalation": False,
        "direct_second_line_for_admins": False,
        "automated_escalation": False,
        "named_technical_account_manager": False,
    }
    assert account_plan_summary(basic).targets == ()
    enterprise = customer(region, "enterprise", "premier_plus").account
    summary = account_plan_summary(enterprise)
    assert all(items(summary).values())
    escalation = next(i for i in summary.items if i.key == "self_escalation")
    assert escalation.detail == "after 24 hours open"
    rows = [(t.severity, t.first_response_minutes, t.resolution_minutes) for t in summary.targets]
    assert rows == [(1, 60, 240), (2, 240, 1440), (3, 480, 1440), (4, 480, 1440)]
    assert summary.targets[0].clock == "24x7"
    assert summary.targets[1].clock == "regional business hours"


def test_access_shows_first_response_targets_without_resolution(region):
    summary = account_plan_summary(customer(region, "pro", "access").account)
    rows = [(t.first_response_minutes, t.resolution_minutes) for t in summary.targets]
    assert rows == [(240, None), (480, None), (960, None), (960, None)]


def test_what_free_accounts_get_comes_from_the_free_plan():
    assert items(free_plan_summary()) == {
        "help_center": True,
        "assistant": True,
        "community_read": True,
        "community_post": True,
    }
    LicensePlan.objects.filter(is_paid=False).update(community_post=False)
    assert "community_post" not in items(free_plan_summary())


# The account page ---------------------------------------------------------------------------------


def test_the_account_page_shows_the_plan_checklist_and_targets(client, region):
    user = AccountAdminFactory(
        account=AccountFactory(
            license_plan=LicensePlanFactory(code="business"),
            support_plan=SupportPlanFactory(code="premier"),
            region=region,
        )
    )
    client.force_login(user)
    html = client.get(reverse("account")).content.decode()
    assert 'data-entitlement="phone_second_line" data-included="yes"' in html
    assert 'data-entitlement="engineering_escalation" data-included="no"' in html
    assert 'id="plan-targets"' in html
    assert user.account.support_pin in html


def test_the_account_page_of_basic_has_no_targets(client, region):
    client.force_login(customer(region, "basic"))
    html = client.get(reverse("account")).content.decode()
    assert 'data-entitlement="web_tickets" data-included="no"' in html
    assert 'id="plan-targets"' not in html


# The demo set -----------------------------------------------------------------------------------


def test_the_demo_loads_numbers_for_every_demo_region_once():
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "support numbers" in out.getvalue()
    regions = set(SupportRegion.objects.values_list("code", flat=True))
    assert regions == set(DEMO_SUPPORT_NUMBERS)
    for code, numbers in DEMO_SUPPORT_NUMBERS.items():
        stored = SupportNumber.objects.filter(region__code=code)
        assert {(n.line, n.number) for n in stored} == {(line, n) for line, n, _ in numbers}
        for number in stored:
            number.full_clean()
        assert {n.line for n in stored} == {"first", "second"}
    before = list(SupportNumber.objects.values())
    assert demo_support_numbers_load() == 0
    assert list(SupportNumber.objects.values()) == before
