"""The client's address, also behind reverse proxies.

Behind nginx, REMOTE_ADDR is the proxy's address: every sign-in failure and password-reset
request would count against one address, and one attacker could lock everybody out. With
CLIENT_IP_PROXY_COUNT = N, the N proxies in front of tierdesk each append the address they saw
to X-Forwarded-For, so the client is the N-th entry from the right; entries further left were
written by the client and are never trusted. Login throttling (django-axes, through
AXES_CLIENT_IP_CALLABLE) and everything that asks axes for the address use this.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client that sent the request, as far as trusted proxies tell."""
    remote = request.META.get("REMOTE_ADDR")
    hops = settings.CLIENT_IP_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
