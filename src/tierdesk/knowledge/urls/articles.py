"""Routes of the reader's category and article pages and of the staff's history and reviews."""

from django.urls import URLPattern, path

from ..views import articles, staff
from .converters import LANG

ARTICLE = f"<{LANG}:language>/<slug:slug>/"

urlpatterns: list[URLPattern] = [
    path("c/<slug:slug>/", articles.category_page, name="category"),
    path("review/", staff.review_list, name="reviews"),
    path("review/<int:pk>/done/", staff.review_done, name="review-done"),
    path(ARTICLE, articles.article_page, name="article"),
    path(f"{ARTICLE}feedback/", articles.article_feedback, name="feedback"),
    path(f"{ARTICLE}history/", staff.version_history, name="versions"),
    path(
        f"{ARTICLE}history/<int:number>/restore/",
        staff.version_restore_page,
        name="version-restore",
    ),
]
