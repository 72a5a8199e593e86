"""`tierdesk load_demo`: the demo regions, accounts and users (safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tierdesk.accounts.services.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo data set: four regions, accounts on every plan, customers and staff."

    def handle(self, *args: Any, **options: Any) -> None:
        report = demo_load()
        if report.created_anything:
            made = ", ".join(f"{count} {what}" for what, count in sorted(report.created.items()))
            self.stdout.write(_("Created: %(made)s.") % {"made": made})
        else:
            self.stdout.write(_("The demo data was already loaded; nothing changed."))
        headers = (_("role"), _("e-mail"), _("account"))
        rows = [(login.role, login.email, login.account) for login in report.logins]
        widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(3)]
        for row in [headers, *rows]:
            self.stdout.write(
                "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
        self.stdout.write(
            _("Password for every demo user: %(password)s") % {"password": report.password}
        )
