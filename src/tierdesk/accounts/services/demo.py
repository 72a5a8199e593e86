"""The demo data set: four support regions, accounts on every plan in each, customers and staff.

Running `demo_load` again creates only what is missing and never changes an existing row, so it
is safe on a database where people have already been trying the demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from django.contrib.auth.hashers import make_password
from django.db import transaction

from ..models import (
    Account,
    LicensePlan,
    OpeningWindow,
    SupportPlan,
    SupportRegion,
    Territory,
    User,
)
from ..roles import Role
from .accounts import account_create

# Documented in docs/plans.md and printed by load_demo: a public, well-known demo password.
DEMO_PASSWORD: Final = "demo-pass-2026"  # noqa: S105
STAFF_DOMAIN: Final = "tierdesk.example"
H: Final = 60


@dataclass(frozen=True)
class DemoRegion:
    """One demo region: its code (also the suffix of its staff's e-mails) and calendar."""

    code: str
    name: str
    time_zone: str
    country: str
    subdivision: str
    windows: tuple[tuple[int, int], ...]
    company: str
    language: str
    people: tuple[tuple[str, str], ...]


WEEKDAYS: Final = range(5)
REGIONS: Final = (
    DemoRegion(
        code="it",
        name="Italy",
        time_zone="Europe/Rome",
        country="IT",
        subdivision="",
        windows=((9 * H, 13 * H), (14 * H, 18 * H)),
        company="Rossi",
        language="it",
        people=(("Giulia", "Rossi"), ("Marco", "Bianchi"), ("Sara", "Esposito")),
    ),
    DemoRegion(
        code="us",
        name="United States",
        time_zone="America/New_York",
        country="US",
        subdivision="",
        windows=((8 * H, 20 * H),),
        company="Hudson",
        language="en",
        people=(("Emily", "Carter"), ("James", "Miller"), ("Olivia", "Brooks")),
    ),
    DemoRegion(
        code="jp",
        name="Japan",
        time_zone="Asia/Tokyo",
        country="JP",
        subdivision="",
        windows=((9 * H, 18 * H),),
        company="Sakura",
        language="en",
        people=(("Yuki", "Tanaka"), ("Haruto", "Sato"), ("Aiko", "Suzuki")),
    ),
    DemoRegion(
        code="au",
        name="Australia",
        time_zone="Australia/Sydney",
        country="AU",
        subdivision="NSW",
        windows=((9 * H, 17 * H),),
        company="Harbour",
        language="en",
        people=(("Chloe", "Wilson"), ("Jack", "Taylor"), ("Mia", "Nguyen")),
    ),
)
SUPPORT_ROTATION: Final = ("access", "premier", "premier_plus")
STAFF_ROLES: Final = (
    (Role.AGENT_L1, "agent.l1"),
    (Role.AGENT_L2, "agent.l2"),
    (Role.ENGINEER, "engineer"),
    (Role.SUPERVISOR, "supervisor"),
)
STAFF_ADMIN_EMAIL: Final = f"admin@{STAFF_DOMAIN}"


@dataclass(frozen=True)
class DemoLogin:
    """One demo user, as printed by `tierdesk load_demo`."""

    role: str
    email: str
    account: str


@dataclass
class DemoReport:
    """What `demo_load` did, and every demo login (all share `password`)."""

    password: str = DEMO_PASSWORD
    created: dict[str, int] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)

    def count(self, what: str, created: bool) -> None:
        """Count one created row of a kind."""
        if created:
            self.created[what] = self.created.get(what, 0) + 1

    @property
    def created_anything(self) -> bool:
        """Whether this run added any row."""
        return any(self.created.values())


def _slug(text: str) -> str:
    """`Business Plus` -> `business-plus`, for e-mail domains."""
    return "-".join(text.lower().replace("+", " plus").split())


def demo_account_name(region: DemoRegion, license_plan: LicensePlan, support: SupportPlan) -> str:
    """`Rossi Pro (Premier)`: the readable name of a demo account."""
    return f"{region.company} {license_plan.name} ({support.name})"


def demo_account_domain(region: DemoRegion, license_plan: LicensePlan) -> str:
    """`rossi-pro.example`: the e-mail domain of a demo account's users."""
    return f"{_slug(region.company)}-{_slug(license_plan.name)}.example"


def demo_support_plan_code(region_index: int, plan_index: int, license_plan: LicensePlan) -> str:
    """Which support plan a demo account gets: Access on free plans, else a rotation.

    The rotation shifts by one per region so that, across the four regions, every paid license
    plan is seen with Access, Premier and Premier+.
    """
    if not license_plan.is_paid:
        return "access"
    return SUPPORT_ROTATION[(plan_index + region_index) % len(SUPPORT_ROTATION)]


def _region(spec: DemoRegion, report: DemoReport) -> SupportRegion:
    region, created = SupportRegion.objects.get_or_create(
        code=spec.code,
        defaults={
            "name": spec.name,
            "time_zone": spec.time_zone,
            "holiday_country": spec.country,
            "holiday_subdivision": spec.subdivision,
        },
    )
    report.count("regions", created)
    if created:
        rows = OpeningWindow.objects.bulk_create(
            OpeningWindow(region=region, weekday=day, start_minute=start, end_minute=end)
            for day in WEEKDAYS
            for start, end in spec.windows
        )
        report.created["opening windows"] = report.created.get("opening windows", 0) + len(rows)
    _territory, created = Territory.objects.get_or_create(
        country=spec.country, subdivision="", defaults={"region": region}
    )
    report.count("territories", created)
    return region


def _user(
    *,
    email: str,
    role: Role,
    first_name: str,
    last_name: str,
    time_zone: str,
    language: str,
    password_hash: str,
    report: DemoReport,
    account: Account | None = None,
    region: SupportRegion | None = None,
) -> User:
    admin = role == Role.STAFF_ADMIN
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            "account": account,
            "region": region,
            "time_zone": time_zone,
            "language": language,
            "password": password_hash,
            "is_staff": admin,
            "is_superuser": admin,
        },
    )
    report.count("users", created)
    report.logins.append(
        DemoLogin(
            role=str(Role(user.role).label), email=user.email, account=str(user.account or "")
        )
    )
    return user


@transaction.atomic
def demo_load() -> DemoReport:
    """Create the demo regions, territories, accounts and users that are missing."""
    report = DemoReport()
    # One hash for every demo user: hashing ~70 times with Argon2 would take seconds.
    password_hash = make_password(DEMO_PASSWORD)
    plans = list(LicensePlan.objects.order_by("sort_order", "code"))
    supports = {plan.code: plan for plan in SupportPlan.objects.all()}
    _user(
        email=STAFF_ADMIN_EMAIL,
        role=Role.STAFF_ADMIN,
        first_name="Alex",
        last_name="Admin",
        time_zone="UTC",
        language="en",
        password_hash=password_hash,
        report=report,
    )
    for region_index, spec in enumerate(REGIONS):
        region = _region(spec, report)
        staff: dict[Role, User] = {}
        for role, prefix in STAFF_ROLES:
            staff[role] = _user(
                email=f"{prefix}.{spec.code}@{STAFF_DOMAIN}",
                role=role,
                first_name=str(Role(role).label),
                last_name=spec.name,
                time_zone=spec.time_zone,
                language=spec.language,
                password_hash=password_hash,
                report=report,
                region=region,
            )
        for plan_index, license_plan in enumerate(plans):
            support = supports[demo_support_plan_code(region_index, plan_index, license_plan)]
            name = demo_account_name(spec, license_plan, support)
            account = Account.objects.filter(name=name).first()
            if account is None:
                account = account_create(
                    name=name,
                    license_plan=license_plan,
                    support_plan=support,
                    country=spec.country,
                    subdivision=spec.subdivision,
                    region=region,
                    technical_account_manager=(
                        staff[Role.AGENT_L2] if support.named_technical_account_manager else None
                    ),
                )
                report.count("accounts", True)
            domain = demo_account_domain(spec, license_plan)
            # The admin and the member of an account: two people of the region, given name first.
            for offset, (role, local) in enumerate(
                ((Role.ACCOUNT_ADMIN, "admin"), (Role.MEMBER, "member"))
            ):
                first_name, last_name = spec.people[(plan_index + offset) % len(spec.people)]
                _user(
                    email=f"{local}@{domain}",
                    role=role,
                    first_name=first_name,
                    last_name=last_name,
                    time_zone=spec.time_zone,
                    language=spec.language,
                    password_hash=password_hash,
                    report=report,
                    account=account,
                )
    return report
