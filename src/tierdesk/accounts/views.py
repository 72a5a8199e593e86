"""Pages of accounts: profile, API tokens, the account and its users, accepting invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .forms import (
    InvitationAcceptForm,
    InviteForm,
    ProfileForm,
    TokenCreateForm,
    add_service_errors,
)
from .models import User
from .selectors import people as selectors
from .selectors.support import account_plan_summary
from .services import people as people_services
from .services import tokens as token_services


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _require_account_admin(request: HttpRequest) -> User:
    """The signed-in admin of a customer account; 404 for vendor staff, 403 for members."""
    user = _user(request)
    selectors.access_administered_account(user)
    return user


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own name, time zone and language."""
    user = _user(request)
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "time_zone": user.time_zone,
        "language": user.language,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            people_services.profile_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form})


def _tokens_page(
    request: HttpRequest, form: TokenCreateForm, secret: str | None = None
) -> HttpResponse:
    context = {
        "form": form,
        "tokens": selectors.api_tokens_list(viewer=_user(request)),
        "new_secret": secret,
    }
    return render(request, "accounts/tokens.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; creating one shows its secret in this response only."""
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = token_services.api_token_create(
                user=_user(request), name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _tokens_page(request, TokenCreateForm(), secret)
    return _tokens_page(request, form)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's tokens; anyone else's is 404."""
    token = token_services.api_token_revoke(user=_user(request), token_id=token_id)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("api-tokens")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The user's account: plans and what they include, region, the support PIN."""
    user = _user(request)
    account = selectors.account_of(user)
    context = {
        "account": account,
        "summary": account_plan_summary(account),
        "is_account_admin": selectors.is_account_admin(user),
    }
    return render(request, "accounts/account.html", context)


@login_required
@require_POST
def pin_rotate(request: HttpRequest) -> HttpResponse:
    """Give the account a new support PIN (account admins)."""
    people_services.account_pin_rotate(actor=_require_account_admin(request))
    messages.success(request, _("The account has a new support PIN."))
    return redirect("account")


def _users_page(request: HttpRequest, form: InviteForm) -> HttpResponse:
    viewer = _user(request)
    context = {
        "form": form,
        "account": selectors.access_administered_account(viewer),
        "users": selectors.account_users_list(viewer=viewer),
        "invitations": selectors.invitations_pending_list(viewer=viewer),
    }
    return render(request, "accounts/account_users.html", context)


@login_required
def account_users(request: HttpRequest) -> HttpResponse:
    """The account's users and pending invitations (account admins)."""
    _require_account_admin(request)
    return _users_page(request, InviteForm())


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    """Invite someone by e-mail (account admins)."""
    inviter = _require_account_admin(request)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = people_services.user_invite(
                inviter=inviter,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.") % {"email": invitation.email},
            )
            return redirect("account-users")
    return _users_page(request, form)


@login_required
@require_POST
def user_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove (deactivate) a user of the account (account admins)."""
    actor = _require_account_admin(request)
    try:
        removed = people_services.user_remove(actor=actor, user_id=user_id)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(email)s can no longer sign in.") % {"email": removed.email})
    return redirect("account-users")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee sets their name and password, and is signed in."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = people_services.invitation_accept(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            add_service_errors(form, error, field_map={"password": "password1"})
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to %(account)s.") % {"account": user.account})
            return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
