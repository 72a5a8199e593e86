"""The agent console: queues, the case page with its actions, explanations, escalation requests.

Thin: forms parse, services decide. Every action POSTs to its own address and redirects back to
the case with a message (to the case's queue when the action took the case out of the actor's
sight, e.g. an L1 agent escalating it); a refusal re-renders the page with the error and changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from tierdesk.accounts.models import User
from tierdesk.sla.policies import ClockKind

from ..choices import Line, Status, TargetKind
from ..display import clock_badges
from ..forms.console import (
    AssignForm,
    EscalateForm,
    MergeForm,
    NoteForm,
    QueueFilterForm,
    ReplyForm,
    SeverityForm,
    StatusForm,
    TagsForm,
    add_service_errors,
)
from ..models import Case
from ..permissions import may_assign_others, may_work
from ..selectors import console as reads
from ..selectors.cases import access_case, visible_cases
from ..selectors.escalations import case_self_escalations, decides_for_case
from ..selectors.history_display import history_rows
from ..services import cases as case_services
from ..services import escalations as escalation_services

STATUS_MESSAGES = {
    Status.OPEN: gettext_lazy("The case is open."),
    Status.WAITING: gettext_lazy("The case waits on the customer; its clocks are paused."),
    Status.ON_HOLD: gettext_lazy("The case is on hold."),
    Status.SOLVED: gettext_lazy("The case is solved."),
}


def _htmx(request: HttpRequest) -> bool:
    """Whether htmx asked (django-htmx's middleware sets request.htmx)."""
    return bool(getattr(request, "htmx", False))


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of a console request (the views require a sign-in)."""
    user = request.user
    assert isinstance(user, User)
    return user


# Queues ------------------------------------------------------------------------------------------


@login_required
@require_safe
def queues(request: HttpRequest) -> HttpResponse:
    """/console/: a line's queue in priority order, by region; htmx polls the table."""
    user = signed_in_user(request)
    reads.access_console(user)
    lines = reads.console_lines(user)
    regions = reads.console_regions()
    form = QueueFilterForm(request.GET, lines=lines, regions=regions, default_region=user.region_id)
    context: dict[str, Any] = {"form": form, "lines": lines, "regions": regions}
    if not lines or not form.is_valid():
        return render(request, "tickets/console/queues.html", context, status=400 if lines else 200)
    line: str = form.cleaned_data["line"]
    region_id: int | None = form.cleaned_data["region"]
    paginator = Paginator(reads.console_queue(user, line=line, region_id=region_id), 25)
    page = paginator.get_page(form.cleaned_data.get("page") or 1)
    counts = reads.queue_counts(user, region_id=region_id)
    context.update(
        line=line,
        region_id=region_id,
        region_param="all" if region_id is None else str(region_id),
        page=page,
        tabs=[(value, Line(value).label, counts.get(value, 0)) for value in lines],
        now=timezone.now(),
    )
    template = "tickets/console/queues.html"
    if _htmx(request):
        template += "#queue-table"
    return render(request, template, context)


@login_required
@require_safe
def case_clocks(request: HttpRequest, pk: int) -> HttpResponse:
    """/console/cases/<id>/clocks/: the case's SLA badges (polled by htmx every 30 s)."""
    case = reads.console_case(signed_in_user(request), pk)
    badges = clock_badges(case, reads.case_clocks(case), now=timezone.now())
    return render(request, "tickets/console/_badges.html", {"case": case, "badges": badges})


@login_required
@require_safe
def case_explain(request: HttpRequest, pk: int, target: str) -> HttpResponse:
    """/console/cases/<id>/explain/<target>/: the intervals that add up to the due instant."""
    case = reads.console_case(signed_in_user(request), pk)
    explanation = reads.case_explanation(case, target, now=timezone.now())
    # Durations as timedeltas: the template rounds them for people with |duration ("2 h 14 min"),
    # not the exact fractional minutes the `tierdesk sla explain` command prints.
    rows = []
    total = timedelta()
    for interval in explanation.intervals:
        if interval.counted:
            total += interval.duration
        at_midnight = interval.end.date() > interval.start.date() and interval.end.time() == time(0)
        rows.append(
            {
                "start": interval.start,
                "end_text": "24:00" if at_midnight else interval.end.strftime("%H:%M"),
                "duration": interval.duration,
                "total": total,
                "counted": interval.counted,
            }
        )
    paused = sum((i.duration for i in explanation.intervals if not i.counted), timedelta())
    context = {
        "case": case,
        "target": target,
        "target_label": TargetKind(target).label,
        "explanation": explanation,
        "is_24x7": explanation.kind is ClockKind.TWENTY_FOUR_SEVEN,
        "target_duration": explanation.target,
        "counted_duration": explanation.counted,
        "paused_duration": paused,
        "rows": rows,
    }
    template = "tickets/console/_explain.html" if _htmx(request) else "tickets/console/explain.html"
    return render(request, template, context)


# The case page -----------------------------------------------------------------------------------


def _forms(user: User, case: Case, bound: dict[str, Form]) -> dict[str, Form]:
    """The page's action forms: unbound ones with the case's values, plus a bound failing one."""
    options = reads.escalation_options(user, case)
    allowed = [(o.line, o.label) for o in options if o.allowed]
    forms: dict[str, Form] = {
        "reply_form": ReplyForm(),
        "note_form": NoteForm(),
        "severity_form": SeverityForm(initial={"severity": case.severity}),
        "status_form": StatusForm(initial={"status": case.status}),
        "escalate_form": EscalateForm(lines=allowed),
        "tags_form": TagsForm(initial={"tags": " ".join(t.name for t in case.tags.all())}),
        "merge_form": MergeForm(),
    }
    if may_assign_others(user):
        forms["assign_form"] = AssignForm(
            people=reads.assignable_people(case), initial={"assignee": case.assignee_id}
        )
    forms.update(bound)
    return forms


def _render_case(
    request: HttpRequest, case: Case, *, bound: dict[str, Form] | None = None, status: int = 200
) -> HttpResponse:
    user = signed_in_user(request)
    now = timezone.now()
    previous, following = reads.queue_neighbours(user, case)
    context: dict[str, Any] = {
        "case": case,
        "badges": clock_badges(case, reads.case_clocks(case), now=now),
        "thread": reads.case_thread(case),
        "files": reads.case_files(case),
        "history_rows": history_rows(reads.case_history(case)),
        "escalation_options": reads.escalation_options(user, case),
        "self_escalations": case_self_escalations(case),
        "may_work": may_work(user, case),
        "may_assign_others": may_assign_others(user),
        "may_decide": decides_for_case(user, case),
        "is_assignee": case.assignee_id == user.pk,
        "is_active": not Status.is_resolved(case.status),
        "previous_id": previous,
        "next_id": following,
        "severity_definitions": SeverityForm.definitions(),
        "targets": [TargetKind.FIRST_RESPONSE, TargetKind.RESOLUTION],
    }
    context.update(_forms(user, case, bound or {}))
    return render(request, "tickets/console/case.html", context, status=status)


def console_case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/cases/<id>/ for vendor staff: the thread, history, files, clocks and every action."""
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET"})
    case = reads.console_case(signed_in_user(request), pk)
    return _render_case(request, case)


def _after_action(user: User, case_id: int, *, line: str) -> str:
    """Where an action leads: back to the case, or to its queue if the actor lost sight of it.

    An L1 agent who escalates a case to L2 may no longer see it: the case page would answer
    404, so they go back to the queue the case was in (the message says what happened).
    """
    if visible_cases(user).filter(pk=case_id).exists():
        return reverse("case-detail", args=[case_id])
    url = reverse("tickets:queues")
    if line in reads.console_lines(user):
        url += "?" + urlencode({"line": line})
    return url


def _act(
    request: HttpRequest,
    pk: int,
    *,
    form_class: Callable[..., Form],
    form_name: str,
    action: Callable[[User, Case, Form], str],
    form_kwargs: Callable[[User, Case], dict[str, Any]] | None = None,
) -> HttpResponse:
    """Run one action: parse, call the service, redirect with its message or show its error."""
    user = signed_in_user(request)
    case = reads.console_case(user, pk)
    kwargs = form_kwargs(user, case) if form_kwargs else {}
    form = form_class(request.POST, **kwargs)
    status = 400
    line_before = case.line
    if form.is_valid():
        try:
            success = action(user, case, form)
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not do this."))
            status = 403
        else:
            messages.success(request, success)
            return redirect(_after_action(user, case.pk, line=line_before))
    messages.error(request, _("Nothing was changed: see the error below."))
    case.refresh_from_db()
    return _render_case(request, access_case(user, case.pk), bound={form_name: form}, status=status)


@login_required
@require_POST
def case_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the case: it becomes the agent's (and open, if it was new)."""

    def claim(user: User, case: Case, form: Form) -> str:
        case_services.case_assign(actor=user, case=case, assignee=user)
        return _("You took case #%(n)d.") % {"n": case.pk}

    return _act(request, pk, form_class=Form, form_name="claim_form", action=claim)


@login_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor assigns the case to an agent who may work it (or to nobody)."""

    def assign(user: User, case: Case, form: Form) -> str:
        assignee = form.cleaned_data["assignee"]
        case_services.case_assign(actor=user, case=case, assignee=assignee)
        if assignee is None:
            return _("The case is unassigned.")
        return _("The case is assigned to %(who)s.") % {
            "who": assignee.get_full_name() or assignee.email
        }

    return _act(
        request,
        pk,
        form_class=AssignForm,
        form_name="assign_form",
        action=assign,
        form_kwargs=lambda user, case: {"people": reads.assignable_people(case)},
    )


@login_required
@require_POST
def case_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A public reply; "wait" and "solve" also move the case."""

    def reply(user: User, case: Case, form: Form) -> str:
        assert isinstance(form, ReplyForm)
        then = form.then_status()
        case_services.case_reply(
            actor=user, case=case, body=form.cleaned_data["body"], public=True, then_status=then
        )
        if then is not None:
            return _("Reply sent. %(status)s") % {"status": STATUS_MESSAGES[Status(then)]}
        return _("Reply sent.")

    return _act(request, pk, form_class=ReplyForm, form_name="reply_form", action=reply)


@login_required
@require_POST
def case_note(request: HttpRequest, pk: int) -> HttpResponse:
    """An internal note: never shown to the customer, does not meet the first response."""

    def note(user: User, case: Case, form: Form) -> str:
        case_services.case_reply(
            actor=user, case=case, body=form.cleaned_data["body"], public=False
        )
        return _("Internal note added.")

    return _act(request, pk, form_class=NoteForm, form_name="note_form", action=note)


@login_required
@require_POST
def case_severity(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the severity: the clocks recompute from the case's start."""

    def change(user: User, case: Case, form: Form) -> str:
        before = case.severity
        case_services.case_change_severity(
            actor=user,
            case=case,
            severity=form.cleaned_data["severity"],
            note=form.cleaned_data["note"],
        )
        if before == form.cleaned_data["severity"]:
            return _("The severity is unchanged.")
        return _("Severity changed to %(s)d; the due times are recomputed.") % {
            "s": form.cleaned_data["severity"]
        }

    return _act(request, pk, form_class=SeverityForm, form_name="severity_form", action=change)


@login_required
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Open, wait on the customer, put on hold or solve."""

    def move(user: User, case: Case, form: Form) -> str:
        status = form.cleaned_data["status"]
        case_services.case_set_status(
            actor=user, case=case, status=status, note=form.cleaned_data["note"]
        )
        return str(STATUS_MESSAGES[Status(status)])

    return _act(request, pk, form_class=StatusForm, form_name="status_form", action=move)


@login_required
@require_POST
def case_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """Escalate to L2 or engineering with a reason."""

    def escalate(user: User, case: Case, form: Form) -> str:
        line = form.cleaned_data["line"]
        escalation_services.case_escalate(
            actor=user, case=case, line=line, reason=form.cleaned_data["reason"]
        )
        return _("Case #%(n)d escalated to %(line)s.") % {"n": case.pk, "line": Line(line).label}

    def lines(user: User, case: Case) -> dict[str, Any]:
        # Every line is offered to the parser; the service refuses with the reason.
        return {"lines": [(value, label) for value, label in Line.choices]}

    return _act(
        request,
        pk,
        form_class=EscalateForm,
        form_name="escalate_form",
        action=escalate,
        form_kwargs=lines,
    )


@login_required
@require_POST
def case_tags(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the case's tags."""

    def tag(user: User, case: Case, form: Form) -> str:
        assert isinstance(form, TagsForm)
        case_services.case_set_tags(actor=user, case=case, tags=form.tag_list())
        return _("Tags saved.")

    return _act(request, pk, form_class=TagsForm, form_name="tags_form", action=tag)


@login_required
@require_POST
def case_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this duplicate into another case of the same account; it closes."""

    def merge(user: User, case: Case, form: Form) -> str:
        try:
            target = access_case(user, form.cleaned_data["target"])
        except Http404:
            number = form.cleaned_data["target"]
            raise ValidationError(
                {"target": _("There is no case #%(n)d you may see.") % {"n": number}}
            ) from None
        case_services.case_merge(actor=user, source=case, target=target)
        return _("Case #%(a)d was merged into #%(b)d.") % {"a": case.pk, "b": target.pk}

    return _act(request, pk, form_class=MergeForm, form_name="merge_form", action=merge)
