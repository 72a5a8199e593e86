"""Supervisors' page of customers' escalation requests: the pending ones of their region, and
deciding one (accept: the case moves up a line; reject: with the reason)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tierdesk.accounts.models import User
from tierdesk.accounts.roles import Role

from ..forms.console import DecisionForm, add_service_errors
from ..selectors import console as reads
from ..selectors import escalations as escalation_reads
from ..services import escalations as escalation_services
from .console import signed_in_user


@login_required
@require_http_methods(["GET"])
def escalations(request: HttpRequest) -> HttpResponse:
    """/console/escalations/: pending self-escalation requests of the supervisor's region."""
    user = signed_in_user(request)
    reads.access_escalation_desk(user)
    return _render_escalations(request, user)


def _render_escalations(
    request: HttpRequest,
    user: User,
    *,
    failed: tuple[int, DecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    pending = list(escalation_reads.pending_self_escalations(user))
    rows = []
    for item in pending:
        form = failed[1] if failed and failed[0] == item.pk else DecisionForm(prefix=f"r{item.pk}")
        rows.append((item, form))
    context = {
        "rows": rows,
        "decided": escalation_reads.recent_self_escalation_decisions(user),
        "all_regions": user.region_id is None or user.role != Role.SUPERVISOR,
    }
    return render(request, "tickets/console/escalations.html", context, status=status)


@login_required
@require_POST
def escalation_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept (the case moves up a line) or reject a request, with the reason."""
    user = signed_in_user(request)
    reads.access_escalation_desk(user)
    item = escalation_reads.access_self_escalation(user, pk)
    form = DecisionForm(request.POST, prefix=f"r{item.pk}")
    status = 400
    if form.is_valid():
        try:
            escalation_services.self_escalation_decide(
                actor=user, request=item, accept=form.accepted(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        else:
            if form.accepted():
                text = _("Request on case #%(n)d accepted.")
            else:
                text = _("Request on case #%(n)d rejected.")
            messages.success(request, text % {"n": item.case_id})
            return redirect("tickets:escalations")
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    messages.error(
        request,
        _("Nothing was changed: %(error)s") % {"error": " ".join(errors)},
    )
    return _render_escalations(request, user, failed=(item.pk, form), status=status)
