"""`tierdesk search_rebuild`: write the help center's search index again from its rows.

The services keep the index up to date; this repairs it after a change made around them (a
visibility edited in the admin's article form, rows loaded by hand or restored from a backup).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from tierdesk.knowledge.services.search import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the help center's search index from the articles, guides and videos."

    def handle(self, *args: Any, **options: Any) -> None:
        """Rebuild, then say how many entries the index has."""
        count = search_index_rebuild()
        message = ngettext(
            "Search index rebuilt: %(n)d entry.", "Search index rebuilt: %(n)d entries.", count
        )
        self.stdout.write(message % {"n": count})
