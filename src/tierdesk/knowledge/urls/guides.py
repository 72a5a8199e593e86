"""Routes of the guides: the list, a guide's table of contents, and a chapter."""

from django.urls import URLPattern, path

from ..views import guides

urlpatterns: list[URLPattern] = [
    path("guides/", guides.guide_list_page, name="guides"),
    path("guides/<slug:slug>/", guides.guide_page, name="guide"),
    path("guides/<slug:slug>/<slug:chapter>/", guides.chapter_view, name="guide-chapter"),
]
