"""Tenants (customer accounts), people, plans with their entitlements, and support regions.

A package since the support numbers came (`support_numbers`); every model is importable from
`tierdesk.accounts.models`.
"""

from __future__ import annotations

from typing import ClassVar, TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from tierdesk.sla.policies import ClockKind

from ..roles import CUSTOMER_ROLES, VENDOR_ROLES, Role
from ..time_zones import current_time_zone
from .support_numbers import SupportNumber as SupportNumber

MINUTES_PER_DAY = 24 * 60


def validate_time_zone(value: str) -> None:
    """Reject anything that is not a current IANA time zone or an alias of one (not `Factory`)."""
    if current_time_zone(value) is None:
        raise ValidationError(_("%(value)s is not an IANA time zone."), params={"value": value})


class LicensePlan(models.Model):
    """A license plan (Basic, Pro, ...) and the entitlements that come with it."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    is_paid = models.BooleanField(_("paid"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    help_center = models.BooleanField(_("help center"), default=True)
    assistant = models.BooleanField(_("virtual assistant"), default=True)
    community_read = models.BooleanField(_("community: read"), default=True)
    community_post = models.BooleanField(_("community: post"), default=True)
    web_tickets = models.BooleanField(_("web tickets (first line)"), default=False)
    assistant_handoff = models.BooleanField(_("assistant hand-off to a person"), default=False)
    phone_first_line = models.BooleanField(_("phone, first line"), default=False)
    phone_second_line = models.BooleanField(_("phone, second line"), default=False)
    engineering_escalation = models.BooleanField(_("technical intervention"), default=False)
    queue_weight = models.PositiveSmallIntegerField(
        _("queue priority weight"), null=True, blank=True, help_text=_("Empty: no queue.")
    )
    self_escalation = models.BooleanField(_("customer self-escalation"), default=False)
    self_escalation_after_hours = models.PositiveSmallIntegerField(
        _("self-escalation allowed after (hours open)"), default=24
    )

    class Meta:
        ordering: ClassVar = ["sort_order", "code"]
        verbose_name = _("license plan")
        verbose_name_plural = _("license plans")

    def __str__(self) -> str:
        return self.name


class SupportPlan(models.Model):
    """A support plan on top of a paid license: Access, Premier, Premier+."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    requires_paid_license = models.BooleanField(_("requires a paid license"), default=False)
    priority_boost = models.PositiveSmallIntegerField(_("queue priority boost"), default=0)
    direct_second_line_for_admins = models.BooleanField(
        _("direct second line for account admins"), default=False
    )
    automated_escalation = models.BooleanField(
        _("automated escalation on breach risk"), default=False
    )
    named_technical_account_manager = models.BooleanField(
        _("named technical account manager"), default=False
    )

    class Meta:
        ordering: ClassVar = ["sort_order", "code"]
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")

    def __str__(self) -> str:
        return self.name


# The values are those of the one `ClockKind` (tierdesk.sla.policies); the labels are the words
# the admin shows.
CLOCK_CHOICES = [
    (ClockKind.TWENTY_FOUR_SEVEN.value, _("24x7")),
    (ClockKind.BUSINESS.value, _("regional business hours")),
]


class SlaTarget(models.Model):
    """First-response and resolution targets of a support plan for one severity.

    The defaults are seeded from `tierdesk.sla.policies.DEFAULT_POLICIES` (migration 0002). A
    case stores its plan's targets when it opens: editing a row changes new cases only, until an
    admin applies the change to open cases (docs/plans.md).
    """

    support_plan = models.ForeignKey(
        SupportPlan,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("support plan"),
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response (minutes)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution (minutes)"), null=True, blank=True
    )
    clock = models.CharField(_("clock"), max_length=16, choices=CLOCK_CHOICES)

    class Meta:
        ordering: ClassVar = ["support_plan__sort_order", "severity"]
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["support_plan", "severity"], name="sla_target_one_per_severity"
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=1) & Q(severity__lte=4), name="sla_target_severity_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.support_plan} S{self.severity}"


# Region names with an entry in the catalogue (the demo's regions): such a name shows in the
# reader's language; any other name shows as stored.
REGION_NAMES = (
    gettext_noop("Italy"),
    gettext_noop("United States"),
    gettext_noop("Japan"),
    gettext_noop("Australia"),
)


def region_display_name(name: str) -> str:
    """A region's stored name in the active language where the catalogue has it."""
    return gettext(name) if name else ""


class SupportRegion(models.Model):
    """A support region: its time zone, weekly opening windows and public holidays."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    holiday_country = models.CharField(
        _("holidays of country"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166-1 alpha-2 code; empty: no public holidays."),
    )
    holiday_subdivision = models.CharField(_("holidays of subdivision"), max_length=10, blank=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("support region")
        verbose_name_plural = _("support regions")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (region_display_name)."""
        return region_display_name(self.name)


class OpeningWindow(models.Model):
    """One opening window of a weekday, in the region's local time (minutes from midnight)."""

    region = models.ForeignKey(
        SupportRegion, on_delete=models.CASCADE, related_name="windows", verbose_name=_("region")
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    start_minute = models.PositiveSmallIntegerField(
        _("opens (minutes from midnight)"), validators=[MaxValueValidator(MINUTES_PER_DAY - 1)]
    )
    end_minute = models.PositiveSmallIntegerField(
        _("closes (minutes from midnight)"),
        validators=[MinValueValidator(1), MaxValueValidator(MINUTES_PER_DAY)],
    )

    class Meta:
        ordering: ClassVar = ["weekday", "start_minute"]
        verbose_name = _("opening window")
        verbose_name_plural = _("opening windows")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(start_minute__lt=models.F("end_minute"))
                & Q(end_minute__lte=MINUTES_PER_DAY)
                & Q(weekday__lte=6),
                name="opening_window_valid",
            ),
        ]

    def __str__(self) -> str:
        start, end = divmod(self.start_minute, 60), divmod(self.end_minute, 60)
        return f"{self.get_weekday_display()} {start[0]:02}:{start[1]:02}-{end[0]:02}:{end[1]:02}"


class CalendarException(models.Model):
    """A date an admin adds to a region's calendar as closed, or open with its own windows."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("closed")
        OPEN = "open", _("open")

    region = models.ForeignKey(
        SupportRegion,
        on_delete=models.CASCADE,
        related_name="exceptions",
        verbose_name=_("region"),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    windows = models.JSONField(
        _("opening windows"),
        default=list,
        blank=True,
        help_text=_('For open dates: [["09:00", "13:00"], ...] in local time.'),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering: ClassVar = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["region", "date"], name="calendar_exception_one_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"


class Territory(models.Model):
    """Which support region serves a country (or one of its subdivisions)."""

    country = models.CharField(_("country"), max_length=2)
    subdivision = models.CharField(_("subdivision"), max_length=10, blank=True)
    region = models.ForeignKey(
        SupportRegion,
        on_delete=models.PROTECT,
        related_name="territories",
        verbose_name=_("region"),
    )

    class Meta:
        ordering: ClassVar = ["country", "subdivision"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["country", "subdivision"], name="territory_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


support_pin_validator = RegexValidator(r"^\d{6}$", _("A support PIN is six digits."))


class Account(models.Model):
    """A customer account: the tenant. Nothing of one account is visible to another."""

    name = models.CharField(_("name"), max_length=200)
    license_plan = models.ForeignKey(
        LicensePlan, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("license")
    )
    support_plan = models.ForeignKey(
        SupportPlan,
        on_delete=models.PROTECT,
        related_name="accounts",
        verbose_name=_("support plan"),
    )
    country = models.CharField(_("country"), max_length=2)
    subdivision = models.CharField(_("subdivision"), max_length=10, blank=True)
    region = models.ForeignKey(
        SupportRegion, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("region")
    )
    support_pin = models.CharField(
        _("support PIN"), max_length=6, validators=[support_pin_validator]
    )
    technical_account_manager = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_accounts",
        verbose_name=_("technical account manager"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["name"], name="account_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    """Users sign in with their e-mail address."""

    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        """Create a user with a normalised e-mail address."""
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        """Create a staff admin with access to the Django admin."""
        fields.update(is_staff=True, is_superuser=True, role=Role.STAFF_ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """A person: a customer account's member or admin, or one of the vendor's staff."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("account"),
    )
    region = models.ForeignKey(
        SupportRegion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("support region"),
        help_text=_("For vendor staff: the region they work in."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    language = models.CharField(_("language"), max_length=8, default="en")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering: ClassVar = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(CUSTOMER_ROLES), account__isnull=False)
                    | Q(role__in=sorted(VENDOR_ROLES), account__isnull=True)
                ),
                name="user_role_matches_side",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_customer(self) -> bool:
        """Whether the user belongs to a customer account."""
        return self.role in CUSTOMER_ROLES

    @property
    def is_vendor(self) -> bool:
        """Whether the user is one of the vendor's staff."""
        return self.role in VENDOR_ROLES


class Invitation(models.Model):
    """An account admin's invitation for someone to join the account."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("account")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=16,
        choices=[
            (Role.MEMBER.value, Role.MEMBER.label),
            (Role.ACCOUNT_ADMIN.value, Role.ACCOUNT_ADMIN.label),
        ],
        default=Role.MEMBER,
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.account}"


class ApiToken(models.Model):
    """A personal API token: shown once at creation, stored as a SHA-256 hash, revocable."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PasswordResetRequest(models.Model):
    """A password-reset request that was answered with an e-mail (if the address has a user).

    Counted to throttle reset e-mails per address and per client IP address
    (`services.passwords`). The address is kept as its SHA-256 only: anybody may type anything.
    """

    address_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["address_hash", "created_at"], name="pwreset_by_address"),
            models.Index(fields=["ip_address", "created_at"], name="pwreset_by_ip"),
            models.Index(fields=["created_at"], name="pwreset_by_time"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.address_hash[:12]}… {self.ip_address or '-'} {self.created_at:%Y-%m-%d %H:%M}"
        )


# Whoever asks: a signed-in user or an anonymous visitor (what `request.user` holds).
Viewer: TypeAlias = "User | AnonymousUser"
