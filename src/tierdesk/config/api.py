"""The REST API under /api/v1/: one NinjaAPI, a router per app, token or session auth.

Each app that has an API defines `router` (a ninja Router) in `<app>/api.py`, and optionally
`PREFIX` (default "/"); it is found here by looking at the installed tierdesk apps, so adding an
app's API needs no change to this file.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    ValidationError,
)
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from tierdesk.accounts.services.tokens import api_token_authenticate


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer td_...` with a personal API token."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        # A token that is sent but wrong is refused outright, even with a session cookie: the
        # client meant to use that token and must learn that it no longer works.
        user = self.authenticate(request, secret.strip())
        if user is None:
            raise AuthenticationError()
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """The token's user, who also becomes `request.user` for the rest of the request."""
        user = api_token_authenticate(secret=token)
        if user is not None:
            request.user = user
        return user


class SessionCsrfAuth(APIKeyCookie):
    """The browser's Django session; unsafe methods need the CSRF token like any form."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        """The signed-in user, after the CSRF check; None without a session (answers 401)."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        # Safe methods pass; unsafe ones need the CSRF cookie and header, as a form would.
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed.")
        return user


api = NinjaAPI(
    title="tierdesk API",
    version="1",
    description="The tierdesk REST API. Authenticate with `Authorization: Bearer td_...`.",
    urls_namespace="api",
    auth=[BearerTokenAuth(), SessionCsrfAuth()],
    docs_url=None,
)


def _field_errors(error: ValidationError) -> list[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return [
            {
                "loc": ["body"] if field == NON_FIELD_ERRORS else ["body", field],
                "msg": message,
                "type": "value_error",
            }
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"loc": ["body"], "msg": message, "type": "value_error"} for message in error.messages]


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service's ValidationError: 422 in ninja's shape, with the field in `loc`."""
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(RequestDataTooBig)
def on_request_data_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 in the API's error shape, not an HTML page."""
    return api.create_response(
        request,
        {
            "detail": _("The request body is larger than %(max)d bytes.")
            % {"max": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        },
        status=413,
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """A role that may not do this: 403."""
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


def _add_app_routers() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("tierdesk."):
            continue
        module_name = f"{config.name}.api"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        api.add_router(getattr(module, "PREFIX", "/"), module.router)


_add_app_routers()
