"""A URL configuration for the error-page tests: the product's, plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from tierdesk.accounts.models import User
from tierdesk.config.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def denied_with_reason(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Only supervisors decide escalation requests.")


def denied_bare(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def denied_with_a_non_message(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied({"internal": "state"}, 42)


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("tampered multipart boundary")


def needs_the_database(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(User.objects.count()))


urlpatterns = [
    path("test-errors/denied-with-reason/", denied_with_reason),
    path("test-errors/denied-bare/", denied_bare),
    path("test-errors/denied-non-message/", denied_with_a_non_message),
    path("test-errors/suspicious/", suspicious),
    path("test-errors/database/", needs_the_database),
    *urlpatterns,
]
