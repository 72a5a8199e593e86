"""Production settings: `check --deploy` is clean with the documented environment; HTTPS rules."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# The production environment of docs/deploy.md, less what only a real deployment has.
PRODUCTION = {
    "ALLOWED_HOSTS": "support.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://support.example.com",
    "SITE_URL": "https://support.example.com",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "CONN_MAX_AGE": "60",
    "CONN_HEALTH_CHECKS": "true",
    "WHITENOISE_USE_FINDERS": "false",
    "CLIENT_IP_PROXY_COUNT": "1",
}


def run_tierdesk(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", *PRODUCTION}
    }
    clean.update(
        TIERDESK_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SETTINGS_MODULE="tierdesk.config.settings",
        **env,
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tierdesk", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    result = run_tierdesk(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_without_it(tmp_path):
    result = run_tierdesk(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_a_malformed_setting_is_a_one_line_error(tmp_path):
    result = run_tierdesk(tmp_path, "check", SECURE_HSTS_SECONDS="a year")
    assert result.returncode == 2
    assert result.stderr == "error: SECURE_HSTS_SECONDS: expected an integer, got 'a year'\n"


def test_the_proxy_header_setting_reads_a_name_and_an_optional_value(tmp_path):
    show = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    default = run_tierdesk(tmp_path, "shell", "-v", "0", "-c", show)
    named = run_tierdesk(
        tmp_path, "shell", "-v", "0", "-c", show, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"
    )
    valued = run_tierdesk(
        tmp_path, "shell", "-v", "0", "-c", show, SECURE_PROXY_SSL_HEADER="HTTP_X_SCHEME,on"
    )
    assert default.stdout.strip() == "None"
    assert named.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert valued.stdout.strip() == "('HTTP_X_SCHEME', 'on')"


@pytest.fixture
def https_settings(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    return settings


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https_so_load_balancers_can_probe_it(client, https_settings):
    response = client.get("/healthz")
    assert response.status_code in (200, 503)
    assert response.json()["database"]["ok"] is True


@pytest.mark.django_db
def test_other_pages_are_redirected_and_https_through_the_proxy_gets_hsts(client, https_settings):
    plain = client.get("/", headers={"host": "127.0.0.1"})
    assert plain.status_code == 301
    assert plain["Location"] == "https://127.0.0.1/"
    proxied = client.get("/", headers={"x-forwarded-proto": "https"})
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=3600"
