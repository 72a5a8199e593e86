"""Importing categories.yaml and tags.yaml."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from tierdesk.accounts.models import User

from ... import kbfiles
from ...kbfiles import FormatError
from ...models import ArticleTag, Category
from ..catalogue import category_save, tag_save
from .import_files import yaml_list_read
from .import_report import ImportReport, error_text


def categories_import(
    root: Path, report: ImportReport, actor: User | None, *, create_only: bool
) -> None:
    rows = yaml_list_read(root, kbfiles.CATEGORIES_FILE, report)
    seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        where = _("%(file)s: category %(n)d") % {"file": kbfiles.CATEGORIES_FILE, "n": n}
        try:
            if not isinstance(row, dict):
                raise FormatError(_("expected a mapping"))
            slug = kbfiles.slug_check(kbfiles.text_field(row, "slug", required=True))
            where = f"{kbfiles.CATEGORIES_FILE}: {slug}"
            if slug in seen:
                raise FormatError(_("duplicate slug %(slug)r") % {"slug": slug})
            seen.add(slug)
            name = kbfiles.localized_map(row.get("name"), field="name")
            if not name.get("en"):
                raise FormatError(_("missing name (en)"))
            description = kbfiles.localized_map(row.get("description"), field="description")
            values = {
                "name_en": name.get("en", ""),
                "name_it": name.get("it", ""),
                "description_en": description.get("en", ""),
                "description_it": description.get("it", ""),
                "icon": kbfiles.text_field(row, "icon"),
                "position": kbfiles.int_field(row, "position", default=n),
            }
            if create_only and Category.objects.filter(slug=slug).exists():
                outcome: bool | None = False
            else:
                _category, outcome = category_save(slug=slug, values=values, actor=actor)
        except (FormatError, ValidationError, DatabaseError) as error:
            report.fail(where, error_text(error))
        else:
            report.add("categories", outcome)


def tags_import(root: Path, report: ImportReport, actor: User | None, *, create_only: bool) -> None:
    for n, row in enumerate(yaml_list_read(root, kbfiles.TAGS_FILE, report), start=1):
        where = _("%(file)s: tag %(n)d") % {"file": kbfiles.TAGS_FILE, "n": n}
        try:
            if not isinstance(row, dict):
                raise FormatError(_("expected a mapping"))
            slug = kbfiles.slug_check(kbfiles.text_field(row, "slug", required=True))
            where = f"{kbfiles.TAGS_FILE}: {slug}"
            name = kbfiles.text_field(row, "name")
            if create_only and ArticleTag.objects.filter(slug=slug).exists():
                outcome: bool | None = False
            else:
                _tag, outcome = tag_save(slug=slug, name=name, actor=actor)
        except (FormatError, ValidationError, DatabaseError) as error:
            report.fail(where, error_text(error))
        else:
            report.add("tags", outcome)
