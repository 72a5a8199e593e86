"""Routes of deflection: the case form's suggestions, their click-through, the console's
article picker, and the staff's figure."""

from django.urls import URLPattern, path

from ..views import deflection
from .converters import LANG

urlpatterns: list[URLPattern] = [
    path("suggestions/", deflection.case_form_suggestions, name="suggestions"),
    path(
        f"suggested/<{LANG}:language>/<slug:slug>/",
        deflection.suggestion_open,
        name="suggestion-open",
    ),
    path("picker/", deflection.article_picker, name="article-picker"),
    path("deflection/", deflection.deflection_page, name="deflection"),
]
