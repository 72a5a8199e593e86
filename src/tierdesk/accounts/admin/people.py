"""Admin of accounts, users (with their role and account) and the read-mostly records of
invitations and API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import (
    Account,
    ApiToken,
    Invitation,
    User,
)
from ..roles import AGENT_ROLES, CUSTOMER_ROLES, Role
from ..services.accounts import (
    account_create,
    account_support_pin_reset,
    account_update,
    account_validate,
)

# Accounts and people --------------------------------------------------------------------------


class AccountAdminForm(forms.ModelForm):
    """An account; validated and saved by the account services."""

    class Meta:
        model = Account
        fields = (
            "name",
            "license_plan",
            "support_plan",
            "country",
            "subdivision",
            "region",
            "technical_account_manager",
        )
        help_texts = {"region": _("Empty: the region of the territory table for the country.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].required = False
        tam = self.fields["technical_account_manager"]
        assert isinstance(tam, forms.ModelChoiceField)
        tam.queryset = User.objects.filter(role__in=sorted(AGENT_ROLES), is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = ("name", "license_plan", "support_plan", "country")
        if any(data.get(field) in (None, "") for field in needed):
            return data
        try:
            name, country, subdivision, region = account_validate(
                account=self.instance if self.instance.pk else None,
                name=data["name"],
                license_plan=data["license_plan"],
                support_plan=data["support_plan"],
                country=data["country"],
                subdivision=data.get("subdivision") or "",
                region=data.get("region"),
                technical_account_manager=data.get("technical_account_manager"),
            )
        except ValidationError as error:
            self.add_error(None, error)
            return data
        data.update(name=name, country=country, subdivision=subdivision, region=region)
        return data

    def validate_unique(self) -> None:
        """Uniqueness of the name is checked (case-insensitively) by account_validate."""


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    """Customer accounts (tenants)."""

    form = AccountAdminForm
    list_display = (
        "name",
        "license_plan",
        "support_plan",
        "region",
        "country",
        "technical_account_manager",
        "created_at",
    )
    list_filter = ("license_plan", "support_plan", "region")
    search_fields = ("name", "support_pin", "country")
    list_select_related = ("license_plan", "support_plan", "region", "technical_account_manager")
    readonly_fields = ("support_pin", "created_at")
    actions = ("reset_support_pin",)

    def save_model(self, request: HttpRequest, obj: Account, form: Any, change: bool) -> None:
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "license_plan": data["license_plan"],
            "support_plan": data["support_plan"],
            "country": data["country"],
            "subdivision": data.get("subdivision") or "",
            "region": data["region"],
            "technical_account_manager": data.get("technical_account_manager"),
        }
        if change:
            account_update(account=Account.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = account_create(**fields).pk
        obj.refresh_from_db()

    @admin.action(description=_("Give a new support PIN"), permissions=["change"])
    def reset_support_pin(self, request: HttpRequest, queryset: QuerySet[Account]) -> None:
        count = 0
        for account in queryset:
            account_support_pin_reset(account=account)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d account has a new support PIN.",
                "%(count)d accounts have a new support PIN.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class _RoleAccountMixin(forms.ModelForm):
    """Customer roles belong to an account; vendor staff to none. E-mails are lower-case."""

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        clash = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("A user with this e-mail address already exists."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, account = data.get("role"), data.get("account")
        if role in CUSTOMER_ROLES and account is None:
            self.add_error("account", _("Members and account admins belong to a customer account."))
        elif role and role not in CUSTOMER_ROLES and account is not None:
            self.add_error("account", _("Vendor staff belong to no customer account."))
        return data


class UserCreationAdminForm(_RoleAccountMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "role", "account", "region")


class UserChangeAdminForm(_RoleAccountMixin, DjangoUserChangeForm):
    class Meta:
        model = User
        fields = (
            "email",
            "password",
            "first_name",
            "last_name",
            "time_zone",
            "language",
            "role",
            "account",
            "region",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )


def is_staff_admin(request: HttpRequest) -> bool:
    """Whether the signed-in person runs the deployment (may manage users in the admin)."""
    user = request.user
    return bool(
        user.is_active
        and user.is_staff
        and (user.is_superuser or getattr(user, "role", None) == Role.STAFF_ADMIN)
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """People: e-mail sign-in, a role, an account for customers. Only staff admins see it."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("email",)
    list_display = (
        "email",
        "first_name",
        "last_name",
        "role",
        "account",
        "region",
        "is_active",
        "is_staff",
    )
    list_filter = ("role", "is_active", "is_staff", "region")
    search_fields = ("email", "first_name", "last_name", "account__name")
    list_select_related = ("account", "region")
    autocomplete_fields = ("account",)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "time_zone", "language")}),
        (_("Role"), {"fields": ("role", "account", "region")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "role",
                    "account",
                    "region",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_staff_admin(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff_admin(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_staff_admin(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff_admin(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_staff_admin(request) and super().has_delete_permission(request, obj)


class ReadMostlyAdmin(admin.ModelAdmin):
    """Rows made by the product (invitations, tokens): viewed and deleted here, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(ReadMostlyAdmin):
    list_display = (
        "email",
        "account",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    list_filter = ("role",)
    search_fields = ("email", "account__name")
    list_select_related = ("account", "invited_by")
    exclude = ("token_hash",)
    date_hierarchy = "created_at"


@admin.register(ApiToken)
class ApiTokenAdmin(ReadMostlyAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    search_fields = ("name", "prefix", "user__email")
    list_select_related = ("user",)
    exclude = ("token_hash",)
    date_hierarchy = "created_at"
