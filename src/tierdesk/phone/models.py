"""Calls, the call queue, callbacks, known caller numbers, agents' presence, processed webhooks.

A call is driven by the provider's webhooks (`phone.views.webhooks`); every processed request is
a `WebhookRequest` row whose unique key (CallSid, step, digits) makes a replay answer the TwiML
stored the first time and write nothing. The queue is a table of `QueueEntry` rows; its order is
the pure formula of `phone.queueing`.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import SupportNumber
from tierdesk.accounts.models.support_numbers import e164_validator


class CallLine(models.TextChoices):
    """The phone lines: the values of `SupportNumber.Line` (first, second)."""

    FIRST = SupportNumber.Line.FIRST.value, _("first line")
    SECOND = SupportNumber.Line.SECOND.value, _("second line")


class KnownCaller(models.Model):
    """A phone number of an account (optionally of one of its people): calls from it need no PIN."""

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="known_callers",
        verbose_name=_("account"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phone_numbers",
        verbose_name=_("person"),
    )
    number = models.CharField(_("number"), max_length=16, unique=True, validators=[e164_validator])

    class Meta:
        ordering: ClassVar = ["account", "number"]
        verbose_name = _("known caller number")
        verbose_name_plural = _("known caller numbers")

    def __str__(self) -> str:
        return self.number


class Call(models.Model):
    """One inbound call, from the provider's first webhook to its end."""

    class State(models.TextChoices):
        IN_MENU = "menu", _("in the menu")
        TURNED_AWAY = "turned_away", _("not entitled")
        QUEUED = "queued", _("waiting")
        ANSWERED = "answered", _("answered")
        ABANDONED = "abandoned", _("abandoned")
        CALLBACK = "callback", _("callback requested")
        VOICEMAIL = "voicemail", _("voicemail")
        ENDED = "ended", _("ended")

    call_sid = models.CharField(_("call id"), max_length=64, unique=True)
    from_number = models.CharField(_("from"), max_length=32)
    to_number = models.CharField(_("to"), max_length=32, blank=True)
    region = models.ForeignKey(
        "accounts.SupportRegion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("region"),
    )
    line = models.CharField(
        _("line"), max_length=8, choices=CallLine.choices, default=CallLine.FIRST
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("account"),
    )
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caller"),
    )
    severity = models.PositiveSmallIntegerField(_("severity"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default="menu")
    pin_attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    case = models.ForeignKey(
        "tickets.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("case"),
    )

    class Meta:
        ordering: ClassVar = ["-started_at"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return f"{self.from_number} {self.started_at:%Y-%m-%d %H:%M}"


class QueueEntry(models.Model):
    """A place in a region's line queue: a caller on hold, or a callback to make."""

    class Kind(models.TextChoices):
        CALL = "call", _("call")
        CALLBACK = "callback", _("callback")

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting")
        TAKEN = "taken", _("taken")
        ABANDONED = "abandoned", _("abandoned")
        TRANSFERRED = "transferred", _("transferred")
        DONE = "done", _("done")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="entries", verbose_name=_("call")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CALL)
    region = models.ForeignKey(
        "accounts.SupportRegion",
        on_delete=models.PROTECT,
        related_name="phone_queue",
        verbose_name=_("region"),
    )
    line = models.CharField(_("line"), max_length=8, choices=CallLine.choices)
    severity = models.PositiveSmallIntegerField(_("severity"))
    plan_weight = models.PositiveSmallIntegerField(_("plan weight"))
    entered_at = models.DateTimeField(_("entered"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.WAITING
    )
    estimated_wait_seconds = models.PositiveIntegerField(_("estimated wait (s)"), default=0)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="phone_entries",
        verbose_name=_("agent"),
    )
    taken_at = models.DateTimeField(_("answered"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    wrapped_up_at = models.DateTimeField(_("wrapped up"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["entered_at", "pk"]
        verbose_name = _("queue entry")
        verbose_name_plural = _("queue entries")
        indexes: ClassVar = [
            models.Index(
                fields=["region", "line", "severity", "entered_at"],
                condition=Q(state="waiting"),
                name="phone_queue_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id}/{self.line} S{self.severity} {self.state}"


class Callback(models.Model):
    """A caller's request to be called back: its number, kept when the caller hangs up."""

    call = models.OneToOneField(
        Call, on_delete=models.CASCADE, related_name="callback", verbose_name=_("call")
    )
    entry = models.OneToOneField(
        QueueEntry, on_delete=models.CASCADE, related_name="callback", verbose_name=_("entry")
    )
    number = models.CharField(_("number"), max_length=32)
    requested_at = models.DateTimeField(_("requested"))

    class Meta:
        ordering: ClassVar = ["requested_at"]
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")

    def __str__(self) -> str:
        return self.number


class AgentPresence(models.Model):
    """When an agent last had the phone console open (who counts as available for estimates),
    and the number where they answer the calls they take (the caller is dialled to it)."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_presence"
    )
    region = models.ForeignKey(
        "accounts.SupportRegion", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lines = models.JSONField(default=list)
    seen_at = models.DateTimeField()
    ring_number = models.CharField(
        _("ring me at"),
        max_length=16,
        blank=True,
        validators=[e164_validator],
        help_text=_("The phone where you answer the calls you take, E.164: +390212345678."),
    )

    class Meta:
        verbose_name = _("agent presence")
        verbose_name_plural = _("agent presence")

    def __str__(self) -> str:
        return f"{self.agent_id} {self.seen_at:%H:%M}"


class WebhookRequest(models.Model):
    """A processed provider request and the TwiML answered: a replay gets the same, once written."""

    call_sid = models.CharField(max_length=64)
    step = models.CharField(max_length=32)
    digits = models.CharField(max_length=64, blank=True)
    twiml = models.TextField()
    at = models.DateTimeField()

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        verbose_name = _("processed webhook")
        verbose_name_plural = _("processed webhooks")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["call_sid", "step", "digits"], name="phone_webhook_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call_sid} {self.step} {self.digits}"
