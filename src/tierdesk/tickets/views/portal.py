"""Pages of the customer portal: the account's cases, opening one, a case, files, escalation."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tierdesk.accounts.entitlements import may_self_escalate
from tierdesk.accounts.forms import add_service_errors
from tierdesk.accounts.models import User
from tierdesk.knowledge.services.deflection import deflection_case_opened

from ..choices import Severity, Status
from ..display import clock_badges
from ..forms.portal import CaseFilterForm, CaseOpenForm, ReplyForm, SelfEscalationForm
from ..models import Attachment, Case, SelfEscalation
from ..permissions import may_open_case, may_reply_as_customer
from ..selectors.cases import (
    CaseFilters,
    access_attachment,
    access_case,
    is_agent,
    visible_attachments,
    visible_messages,
)
from ..selectors.escalations import case_self_escalations
from ..selectors.history_display import history_rows
from ..selectors.portal import (
    cc_candidates,
    portal_cases,
    public_history,
    self_service_links,
)
from ..services.attachments import attachment_add
from ..services.cases import case_create, case_reply
from ..services.escalations import self_escalation_request

PAGE_SIZE = 25


def _customer(request: HttpRequest) -> User:
    """The signed-in customer; vendor staff have the console instead."""
    user = request.user
    assert isinstance(user, User)
    if user.account_id is None:
        raise PermissionDenied(_("The customer portal is for customer accounts."))
    return user


@login_required
@require_safe
def portal_case_list(request: HttpRequest) -> HttpResponse:
    """/cases/: the cases the customer may see, filtered and searched, 25 a page."""
    user = request.user
    if is_agent(user):
        try:
            return redirect(reverse("tickets:queues"))
        except NoReverseMatch:
            pass
    user = _customer(request)
    form = CaseFilterForm(request.GET or None)
    filters = CaseFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = CaseFilters(
            status=data["status"] or None, severity=data["severity"], search=data["q"] or None
        )
    page = Paginator(portal_cases(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(case, clock_badges(case, case.clocks.all(), now=now)) for case in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "may_open": may_open_case(user),
    }
    return render(request, "tickets/portal/case_list.html", context)


def _open_page(request: HttpRequest, form: CaseOpenForm) -> HttpResponse:
    context = {"form": form, "severity_1": Severity.S1}
    return render(request, "tickets/portal/case_new.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def portal_case_new(request: HttpRequest) -> HttpResponse:
    """/cases/new/: open a case; on a plan without tickets, where to find help instead."""
    user = _customer(request)
    if not may_open_case(user):
        context = {"links": self_service_links()}
        return render(request, "tickets/portal/case_new_unavailable.html", context)
    colleagues = cc_candidates(user)
    if request.method != "POST":
        initial = {"idempotency_key": uuid.uuid4().hex}
        return _open_page(request, CaseOpenForm(initial=initial, colleagues=colleagues))
    form = CaseOpenForm(request.POST, request.FILES, colleagues=colleagues)
    if not form.is_valid():
        return _open_page(request, form)
    data = form.cleaned_data
    try:
        # The case and its first file are one change: a refused file opens no case.
        with transaction.atomic():
            case = case_create(
                actor=user,
                subject=data["subject"],
                description=data["description"],
                severity=data["severity"],
                cc=data.get("cc") or (),
                idempotency_key=data["idempotency_key"] or None,
            )
            # A repeated submission (same idempotency key) returns the first case: no second file.
            if data["attachment"] is not None and not case.attachments.exists():
                attachment_add(actor=user, case=case, upload=data["attachment"])
    except ValidationError as error:
        add_service_errors(form, error, field_map={"file": "attachment"})
        return _open_page(request, form)
    # The articles suggested on this form did not end it: not a deflection.
    deflection_case_opened(user=user, session_key=request.session.session_key or "")
    messages.success(request, _("Case #%(n)d is open. We will answer here.") % {"n": case.pk})
    return redirect("case-detail", pk=case.pk)


def _detail_page(
    request: HttpRequest,
    case: Case,
    *,
    reply_form: ReplyForm | None = None,
    escalation_form: SelfEscalationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    now = timezone.now()
    attachments = list(visible_attachments(user, case).select_related("uploaded_by"))
    by_message: dict[int | None, list[Attachment]] = {}
    for attachment in attachments:
        by_message.setdefault(attachment.message_id, []).append(attachment)
    thread = [(m, by_message.get(m.pk, [])) for m in visible_messages(user, case)]
    requests = list(case_self_escalations(case))
    pending = any(r.decision == SelfEscalation.Decision.PENDING for r in requests)
    may_escalate = (
        Status.is_active(case.status)
        and not pending
        and may_self_escalate(user, opened_at=case.created_at, now=now)
    )
    may_reply = may_reply_as_customer(user, case)
    context = {
        "case": case,
        "badges": clock_badges(case, case.clocks.all(), now=now),
        "opening_files": by_message.get(None, []),
        "thread": thread,
        "history": history_rows(public_history(case)),
        "escalations": requests,
        "may_reply": may_reply,
        "reply_form": reply_form or (ReplyForm() if may_reply else None),
        "may_escalate": may_escalate,
        "escalation_form": escalation_form or (SelfEscalationForm() if may_escalate else None),
        "cc": list(case.cc.all()),
    }
    return render(request, "tickets/portal/case_detail.html", context, status=status)


@login_required
def portal_case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/cases/<id>/ for customers: the thread, files, SLA clocks, history and escalation."""
    user = _customer(request)
    return _detail_page(request, access_case(user, pk))


@login_required
@require_POST
def portal_case_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A customer replies to a case, with an optional file."""
    user = _customer(request)
    case = access_case(user, pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail_page(request, case, reply_form=form, status=400)
    upload = form.cleaned_data["attachment"]
    try:
        # The reply and its file are one change: a refused file adds no reply.
        with transaction.atomic():
            message = case_reply(actor=user, case=case, body=form.cleaned_data["body"])
            if upload is not None:
                attachment_add(actor=user, case=case, upload=upload, message=message)
    except ValidationError as error:
        add_service_errors(form, error, field_map={"file": "attachment"})
        return _detail_page(request, access_case(user, pk), reply_form=form, status=400)
    messages.success(request, _("Your reply is sent."))
    return redirect("case-detail", pk=case.pk)


@login_required
@require_POST
def portal_case_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """A customer asks for the case to be escalated; a supervisor decides."""
    user = _customer(request)
    case = access_case(user, pk)
    form = SelfEscalationForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, case, escalation_form=form, status=400)
    try:
        self_escalation_request(
            actor=user,
            case=case,
            reason=form.cleaned_data["reason"],
            details=form.cleaned_data["details"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail_page(request, case, escalation_form=form, status=400)
    messages.success(request, _("Your escalation request is sent to a supervisor."))
    return redirect("case-detail", pk=case.pk)


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """A case's file, for whoever may see it (customers: public files; agents too)."""
    attachment = access_attachment(request.user, attachment_id)
    if attachment.case_id != pk:
        raise Http404("No such attachment.")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
