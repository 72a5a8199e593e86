"""Home page, the language switcher and the health check."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tierdesk.accounts.models import User
from tierdesk.accounts.services.people import user_language_set

from .health import health_report


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The landing page."""
    return render(request, "web/home.html")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher; for a signed-in user the choice is also saved to the profile."""
    language = request.POST.get("language", "")
    user = request.user
    if isinstance(user, User) and language in dict(settings.LANGUAGES):
        user_language_set(user=user, language=language)
    return i18n.set_language(request)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the state of the database and the worker, or 503 when either is down."""
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
