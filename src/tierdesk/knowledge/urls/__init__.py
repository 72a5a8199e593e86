"""Routes of the help center, under /help/ (namespace "knowledge"): one module per part.

The parts still to come (the help-center home `knowledge:index`, `knowledge:search`, guides,
videos, the sitemap) add their module to PARTS. `<lang:language>` (urls.converters) matches
only the codes of settings.LANGUAGES.
"""

from django.urls import URLPattern, URLResolver

from . import articles, deflection, guides, home, search, videos

app_name = "knowledge"

PARTS = [home, articles, guides, videos, search, deflection]

urlpatterns: list[URLPattern | URLResolver] = [
    pattern for part in PARTS for pattern in part.urlpatterns
]
