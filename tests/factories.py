"""Shared factory-boy factories: plans from the default-plans migration, regions, accounts, users.

Plans are looked up, never created: `LicensePlanFactory(code="business")` returns the row that
migration accounts/0002 loaded, so tests run against the product's real entitlement matrix.
"""

from __future__ import annotations

import secrets
from typing import Any

import factory
from factory.django import DjangoModelFactory, Password

from tierdesk.accounts.models import (
    Account,
    LicensePlan,
    OpeningWindow,
    SupportPlan,
    SupportRegion,
    User,
)
from tierdesk.accounts.roles import Role

DEFAULT_PASSWORD = "correct horse battery staple"
NINE_AM, SIX_PM = 9 * 60, 18 * 60


class LicensePlanFactory(DjangoModelFactory):
    """A license plan of the default matrix, by code (basic, pro, business, business_plus, ...)."""

    class Meta:
        model = LicensePlan
        django_get_or_create = ("code",)

    code = "pro"


class SupportPlanFactory(DjangoModelFactory):
    """A support plan of the defaults, by code (access, premier, premier_plus)."""

    class Meta:
        model = SupportPlan
        django_get_or_create = ("code",)

    code = "access"


class SupportRegionFactory(DjangoModelFactory):
    """A support region open Monday to Friday, 09:00-18:00 local time (`windows=False`: none)."""

    class Meta:
        model = SupportRegion
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")
    time_zone = "Europe/Rome"
    holiday_country = ""
    holiday_subdivision = ""

    @factory.post_generation
    def windows(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Mon-Fri 09:00-18:00 unless `windows=False` or a list of (weekday, start, end)."""
        if not create or extracted is False:
            return
        spec = extracted if extracted else [(day, NINE_AM, SIX_PM) for day in range(5)]
        OpeningWindow.objects.bulk_create(
            OpeningWindow(region=self, weekday=day, start_minute=start, end_minute=end)
            for day, start, end in spec
        )


class AccountFactory(DjangoModelFactory):
    """A customer account on Pro with Access support, in a fresh Mon-Fri region."""

    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n}")
    license_plan = factory.SubFactory(LicensePlanFactory)
    support_plan = factory.SubFactory(SupportPlanFactory)
    country = "IT"
    subdivision = ""
    region = factory.SubFactory(SupportRegionFactory)
    support_pin = factory.LazyFunction(lambda: f"{secrets.randbelow(10**6):06d}")


class UserFactory(DjangoModelFactory):
    """A member of a customer account; the password is DEFAULT_PASSWORD."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Person"
    password = Password(DEFAULT_PASSWORD)
    role = Role.MEMBER
    account = factory.SubFactory(AccountFactory)
    time_zone = "Europe/Rome"
    language = "en"


class AccountAdminFactory(UserFactory):
    """An account admin of a customer account."""

    role = Role.ACCOUNT_ADMIN


class VendorUserFactory(UserFactory):
    """One of the vendor's staff (agent L1 unless `role=` says otherwise); no account."""

    email = factory.Sequence(lambda n: f"staff{n}@vendor.example")
    role = Role.AGENT_L1
    account = None


class StaffAdminFactory(VendorUserFactory):
    """A staff admin, with access to the Django admin."""

    role = Role.STAFF_ADMIN
    is_staff = True
    is_superuser = True
