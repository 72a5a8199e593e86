"""`tierdesk load_demo`: the demo regions, accounts and users; idempotent; logins work."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse

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
