"""Routes of the one search and of the staff's content gaps (searches that found nothing)."""

from django.urls import URLPattern, path

from ..views import search

urlpatterns: list[URLPattern] = [
    path("search/", search.search_page, name="search"),
    path("gaps/", search.gaps_page, name="gaps"),
]
