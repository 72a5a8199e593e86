"""Home page, the language switcher and the health check."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from tierdesk.accounts.models import User
from tierdesk.accounts.selectors.support import account_plan_summary, support_contacts
from tierdesk.accounts.services.people import user_language_set
from tierdesk.assistant import STAFF_URL_NAME as ASSISTANT_STAFF_URL_NAME
from tierdesk.assistant.selectors.chat_access import may_manage_assistant
from tierdesk.knowledge.views.home import help_home_context
from tierdesk.tickets.permissions import may_open_case
from tierdesk.tickets.selectors import home as case_figures
from tierdesk.tickets.selectors.cases import is_agent, sees_all_cases
from tierdesk.tickets.selectors.portal import self_service_links

from .health import health_report

# The help center's search (issue 9). Until it is routed the home shows no search box: a box
# that leads nowhere would be a promise the product does not keep.
HELP_SEARCH_URL_NAME = "knowledge:search"


def routed(url_name: str) -> str:
    """The URL of a named route, or "" while it is not routed (like web.navigation)."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The landing page, one for each role: visitors, customers, agents, supervisors."""
    user = request.user
    if not user.is_authenticated:
        # A visitor's home is the help center's (issue 9): the same page as /help/, whose
        # canonical link it carries, so search engines index one address.
        visitor = help_home_context(request)
        visitor["search_url"] = routed(HELP_SEARCH_URL_NAME)
        return render(request, "knowledge/index.html", visitor)
    context: dict[str, Any] = {
        "help_search_url": routed(HELP_SEARCH_URL_NAME),
        "self_service": self_service_links(),
        # The assistant's staff pages (conversations, unanswered questions, FAQ entries), linked
        # from the vendor's homes as their other tools are (the top bar has no room for more).
        "assistant_staff_url": (
            reverse(ASSISTANT_STAFF_URL_NAME) if may_manage_assistant(user) else ""
        ),
    }
    if user.account_id is not None and user.account is not None:
        cases, open_count = case_figures.customer_open_cases(user)
        context.update(
            home="customer",
            account=user.account,
            summary=account_plan_summary(user.account),
            contacts=support_contacts(user),
            may_open_case=may_open_case(user),
            cases=cases,
            open_count=open_count,
        )
    elif sees_all_cases(user):
        assert isinstance(user, User)
        context.update(
            home="supervisor",
            regions=case_figures.supervisor_line_figures(user, now=timezone.now()),
            escalations_url=routed("tickets:escalations"),
        )
    elif is_agent(user):
        context.update(
            home="agent",
            queues=case_figures.agent_queue_figures(user),
            nearest=case_figures.nearest_to_breach(user),
            region=user.region,
        )
    else:
        context.update(home="inactive")
    return render(request, "web/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher; for a signed-in user the choice is also saved to the profile."""
    language = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and language in dict(settings.LANGUAGES):
        user_language_set(user=user, language=language)
    return i18n.set_language(request)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the state of the database and the worker, or 503 when either is down."""
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
