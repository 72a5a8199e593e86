"""Template helpers of the help center's head (knowledge/_seo.html): Open Graph locales and
absolute addresses."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from ..views.common import OG_LOCALES

register = template.Library()


@register.filter
def og_locale(language: str) -> str:
    """Open Graph's locale for a language code: `it` → `it_IT`."""
    code = (language or "").split("-")[0]
    return OG_LOCALES.get(code, code)


@register.filter
def og_other_locales(language: str) -> list[str]:
    """The Open Graph locales of the site's other languages."""
    code = (language or "").split("-")[0]
    return [og_locale(other) for other, _name in settings.LANGUAGES if other != code]


@register.simple_tag(takes_context=True)
def absolute(context: dict[str, Any], path: str) -> str:
    """The path as an absolute URL of this request's site ("" for an empty path)."""
    request = context.get("request")
    if not path or request is None:
        return path or ""
    return str(request.build_absolute_uri(path))
