"""Checks shared by the writes: who may write, and the languages the help center has."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from tierdesk.accounts.models import Viewer

from ..selectors.access import may_author


def author_check(actor: Viewer | None) -> None:
    """PermissionDenied unless the actor writes the help center; None is the system (imports)."""
    if actor is not None and not may_author(actor):
        raise PermissionDenied(_("Only the vendor's staff edit the help center."))


def language_check(language: str, *, field: str = "language") -> str:
    """The language if the help center has it (settings.LANGUAGES); else a ValidationError."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({field: _("Unknown language: %(code)s.") % {"code": language}})
    return language
