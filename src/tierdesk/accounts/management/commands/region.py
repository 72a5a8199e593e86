"""`tierdesk region list | export CODE [--output FILE] | import CODE FILE`: region calendars."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from tierdesk.accounts.selectors.regions import (
    access_region,
    calendar_json_text,
    region_calendar_export,
    region_list,
)
from tierdesk.accounts.services.calendars import region_calendar_import
from tierdesk.sla.calendar_spec import CalendarSpecError


class Command(BaseCommand):
    help = "List support regions, or export / import a region's calendar as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="List the support regions.")
        export = actions.add_parser("export", help="Print a region's calendar as JSON.")
        export.add_argument("code", help="The region's code, e.g. it.")
        export.add_argument("--output", "-o", help="Write to this file instead of stdout.")
        load = actions.add_parser("import", help="Replace a region's calendar from a JSON file.")
        load.add_argument("code", help="The region's code, e.g. it.")
        load.add_argument("file", help="The JSON file ('-' reads stdin).")
        load.add_argument(
            "--keep-windows",
            action="store_true",
            help="Keep the region's weekly windows; import only the time zone and dates.",
        )

    def fail(self, message: str) -> NoReturn:
        """Print a one-line error and exit with status 2 (nothing has been changed)."""
        self.stderr.write(_("error: %(message)s") % {"message": " ".join(message.split())})
        raise SystemExit(2)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "list":
            self.list_regions()
            return
        try:
            region = access_region(code=options["code"])
        except Http404 as error:
            self.fail(str(error))
        if action == "export":
            try:
                text = calendar_json_text(region_calendar_export(region))
            except CalendarSpecError as error:
                self.fail(
                    _("the stored calendar of %(region)s is inconsistent: %(error)s")
                    % {"region": region.code, "error": error}
                )
            if options["output"]:
                try:
                    Path(options["output"]).write_text(text, encoding="utf-8")
                except OSError as error:
                    self.fail(f"{options['output']}: {error.strerror}")
            else:
                self.stdout.write(text, ending="")
            return
        data = self.read_json(options["file"])
        try:
            report = region_calendar_import(
                region=region, data=data, replace_windows=not options["keep_windows"]
            )
        except CalendarSpecError as error:
            self.fail(f"{options['file']}: {error}")
        self.stdout.write(
            _(
                "Imported into %(region)s: %(windows)d weekly windows, %(closed)d closed dates"
                " (%(extra)d of them holidays not in the data set), %(open)d open dates."
            )
            % {
                "region": region.code,
                "windows": report.windows,
                "closed": report.closed,
                "extra": report.imported_holidays,
                "open": report.open,
            }
        )

    def read_json(self, name: str) -> Any:
        """The decoded JSON of a file (or stdin for '-'); exits with status 2 on error."""
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else str(error)
            self.fail(f"{name}: {reason}")
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            self.fail(_("%(file)s: not JSON (%(reason)s)") % {"file": name, "reason": str(error)})

    def list_regions(self) -> None:
        """One line a region: code, name, time zone, holidays and territories."""
        for region in region_list():
            holidays = "-".join(
                part for part in (region.holiday_country, region.holiday_subdivision) if part
            )
            territories = ", ".join(str(t) for t in region.territories.all())
            self.stdout.write(
                f"{region.code}\t{region.name}\t{region.time_zone}\t{holidays or '-'}\t"
                f"{territories or '-'}"
            )
