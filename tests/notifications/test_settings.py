"""The outbox's and links' settings are declared, read from the environment, and read directly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tierdesk.notifications.services import case_url, lease, max_attempts, send_timeout

SRC = Path(__file__).resolve().parents[2] / "src" / "tierdesk"

DECLARED = {
    "OUTBOX_MAX_ATTEMPTS": ("3", 3),
    "OUTBOX_LEASE_SECONDS": ("600", 600),
    "OUTBOX_SEND_TIMEOUT_SECONDS": ("30", 30),
    "NOTIFICATIONS_CASE_PATH": ("/desk/{case_id}", "/desk/{case_id}"),
    "SITE_URL": ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
    "PASSWORD_RESET_MAX_PER_ADDRESS": ("7", 7),
    "PASSWORD_RESET_MAX_PER_IP": ("9", 9),
    "PASSWORD_RESET_WINDOW_SECONDS": ("60", 60),
}


def _settings_in_a_fresh_process(tmp_path: Path, env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {sorted(DECLARED)!r}}}))"
    )
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in DECLARED and key != "DJANGO_SETTINGS_MODULE"
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="tierdesk.config.settings",
        TIERDESK_DATA_DIR=str(tmp_path),
        SECRET_KEY="test",
        **env,
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_setting_is_declared_with_its_default(tmp_path):
    values = _settings_in_a_fresh_process(tmp_path, {})
    assert values["OUTBOX_MAX_ATTEMPTS"] == 8
    assert values["OUTBOX_LEASE_SECONDS"] == 300
    assert values["OUTBOX_SEND_TIMEOUT_SECONDS"] == 60
    assert values["NOTIFICATIONS_CASE_PATH"] == "/cases/{case_id}/"
    assert values["SITE_URL"] == "http://127.0.0.1:8000"


def test_the_environment_sets_them(tmp_path):
    """`tierdesk serve` exports SITE_URL=http://<host>:<port> to its children: links follow it."""
    values = _settings_in_a_fresh_process(
        tmp_path, {name: raw for name, (raw, _value) in DECLARED.items()}
    )
    assert values == {name: value for name, (_raw, value) in DECLARED.items()}


def test_a_send_timeout_not_under_the_lease_is_refused(tmp_path):
    code = "from django.conf import settings; settings.OUTBOX_LEASE_SECONDS"
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tierdesk.config.settings",
        "TIERDESK_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "test",
        "OUTBOX_LEASE_SECONDS": "60",
        "OUTBOX_SEND_TIMEOUT_SECONDS": "60",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "OUTBOX_SEND_TIMEOUT_SECONDS" in done.stderr


def test_the_outbox_reads_the_settings(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_LEASE_SECONDS = 90
    settings.OUTBOX_SEND_TIMEOUT_SECONDS = 10
    settings.SITE_URL = "https://desk.example"
    settings.NOTIFICATIONS_CASE_PATH = "/c/{case_id}"
    assert max_attempts() == 3
    assert lease().total_seconds() == 90
    assert send_timeout() == 10
    assert case_url(5) == "https://desk.example/c/5"


def test_no_setting_is_read_with_a_silent_default():
    """`getattr(settings, NAME, default)` hides a setting nobody declared: declare it instead."""
    pattern = re.compile(r"getattr\(\s*(?:django_)?settings\s*,")
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(DECLARED))
def test_the_settings_are_in_the_readme(name):
    readme = (SRC.parents[1] / "README.md").read_text()
    assert f"`{name}`" in readme
    assert hasattr(settings, name)
