"""The shapes of the cases API: what comes in (validated by pydantic) and what goes out."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

from tierdesk.config.api_types import BodyId, Text

StatusValue = Literal["new", "open", "waiting", "on_hold", "solved", "closed"]
AgentStatusValue = Literal["open", "waiting", "on_hold", "solved"]
LineValue = Literal["l1", "l2", "engineering"]
ChannelValue = Literal["web", "phone", "assistant", "community", "email"]
ReasonValue = Literal["critical_failure", "delayed_responses", "time_zone_difference"]


class PersonOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj["name"]) if isinstance(obj, dict) else str(obj)


class AccountRefOut(Schema):
    id: int
    name: str


class RegionRefOut(Schema):
    code: str
    name: str
    time_zone: str


class CaseOut(Schema):
    """A row of the case list."""

    id: int
    subject: str
    severity: int
    status: StatusValue
    line: LineValue
    channel: ChannelValue
    account: AccountRefOut
    requester: PersonOut
    assignee: PersonOut | None
    created_at: datetime
    updated_at: datetime
    next_due_at: datetime | None = Field(
        description="The nearest due instant among the running SLA clocks (none: no clock runs)."
    )


class WarningOut(Schema):
    fraction: float
    at: datetime


class SlaOut(Schema):
    """One SLA target of a case, evaluated at the time of the request."""

    target: Literal["first_response", "resolution"]
    clock: Literal["24x7", "business"]
    target_minutes: int
    due_at: datetime = Field(
        description="When the target is due; while paused, as if the customer answered now."
    )
    met_at: datetime | None
    breached_at: datetime | None
    state: Literal["running", "paused", "met", "breached"]
    paused: bool
    elapsed_seconds: int = Field(description="Counted time so far, in the clock's own time.")
    remaining_seconds: int = Field(description="Target minus elapsed; negative once overrun.")
    paused_seconds: int
    fraction: float = Field(description="Elapsed / target.")
    warnings: list[WarningOut]
    explanation: list[str] | None = Field(
        None, description="With ?explain=true: the counted intervals in the region's local time."
    )


class SeverityChangeOut(Schema):
    at: datetime
    from_severity: int
    to_severity: int


class CaseDetailOut(CaseOut):
    """A case with what its page shows: description, people, SLA state."""

    description: str
    region: RegionRefOut
    cc: list[PersonOut]
    tags: list[str]
    first_responded_at: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None
    merged_into_id: int | None
    severity_changes: list[SeverityChangeOut]
    sla: list[SlaOut] = Field(default_factory=list)

    # A dict (a case just opened, built by the API from what it wrote) carries these already.

    @staticmethod
    def resolve_cc(obj: Any) -> list[Any]:
        return obj["cc"] if isinstance(obj, dict) else list(obj.cc.order_by("pk"))

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return (
            obj["tags"] if isinstance(obj, dict) else list(obj.tags.values_list("name", flat=True))
        )

    @staticmethod
    def resolve_severity_changes(obj: Any) -> list[Any]:
        return (
            obj["severity_changes"] if isinstance(obj, dict) else list(obj.severity_changes.all())
        )


class CaseIn(Schema):
    subject: Text = Field(max_length=200)
    description: Text = Field(max_length=50_000)
    severity: StrictInt = Field(ge=1, le=4)
    channel: ChannelValue = "web"
    requester_id: BodyId | None = Field(
        None, description="Agents logging a phone or e-mail case: the customer it is for."
    )
    cc: list[BodyId] = Field(
        default_factory=list, max_length=100, description="Ids of users of the same account."
    )


class MessageOut(Schema):
    id: int
    author: PersonOut
    body: str
    public: bool
    channel: ChannelValue
    created_at: datetime

    @staticmethod
    def resolve_public(obj: Any) -> bool:
        return bool(obj.is_public)


class MessageIn(Schema):
    body: Text = Field(max_length=50_000)
    public: StrictBool = Field(True, description="False: an internal note (agents only).")
    status: AgentStatusValue | None = Field(
        None, description="Agents: the status the case moves to with this reply."
    )


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    public: bool
    message_id: int | None
    uploaded_by: PersonOut
    created_at: datetime
    download_url: str

    @staticmethod
    def resolve_public(obj: Any) -> bool:
        return bool(obj.is_public)

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        return reverse(
            "api:case_attachment_download",
            kwargs={"case_id": obj.case_id, "attachment_id": obj.pk},
        )


class SeverityIn(Schema):
    severity: StrictInt = Field(ge=1, le=4)
    note: Text = Field("", max_length=5000)


class StatusIn(Schema):
    status: AgentStatusValue
    note: Text = Field("", max_length=5000)


class AssignIn(Schema):
    assignee_id: BodyId | None = Field(description="null: unassign.")


class EscalateIn(Schema):
    line: LineValue
    reason: Text = Field(max_length=5000)


class SelfEscalationIn(Schema):
    reason: ReasonValue
    details: Text = Field("", max_length=5000)


class SelfEscalationOut(Schema):
    id: int
    case_id: int
    reason: ReasonValue
    details: str
    requested_by: PersonOut
    requested_at: datetime
    decision: Literal["pending", "accepted", "rejected"]
    decided_at: datetime | None
    decision_reason: str


class DecisionIn(Schema):
    decision: Literal["accepted", "rejected"]
    reason: Text = Field(max_length=5000)
