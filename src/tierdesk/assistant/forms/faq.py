"""The staff's FAQ entry form (the staff pages' editor; the writes go through services.faq)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tierdesk.knowledge.models import ArticleTranslation


def article_choices() -> list[tuple[str, str]]:
    """Every article by title (its English title, else its first), for the linked-article list."""
    titles: dict[int, str] = {}
    rows = ArticleTranslation.objects.order_by("article_id", "language").values_list(
        "article_id", "language", "title"
    )
    for article_id, language, title in rows:
        if article_id not in titles or language == "en":
            titles[article_id] = title
    ordered = sorted(titles.items(), key=lambda item: item[1].casefold())
    return [("", "—"), *((str(pk), title) for pk, title in ordered)]


class FaqEntryForm(forms.Form):
    """A question, its other wordings, the answer in markdown, an optional linked article, its
    language, published or not."""

    question = forms.CharField(label=_("Question"), max_length=300)
    phrasings = forms.CharField(
        label=_("Other wordings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Other ways people ask this question, one a line."),
    )
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}), help_text=_("Markdown.")
    )
    article = forms.TypedChoiceField(
        label=_("Linked article"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("An article that says more; the answer links to it."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    published = forms.BooleanField(label=_("Published"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = article_choices()  # type: ignore[attr-defined]
