"""Phone tests: accounts with known PINs and numbers, a simulator on the test client."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import (
    AccountAdminFactory,
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
)
from tierdesk.accounts.models import CalendarException, SupportNumber
from tierdesk.phone.simulator import Simulator, django_transport

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]
FIRST_NUMBER = "+390200000101"
SECOND_NUMBER = "+390200000102"


@pytest.fixture
def open_region(db):
    region = SupportRegionFactory(code="it", name="Italy", windows=ALWAYS_OPEN)
    SupportNumber.objects.create(region=region, line="first", number=FIRST_NUMBER)
    SupportNumber.objects.create(region=region, line="second", number=SECOND_NUMBER)
    return region


@pytest.fixture
def closed_region(db):
    """Open Mon-Fri 09:00-18:00 but closed today and tomorrow (as on public holidays)."""
    region = SupportRegionFactory(code="closed", name="Closed")
    today = timezone.localtime(timezone.now(), ZoneInfo(region.time_zone)).date()
    for day in (today, today + timedelta(days=1)):
        CalendarException.objects.create(region=region, date=day, kind="closed")
    SupportNumber.objects.create(region=region, line="first", number="+390200000201")
    return region


def make_account(
    region: Any, license_code: str, support_code: str = "access", pin: str = ""
) -> Any:
    account = AccountFactory(
        license_plan=LicensePlanFactory(code=license_code),
        support_plan=SupportPlanFactory(code=support_code),
        region=region,
        **({"support_pin": pin} if pin else {}),
    )
    UserFactory(account=account)
    AccountAdminFactory(account=account)
    return account


@pytest.fixture
def simulator(db):
    return Simulator(django_transport())


RING_NUMBER = "+442071838750"


def phone_agent(ring_number: str = RING_NUMBER, **fields: Any) -> Any:
    """An agent (VendorUserFactory fields) who said where they answer: they may take calls."""
    from tests.factories import VendorUserFactory
    from tierdesk.phone.services.agents import ring_number_set

    agent = VendorUserFactory(**fields)
    if ring_number:
        ring_number_set(agent=agent, number=ring_number)
    return agent
