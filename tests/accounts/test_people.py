import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from tests.factories import (
    AccountAdminFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.models import Account, Invitation, User
from tierdesk.accounts.roles import Role
from tierdesk.accounts.selectors.people import (
    access_account_user,
    account_users_list,
    invitation_hash,
)
from tierdesk.accounts.services.people import (
    account_pin_rotate,
    invitation_accept,
    profile_update,
    user_invite,
    user_remove,
)

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"
NEW_PASSWORD = "a brand new passphrase 7"


def invite(inviter, email="new@example.com", role="member", capture=None):
    if capture is None:
        return user_invite(inviter=inviter, email=email, role=role, base_url=BASE)
    with capture(execute=True):
        return user_invite(inviter=inviter, email=email, role=role, base_url=BASE)


def link_in(message):
    return re.search(r"http://testserver(/invitations/[^/\s]+/)", message.body).group(1)


def token_in(message):
    return link_in(message).split("/")[2]


# --- services: invitations ------------------------------------------------------------------


def test_an_invitation_is_stored_hashed_and_emailed_on_commit(django_capture_on_commit_callbacks):
    admin = AccountAdminFactory(account__name="Acme")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = user_invite(
            inviter=admin, email=" New@Example.com ", role="account_admin", base_url=BASE
        )
    assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    assert invitation.email == "new@example.com"
    assert invitation.role == Role.ACCOUNT_ADMIN
    assert invitation.account == admin.account
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    [message] = mail.outbox
    assert message.to == ["new@example.com"]
    assert "Acme" in message.subject
    token = token_in(message)
    assert Invitation.objects.get().token_hash == invitation_hash(token)
    assert token not in Invitation.objects.get().token_hash


def test_the_invitation_email_is_in_the_inviters_language(django_capture_on_commit_callbacks):
    admin = AccountAdminFactory(language="it")
    invite(admin, capture=django_capture_on_commit_callbacks)
    assert "Per accettare" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [
        ("not-an-address", "member", "email"),
        ("", "member", "email"),
        ("new@example.com", "agent_l1", "role"),
        ("new@example.com", "staff_admin", "role"),
    ],
)
def test_bad_invitations_are_refused_and_change_nothing(
    email, role, field, django_capture_on_commit_callbacks
):
    admin = AccountAdminFactory()
    with pytest.raises(ValidationError) as caught:
        invite(admin, email=email, role=role, capture=django_capture_on_commit_callbacks)
    assert field in caught.value.message_dict
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_user_of_the_own_account_cannot_be_invited_and_is_named():
    admin = AccountAdminFactory()
    UserFactory(email="taken@example.com", account=admin.account)
    with pytest.raises(ValidationError) as caught:
        invite(admin, email="TAKEN@example.com")
    assert caught.value.message_dict["email"] == [
        "taken@example.com is already a user of this account."
    ]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("inviter", "refusal"), [("member", PermissionDenied), ("vendor", Http404)]
)
def test_only_account_admins_invite(inviter, refusal, django_capture_on_commit_callbacks):
    user = UserFactory() if inviter == "member" else VendorUserFactory()
    with pytest.raises(refusal):
        invite(user, capture=django_capture_on_commit_callbacks)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_accepting_creates_the_user_in_the_account_with_the_role(
    django_capture_on_commit_callbacks,
):
    admin = AccountAdminFactory()
    invite(admin, role="account_admin", capture=django_capture_on_commit_callbacks)
    token = token_in(mail.outbox[0])
    user = invitation_accept(
        token=token, first_name=" Ada ", last_name="Lovelace", password=NEW_PASSWORD
    )
    assert user.email == "new@example.com"
    assert user.account == admin.account
    assert user.role == Role.ACCOUNT_ADMIN
    assert user.first_name == "Ada"
    assert user.check_password(NEW_PASSWORD)
    assert Invitation.objects.get().accepted_at is not None
    # An invitation is used once.
    with pytest.raises(ValidationError):
        invitation_accept(token=token, first_name="Eve", last_name="", password=NEW_PASSWORD)
    assert User.objects.filter(email="new@example.com").count() == 1


def test_inviting_again_replaces_the_old_link(django_capture_on_commit_callbacks):
    admin = AccountAdminFactory()
    invite(admin, capture=django_capture_on_commit_callbacks)
    invite(admin, capture=django_capture_on_commit_callbacks)
    old, new = token_in(mail.outbox[0]), token_in(mail.outbox[1])
    with pytest.raises(ValidationError) as caught:
        invitation_accept(token=old, first_name="Ada", last_name="", password=NEW_PASSWORD)
    assert "token" in caught.value.message_dict
    assert invitation_accept(token=new, first_name="Ada", last_name="", password=NEW_PASSWORD)


def test_a_replaced_invitation_sends_no_mail_when_its_task_runs_late(
    django_capture_on_commit_callbacks,
):
    admin = AccountAdminFactory()
    with django_capture_on_commit_callbacks(execute=False) as first:
        invite(admin)
    invite(admin, capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        first[0]()  # the first task runs only now, after its invitation was replaced
    assert len(mail.outbox) == 1


def test_an_expired_invitation_cannot_be_accepted(django_capture_on_commit_callbacks):
    admin = AccountAdminFactory()
    invite(admin, capture=django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError):
        invitation_accept(
            token=token_in(mail.outbox[0]), first_name="Ada", last_name="", password=NEW_PASSWORD
        )
    assert not User.objects.filter(email="new@example.com").exists()


@pytest.mark.parametrize(
    ("first_name", "password", "field"),
    [("", NEW_PASSWORD, "first_name"), ("Ada", "123", "password"), ("Ada", "password", "password")],
)
def test_bad_acceptances_are_refused_and_change_nothing(
    first_name, password, field, django_capture_on_commit_callbacks
):
    admin = AccountAdminFactory()
    invite(admin, capture=django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as caught:
        invitation_accept(
            token=token_in(mail.outbox[0]), first_name=first_name, last_name="", password=password
        )
    assert field in caught.value.message_dict
    assert not User.objects.filter(email="new@example.com").exists()
    assert Invitation.objects.get().accepted_at is None


# --- services: removing users ---------------------------------------------------------------


def test_an_admin_removes_a_user_by_deactivating_them():
    admin = AccountAdminFactory()
    member = UserFactory(account=admin.account)
    removed = user_remove(actor=admin, user_id=member.pk)
    member.refresh_from_db()
    assert removed == member
    assert member.is_active is False
    assert User.objects.filter(pk=member.pk).exists()


def test_an_admin_cannot_remove_themselves():
    admin = AccountAdminFactory()
    AccountAdminFactory(account=admin.account)
    with pytest.raises(ValidationError):
        user_remove(actor=admin, user_id=admin.pk)
    admin.refresh_from_db()
    assert admin.is_active


def test_an_admin_removes_another_admin_when_one_remains():
    admin = AccountAdminFactory()
    other = AccountAdminFactory(account=admin.account)
    user_remove(actor=admin, user_id=other.pk)
    other.refresh_from_db()
    assert not other.is_active


def test_two_admins_removing_each_other_leave_one_admin():
    # The second removal runs with a stale actor object: its author was removed meanwhile.
    first = AccountAdminFactory()
    second = AccountAdminFactory(account=first.account)
    user_remove(actor=first, user_id=second.pk)
    with pytest.raises(PermissionDenied):
        user_remove(actor=second, user_id=first.pk)
    assert (
        User.objects.filter(account=first.account, role=Role.ACCOUNT_ADMIN, is_active=True).count()
        == 1
    )


def test_another_tenants_user_is_a_404_and_stays_active():
    admin = AccountAdminFactory()
    stranger = UserFactory()
    with pytest.raises(Http404):
        user_remove(actor=admin, user_id=stranger.pk)
    stranger.refresh_from_db()
    assert stranger.is_active


def test_members_cannot_remove_users():
    member = UserFactory()
    colleague = UserFactory(account=member.account)
    with pytest.raises(PermissionDenied):
        user_remove(actor=member, user_id=colleague.pk)
    colleague.refresh_from_db()
    assert colleague.is_active


def test_selectors_are_scoped_to_the_viewers_account():
    admin = AccountAdminFactory()
    colleague = UserFactory(account=admin.account)
    stranger = UserFactory()
    assert set(account_users_list(viewer=colleague)) == {admin, colleague}
    assert access_account_user(colleague, admin.pk) == admin
    with pytest.raises(Http404):
        access_account_user(colleague, stranger.pk)
    vendor = VendorUserFactory()
    assert access_account_user(vendor, stranger.pk) == stranger
    with pytest.raises(Http404):
        access_account_user(admin, vendor.pk)


# --- services: support PIN and profile ------------------------------------------------------


def test_rotating_the_pin_gives_six_new_digits():
    admin = AccountAdminFactory(account__support_pin="123456")
    account = account_pin_rotate(actor=admin)
    assert re.fullmatch(r"\d{6}", account.support_pin)
    assert account.support_pin != "123456"
    assert Account.objects.get(pk=account.pk).support_pin == account.support_pin


def test_members_cannot_rotate_the_pin():
    member = UserFactory(account__support_pin="123456")
    with pytest.raises(PermissionDenied):
        account_pin_rotate(actor=member)
    assert Account.objects.get(pk=member.account_id).support_pin == "123456"


def test_profile_update_saves_name_time_zone_and_language():
    user = UserFactory()
    profile_update(
        user=user, first_name="Ada", last_name="L", time_zone="America/New_York", language="it"
    )
    user.refresh_from_db()
    assert (user.first_name, user.time_zone, user.language) == ("Ada", "America/New_York", "it")


@pytest.mark.parametrize(
    ("time_zone", "language", "field"),
    [("Mars/Olympus", "en", "time_zone"), ("", "en", "time_zone"), ("UTC", "fr", "language")],
)
def test_bad_profiles_are_refused_and_change_nothing(time_zone, language, field):
    user = UserFactory(first_name="Old", time_zone="Europe/Rome", language="en")
    with pytest.raises(ValidationError) as caught:
        profile_update(
            user=user, first_name="New", last_name="", time_zone=time_zone, language=language
        )
    assert field in caught.value.message_dict
    fresh = User.objects.get(pk=user.pk)
    assert (fresh.first_name, fresh.time_zone, fresh.language) == ("Old", "Europe/Rome", "en")


# --- pages ----------------------------------------------------------------------------------


def test_the_account_users_page_lists_only_the_account(client, django_assert_max_num_queries):
    admin = AccountAdminFactory()
    for _ in range(15):
        UserFactory(account=admin.account)
    stranger = UserFactory()
    client.force_login(admin)
    with django_assert_max_num_queries(8):
        response = client.get("/account/users/")
    assert response.status_code == 200
    assert len(response.context["users"]) == 16
    assert stranger.email not in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("vendor", 404)])
def test_the_account_users_page_is_for_account_admins(client, who, status):
    user = UserFactory() if who == "member" else VendorUserFactory()
    client.force_login(user)
    assert client.get("/account/users/").status_code == status
    assert client.post("/account/users/invite/", {"email": "x@example.com"}).status_code == status
    assert not Invitation.objects.exists()


def test_pages_need_a_session(client):
    for url in ["/profile/", "/profile/tokens/", "/account/", "/account/users/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")


def test_invite_and_accept_through_the_pages(client, django_capture_on_commit_callbacks):
    admin = AccountAdminFactory()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/users/invite/", {"email": "new@example.com", "role": "member"}
        )
    assert response.status_code == 302
    assert "new@example.com" in client.get("/account/users/").content.decode()
    link = link_in(mail.outbox[0])
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "new@example.com" in page.content.decode()
    response = client.post(
        link,
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.account == admin.account
    assert client.get(link).status_code == 404  # used up


def test_a_bad_invite_form_shows_the_error_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    admin = AccountAdminFactory()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/users/invite/", {"email": admin.email, "role": "member"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_accept_page_with_differing_passwords_creates_nothing(
    client, django_capture_on_commit_callbacks
):
    admin = AccountAdminFactory()
    invite(admin, capture=django_capture_on_commit_callbacks)
    link = link_in(mail.outbox[0])
    response = client.post(
        link,
        {"first_name": "Ada", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password2"]
    assert not User.objects.filter(email="new@example.com").exists()


def test_an_unknown_invitation_link_is_a_404_page(client):
    assert client.get("/invitations/not-a-token/").status_code == 404


def test_remove_through_the_page_and_the_rules_shown(client):
    admin = AccountAdminFactory()
    member = UserFactory(account=admin.account)
    client.force_login(admin)
    assert client.post(f"/account/users/{member.pk}/remove/").status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    response = client.post(f"/account/users/{admin.pk}/remove/", follow=True)
    assert "You cannot remove yourself." in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_removing_another_tenants_user_through_the_page_is_a_404(client):
    admin = AccountAdminFactory()
    stranger = UserFactory()
    client.force_login(admin)
    assert client.post(f"/account/users/{stranger.pk}/remove/").status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active


def test_a_removed_user_loses_their_session(client):
    admin = AccountAdminFactory()
    member = UserFactory(account=admin.account)
    client.force_login(member)
    user_remove(actor=admin, user_id=member.pk)
    assert client.get("/profile/").status_code == 302


def test_every_user_of_the_account_sees_the_support_pin(client):
    member = UserFactory(account__support_pin="424242")
    client.force_login(member)
    response = client.get("/account/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "424242" in body
    assert member.account.license_plan.name in body
    assert "/account/pin/rotate/" not in body


def test_vendor_staff_have_no_account_page(client):
    client.force_login(VendorUserFactory())
    assert client.get("/account/").status_code == 404


def test_the_admin_rotates_the_pin_from_the_account_page(client):
    admin = AccountAdminFactory(account__support_pin="424242")
    client.force_login(admin)
    assert "/account/pin/rotate/" in client.get("/account/").content.decode()
    assert client.post("/account/pin/rotate/").status_code == 302
    assert Account.objects.get(pk=admin.account_id).support_pin != "424242"


def test_a_member_cannot_rotate_the_pin_from_the_page(client):
    member = UserFactory(account__support_pin="424242")
    client.force_login(member)
    assert client.post("/account/pin/rotate/").status_code == 403
    assert Account.objects.get(pk=member.account_id).support_pin == "424242"


def test_the_profile_page_saves_and_refuses_a_bad_time_zone(client):
    user = UserFactory(time_zone="Europe/Rome")
    client.force_login(user)
    response = client.post(
        "/profile/",
        {"first_name": "Ada", "last_name": "", "time_zone": "Mars/Base", "language": "en"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    user.refresh_from_db()
    assert (user.first_name, user.time_zone) != ("Ada", "Mars/Base")
    response = client.post(
        "/profile/",
        {"first_name": "Ada", "last_name": "", "time_zone": "Asia/Tokyo", "language": "it"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.time_zone, user.language) == ("Ada", "Asia/Tokyo", "it")
    assert client.get("/profile/").headers["Content-Language"] == "it"
