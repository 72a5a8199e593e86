"""Helpers of the forum's views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def service_error(request: HttpRequest, exc: ValidationError) -> None:
    """A service's refusal as one toast."""
    for text in exc.messages:
        messages.error(request, text)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
