"""Forms of the agent console: they only parse input; the services decide and validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

from tierdesk.accounts.models import SupportRegion, User

from ..choices import SEVERITY_DEFINITIONS, Severity, Status
from ..services.cases import MAX_BODY


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(target, message)


def _by_display_name(region: SupportRegion) -> str:
    return region.display_name.casefold()


class QueueFilterForm(forms.Form):
    """Which queue to show: a line the user works, a region (or all), a page."""

    line = forms.ChoiceField(label=_("Line"), required=False)
    region = forms.CharField(
        label=_("Region"), required=False, widget=forms.Select(attrs={"id": "queue-region"})
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1)

    def __init__(
        self,
        data: Any,
        *,
        lines: list[str],
        regions: QuerySet[SupportRegion],
        default_region: int | None,
    ) -> None:
        if data is not None and not data.get("region") and default_region is not None:
            # The select shows the region the queue shows: the user's own unless asked.
            data = data.copy()
            data["region"] = str(default_region)
        super().__init__(data)
        from ..choices import Line

        line_field = self.fields["line"]
        assert isinstance(line_field, forms.ChoiceField)
        line_field.choices = [(line, Line(line).label) for line in lines]
        self.regions = regions
        region_widget = self.fields["region"].widget
        assert isinstance(region_widget, forms.Select)
        # Lazy: an htmx poll of the table never renders the select, so never reads the regions.
        # Names in the reader's language (SupportRegion.display_name, as every other page),
        # in that language's order.
        region_widget.choices = CallableChoiceIterator(
            lambda: [
                ("all", _("All regions")),
                *((str(r.pk), r.display_name) for r in sorted(regions, key=_by_display_name)),
            ]
        )
        self.default_line = lines[0] if lines else ""
        self.default_region = default_region

    def clean_line(self) -> str:
        """The first line the user works when none is asked for."""
        return str(self.cleaned_data.get("line") or self.default_line)

    def clean_region(self) -> int | None:
        """A region id; "all" (None) for every region; the user's own region by default."""
        value = (self.cleaned_data.get("region") or "").strip()
        if not value:
            return self.default_region
        if self.default_region is not None and value == str(self.default_region):
            return self.default_region
        if value == "all":
            return None
        if not value.isdigit() or not self.regions.filter(pk=int(value)).exists():
            raise ValidationError(_("Unknown region."))
        return int(value)


class ReplyForm(forms.Form):
    """A public reply; the button pressed says what happens to the status."""

    THEN = {"reply": None, "wait": Status.WAITING, "solve": Status.SOLVED}

    body = forms.CharField(
        label=_("Reply to the customer"),
        help_text=_("Markdown. The customer sees this reply and gets it by e-mail."),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"id": "reply-body", "rows": 5}),
    )
    send = forms.ChoiceField(
        choices=[("reply", _("Send")), ("wait", _("Wait")), ("solve", _("Solve"))],
        required=False,
    )

    def then_status(self) -> str | None:
        """The status the reply moves the case to (None: open, or unchanged)."""
        return self.THEN.get(self.cleaned_data.get("send") or "reply")


class NoteForm(forms.Form):
    """An internal note: agents only, never shown to the customer."""

    body = forms.CharField(
        label=_("Note for the support team (never shown to the customer)"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"id": "note-body", "rows": 3}),
    )


def _person_label(person: User) -> str:
    return f"{person.get_full_name() or person.email} · {person.get_role_display()}"


class AssignForm(forms.Form):
    """A supervisor assigns the case to someone who may work it (empty: nobody)."""

    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(nobody)"),
        widget=forms.Select(attrs={"id": "assign-assignee"}),
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people
        field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]


class SeverityForm(forms.Form):
    """A new severity, with a note for the history."""

    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        coerce=int,
        help_text=_(
            "The due times are recomputed from the case's start, as if the new severity had"
            " applied all along."
        ),
        widget=forms.Select(attrs={"id": "severity-select"}),
    )
    note = forms.CharField(
        label=_("Why"),
        max_length=2000,
        required=False,
        widget=forms.TextInput(attrs={"id": "severity-note"}),
    )

    @staticmethod
    def definitions() -> list[tuple[int, str]]:
        """The seed's definition of each severity, shown beside the choice."""
        return [(level, str(text)) for level, text in SEVERITY_DEFINITIONS.items()]


class StatusForm(forms.Form):
    """Move the case: open, wait on the customer, put on hold, solve."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(status.value, status.label) for status in Status.agent_settable()],
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=2000,
        required=False,
        widget=forms.TextInput(attrs={"id": "status-note"}),
    )


class EscalateForm(forms.Form):
    """Escalate to a line above, with the reason."""

    line = forms.ChoiceField(
        label=_("To"), choices=[], widget=forms.Select(attrs={"id": "escalate-line"})
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"id": "escalate-reason", "rows": 2}),
    )

    def __init__(self, *args: Any, lines: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["line"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = lines


class TagsForm(forms.Form):
    """The case's tags, separated by commas or spaces."""

    tags = forms.CharField(
        label=_("Tags (separated by spaces or commas)"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"id": "tags-input"}),
    )

    def tag_list(self) -> list[str]:
        """The tags as typed, split at commas and spaces."""
        raw = str(self.cleaned_data.get("tags") or "")
        return [t for t in raw.replace(",", " ").split() if t]


class MergeForm(forms.Form):
    """Merge this case (a duplicate) into another case of the same account, by number."""

    target = forms.CharField(
        label=_("Merge this case into case number"),
        help_text=_("This case closes; its people are CC'd on the other case. Same account only."),
        max_length=20,
        widget=forms.TextInput(attrs={"id": "merge-target", "inputmode": "numeric"}),
    )

    def clean_target(self) -> int:
        """A case number: "123" or "#123"."""
        value = str(self.cleaned_data["target"]).strip().lstrip("#")
        if not value.isdigit() or int(value) < 1:
            raise ValidationError(_("Enter a case number, e.g. 1234."))
        return int(value)


class DecisionForm(forms.Form):
    """A supervisor's decision on a customer's escalation request, with the reason."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Reject"))]
    )
    reason = forms.CharField(
        label=_("Reason (the customer reads it)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def accepted(self) -> bool:
        """Whether the request is accepted."""
        return self.cleaned_data["decision"] == "accept"
