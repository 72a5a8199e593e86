"""Phone tests: accounts with known PINs and numbers, a simulator on the test client."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import (
    AccountAdminFactory,
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
)
from tierdesk.accounts.models import SupportNumber
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
    region = SupportRegionFactory(code="closed", name="Closed", windows=False)
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
