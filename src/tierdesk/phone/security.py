"""The provider's request signatures (X-Twilio-Signature), checked with the `twilio` package."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.http import HttpRequest
from twilio.request_validator import RequestValidator


def auth_token() -> str:
    """The configured auth token (PHONE_AUTH_TOKEN); empty: nothing validates."""
    return str(settings.PHONE_AUTH_TOKEN or "")


def signed_url(request: HttpRequest) -> str:
    """The URL the provider signed: PHONE_WEBHOOK_BASE_URL + path when set, else the request's."""
    base = str(settings.PHONE_WEBHOOK_BASE_URL or "").rstrip("/")
    if base:
        return base + request.get_full_path()
    return request.build_absolute_uri()


def request_is_signed(request: HttpRequest) -> bool:
    """Whether the request carries a valid signature of the configured token."""
    token = auth_token()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    params = {key: request.POST.get(key, "") for key in request.POST}
    return bool(RequestValidator(token).validate(signed_url(request), params, signature))


def sign(url: str, params: Mapping[str, str], token: str | None = None) -> str:
    """The signature the provider would send for a POST of `params` to `url`."""
    return str(RequestValidator(token or auth_token()).compute_signature(url, dict(params)))
