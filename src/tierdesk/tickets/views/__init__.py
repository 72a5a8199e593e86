"""Pages of cases: the customer portal and the agent console share one case address."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from ..selectors.cases import is_agent


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/cases/<id>/: the console's case page for vendor staff, the portal's for customers."""
    if is_agent(request.user):
        from .console import console_case_detail

        return console_case_detail(request, pk)
    from .portal import portal_case_detail

    return portal_case_detail(request, pk)
