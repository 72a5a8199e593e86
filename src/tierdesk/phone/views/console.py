"""The phone console: the live queue (htmx), take the next call, wrap up, transfer, log a case;
and the supervisors' figures. Thin: forms parse, services decide.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tierdesk.accounts.models import User
from tierdesk.tickets.forms.console import add_service_errors
from tierdesk.tickets.selectors.cases import access_case, sees_all_cases

from ..forms import FiguresForm, LogCaseForm, TakeForm, WrapUpForm
from ..models import QueueEntry
from ..selectors import calls as reads
from ..services import agents

POLL_SECONDS = 5


def _agent(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not reads.agent_lines(user):
        raise PermissionDenied(_("The phone console is for agents who answer a phone line."))
    return user


def _queue_context(agent: User) -> dict[str, Any]:
    now = timezone.now()
    rows = reads.waiting_order(reads.agent_entries(agent))
    return {"rows": rows, "now": now, "poll_seconds": POLL_SECONDS}


def _page(request: HttpRequest, agent: User, **extra: Any) -> HttpResponse:
    open_calls = reads.open_calls_of(agent)
    context = {
        **_queue_context(agent),
        "open_calls": [
            (entry, extra.get("wrap_forms", {}).get(entry.pk) or WrapUpForm(prefix=f"c{entry.pk}"))
            for entry in open_calls
        ],
        "may_transfer": {entry.pk: agents.may_transfer(entry) for entry in open_calls},
        "log_form": extra.get("log_form") or LogCaseForm(),
        "take_form": extra.get("take_form")
        or TakeForm(initial={"ring_number": agents.ring_number_of(agent)}),
    }
    return render(request, "phone/console.html", context, status=extra.get("status", 200))


@login_required
@require_safe
def phone_console(request: HttpRequest) -> HttpResponse:
    """/console/phone/: the live queue, the agent's open calls and their wrap-up forms."""
    agent = _agent(request)
    agents.presence_touch(agent=agent)
    return _page(request, agent)


@login_required
@require_safe
def phone_queue(request: HttpRequest) -> HttpResponse:
    """The queue table, polled by htmx every few seconds (it also marks the agent present)."""
    agent = _agent(request)
    agents.presence_touch(agent=agent)
    return render(request, "phone/_queue.html", _queue_context(agent))


@login_required
@require_POST
def phone_take(request: HttpRequest) -> HttpResponse:
    """Keep the "ring me at" number (when posted); then take the next call by the queue's order
    (the "save" button only keeps the number). Without a number the take is refused."""
    agent = _agent(request)
    form = TakeForm(request.POST)
    if not form.is_valid():
        return _page(request, agent, take_form=form, status=400)
    if "ring_number" in request.POST:
        try:
            number = agents.ring_number_set(agent=agent, number=form.cleaned_data["ring_number"])
        except ValidationError as error:
            add_service_errors(form, error)
            return _page(request, agent, take_form=form, status=400)
        if "save" in request.POST:
            if number:
                messages.success(
                    request, _("Calls you take ring at %(number)s.") % {"number": number}
                )
            else:
                messages.info(request, _("Your number is removed: you take no call without one."))
            return redirect("phone:console")
    try:
        entry = agents.call_take_next(agent=agent)
    except agents.NoRingNumber as error:
        add_service_errors(form, ValidationError({"ring_number": error.messages}))
        return _page(request, agent, take_form=form, status=400)
    if entry is None:
        messages.info(request, _("No call is waiting."))
    else:
        messages.success(
            request,
            _("You took the call from %(number)s.") % {"number": entry.call.from_number}
            if entry.kind == QueueEntry.Kind.CALLBACK
            else _("You took the call from %(number)s: it rings at your number shortly.")
            % {"number": entry.call.from_number},
        )
    return redirect("phone:console")


def _own_entry(agent: User, pk: int) -> QueueEntry:
    entry = (
        QueueEntry.objects.select_related("call__account", "region")
        .filter(pk=pk, agent=agent)
        .first()
    )
    if entry is None:
        raise Http404(_("No such call of yours."))
    return entry


@login_required
@require_POST
def phone_wrap_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Log the call's notes on a new or existing case."""
    agent = _agent(request)
    entry = _own_entry(agent, pk)
    form = WrapUpForm(request.POST, prefix=f"c{entry.pk}")
    if form.is_valid():
        case = None
        if form.cleaned_data["case"]:
            try:
                case = access_case(agent, form.cleaned_data["case"])
            except Http404:
                form.add_error("case", _("No such case."))
        if not form.errors:
            try:
                case = agents.call_wrap_up(
                    agent=agent,
                    entry=entry,
                    notes=form.cleaned_data["notes"],
                    subject=form.cleaned_data["subject"],
                    case=case,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                link = format_html(
                    '<a href="{}">#{}</a>', reverse("case-detail", args=[case.pk]), case.pk
                )
                messages.success(
                    request, format_html(_("The call is logged on case {case}."), case=link)
                )
                return redirect("phone:console")
    return _page(request, agent, wrap_forms={entry.pk: form}, status=400)


@login_required
@require_POST
def phone_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the caller to the second line."""
    agent = _agent(request)
    entry = _own_entry(agent, pk)
    try:
        agents.call_transfer(agent=agent, entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The call waits for the second line."))
    return redirect("phone:console")


@login_required
@require_POST
def phone_log_case(request: HttpRequest) -> HttpResponse:
    """Log a phone case for a customer the agent picks."""
    agent = _agent(request)
    form = LogCaseForm(request.POST)
    if form.is_valid():
        customer = User.objects.filter(
            email__iexact=form.cleaned_data["customer"], account__isnull=False, is_active=True
        ).first()
        if customer is None:
            form.add_error("customer", _("No active customer has this e-mail address."))
        else:
            try:
                case = agents.phone_case_log(
                    agent=agent,
                    requester=customer,
                    subject=form.cleaned_data["subject"],
                    notes=form.cleaned_data["notes"],
                    severity=form.cleaned_data["severity"],
                )
            except (ValidationError, PermissionDenied) as error:
                if isinstance(error, ValidationError):
                    add_service_errors(form, error)
                else:
                    form.add_error(None, str(error))
            else:
                messages.success(request, _("Case #%(case)d is logged.") % {"case": case.pk})
                return redirect("case-detail", case.pk)
    return _page(request, agent, log_form=form, status=400)


@login_required
@require_safe
def phone_figures(request: HttpRequest) -> HttpResponse:
    """/console/phone/figures/: waits, abandons, callbacks, handled calls per region and line."""
    user = request.user
    if not isinstance(user, User) or not sees_all_cases(user):
        raise PermissionDenied(_("The phone figures are for supervisors."))
    form = FiguresForm(request.GET)
    if not form.is_valid():  # ?days=abc or 999: the form's error, as the other console filters
        return render(request, "phone/figures.html", {"form": form, "days": 7}, status=400)
    days = form.cleaned_data["days"] or 7
    rows = reads.phone_figures(since=timezone.now() - timedelta(days=days))
    return render(request, "phone/figures.html", {"form": form, "rows": rows, "days": days})
