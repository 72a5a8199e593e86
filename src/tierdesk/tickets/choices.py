"""The vocabularies of a case: severity (with the seed's definitions), status, channel, line."""

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


ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING, Status.ON_HOLD)


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
