"""The thin `tierdesk sla` management command (needs Django settings: skipped without them)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("DJANGO_SETTINGS_MODULE"), reason="Django settings are not configured"
)


def test_command_delegates_to_the_cli(tmp_path: Path) -> None:
    from django.core.management import call_command

    path = tmp_path / "utc.json"
    path.write_text(json.dumps({"timezone": "UTC", "weekly": {"mon": [["09:00", "17:00"]]}}))
    out = io.StringIO()
    call_command(
        "sla",
        "due",
        "--calendar",
        str(path),
        "--start",
        "2026-03-02T09:00Z",
        "--minutes",
        "60",
        stdout=out,
    )
    assert out.getvalue() == "2026-03-02T10:00:00+00:00\n"


def test_command_exits_with_status_2_on_bad_input(tmp_path: Path) -> None:
    from django.core.management import call_command

    err = io.StringIO()
    with pytest.raises(SystemExit) as info:
        call_command("sla", "due", "--calendar", str(tmp_path / "missing.json"), stderr=err)
    assert info.value.code == 2
    assert err.getvalue().startswith("error: due: missing --start")
