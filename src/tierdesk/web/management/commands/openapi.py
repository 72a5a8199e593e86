"""`tierdesk openapi`: write the API's OpenAPI schema, or check that a committed copy is current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

DEFAULT_FILE = "openapi.json"


def openapi_document() -> str:
    """The schema as committed: keys sorted, 2-space indent, one trailing newline."""
    from tierdesk.config.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = (
        "Print the OpenAPI schema of /api/v1/, write it with --output FILE, or with --check "
        "exit 1 when FILE (default openapi.json) differs from the code."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", metavar="FILE", help="write the schema to FILE")
        parser.add_argument(
            "--check",
            action="store_true",
            help=f"compare with FILE (--output, default {DEFAULT_FILE}) instead of writing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        document = openapi_document()
        output = options["output"]
        if options["check"]:
            path = Path(output or DEFAULT_FILE)
            try:
                committed = path.read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"cannot read {path}: {error.strerror}", returncode=2) from None
            if committed != document:
                raise CommandError(
                    f"{path} is out of date: run `tierdesk openapi --output {path}`", returncode=1
                )
            self.stdout.write(f"{path} is up to date.")
            return
        if output:
            Path(output).write_text(document, encoding="utf-8")
            self.stdout.write(f"Wrote {output}.")
        else:
            self.stdout.write(document, ending="")
