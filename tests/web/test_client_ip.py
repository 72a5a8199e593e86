"""The client's address behind proxies: what login throttling and reset throttling count."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from tierdesk.web.client_ip import client_ip


def request(remote="10.0.0.10", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/accounts/login/", **headers)


def test_without_proxies_the_address_is_the_peers_and_forwarded_for_is_ignored(settings):
    settings.CLIENT_IP_PROXY_COUNT = 0
    assert client_ip(request(forwarded="203.0.113.9")) == "10.0.0.10"


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # What the client wrote itself (left of what the proxy appended) is never trusted.
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.9", "203.0.113.9"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Missing or malformed: fall back to the peer's address.
        (1, None, "10.0.0.10"),
        (2, "203.0.113.9", "10.0.0.10"),
        (1, "not-an-address", "10.0.0.10"),
    ],
)
def test_behind_proxies_the_client_is_the_nth_address_from_the_right(
    settings, hops, forwarded, expected
):
    settings.CLIENT_IP_PROXY_COUNT = hops
    assert client_ip(request(forwarded=forwarded)) == expected


def test_login_throttling_counts_the_client_not_the_proxy(settings):
    settings.CLIENT_IP_PROXY_COUNT = 1
    first = request(forwarded="203.0.113.9")
    second = request(forwarded="198.51.100.7")
    assert get_client_ip_address(first) == "203.0.113.9"
    assert get_client_ip_address(second) == "198.51.100.7"
