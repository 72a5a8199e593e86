import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tierdesk.web.management.commands.openapi import openapi_document

COMMITTED = Path(__file__).resolve().parents[1] / "openapi.json"


def test_the_committed_openapi_json_is_up_to_date():
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document(), (
        "openapi.json is out of date: run `tierdesk openapi --output openapi.json`"
    )


def test_the_document_is_sorted_indented_and_ends_with_a_newline():
    document = openapi_document()
    assert document.endswith("}\n") and not document.endswith("\n\n")
    assert document == json.dumps(json.loads(document), sort_keys=True, indent=2) + "\n"


def test_the_schema_documents_both_ways_to_authenticate_and_every_endpoint():
    schema = json.loads(openapi_document())
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["BearerTokenAuth"].items()
    assert schemes["SessionCsrfAuth"]["in"] == "cookie"
    assert {
        "/api/v1/me",
        "/api/v1/account",
        "/api/v1/account/users",
        "/api/v1/account/users/invitations",
        "/api/v1/account/users/{user_id}",
        "/api/v1/account/pin/rotate",
        "/api/v1/me/tokens",
        "/api/v1/me/tokens/{token_id}",
    } <= set(schema["paths"])


def test_check_passes_on_a_current_file_and_fails_on_a_stale_one(tmp_path, capsys):
    current = tmp_path / "openapi.json"
    call_command("openapi", "--output", str(current))
    call_command("openapi", "--check", "--output", str(current))
    assert "up to date" in capsys.readouterr().out
    current.write_text(current.read_text().replace('"1"', '"0"', 1))
    with pytest.raises(CommandError, match="out of date") as caught:
        call_command("openapi", "--check", "--output", str(current))
    assert caught.value.returncode == 1


def test_check_of_a_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read") as caught:
        call_command("openapi", "--check", "--output", str(tmp_path / "missing.json"))
    assert caught.value.returncode == 2


def test_without_output_the_schema_goes_to_stdout(capsys):
    call_command("openapi")
    assert capsys.readouterr().out == openapi_document()
