"""The public site's files for search engines: /sitemap.xml and /robots.txt."""

from __future__ import annotations

from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from ..sitemaps import SITEMAPS

# Pages that are nobody's to index: the signed-in product, the staff's pages, the API.
DISALLOW = ("/admin/", "/api/", "/console/", "/cases/", "/account/", "/help/review/")


@require_safe
@cache_control(max_age=3600, public=True)
def sitemap(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the help center's public published pages (knowledge.sitemaps)."""
    response: HttpResponse = sitemap_view(request, SITEMAPS, template_name="knowledge/sitemap.xml")
    return response


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """/robots.txt: what crawlers may skip, and where the sitemap is."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
