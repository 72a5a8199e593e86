"""The vocabularies of a case: severity (with the seed's definitions), status, channel, line."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.IntegerChoices):
    S1 = 1, _("Severity 1 - blocking failure")
    S2 = 2, _("Severity 2 - significant impact")
    S3 = 3, _("Severity 3 - a feature is affected")
    S4 = 4, _("Severity 4 - information or help")


# The seed's definitions, shown when a customer chooses a severity.
SEVERITY_DEFINITIONS = {
    1: _(
        "Blocking failure: the platform is gravely degraded, or a network fault or another "
        "software problem has a critical impact on operation. Attempted workarounds bring no "
        "result. Best opened by phone."
    ),
    2: _(
        "Significant aspects of the platform are affected by degraded network performance or "
        "other software problems; workarounds solve the problem only in part, or not at all."
    ),
    3: _(
        "The platform works satisfactorily; the fault concerns a single feature or a group of "
        "features."
    ),
    4: _("Requests for information or help on features, installation or configuration."),
}


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting on customer")
    ON_HOLD = "on_hold", _("On hold")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")

    # The sets of statuses that rules depend on, written once here and used by services,
    # selectors, pages, the API, the generated column `Case.in_queue` and the partial indexes.
    # Methods, not class attributes: an attribute of a TextChoices would become a member.

    @classmethod
    def active(cls) -> tuple[Status, ...]:
        """In a queue and still worked: new, open, waiting on the customer, on hold."""
        return (cls.NEW, cls.OPEN, cls.WAITING, cls.ON_HOLD)

    @classmethod
    def resolved(cls) -> tuple[Status, ...]:
        """Done: solved or closed; the resolution clock stopped at the solving instant."""
        return (cls.SOLVED, cls.CLOSED)

    @classmethod
    def pausing(cls) -> tuple[Status, ...]:
        """Entering one of these opens a pause of the SLA clocks; leaving both ends it."""
        return (cls.WAITING, cls.SOLVED)

    @classmethod
    def agent_settable(cls) -> tuple[Status, ...]:
        """What an agent may move a case to (by a status change or with a reply)."""
        return (cls.OPEN, cls.WAITING, cls.ON_HOLD, cls.SOLVED)

    @classmethod
    def clock_runs(cls, status: str) -> bool:
        """Whether the SLA clocks of a case in this status run (active and not waiting)."""
        return status in cls.active() and status != cls.WAITING

    @classmethod
    def is_active(cls, status: str) -> bool:
        """Whether a case in this status is active (see `active`)."""
        return status in cls.active()

    @classmethod
    def is_resolved(cls, status: str) -> bool:
        """Whether a case in this status is solved or closed (see `resolved`)."""
        return status in cls.resolved()


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    PHONE = "phone", _("Phone")
    ASSISTANT = "assistant", _("Assistant")
    COMMUNITY = "community", _("Community")
    EMAIL = "email", _("E-mail")


class Line(models.TextChoices):
    L1 = "l1", _("First line (L1)")
    L2 = "l2", _("Second line (L2)")
    ENGINEERING = "engineering", _("Engineering")


class TargetKind(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


class TimerEvent(models.TextChoices):
    WARNING = "warning", _("Warning")
    BREACH = "breach", _("Breach")


class EscalationReason(models.TextChoices):
    CRITICAL_FAILURE = "critical_failure", _("Critical failure")
    DELAYED_RESPONSES = "delayed_responses", _("Delayed responses")
    TIME_ZONE = "time_zone_difference", _("Time-zone difference")


class EventKind(models.TextChoices):
    """What one entry of a case's history records; the label is what the history shows."""

    CREATED = "created", _("Case opened")
    FIRST_RESPONSE = "first_response", _("First response")
    STATUS = "status", _("Status")
    SEVERITY = "severity", _("Severity")
    ASSIGNEE = "assignee", _("Assignee")
    TAGS = "tags", _("Tags")
    CC = "cc", _("CC")
    ATTACHMENT = "attachment", _("File added")
    ESCALATED = "escalated", _("Escalated")
    MERGED_IN = "merged_in", _("Duplicate merged in")
    MERGED_INTO = "merged_into", _("Merged into")
    SELF_ESCALATION_REQUESTED = "self_escalation_requested", _("Customer asked to escalate")
    SELF_ESCALATION_DECIDED = "self_escalation_decided", _("Escalation request decided")
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_BREACH = "sla_breach", _("SLA breach")
    TARGETS = "targets", _("SLA targets changed")
