"""The staff's FAQ entry form (the staff pages' editor; the writes go through services.faq)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class FaqEntryForm(forms.Form):
    """A question, its other wordings, the answer in markdown, its language, published or not."""

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
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    published = forms.BooleanField(label=_("Published"), required=False, initial=True)
