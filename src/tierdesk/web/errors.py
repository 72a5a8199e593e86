"""The error pages: 400, 403, 404, 500 and the CSRF failure, in the product's layout.

Django calls these for the errors no view handled (config/urls.py names them as handler400...,
settings name csrf_failure as CSRF_FAILURE_VIEW). Each says what happened and where to go next,
in the visitor's language. The 500 page renders from a template that queries nothing and needs no
request context: it must work when the database is what failed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.utils.functional import Promise
from django.views.decorators.csrf import requires_csrf_token

# A reason longer than this is not a sentence written for people: it is not shown.
MAX_REASON_LENGTH = 300


def permission_reason(exception: Exception | None) -> str:
    """The message a view or service gave its PermissionDenied, when it wrote one for people.

    The code's convention: PermissionDenied(_("You may not work this case.")) carries one
    translated sentence meant for the user; a bare PermissionDenied (Django's, the admin's)
    carries none, and nothing else (another exception, several arguments) is shown.
    """
    if not isinstance(exception, PermissionDenied) or len(exception.args) != 1:
        return ""
    message = exception.args[0]
    if not isinstance(message, str | Promise):
        return ""
    text = str(message).strip()
    return text if len(text) <= MAX_REASON_LENGTH else ""


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: the request itself was malformed (a bad header, a broken form submission)."""
    return render(request, "web/errors/400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403, with the reason the code gave when it gave one for people."""
    return render(
        request, "web/errors/403.html", {"reason": permission_reason(exception)}, status=403
    )


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404. The exception's text is never shown: it names models and lookups."""
    return render(request, "web/errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, rendered without the request: no context processor, no session, no database."""
    template = loader.get_template("web/errors/500.html")
    return HttpResponseServerError(template.render({}))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form whose CSRF check failed: usually an expired page or blocked cookies."""
    return render(
        request,
        "web/errors/403_csrf.html",
        {"no_cookie": reason == REASON_NO_CSRF_COOKIE},
        status=403,
    )
