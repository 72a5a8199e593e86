"""Fixtures for cases: a Rome region open Mon-Fri 09:00-18:00, accounts on several plans."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import (
    AccountAdminFactory,
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.roles import Role

ROME = ZoneInfo("Europe/Rome")


def rome(*args: int) -> datetime:
    """An instant given in Rome's local time."""
    return datetime(*args, tzinfo=ROME)


# Monday 2 March 2026, 10:00 in Rome (09:00 UTC): a working day without holidays.
MONDAY_10 = rome(2026, 3, 2, 10, 0)


@pytest.fixture
def region(db):
    # 09:00-13:00 and 14:00-18:00, Monday to Friday, like the Italian demo region.
    windows = [(day, start, end) for day in range(5) for start, end in ((540, 780), (840, 1080))]
    return SupportRegionFactory(code="it", name="Italy", time_zone="Europe/Rome", windows=windows)


@pytest.fixture
def premier_account(region):
    return AccountFactory(
        name="Premier Co",
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="premier"),
        region=region,
    )


@pytest.fixture
def premier_plus_account(region):
    tam = VendorUserFactory(role=Role.AGENT_L2, region=region, email="tam@vendor.example")
    return AccountFactory(
        name="Premier Plus Co",
        license_plan=LicensePlanFactory(code="enterprise"),
        support_plan=SupportPlanFactory(code="premier_plus"),
        region=region,
        technical_account_manager=tam,
    )


@pytest.fixture
def pro_account(region):
    return AccountFactory(
        name="Pro Co",
        license_plan=LicensePlanFactory(code="pro"),
        support_plan=SupportPlanFactory(code="access"),
        region=region,
    )


@pytest.fixture
def basic_account(region):
    return AccountFactory(
        name="Basic Co",
        license_plan=LicensePlanFactory(code="basic"),
        support_plan=SupportPlanFactory(code="access"),
        region=region,
    )


@pytest.fixture
def customer(premier_account):
    return UserFactory(account=premier_account, email="member@premier.example")


@pytest.fixture
def account_admin(premier_account):
    return AccountAdminFactory(account=premier_account, email="admin@premier.example")


@pytest.fixture
def other_customer(db, region):
    other = AccountFactory(
        name="Other Co",
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="premier"),
        region=region,
    )
    return UserFactory(account=other, email="member@other.example")


@pytest.fixture
def agent(region):
    return VendorUserFactory(role=Role.AGENT_L1, region=region, email="l1@vendor.example")


@pytest.fixture
def agent_l2(region):
    return VendorUserFactory(role=Role.AGENT_L2, region=region, email="l2@vendor.example")


@pytest.fixture
def engineer(region):
    return VendorUserFactory(role=Role.ENGINEER, region=region, email="eng@vendor.example")


@pytest.fixture
def supervisor(region):
    return VendorUserFactory(role=Role.SUPERVISOR, region=region, email="sup@vendor.example")
