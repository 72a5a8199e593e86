"""Creating and changing customer accounts (the tenants)."""

from __future__ import annotations

import re
import secrets
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Account, LicensePlan, SupportPlan, SupportRegion, User
from ..roles import AGENT_ROLES
from ..selectors.regions import region_for_territory

COUNTRY_RE: Final = re.compile(r"^[A-Z]{2}$")
SUBDIVISION_RE: Final = re.compile(r"^[A-Z0-9]{1,10}$")


class _Unset:
    """Marks an argument of account_update that was not given (None clears the field)."""


UNSET: Final = _Unset()


def support_pin_generate() -> str:
    """A fresh six-digit support PIN from a cryptographic source."""
    return f"{secrets.randbelow(10**6):06d}"


def default_support_plan() -> SupportPlan:
    """The support plan new accounts get when none is chosen: the first one (Access)."""
    plan = SupportPlan.objects.filter(requires_paid_license=False).first()
    if plan is None:
        raise ValidationError({"support_plan": _("No support plan works without a paid license.")})
    return plan


def account_validate(
    *,
    account: Account | None,
    name: str,
    license_plan: LicensePlan,
    support_plan: SupportPlan,
    country: str,
    subdivision: str,
    region: SupportRegion | None,
    technical_account_manager: User | None,
) -> tuple[str, str, str, SupportRegion]:
    """Check an account's fields together; return the cleaned name, country, subdivision, region.

    Raises one ValidationError whose dict names every field that is wrong. `account` is the
    account being changed (None for a new one); `region=None` resolves it from the territory.
    """
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name:
        errors.setdefault("name", []).append(_("An account needs a name."))
    elif len(name) > Account._meta.get_field("name").max_length:  # type: ignore[operator]
        errors.setdefault("name", []).append(_("The name is too long (200 characters at most)."))
    else:
        clash = Account.objects.filter(name__iexact=name)
        if account is not None:
            clash = clash.exclude(pk=account.pk)
        if clash.exists():
            errors.setdefault("name", []).append(
                _("An account named “%(name)s” already exists.") % {"name": name}
            )
    country = country.strip().upper()
    subdivision = subdivision.strip().upper()
    if not COUNTRY_RE.match(country):
        errors.setdefault("country", []).append(
            _("The country is an ISO 3166-1 alpha-2 code such as IT or US.")
        )
    if subdivision and not SUBDIVISION_RE.match(subdivision):
        errors.setdefault("subdivision", []).append(
            _("The subdivision is a code of up to 10 letters or digits, such as NSW.")
        )
    if support_plan.requires_paid_license and not license_plan.is_paid:
        errors.setdefault("support_plan", []).append(
            _("The %(support)s support plan needs a paid license; %(license)s is free.")
            % {"support": support_plan.name, "license": license_plan.name}
        )
    if technical_account_manager is not None:
        if not support_plan.named_technical_account_manager:
            errors.setdefault("technical_account_manager", []).append(
                _("The %(support)s support plan has no named technical account manager.")
                % {"support": support_plan.name}
            )
        elif (
            technical_account_manager.role not in AGENT_ROLES
            or not technical_account_manager.is_active
        ):
            errors.setdefault("technical_account_manager", []).append(
                _("The technical account manager must be an active member of the support staff.")
            )
    if region is None and "country" not in errors and "subdivision" not in errors:
        region = region_for_territory(country=country, subdivision=subdivision)
        if region is None:
            errors.setdefault("region", []).append(
                _("No support region serves %(territory)s: add a territory or choose a region.")
                % {"territory": f"{country}-{subdivision}" if subdivision else country}
            )
    if errors:
        raise ValidationError(errors)
    assert region is not None
    return name, country, subdivision, region


@transaction.atomic
def account_create(
    *,
    name: str,
    license_plan: LicensePlan,
    country: str,
    subdivision: str = "",
    support_plan: SupportPlan | None = None,
    region: SupportRegion | None = None,
    technical_account_manager: User | None = None,
) -> Account:
    """Create a customer account; the region comes from the Territory table unless given."""
    support_plan = support_plan or default_support_plan()
    name, country, subdivision, region = account_validate(
        account=None,
        name=name,
        license_plan=license_plan,
        support_plan=support_plan,
        country=country,
        subdivision=subdivision,
        region=region,
        technical_account_manager=technical_account_manager,
    )
    return Account.objects.create(
        name=name,
        license_plan=license_plan,
        support_plan=support_plan,
        country=country,
        subdivision=subdivision,
        region=region,
        support_pin=support_pin_generate(),
        technical_account_manager=technical_account_manager,
    )


@transaction.atomic
def account_update(
    *,
    account: Account,
    name: str | None = None,
    license_plan: LicensePlan | None = None,
    support_plan: SupportPlan | None = None,
    country: str | None = None,
    subdivision: str | None = None,
    region: SupportRegion | None = None,
    technical_account_manager: User | _Unset | None = UNSET,
) -> Account:
    """Change an account; only the arguments given change (technical_account_manager=None clears).

    A new country or subdivision without an explicit region moves the account to the region the
    Territory table names for it.
    """
    territory_changed = (country is not None and country.strip().upper() != account.country) or (
        subdivision is not None and subdivision.strip().upper() != account.subdivision
    )
    tam = (
        account.technical_account_manager
        if isinstance(technical_account_manager, _Unset)
        else technical_account_manager
    )
    new_region = region if region is not None else (None if territory_changed else account.region)
    new_license = license_plan or account.license_plan
    new_support = support_plan or account.support_plan
    cleaned_name, cleaned_country, cleaned_subdivision, resolved_region = account_validate(
        account=account,
        name=name if name is not None else account.name,
        license_plan=new_license,
        support_plan=new_support,
        country=country if country is not None else account.country,
        subdivision=subdivision if subdivision is not None else account.subdivision,
        region=new_region,
        technical_account_manager=tam,
    )
    values: dict[str, object] = {
        "name": cleaned_name,
        "license_plan": new_license,
        "support_plan": new_support,
        "country": cleaned_country,
        "subdivision": cleaned_subdivision,
        "region": resolved_region,
        "technical_account_manager": tam,
    }
    changed = [field for field, value in values.items() if getattr(account, field) != value]
    for field in changed:
        setattr(account, field, values[field])
    if changed:
        account.save(update_fields=changed)
    return account


@transaction.atomic
def account_support_pin_reset(*, account: Account) -> str:
    """Give the account a new support PIN (callers read it out on the phone) and return it."""
    pin = support_pin_generate()
    while pin == account.support_pin:
        pin = support_pin_generate()
    account.support_pin = pin
    account.save(update_fields=["support_pin"])
    return pin
