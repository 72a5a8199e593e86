"""`tierdesk load_demo`: the demo regions, accounts, users and cases (safe to run again)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from tierdesk.accounts.services.demo import demo_load
from tierdesk.accounts.services.support_numbers import demo_support_numbers_load
from tierdesk.assistant.services.faq_demo import demo_faq_load
from tierdesk.community.services.forum_demo import demo_forum_load
from tierdesk.knowledge.services.demo_content import demo_help_center_load
from tierdesk.tickets.services.demo_cases import demo_cases_load


class Command(BaseCommand):
    help = (
        "Load the demo data set: four regions with their support numbers, accounts on every "
        "plan, customers and staff, cases in every state, the help center, the assistant's "
        "FAQ entries and the community's threads."
    )

    def _table(self, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
        for row in [headers, *rows]:
            self.stdout.write(
                "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            report = demo_load()
            numbers = demo_support_numbers_load()
            cases = demo_cases_load()
            help_center = demo_help_center_load()
            faq_entries = demo_faq_load()  # after the help center: entries link its articles
            forum_threads = demo_forum_load()  # after the users: they ask and answer
        if numbers:
            report.created["support numbers"] = numbers
        if cases.created:
            report.created["cases"] = cases.created
        if help_center.created or help_center.changed:
            report.created["help-center items"] = help_center.created + help_center.changed
        if faq_entries:
            report.created["assistant FAQ entries"] = faq_entries
        if forum_threads:
            report.created["community threads"] = forum_threads
        if report.created_anything:
            made = ", ".join(f"{count} {what}" for what, count in sorted(report.created.items()))
            self.stdout.write(_("Created: %(made)s.") % {"made": made})
        else:
            self.stdout.write(_("The demo data was already loaded; nothing changed."))
        self._table(
            (_("role"), _("e-mail"), _("account")),
            [(login.role, login.email, login.account) for login in report.logins],
        )
        self.stdout.write(
            _("Password for every demo user: %(password)s") % {"password": report.password}
        )
        self.stdout.write("")
        self.stdout.write(
            _("Where to look: /cases/<number>/ signed in as the customer or the agent below.")
        )
        self._table(
            (_("state"), _("case"), _("customer"), _("agent")),
            [(link.state, f"#{link.case_id}", link.customer, link.agent) for link in cases.links],
        )
