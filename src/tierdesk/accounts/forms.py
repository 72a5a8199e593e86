"""Forms of the accounts pages: they check the shape of the input; services check the rules."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .roles import Role
from .services.passwords import password_reset_allow
from .time_zones import current_time_zone, time_zone_allowed, time_zone_choices


def add_service_errors(
    form: forms.Form, error: ValidationError, *, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        name = (field_map or {}).get(field, field)
        target = name if name in form.fields and name != NON_FIELD_ERRORS else None
        for message in messages:
            form.add_error(target, message)


class SignInForm(AuthenticationForm):
    """Sign in with e-mail address and password."""

    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        """Addresses are stored in lower case; so a capital letter typed still signs in."""
        return str(self.cleaned_data["username"]).strip().lower()


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most so many e-mails per address and per client IP.

    The page answers the same either way (Django's "done" page), so a refused request tells
    nothing, about the throttle or about the address.
    """

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Send the e-mail (if the address has a user) unless the throttle says no."""
        request: HttpRequest | None = kwargs.get("request")
        ip_address = get_client_ip_address(request) if request is not None else None
        if not password_reset_allow(email=self.cleaned_data["email"], ip_address=ip_address):
            return
        super().save(**kwargs)


class ProfileForm(forms.Form):
    """The user's name, time zone (current zones only, grouped by region) and language.

    Pass the saved values as `initial`: a saved zone that is now a link (`US/Eastern`) shows
    as the zone it points to; one with no current equivalent stays offered until changed.
    """

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Times are shown to you in this zone. Type a city to find it."),
        error_messages={
            "invalid_choice": _("%(value)s is not a current time zone: choose one from the list.")
        },
        widget=forms.Select(
            attrs={
                "data-zone-search": "",
                "data-search-label": _("Find a time zone"),
                "data-search-placeholder": _("Type a city, e.g. Rome"),
                "data-search-empty": _("No time zone matches."),
            }
        ),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = str(self.initial.get("time_zone") or "")
        self.saved_time_zone = saved
        current = current_time_zone(saved)
        if current is not None:
            self.initial["time_zone"] = current
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = time_zone_choices(extra="" if current else saved)

    def clean_time_zone(self) -> str:
        """A current zone, or the zone the user already had (so saving a name keeps it)."""
        value = str(self.cleaned_data["time_zone"])
        if not time_zone_allowed(value, keeping=self.saved_time_zone):
            raise ValidationError(
                self.fields["time_zone"].error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return value


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or machine that uses it."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Role.MEMBER.value, Role.MEMBER.label),
            (Role.ACCOUNT_ADMIN.value, Role.ACCOUNT_ADMIN.label),
        ],
        initial=Role.MEMBER.value,
    )


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        """Both passwords must be the same."""
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
