"""Cases and everything that hangs off them: messages, attachments, history, clocks, timers."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    Channel,
    EscalationReason,
    EventKind,
    Line,
    Severity,
    Status,
    TargetKind,
    TimerEvent,
)


class Tag(models.Model):
    """A label agents put on cases."""

    name = models.SlugField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


# The columns a case list filters on: the filters (status, severity, line, account, mine) and
# the visibility rules (line or assignee for agents; account, requester and CC for customers).
_LIST_FILTER_COLUMNS = ("status", "severity", "line", "account", "assignee", "requester")


def _list_index(name: str, *leading: str) -> models.Index:
    """An index that serves a case list, newest first (ORDER BY created_at DESC, id DESC).

    Its equality columns (`leading`) come first, then created_at and id: walked backwards it
    yields the rows in the list's order, so a page stops after its rows instead of sorting
    every match. The other filter columns follow, so the page's ids and the capped count are
    read from the index alone (a covering scan), every filter and visibility rule checked
    without visiting the table; only the page's 50 rows are then read (selectors.cases.case_list,
    api._CaseRows). Portable on purpose: SQLite has no INCLUDE.
    """
    rest = [column for column in _LIST_FILTER_COLUMNS if column not in leading]
    return models.Index(fields=[*leading, "created_at", "id", *rest], name=name)


class Case(models.Model):
    """A customer's request for help, worked by the support lines within the SLA targets."""

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("account"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="requested_cases",
        verbose_name=_("requester"),
    )
    cc = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cc_cases", verbose_name=_("CC")
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), help_text=_("Markdown."))
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    line = models.CharField(_("support line"), max_length=16, choices=Line.choices, default=Line.L1)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    region = models.ForeignKey(
        "accounts.SupportRegion",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("region"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="cases", verbose_name=_("tags"))
    # The account's queue weight when the case was opened (plan weight + support-plan boost).
    queue_weight = models.PositiveSmallIntegerField(_("queue weight"), default=0)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(_("opened"))  # indexed by case_list_newest
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The earliest due instant among the running clocks (None when none runs): queue order.
    next_due_at = models.DateTimeField(_("next due"), null=True, blank=True)
    # The SLA targets in force when the case was opened, for all four severities: the case's
    # contract (docs/plans.md). A severity change picks the stored target of the new severity;
    # a target changed later applies here only when an admin applies it to open cases.
    # {"1": {"first_response": 60, "resolution": 240, "clock": "24x7"}, ...}; empty: no targets.
    sla_targets = models.JSONField(_("SLA targets"), default=dict, blank=True)
    # Computed by the database: whether the case is new, open, waiting or on hold. Queues filter
    # on it, the condition of the partial queue indexes, rather than on a list of statuses, which
    # SQLite cannot match to a partial index when the list is passed as query parameters.
    in_queue = models.GeneratedField(
        expression=ExpressionWrapper(
            Q(status__in=Status.active()), output_field=models.BooleanField()
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("active"),
    )

    class Meta:
        ordering: ClassVar = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes: ClassVar = [
            # Lists, newest first: see _list_index.
            _list_index("case_list_newest"),
            _list_index("case_list_status", "status"),
            _list_index("case_list_severity", "severity"),
            _list_index("case_list_line", "line"),
            _list_index("case_list_assignee", "assignee"),
            _list_index("case_list_requester", "requester"),
            _list_index("case_account_newest", "account"),
            _list_index("case_status_severity", "status", "severity"),
            models.Index(fields=["line", "region", "status"], name="case_queue"),
            # A queue page walks one of these in its priority order and stops after a page,
            # instead of sorting every active case of the line (see selectors.queue).
            models.Index(
                fields=["line", "region", "severity", "next_due_at", "-queue_weight", "created_at"],
                condition=Q(in_queue=True),
                name="case_queue_walk_region",
            ),
            models.Index(
                fields=["line", "severity", "next_due_at", "-queue_weight", "created_at"],
                condition=Q(in_queue=True),
                name="case_queue_walk",
            ),
            models.Index(fields=["status", "solved_at"], name="case_autoclose"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(severity__gte=1) & Q(severity__lte=4), name="case_severity_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"


class Message(models.Model):
    """A reply on a case: public (the customer sees it) or an internal note."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="messages", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_messages",
        verbose_name=_("author"),
    )
    body = models.TextField(_("body"), help_text=_("Markdown."))
    is_public = models.BooleanField(_("public"), default=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    created_at = models.DateTimeField(_("written"), db_index=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"#{self.case_id} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    """Where an attachment is stored: under MEDIA_ROOT, by case, never under the web root."""
    return f"cases/{instance.case_id}/{instance.sha256[:16]}-{filename}"


class Attachment(models.Model):
    """A file on a case; served only through an access-checked view."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("message"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("uploaded"))

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class CaseEvent(models.Model):
    """One entry of a case's history: who changed what, when, from what to what."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        help_text=_("Empty: the system."),
    )
    at = models.DateTimeField(_("when"), db_index=True)
    kind = models.CharField(_("what"), max_length=40, choices=EventKind.choices)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"#{self.case_id} {self.kind} @ {self.at:%Y-%m-%d %H:%M}"


class Pause(models.Model):
    """A period in which the case waited on the customer: SLA clocks do not run."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("case")
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["started_at"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints: ClassVar = [
            # At most one open pause per case.
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="pause_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} paused {self.started_at:%Y-%m-%d %H:%M}"


class SeverityChange(models.Model):
    """A change of severity; the clocks are recomputed as if the new one applied from the start."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="severity_changes", verbose_name=_("case")
    )
    at = models.DateTimeField(_("when"))
    from_severity = models.PositiveSmallIntegerField(_("from"), choices=Severity.choices)
    to_severity = models.PositiveSmallIntegerField(_("to"), choices=Severity.choices)

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        verbose_name = _("severity change")
        verbose_name_plural = _("severity changes")

    def __str__(self) -> str:
        return f"#{self.case_id} S{self.from_severity}→S{self.to_severity}"


class SlaClock(models.Model):
    """The state of one target of a case (first response or resolution)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="clocks", verbose_name=_("case")
    )
    target = models.CharField(_("target"), max_length=16, choices=TargetKind.choices)
    target_minutes = models.PositiveIntegerField(_("target (minutes)"))
    clock = models.CharField(_("clock"), max_length=16)
    due_at = models.DateTimeField(_("due"))
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["case", "target"]
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "target"], name="sla_clock_one_per_target"),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} {self.target} due {self.due_at:%Y-%m-%d %H:%M}"


class SlaTimer(models.Model):
    """A future moment at which the worker must act on a clock (warn or record a breach).

    Rows are written in the transaction that sets or moves the clock. A recomputation deletes
    the unfired rows and writes new ones with the next `generation`; the unique constraint makes
    a doubled write impossible. `fired_at` is set in the same transaction as the effects of
    firing, guarded by `fired_at IS NULL`, so a timer acts at most once whatever the workers do.
    """

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="timers", verbose_name=_("case")
    )
    target = models.CharField(_("target"), max_length=16, choices=TargetKind.choices)
    event = models.CharField(_("event"), max_length=16, choices=TimerEvent.choices)
    fraction = models.FloatField(_("fraction of the target"), default=1.0)
    generation = models.PositiveIntegerField(_("generation"), default=0)
    fire_at = models.DateTimeField(_("fires at"))
    # The clock's due instant when the timer was written: a recomputation that leaves the due
    # instant where it was does not re-arm a warning that already fired.
    due_at = models.DateTimeField(_("clock due at"))
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    fired_at = models.DateTimeField(_("fired"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, blank=True)

    class Meta:
        ordering: ClassVar = ["fire_at"]
        verbose_name = _("SLA timer")
        verbose_name_plural = _("SLA timers")
        indexes: ClassVar = [
            models.Index(
                fields=["fire_at"], condition=Q(fired_at__isnull=True), name="sla_timer_pending"
            ),
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["case", "target", "event", "fraction", "generation"],
                name="sla_timer_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} {self.target} {self.event} @ {self.fire_at:%Y-%m-%d %H:%M}"


class SelfEscalation(models.Model):
    """A customer's request to escalate a case, decided by a supervisor."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="self_escalations", verbose_name=_("case")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=32, choices=EscalationReason.choices)
    details = models.TextField(_("details"), blank=True)
    requested_at = models.DateTimeField(_("requested"))
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)

    class Meta:
        ordering: ClassVar = ["-requested_at"]
        verbose_name = _("self-escalation")
        verbose_name_plural = _("self-escalations")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decision="pending"),
                name="self_escalation_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} {self.reason} ({self.decision})"


class IdempotencyKey(models.Model):
    """A client's Idempotency-Key on case creation: a repeated key returns the first case."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → #{self.case_id}"
