"""The forum's forms: ask, reply, edit, flag, and the moderators' thread actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from ..models import FlagReason, ForumCategory


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Up to MAX_IMAGES_PER_POST files; the services check each one's content."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleImageInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(ImagesField, self).clean(item, initial) for item in files]


IMAGES_HELP = _("Up to 4 PNG, JPEG, GIF or WebP images, 2 MB each.")
BODY_HELP = _(
    "Markdown: **bold**, `code`, ``` for code blocks, links. Mention someone with @[Name]."
)


class ThreadForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ForumCategory.objects.all(), empty_label=None
    )
    title = forms.CharField(
        label=_("Your question in one line"),
        max_length=200,
        # Similar threads while the title is typed: htmx sends the field's own value.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "hx-get": reverse_lazy("community:similar"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#similar",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        ),
    )
    body = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 8}), help_text=BODY_HELP
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=_("Up to five, separated by commas."),
    )
    images = ImagesField(label=_("Images"), help_text=IMAGES_HELP)

    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}), help_text=BODY_HELP
    )
    images = ImagesField(label=_("Images"), help_text=IMAGES_HELP)


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=FlagReason.choices)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class ThreadModerationForm(forms.Form):
    ACTIONS = [
        ("lock", _("Lock")),
        ("unlock", _("Unlock")),
        ("move", _("Move to the category")),
        ("merge", _("Merge into the thread number")),
        ("duplicate", _("Close as a duplicate of the thread number")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ForumCategory.objects.all(), required=False
    )
    target = forms.IntegerField(label=_("Thread number"), required=False, min_value=1)
    note = forms.CharField(label=_("Note for the log"), max_length=300, required=False)
