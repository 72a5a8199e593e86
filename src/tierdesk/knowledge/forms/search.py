"""The search page's box and filters (GET): the shape of the input only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..models import Category
from ..models.search import SearchKind
from ..services.gaps import MAX_QUERY

# The kinds a reader filters by: a video's transcript passages count as the video.
KIND_FILTERS = {
    "article": {SearchKind.ARTICLE.value},
    "guide": {SearchKind.GUIDE.value},
    "video": {SearchKind.VIDEO.value, SearchKind.TRANSCRIPT.value},
}


class SearchForm(forms.Form):
    """What to look for, and the optional filters; a bad filter is an error on its field."""

    q = forms.CharField(
        label=_("Search the help center"),
        max_length=MAX_QUERY,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": _("Search articles, guides and videos"),
                "enterkeyhint": "search",
            }
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[
            ("", _("Everything")),
            ("article", _("Articles")),
            ("guide", _("Guides")),
            ("video", _("Videos")),
        ],
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [("", _("All categories"))] + [
            (c.slug, c.name) for c in categories
        ]
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [("", _("All languages"))] + [
            (code, name) for code, name in settings.LANGUAGES
        ]

    def kinds(self) -> set[str] | None:
        """The search's `kinds` for the chosen filter (None: every kind)."""
        kind = self.cleaned_data.get("kind") or ""
        return KIND_FILTERS.get(kind)
