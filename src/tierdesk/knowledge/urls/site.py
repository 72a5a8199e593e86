"""Routes at the site's root for search engines: /sitemap.xml and /robots.txt (no namespace)."""

from django.urls import URLPattern, path

from ..views import site

urlpatterns: list[URLPattern] = [
    path("sitemap.xml", site.sitemap, name="sitemap"),
    path("robots.txt", site.robots_txt, name="robots"),
]
