"""API of accounts: the caller, their account and its users, invitations, PIN, API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from tierdesk.config.api_types import READ_ERRORS, WRITE_ERRORS, PageNumbers, PathId, Text

from .entitlements import Capability, account_may, queue_weight
from .models import Account, ApiToken, User
from .selectors import people as selectors
from .services import people as people_services
from .services import tokens as token_services

router = Router(tags=["accounts"])


def _viewer(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


class MeOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    role: str
    account_id: int | None
    time_zone: str
    language: str


class PlanOut(Schema):
    code: str
    name: str


class RegionOut(Schema):
    code: str
    name: str
    time_zone: str


class AccountOut(Schema):
    id: int
    name: str
    country: str
    license_plan: PlanOut
    support_plan: PlanOut
    region: RegionOut
    support_pin: str
    queue_weight: int = Field(description="0: the account has no place in the support queues.")
    entitlements: dict[str, bool]


class UserOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    role: str
    is_active: bool


class InvitationIn(Schema):
    email: Text = Field(max_length=254)
    role: Literal["member", "account_admin"] = "member"


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    created_at: datetime
    expires_at: datetime


class PinOut(Schema):
    support_pin: str


class TokenIn(Schema):
    name: Text = Field(min_length=1, max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="The token itself. It is shown only in this response.")


def _account_out(account: Account) -> AccountOut:
    return AccountOut(
        id=account.pk,
        name=account.name,
        country=account.country,
        license_plan=PlanOut(code=account.license_plan.code, name=account.license_plan.name),
        support_plan=PlanOut(code=account.support_plan.code, name=account.support_plan.name),
        region=RegionOut(
            code=account.region.code, name=account.region.name, time_zone=account.region.time_zone
        ),
        support_pin=account.support_pin,
        queue_weight=queue_weight(account),
        entitlements={cap.value: account_may(account, cap) for cap in Capability},
    )


@router.get("/me", response={200: MeOut, **READ_ERRORS})
def me(request: HttpRequest) -> User:
    """The caller."""
    return _viewer(request)


@router.get("/account", response={200: AccountOut, **READ_ERRORS})
def account(request: HttpRequest) -> AccountOut:
    """The caller's account: plans, region, support PIN, entitlements, queue weight."""
    return _account_out(selectors.account_of(_viewer(request)))


@router.get("/account/users", response={200: list[UserOut], **READ_ERRORS})
@paginate(PageNumbers, page_size=50)
def account_users(request: HttpRequest) -> object:
    """The users of the caller's account, active ones first (paginated; account admins)."""
    viewer = _viewer(request)
    selectors.access_administered_account(viewer)
    return selectors.account_users_list(viewer=viewer)


@router.post("/account/users/invitations", response={201: InvitationOut, **WRITE_ERRORS})
def invite(request: HttpRequest, payload: InvitationIn) -> Status[InvitationOut]:
    """Invite someone to the account by e-mail (account admins)."""
    invitation = people_services.user_invite(
        inviter=_viewer(request),
        email=payload.email,
        role=payload.role,
        base_url=request.build_absolute_uri("/"),
    )
    return Status(201, InvitationOut.model_validate(invitation))


@router.delete("/account/users/{user_id}", response={204: None, **READ_ERRORS})
def remove_user(request: HttpRequest, user_id: PathId) -> Status[None]:
    """Remove (deactivate) a user of the account (account admins)."""
    people_services.user_remove(actor=_viewer(request), user_id=user_id)
    return Status(204, None)


@router.post("/account/pin/rotate", response={200: PinOut, **WRITE_ERRORS})
def rotate_pin(request: HttpRequest) -> PinOut:
    """Give the account a new random support PIN (account admins)."""
    rotated = people_services.account_pin_rotate(actor=_viewer(request))
    return PinOut(support_pin=rotated.support_pin)


@router.get("/me/tokens", response={200: list[TokenOut], **READ_ERRORS})
def tokens(request: HttpRequest) -> list[ApiToken]:
    """The caller's API tokens that are not revoked."""
    return list(selectors.api_tokens_list(viewer=_viewer(request)))


@router.post("/me/tokens", response={201: TokenCreatedOut, **WRITE_ERRORS})
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenCreatedOut]:
    """Create an API token; its secret is in this response and nowhere else, ever."""
    token, secret = token_services.api_token_create(user=_viewer(request), name=payload.name)
    return Status(
        201,
        TokenCreatedOut(
            id=token.pk,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            secret=secret,
        ),
    )


@router.delete("/me/tokens/{token_id}", response={204: None, **READ_ERRORS})
def revoke_token(request: HttpRequest, token_id: PathId) -> Status[None]:
    """Revoke one of the caller's API tokens."""
    token_services.api_token_revoke(user=_viewer(request), token_id=token_id)
    return Status(204, None)
