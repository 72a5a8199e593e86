"""Forms of the customer portal: they check the shape of the input; services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import User

from ..choices import SEVERITY_DEFINITIONS, EscalationReason, Severity, Status
from ..services.cases import MAX_BODY, MAX_SUBJECT

MAX_SEARCH = 200


def _severity_label(label: Any, definition: Any) -> SafeString:
    """A severity's name with its definition under it, as one radio button's label."""
    if not definition:
        return format_html("{}", label)
    return format_html(
        '<span class="fw-semibold">{}</span><span class="d-block form-text mt-0">{}</span>',
        label,
        definition,
    )


class PeopleField(forms.ModelMultipleChoiceField):
    """Users shown by name and e-mail address."""

    def label_from_instance(self, obj: Any) -> str:
        """The name and address (Ada Lovelace <ada@example.com>), or the address alone."""
        name = obj.get_full_name()
        return f"{name} <{obj.email}>" if name else str(obj.email)


class CaseOpenForm(forms.Form):
    """A customer opens a case: subject, description, severity, people to CC, a file."""

    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happens, what you expected, and what you tried. Markdown is allowed."),
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    cc = PeopleField(
        label=_("CC"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Colleagues who should follow this case."),
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)

    def __init__(self, *args: Any, colleagues: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        severity = self.fields["severity"]
        assert isinstance(severity, forms.ChoiceField)
        # Each severity's label carries the seed's definition, built here (not at import) so
        # that both are in the language of the request.
        severity.choices = [
            (value, _severity_label(label, SEVERITY_DEFINITIONS.get(value)))
            for value, label in Severity.choices
        ]
        cc = self.fields["cc"]
        assert isinstance(cc, forms.ModelMultipleChoiceField)
        cc.queryset = colleagues
        # The field stays even without choices, so a forged CC is refused rather than ignored.
        self.has_colleagues = colleagues.exists()


class ReplyForm(forms.Form):
    """A customer's reply, with an optional file."""

    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown is allowed."),
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)


class SelfEscalationForm(forms.Form):
    """A customer asks for a case to be escalated, with one of the seed's reasons."""

    reason = forms.ChoiceField(
        label=_("Reason"), choices=EscalationReason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CaseFilterForm(forms.Form):
    """The filters of the case list; an invalid value is reported and ignored."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=[("", _("Any severity")), *Severity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    q = forms.CharField(
        label=_("Search"),
        max_length=MAX_SEARCH,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Number, subject or text")}),
    )
