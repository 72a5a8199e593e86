"""Routes of accounts: sign-in and passwords, profile and tokens, the account and its users."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import SignInForm, ThrottledPasswordResetForm

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change_form.html"),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            form_class=ThrottledPasswordResetForm,
            email_template_name="accounts/email/password_reset_body.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.tokens, name="api-tokens"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="api-token-revoke"),
    path("account/", views.account, name="account"),
    path("account/pin/rotate/", views.pin_rotate, name="account-pin-rotate"),
    path("account/users/", views.account_users, name="account-users"),
    path("account/users/invite/", views.invite, name="account-users-invite"),
    path("account/users/<int:user_id>/remove/", views.user_remove, name="account-users-remove"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
