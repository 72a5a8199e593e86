"""The customer portal's and the account's pages as people see them: at 1366 and 390 px, in the
light and dark themes, each page fits the window and has no serious or critical axe violation,
with real content (cases with replies and SLA badges, a pending invitation, a token, form errors).

Set TIERDESK_SCREENSHOTS=/some/dir to keep a screenshot of each page, width and theme.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.browsing import DESKTOP, PHONE, look, new_page
from tests.factories import (
    AccountAdminFactory,
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.models import Invitation
from tierdesk.accounts.roles import Role
from tierdesk.accounts.selectors.people import invitation_hash
from tierdesk.accounts.services.tokens import api_token_create
from tierdesk.tickets.choices import EscalationReason
from tierdesk.tickets.models import Case
from tierdesk.tickets.services.cases import case_create, case_reply
from tierdesk.tickets.services.escalations import self_escalation_request

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
INVITATION_TOKEN = "a-known-invitation-token-for-the-browser-test"


@pytest.fixture
def world(db):
    region = SupportRegionFactory(code="it", time_zone="Europe/Rome", windows=ALWAYS_OPEN)
    account = AccountFactory(
        name="Acme Telecom",
        license_plan=LicensePlanFactory(code="business_plus"),  # self-escalation after 24 h
        support_plan=SupportPlanFactory(code="premier"),
        region=region,
    )
    customer = UserFactory(
        account=account, email="ada@acme.example", first_name="Ada", last_name="Lovelace"
    )
    admin = AccountAdminFactory(
        account=account, email="grace@acme.example", first_name="Grace", last_name="Hopper"
    )
    UserFactory(account=account, email="alan@acme.example", first_name="Alan", last_name="Turing")
    agent = VendorUserFactory(
        role=Role.AGENT_L1, region=region, email="l1@vendor.example", first_name="Lin"
    )
    basic = UserFactory(
        account=AccountFactory(name="Basic Co", license_plan=LicensePlanFactory(code="basic")),
        email="bea@basic.example",
    )
    old = case_create(
        actor=customer,
        subject="Calls drop after five minutes on the Milan trunk",
        description="Every call drops after **5 minutes**; the log says `BYE` from the trunk.",
        severity=2,
    )
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    case_reply(actor=agent, case=old, body="Which client version do you run?")
    case_reply(actor=customer, case=old, body="Version 8.4.2 on every desk.")
    case_create(
        actor=admin,
        subject="The voicemail-to-e-mail transcription is in the wrong language",
        description="Italian messages come out transcribed as English.",
        severity=3,
    )
    escalated = case_create(
        actor=customer,
        subject="Nobody answered the fax-to-e-mail question",
        description="Faxes from +39 02 are not turned into e-mails.",
        severity=3,
        cc=[admin],
        now=timezone.now() - timedelta(days=3),
    )
    self_escalation_request(
        actor=customer,
        case=escalated,
        reason=EscalationReason.DELAYED_RESPONSES,
        details="Three days without an answer.",
    )
    api_token_create(user=customer, name="Nightly export script")
    # Written directly with a known token: the e-mail's copy of the link is blanked once sent.
    Invitation.objects.create(
        account=account,
        email="new@acme.example",
        role=Role.MEMBER,
        token_hash=invitation_hash(INVITATION_TOKEN),
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return {
        "customer": customer,
        "account_admin": admin,
        "basic": basic,
        "case": old,
        "escalated": escalated,
        "invitation": INVITATION_TOKEN,
    }


# (name, who, path); {case} and {invitation} are filled in from the world.
PAGES = [
    ("cases", "customer", "/cases/"),
    ("cases-none-match", "customer", "/cases/?q=nothing-like-this&status=closed"),
    ("case", "customer", "/cases/{case}/"),
    ("case-escalated", "customer", "/cases/{escalated}/"),
    ("case-new", "customer", "/cases/new/"),
    ("cases-empty", "basic", "/cases/"),
    ("case-new-unavailable", "basic", "/cases/new/"),
    ("tokens", "customer", "/profile/tokens/"),
    ("password-change", "customer", "/accounts/password/change/"),
    ("password-change-done", "customer", "/accounts/password/change/done/"),
    ("account-users", "account_admin", "/account/users/"),
    ("password-reset", None, "/accounts/password/reset/"),
    ("password-reset-sent", None, "/accounts/password/reset/sent/"),
    ("password-reset-link-invalid", None, "/accounts/password/reset/MQ/bad-token/"),
    ("password-reset-complete", None, "/accounts/password/reset/complete/"),
    ("invitation", None, "/invitations/{invitation}/"),
    ("invitation-invalid", None, "/invitations/no-such-invitation/"),
]


def open_as(browser, live_server, user, path, viewport, scheme):
    page, _ = new_page(browser, viewport, color_scheme=scheme, user=user, base_url=live_server.url)
    response = page.goto(live_server.url + path)
    assert response is not None and response.status in (200, 404), path
    return page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_the_page_fits_and_passes_axe(browser, live_server, world, name, who, path, width, scheme):
    url = path.format(
        case=world["case"].pk, escalated=world["escalated"].pk, invitation=world["invitation"]
    )
    user = world[who] if who else None
    page = open_as(browser, live_server, user, url, WIDTHS[width], scheme)
    look(page, f"{name}-{width}-{scheme}")
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_bad_input_shows_the_forms_errors(browser, live_server, world, width, scheme):
    from playwright.sync_api import expect

    customer, admin = world["customer"], world["account_admin"]
    # A case without subject, description or severity: each field says what is missing.
    page = open_as(browser, live_server, customer, "/cases/new/", WIDTHS[width], scheme)
    page.click("#case-submit")
    expect(page.locator("#case-form .invalid-feedback").first).to_be_visible()
    # Subject, description and the four severity radios.
    expect(page.locator("#case-form .is-invalid")).to_have_count(2 + 4)
    look(page, f"case-new-errors-{width}-{scheme}")
    page.context.close()

    # An empty reply.
    case = world["case"]
    page = open_as(browser, live_server, customer, f"/cases/{case.pk}/", WIDTHS[width], scheme)
    page.click("#reply-submit")
    expect(page.locator("#reply-form .invalid-feedback")).to_be_visible()
    look(page, f"case-reply-error-{width}-{scheme}")
    page.context.close()

    # An invitation to an address of the account's own user.
    page = open_as(browser, live_server, admin, "/account/users/", WIDTHS[width], scheme)
    page.fill("#invite-form input[name=email]", "alan@acme.example")
    page.click("#invite-submit")
    expect(page.locator("#invite-form .invalid-feedback")).to_be_visible()
    look(page, f"account-users-error-{width}-{scheme}")
    page.context.close()


def test_a_customer_replies_and_the_token_secret_shows_once(browser, live_server, world):
    from playwright.sync_api import expect

    customer, case = world["customer"], world["case"]
    page = open_as(browser, live_server, customer, f"/cases/{case.pk}/", PHONE, "light")
    page.fill("#reply-form textarea[name=body]", "It still drops at **five** minutes.")
    page.click("#reply-submit")
    expect(page.locator(".messages")).to_contain_text("Your reply is sent.")
    expect(page.locator("#thread")).to_contain_text("It still drops at five minutes.")
    look(page, "case-replied-phone-light")

    page.goto(f"{live_server.url}/profile/tokens/")
    page.fill("#token-form input[name=name]", "Monitoring")
    page.click("#token-submit")
    expect(page.locator("#new-token")).to_have_text(re.compile(r"\S{20,}"))
    look(page, "tokens-new-secret-phone-light")
    page.locator("#tokens tr", has_text="Monitoring").locator("button").click()
    expect(page.locator(".messages")).to_contain_text("The token Monitoring is revoked.")
    page.context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_pages_fit_in_italian(browser, live_server, world, width):
    """Italian words are longer: the labels and buttons still fit, at both widths."""
    for who in ("customer", "account_admin"):
        world[who].language = "it"
        world[who].save(update_fields=["language"])
    for name, who, path in [
        ("cases", "customer", "/cases/"),
        ("case", "customer", f"/cases/{world['case'].pk}/"),
        ("case-escalated", "customer", f"/cases/{world['escalated'].pk}/"),
        ("case-new", "customer", "/cases/new/"),
        ("tokens", "customer", "/profile/tokens/"),
        ("account-users", "account_admin", "/account/users/"),
    ]:
        page = open_as(browser, live_server, world[who], path, WIDTHS[width], "light")
        assert page.locator("html").get_attribute("lang") == "it", path
        look(page, f"{name}-{width}-it")
        page.context.close()
