"""account_create / account_update: validation, region from the Territory table, support PIN."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import AccountFactory, SupportRegionFactory, VendorUserFactory
from tierdesk.accounts.models import Account, LicensePlan, SupportPlan, Territory
from tierdesk.accounts.roles import Role
from tierdesk.accounts.selectors.regions import region_for_territory
from tierdesk.accounts.services.accounts import (
    account_create,
    account_support_pin_reset,
    account_update,
    support_pin_generate,
)

pytestmark = pytest.mark.django_db


def plan(code: str) -> LicensePlan:
    return LicensePlan.objects.get(code=code)


def support(code: str) -> SupportPlan:
    return SupportPlan.objects.get(code=code)


@pytest.fixture
def regions():
    italy = SupportRegionFactory(code="it", name="Italy")
    australia = SupportRegionFactory(code="au", name="Australia", time_zone="Australia/Sydney")
    west = SupportRegionFactory(code="au-wa", name="Western Australia", time_zone="Australia/Perth")
    Territory.objects.create(country="IT", region=italy)
    Territory.objects.create(country="AU", region=australia)
    Territory.objects.create(country="AU", subdivision="WA", region=west)
    return {"it": italy, "au": australia, "wa": west}


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in excinfo.value}


def test_create_resolves_the_region_from_the_country(regions):
    account = account_create(name="Verdi Srl", license_plan=plan("pro"), country="it")
    assert account.region == regions["it"]
    assert account.country == "IT"
    assert account.support_plan.code == "access"
    assert len(account.support_pin) == 6
    assert account.support_pin.isdigit()


def test_a_country_and_subdivision_row_wins_over_the_country_row(regions):
    perth = account_create(
        name="Perth Pty", license_plan=plan("pro"), country="AU", subdivision="wa"
    )
    sydney = account_create(
        name="Sydney Pty", license_plan=plan("pro"), country="AU", subdivision="NSW"
    )
    assert perth.region == regions["wa"]
    assert perth.subdivision == "WA"
    assert sydney.region == regions["au"]
    assert region_for_territory(country="AU", subdivision="WA") == regions["wa"]
    assert region_for_territory(country="FR") is None


def test_an_explicit_region_wins_over_the_territory_table(regions):
    account = account_create(
        name="Roma Spa", license_plan=plan("pro"), country="IT", region=regions["au"]
    )
    assert account.region == regions["au"]


@pytest.mark.parametrize("premier", ["premier", "premier_plus"])
def test_premier_needs_a_paid_license_and_nothing_is_created(regions, premier):
    with pytest.raises(ValidationError) as excinfo:
        account_create(
            name="Free Premier",
            license_plan=plan("basic"),
            support_plan=support(premier),
            country="IT",
        )
    errors = errors_of(excinfo)
    assert list(errors) == ["support_plan"]
    assert "paid license" in errors["support_plan"][0]
    assert not Account.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "   "}, "name", "needs a name"),
        ({"name": "x" * 201}, "name", "too long"),
        ({"country": "Italy"}, "country", "ISO 3166-1"),
        ({"country": "I1"}, "country", "ISO 3166-1"),
        ({"subdivision": "new south wales"}, "subdivision", "subdivision"),
        ({"country": "FR"}, "region", "No support region serves FR"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(regions, fields, field, words):
    arguments = {"name": "Good Name", "license_plan": plan("pro"), "country": "IT", **fields}
    with pytest.raises(ValidationError) as excinfo:
        account_create(**arguments)
    errors = errors_of(excinfo)
    assert field in errors
    assert words in " ".join(errors[field])
    assert not Account.objects.exists()


def test_names_are_unique_whatever_the_case_and_spacing(regions):
    account_create(name="Rossi Pro", license_plan=plan("pro"), country="IT")
    with pytest.raises(ValidationError) as excinfo:
        account_create(name="  rossi   PRO ", license_plan=plan("pro"), country="IT")
    assert "already exists" in errors_of(excinfo)["name"][0]
    assert Account.objects.count() == 1


def test_a_technical_account_manager_needs_premier_plus_and_a_staff_member(regions):
    l2 = VendorUserFactory(role=Role.AGENT_L2)
    account = account_create(
        name="Plus",
        license_plan=plan("enterprise"),
        support_plan=support("premier_plus"),
        country="IT",
        technical_account_manager=l2,
    )
    assert account.technical_account_manager == l2
    with pytest.raises(ValidationError) as excinfo:
        account_create(
            name="Only Premier",
            license_plan=plan("enterprise"),
            support_plan=support("premier"),
            country="IT",
            technical_account_manager=l2,
        )
    assert (
        "no named technical account manager" in errors_of(excinfo)["technical_account_manager"][0]
    )
    customer = AccountFactory().users.create(email="c@example.com", role=Role.MEMBER)
    with pytest.raises(ValidationError) as excinfo:
        account_create(
            name="Customer TAM",
            license_plan=plan("enterprise"),
            support_plan=support("premier_plus"),
            country="IT",
            technical_account_manager=customer,
        )
    assert "support staff" in errors_of(excinfo)["technical_account_manager"][0]
    assert set(Account.objects.values_list("name", flat=True)) >= {"Plus"}
    assert not Account.objects.filter(name__in=["Only Premier", "Customer TAM"]).exists()


def test_update_changes_only_what_is_given(regions):
    account = account_create(name="Bianchi", license_plan=plan("pro"), country="IT")
    pin = account.support_pin
    account_update(account=account, license_plan=plan("business"), support_plan=support("premier"))
    account.refresh_from_db()
    assert (account.name, account.license_plan.code, account.support_plan.code) == (
        "Bianchi",
        "business",
        "premier",
    )
    assert account.support_pin == pin
    assert account.region == regions["it"]


def test_update_moves_the_account_when_its_territory_changes(regions):
    account = account_create(name="Mover", license_plan=plan("pro"), country="AU")
    assert account.region == regions["au"]
    account_update(account=account, subdivision="WA")
    account.refresh_from_db()
    assert account.region == regions["wa"]
    # Changing something else keeps a region chosen by hand.
    account_update(account=account, region=regions["it"])
    account_update(account=account, name="Mover Two")
    account.refresh_from_db()
    assert account.region == regions["it"]


def test_a_refused_update_changes_nothing(regions):
    account = account_create(
        name="Keeper", license_plan=plan("business"), support_plan=support("premier"), country="IT"
    )
    before = Account.objects.filter(pk=account.pk).values().get()
    with pytest.raises(ValidationError) as excinfo:
        account_update(account=account, license_plan=plan("basic"), name="Renamed")
    assert "support_plan" in errors_of(excinfo)
    assert Account.objects.filter(pk=account.pk).values().get() == before
    with pytest.raises(ValidationError):
        account_update(account=account, country="FR")
    assert Account.objects.filter(pk=account.pk).values().get() == before


def test_update_clears_the_technical_account_manager_with_none(regions):
    l2 = VendorUserFactory(role=Role.AGENT_L2)
    account = account_create(
        name="Plus",
        license_plan=plan("enterprise"),
        support_plan=support("premier_plus"),
        country="IT",
        technical_account_manager=l2,
    )
    with pytest.raises(ValidationError):
        account_update(account=account, support_plan=support("premier"))
    account_update(account=account, support_plan=support("premier"), technical_account_manager=None)
    account.refresh_from_db()
    assert account.technical_account_manager is None
    assert account.support_plan.code == "premier"


def test_support_pin_reset_gives_a_new_six_digit_pin(regions):
    account = account_create(name="Pin", license_plan=plan("pro"), country="IT")
    old = account.support_pin
    new = account_support_pin_reset(account=account)
    account.refresh_from_db()
    assert account.support_pin == new != old
    assert len(new) == 6


@given(st.integers(min_value=0, max_value=10**6 - 1))
def test_support_pins_are_six_digits_zero_padded(number):
    with patch("tierdesk.accounts.services.accounts.secrets.randbelow", return_value=number):
        pin = support_pin_generate()
    assert len(pin) == 6
    assert pin.isdigit()
    assert int(pin) == number
