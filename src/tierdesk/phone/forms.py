"""Forms of the phone console: they only parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tierdesk.tickets.choices import Severity


class TakeForm(forms.Form):
    """Where the agent answers the calls they take (kept), with the "take next call" button."""

    ring_number = forms.CharField(
        label=_("Ring me at"),
        max_length=32,
        required=False,
        help_text=_("Your phone, E.164 (+390212345678): the caller you take is connected to it."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class WrapUpForm(forms.Form):
    """Notes on the call, logged on a new case or on an existing case of the caller's account."""

    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An internal note: the customer does not see it."),
    )
    subject = forms.CharField(label=_("Subject of the new case"), max_length=200, required=False)
    case = forms.IntegerField(
        label=_("Or add to case number"),
        required=False,
        min_value=1,
        help_text=_("Empty: a new phone case."),
    )


class LogCaseForm(forms.Form):
    """A phone case an agent logs for a customer they pick (by e-mail address)."""

    customer = forms.EmailField(label=_("Customer's e-mail address"))
    subject = forms.CharField(label=_("Subject"), max_length=200)
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=Severity.choices, coerce=int, initial=3
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An internal note: the customer does not see it."),
    )


class FiguresForm(forms.Form):
    """The period of the figures: the last N days."""

    days = forms.TypedChoiceField(
        label=_("Period"),
        choices=[(1, _("Today and yesterday")), (7, _("Last 7 days")), (30, _("Last 30 days"))],
        coerce=int,
        required=False,
        empty_value=None,
    )
