"""API of cases: cases, messages, attachments, severity, workflow, escalation and SLA state.

Thin: every case is fetched through `selectors.access_case` (404 for what the caller may not
see, other tenants included), every write goes through a service (422 for bad input, 403 for
a role that may not), and this module only maps JSON to arguments and models to schemas.
"""

from dataclasses import asdict
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Header, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer

from tierdesk.accounts.models import User
from tierdesk.config.api_types import (
    MAX_OFFSET,
    MAX_PAGE_SIZE,
    READ_ERRORS,
    WRITE_ERRORS,
    LaxId,
    Pagination,
    PathId,
    Text,
)

from .choices import Channel
from .models import Case, SelfEscalation, SlaClock
from .schemas import (
    AgentStatusValue,
    AssignIn,
    AttachmentOut,
    CaseDetailOut,
    CaseIn,
    CaseOut,
    DecisionIn,
    EscalateIn,
    LineValue,
    MessageIn,
    MessageOut,
    SelfEscalationIn,
    SelfEscalationOut,
    SeverityIn,
    SlaOut,
    StatusIn,
    StatusValue,
)
from .selectors import api as reads
from .selectors import cases as selectors
from .selectors import escalations as escalation_reads
from .services import attachments as attachment_services
from .services import cases as case_services
from .services import escalations as escalation_services

router = Router(tags=["cases"])


def _viewer(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


_ROW_FIELDS = (
    *("id", "subject", "severity", "status", "line", "channel"),
    *("created_at", "updated_at", "next_due_at", "account_id", "account__name"),
    *("requester_id", "requester__first_name", "requester__last_name", "requester__email"),
    *("assignee_id", "assignee__first_name", "assignee__last_name", "assignee__email"),
)


# CaseOut's plain fields; account, requester and assignee are built from the joined columns.
_CASE_OUT_FIELDS = (
    *("id", "subject", "severity", "status", "line", "channel"),
    *("created_at", "updated_at", "next_due_at"),
)


def _person_row(values: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    if values[f"{prefix}_id"] is None:
        return None
    # As User.__str__: the full name, else the e-mail address.
    name = f"{values[f'{prefix}__first_name']} {values[f'{prefix}__last_name']}".strip()
    return {"id": values[f"{prefix}_id"], "name": name or values[f"{prefix}__email"]}


# The case list counts its matches up to this many; past it, `count` says this many and
# `count_capped` is true. An exact count reads every match in the index: half a million
# entries for "closed" at 1,000,000 cases (30-50 ms), and with a second filter that the index
# does not lead with, every entry of the first (status=closed&line=engineering: 200,000
# entries to count 10,000 matches). Counting up to 1,000 stays under a few milliseconds at
# any size (docs/performance.md), as a page does.
COUNT_LIMIT = 1_000


class _CaseRows:
    """A case list read as plain rows: one query a page and no model instances (list speed)."""

    def __init__(self, queryset: QuerySet[Case]) -> None:
        self.queryset = queryset

    def all(self) -> "_CaseRows":
        return self

    def count_capped(self) -> tuple[int, bool]:
        """The number of matches up to COUNT_LIMIT, and whether there are more."""
        found = self.queryset.order_by()[: COUNT_LIMIT + 1].count()
        return min(found, COUNT_LIMIT), found > COUNT_LIMIT

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        # A deferred join: the page's ids come from a covering scan of a list index (every
        # filter checked in the index), then only those rows and their people are read.
        page = self.queryset.values("pk")[window]
        rows = Case.objects.filter(pk__in=page).order_by("-created_at", "-pk").values(*_ROW_FIELDS)
        return [
            {
                **{name: values[name] for name in _CASE_OUT_FIELDS},
                "account": {"id": values["account_id"], "name": values["account__name"]},
                "requester": _person_row(values, "requester"),
                "assignee": _person_row(values, "assignee"),
            }
            for values in rows
        ]


class PagedCaseOut(Schema):
    """A page of the case list: `count` is exact up to COUNT_LIMIT matches."""

    items: list[CaseOut]
    count: int = Field(
        description=f"The matching cases, counted up to {COUNT_LIMIT:,} (see count_capped)."
    )
    count_capped: bool = Field(
        description="True when more cases match than were counted: page on with offset."
    )


def _case_page(rows: _CaseRows, *, limit: int, offset: int) -> dict[str, Any]:
    """One page and its count. A page shorter than `limit` is the last: its count is known."""
    items = rows[offset : offset + limit]
    if len(items) < limit and (items or offset == 0):
        count, capped = offset + len(items), False
    else:
        count, capped = rows.count_capped()
    return {"items": items, "count": count, "count_capped": capped}


def _sla(case: Case, *, explain: bool = False, **known: Any) -> list[SlaOut]:
    return [
        SlaOut.model_validate(
            {**asdict(state), "warnings": [{"fraction": f, "at": at} for f, at in state.warnings]}
        )
        for state in reads.case_sla(case, now=timezone.now(), explain=explain, **known)
    ]


def _case_detail(case: Case, *, reload: bool = True) -> CaseDetailOut:
    if reload:
        # Services return the case without the related rows its answer shows: read them here.
        case = Case.objects.select_related(
            "account__license_plan", "account__support_plan", "region", "requester", "assignee"
        ).get(pk=case.pk)
    out = CaseDetailOut.from_orm(case)
    out.sla = _sla(case)
    return out


# --- cases ------------------------------------------------------------------------------------


@router.get("/cases", response={200: PagedCaseOut, **READ_ERRORS})
def case_list(
    request: HttpRequest,
    status: StatusValue | None = None,
    severity: Annotated[int | None, Query(None, ge=1, le=4)] = None,
    line: LineValue | None = None,
    account: Annotated[LaxId | None, Query(None, description="An account's id (agents).")] = None,
    search: Annotated[
        Text | None, Query(None, max_length=200, description="A case number or words.")
    ] = None,
    mine: Annotated[
        bool, Query(False, description="Only cases I requested or am assigned.")
    ] = False,
    limit: Annotated[int, Query(50, ge=1, le=MAX_PAGE_SIZE)] = 50,
    offset: Annotated[int, Query(0, ge=0, le=MAX_OFFSET)] = 0,
) -> HttpResponse:
    """The cases the caller may see, newest first, filtered; paginated with limit/offset."""
    filters = reads.ApiCaseFilters(
        base=selectors.CaseFilters(status=status, severity=severity, search=search, mine=mine),
        line=line,
        account_id=account,
    )
    rows = _CaseRows(
        reads.api_case_list(_viewer(request), filters),
    )
    # The rows are built as PagedCaseOut's JSON (tests/tickets/test_case_lists.py checks them
    # against the schema) and rendered as every answer is: validating 50 rows through the
    # schema again cost more than reading them.
    page = _case_page(rows, limit=limit, offset=offset)
    renderer = JSONRenderer()
    return HttpResponse(
        renderer.render(request, page, response_status=200),
        content_type=f"{renderer.media_type}; charset={renderer.charset}",
    )


@router.post("/cases", response={200: CaseDetailOut, 201: CaseDetailOut, **WRITE_ERRORS})
def case_create(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: Annotated[
        str | None,
        Header(
            None,
            alias="Idempotency-Key",
            description=(
                "A repeated key returns the first case (200) and creates nothing; 404 when "
                "the caller may no longer see that case, as a read would answer."
            ),
        ),
    ] = None,
) -> Status[CaseDetailOut]:
    """Open a case (customers for themselves; agents log phone or e-mail cases for a customer).

    A repeated Idempotency-Key answers 200 with the first case, as a read of it would show it:
    404 when the caller may no longer see it (an L1 agent after escalating it to L2).
    """
    actor = reads.with_plans(_viewer(request))
    if not selectors.is_agent(actor) and payload.channel != Channel.WEB:
        # Phone and e-mail cases are logged by agents; the assistant and the community open
        # theirs through their own services.
        raise ValidationError({"channel": _("Customers open cases on the web.")})
    requester = reads.requester_for(actor, payload.requester_id)
    account_id = requester.account_id if requester is not None else actor.account_id
    cc = reads.cc_people(account_id, payload.cc)
    opened = case_services.case_open(
        actor=actor,
        subject=payload.subject,
        description=payload.description,
        severity=payload.severity,
        channel=payload.channel,
        requester=requester,
        cc=cc,
        idempotency_key=idempotency_key,
    )
    if not opened.created:
        # A replay goes through the rule of a read: a case the caller may no longer see is 404.
        return Status(200, _case_detail(selectors.access_case(actor, opened.case.pk), reload=False))
    return Status(201, _opened_detail(opened.case, cc=cc, clocks=opened.clocks))


def _opened_detail(case: Case, *, cc: list[User], clocks: list[SlaClock]) -> CaseDetailOut:
    """The answer for a case just opened, from what was written: nothing is read back."""
    fields = {name: getattr(case, name) for name in CaseOut.model_fields}
    out = CaseDetailOut.model_validate(
        {
            **fields,
            "description": case.description,
            "region": case.region,
            "cc": sorted((p for p in cc if p.pk != case.requester_id), key=lambda p: p.pk),
            "tags": [],
            "first_responded_at": None,
            "solved_at": None,
            "closed_at": None,
            "merged_into_id": None,
            "severity_changes": [],
        }
    )
    out.sla = _sla(case, clocks=clocks, pauses=[])
    return out


@router.get("/cases/{case_id}", response={200: CaseDetailOut, **READ_ERRORS})
def case_detail(request: HttpRequest, case_id: PathId) -> CaseDetailOut:
    """One case with its SLA state now."""
    return _case_detail(selectors.access_case(_viewer(request), case_id), reload=False)


@router.get("/cases/{case_id}/sla", response={200: list[SlaOut], **READ_ERRORS})
def case_sla(request: HttpRequest, case_id: PathId, explain: bool = False) -> list[SlaOut]:
    """The case's SLA clocks now; `explain=true` adds the counted intervals in local time."""
    return _sla(selectors.access_case(_viewer(request), case_id), explain=explain)


# --- messages and attachments -----------------------------------------------------------------


@router.get("/cases/{case_id}/messages", response={200: list[MessageOut], **READ_ERRORS})
@paginate(Pagination)
def message_list(request: HttpRequest, case_id: PathId) -> object:
    """The case's messages the caller may read (customers: public ones), oldest first."""
    viewer = _viewer(request)
    case = selectors.access_case(viewer, case_id)
    return selectors.visible_messages(viewer, case)


@router.post("/cases/{case_id}/messages", response={201: MessageOut, **WRITE_ERRORS})
def message_create(request: HttpRequest, case_id: PathId, payload: MessageIn) -> Status[MessageOut]:
    """Reply on a case; agents may write an internal note (`public: false`) and move the status."""
    viewer = _viewer(request)
    message = case_services.case_reply(
        actor=viewer,
        case=selectors.access_case(viewer, case_id),
        body=payload.body,
        public=payload.public,
        then_status=payload.status,
    )
    return Status(201, MessageOut.from_orm(message))


@router.get("/cases/{case_id}/attachments", response={200: list[AttachmentOut], **READ_ERRORS})
@paginate(Pagination)
def attachment_list(request: HttpRequest, case_id: PathId) -> object:
    """The case's files the caller may download (customers: public ones)."""
    viewer = _viewer(request)
    case = selectors.access_case(viewer, case_id)
    return selectors.visible_attachments(viewer, case).select_related("uploaded_by")


@router.post("/cases/{case_id}/attachments", response={201: AttachmentOut, **WRITE_ERRORS})
def attachment_create(
    request: HttpRequest,
    case_id: PathId,
    file: File[UploadedFile],
    public: Form[bool] = True,
    message_id: Form[LaxId | None] = None,
) -> Status[AttachmentOut]:
    """Upload a file (multipart/form-data, field `file`), within the size and type limits."""
    viewer = _viewer(request)
    case = selectors.access_case(viewer, case_id)
    attachment = attachment_services.attachment_add(
        actor=viewer,
        case=case,
        upload=file,
        message=reads.case_message(viewer, case, message_id),
        public=public,
    )
    return Status(201, AttachmentOut.from_orm(attachment))


@router.get(
    "/cases/{case_id}/attachments/{attachment_id}",
    response={200: None, **READ_ERRORS},
    url_name="case_attachment_download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file.",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def attachment_download(
    request: HttpRequest, case_id: PathId, attachment_id: PathId
) -> FileResponse:
    """Download one file of the case."""
    viewer = _viewer(request)
    case = selectors.access_case(viewer, case_id)
    attachment = selectors.access_attachment(viewer, attachment_id)
    if attachment.case_id != case.pk:
        raise Http404("No such attachment.")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- workflow ---------------------------------------------------------------------------------


@router.post("/cases/{case_id}/severity", response={200: CaseDetailOut, **WRITE_ERRORS})
def case_severity(request: HttpRequest, case_id: PathId, payload: SeverityIn) -> CaseDetailOut:
    """Change the severity (agents); the SLA clocks recompute from the case's start."""
    viewer = _viewer(request)
    case = case_services.case_change_severity(
        actor=viewer,
        case=selectors.access_case(viewer, case_id),
        severity=payload.severity,
        note=payload.note,
    )
    return _case_detail(case)


@router.post("/cases/{case_id}/status", response={200: CaseDetailOut, **WRITE_ERRORS})
def case_status(request: HttpRequest, case_id: PathId, payload: StatusIn) -> CaseDetailOut:
    """Move the case (agents): open, waiting on the customer, on hold, solved."""
    viewer = _viewer(request)
    status: AgentStatusValue = payload.status
    case = case_services.case_set_status(
        actor=viewer,
        case=selectors.access_case(viewer, case_id),
        status=status,
        note=payload.note,
    )
    return _case_detail(case)


@router.post("/cases/{case_id}/assign", response={200: CaseDetailOut, **WRITE_ERRORS})
def case_assign(request: HttpRequest, case_id: PathId, payload: AssignIn) -> CaseDetailOut:
    """Assign the case: agents take it themselves; supervisors assign anyone on its line."""
    viewer = _viewer(request)
    case = selectors.access_case(viewer, case_id)
    case = case_services.case_assign(
        actor=viewer, case=case, assignee=reads.vendor_person(payload.assignee_id)
    )
    return _case_detail(case)


@router.post("/cases/{case_id}/escalate", response={200: CaseDetailOut, **WRITE_ERRORS})
def case_escalate(request: HttpRequest, case_id: PathId, payload: EscalateIn) -> CaseDetailOut:
    """Escalate to a higher line with a reason (agents); engineering needs the plan's right."""
    viewer = _viewer(request)
    case = escalation_services.case_escalate(
        actor=viewer,
        case=selectors.access_case(viewer, case_id),
        line=payload.line,
        reason=payload.reason,
    )
    return _case_detail(case)


# --- self-escalation --------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/self-escalations", response={200: list[SelfEscalationOut], **READ_ERRORS}
)
def self_escalation_list(request: HttpRequest, case_id: PathId) -> object:
    """The case's escalation requests, newest first."""
    case = selectors.access_case(_viewer(request), case_id)
    return escalation_reads.case_self_escalations(case)


@router.post("/cases/{case_id}/self-escalations", response={201: SelfEscalationOut, **WRITE_ERRORS})
def self_escalation_create(
    request: HttpRequest, case_id: PathId, payload: SelfEscalationIn
) -> Status[SelfEscalationOut]:
    """Ask for escalation (customers, on plans that allow it, once the case is open 24 h)."""
    viewer = _viewer(request)
    escalation = escalation_services.self_escalation_request(
        actor=viewer,
        case=selectors.access_case(viewer, case_id),
        reason=payload.reason,
        details=payload.details,
    )
    return Status(201, SelfEscalationOut.from_orm(escalation))


@router.post(
    "/self-escalations/{request_id}/decision", response={200: SelfEscalationOut, **WRITE_ERRORS}
)
def self_escalation_decide(
    request: HttpRequest, request_id: PathId, payload: DecisionIn
) -> SelfEscalation:
    """Accept (the case moves up a line) or reject an escalation request (supervisors)."""
    viewer = _viewer(request)
    decided = escalation_services.self_escalation_decide(
        actor=viewer,
        request=escalation_reads.access_self_escalation(viewer, request_id),
        accept=payload.decision == "accepted",
        reason=payload.reason,
    )
    return decided
