"""Every page as its people see it: at 1366 and 390 px, in English and Italian, light and dark.

The list of pages is derived from the URL configuration: every named route is either a page
(who opens it, and how its address is built) or says why it is not one (a form's POST target, a
download, an htmx fragment, JSON). A new route that is neither fails the first test, so a page
cannot be added without being looked at here.

For each page: nothing scrolls sideways, the top bar fits, and axe-core finds no serious or
critical violation. Set TIERDESK_SCREENSHOTS=/some/dir to keep a screenshot of each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.community import world as forum
from tests.e2e.browsing import (
    DESKTOP,
    PHONE,
    covered_by_assistant,
    keep,
    new_page,
    overflow,
    serious_violations,
)
from tests.e2e.help_media import guide_and_video
from tests.factories import (
    AccountAdminFactory,
    AccountFactory,
    LicensePlanFactory,
    SupportPlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.models import Invitation, SupportNumber
from tierdesk.accounts.roles import Role
from tierdesk.accounts.selectors.people import invitation_hash
from tierdesk.knowledge.models import ArticleTranslation
from tierdesk.tickets.services.cases import case_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ALWAYS_OPEN = [(day, 0, 1440) for day in range(7)]
INVITATION_TOKEN = "an-invitation-token-for-the-page-test"


@dataclass(frozen=True)
class Page:
    """One page to look at: who opens it, and the URL's arguments from the test's world."""

    route: str
    who: str  # "visitor" or a key of the `world` fixture's people
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda world: {}
    status: int = 200

    @property
    def label(self) -> str:
        return f"{self.route}-as-{self.who}"


def _case(world: dict[str, Any]) -> dict[str, Any]:
    return {"pk": world["case"].pk}


def _reset_link(world: dict[str, Any]) -> dict[str, Any]:
    user = world["customer"]
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def _article(language: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The guide's first article in `language` (it has both)."""

    def kwargs(world: dict[str, Any]) -> dict[str, Any]:
        found = ArticleTranslation.objects.get(
            article__chapters__guide=world["guide"],
            article__chapters__position=1,
            language=language,
        )
        return {"language": language, "slug": found.slug}

    return kwargs


def _faq_entry(world: dict[str, Any]) -> dict[str, Any]:
    from tierdesk.assistant.models import FaqEntry

    entry, _new = FaqEntry.objects.get_or_create(
        language="en",
        question="How do I reset my password?",
        defaults={"answer": "Choose **Forgot your password?** on the sign-in page."},
    )
    return {"pk": entry.pk}


def _conversation(world: dict[str, Any]) -> dict[str, Any]:
    from tierdesk.assistant.models import Conversation, Turn

    conversation = Conversation.objects.create(user=world["customer"], language="en")
    Turn.objects.create(
        conversation=conversation, question="Where is my invoice?", decision="handoff"
    )
    return {"pk": conversation.pk}


def _chapter(world: dict[str, Any]) -> dict[str, Any]:
    return {"slug": world["guide"].slug, "chapter": world["chapter_slug"]}


PAGES = [
    Page("home", "visitor"),
    Page("home", "customer"),
    Page("home", "agent"),
    Page("home", "supervisor"),
    Page("knowledge:index", "visitor"),
    Page("knowledge:index", "customer"),
    Page("knowledge:index", "agent"),
    Page("knowledge:category", "visitor", lambda w: {"slug": "getting-started"}),
    Page("knowledge:article", "visitor", _article("en")),
    Page("knowledge:article", "customer", _article("it")),
    Page("knowledge:versions", "agent", _article("en")),
    Page("knowledge:reviews", "agent"),
    Page("knowledge:guides", "visitor"),
    Page("knowledge:guides", "customer"),
    Page("knowledge:guide", "visitor", lambda w: {"slug": w["guide"].slug}),
    Page("knowledge:guide", "customer", lambda w: {"slug": w["guide"].slug}),
    Page("knowledge:guide-chapter", "visitor", _chapter),
    Page("knowledge:guide-chapter", "customer", _chapter),
    Page("knowledge:videos", "visitor"),
    Page("knowledge:video", "visitor", lambda w: {"slug": w["video"].slug}),
    Page("knowledge:video", "customer", lambda w: {"slug": w["video"].slug}),
    Page("knowledge:search", "visitor"),
    Page("knowledge:search", "customer"),
    Page("knowledge:gaps", "agent"),
    Page("knowledge:deflection", "agent"),
    Page("community:index", "visitor", forum.made),
    Page("community:index", "customer", forum.made),
    Page("community:category", "visitor", forum.category_kwargs),
    Page("community:thread", "visitor", forum.thread_kwargs),
    Page("community:thread", "customer", forum.thread_kwargs),
    Page("community:thread", "agent", forum.thread_kwargs),
    Page("community:thread_new", "customer", forum.made),
    Page("community:post-edit", "customer", forum.question_kwargs),
    Page("community:post-history", "visitor", forum.question_kwargs),
    Page("community:unsubscribe", "visitor", forum.token_kwargs),
    Page("community:moderation", "agent", forum.made),
    Page("community:audit", "agent", forum.made),
    Page("assistant:page", "visitor"),
    Page("assistant:page", "customer"),
    Page("assistant:faq-entry", "visitor", _faq_entry),
    Page("assistant:staff-conversations", "supervisor"),
    Page("assistant:staff-conversation", "agent", _conversation),
    Page("assistant:staff-unanswered", "agent"),
    Page("assistant:staff-faq", "agent"),
    Page("assistant:staff-faq-new", "supervisor"),
    Page("assistant:staff-faq-edit", "agent", _faq_entry),
    Page("login", "visitor"),
    Page("password_reset", "visitor"),
    Page("password_reset_done", "visitor"),
    Page("password_reset_confirm", "visitor", _reset_link),
    Page("password_reset_complete", "visitor"),
    Page("password_change", "customer"),
    Page("password_change_done", "customer"),
    Page("invitation-accept", "visitor", lambda world: {"token": INVITATION_TOKEN}),
    Page("profile", "customer"),
    Page("api-tokens", "customer"),
    Page("account", "customer"),
    Page("account-users", "account_admin"),
    Page("tickets:list", "customer"),
    Page("tickets:new", "customer"),
    Page("case-detail", "customer", _case),
    Page("case-detail", "agent", _case),
    Page("tickets:queues", "agent"),
    Page("tickets:console-explain", "agent", lambda w: {**_case(w), "target": "resolution"}),
    Page("tickets:escalations", "supervisor"),
    Page("phone:console", "agent"),
    Page("phone:figures", "supervisor"),
]

# Routes that are not pages of their own, and why.
POST_ONLY = "a form's target: POST, then a redirect to a page listed above"
NOT_PAGES = {
    "set_language": POST_ONLY,
    "knowledge:video-file": "a video file (with Range support) the video page's player loads",
    "knowledge:video-poster": "a video's poster image",
    "knowledge:video-captions": "WebVTT captions for the video page's <track>",
    "sitemap": "XML for search engines (tests/knowledge/test_site.py)",
    "knowledge:suggestions": "an htmx fragment of the case form (test_deflection.py)",
    "knowledge:suggestion-open": "a counted redirect to an article page listed above",
    "knowledge:article-picker": "an htmx fragment of the console's reply form",
    "robots": "plain text for crawlers (tests/knowledge/test_site.py)",
    "logout": POST_ONLY,
    "assistant:log": "an htmx fragment: the assistant panel's conversation (tests/assistant)",
    "assistant:ask": POST_ONLY,
    "assistant:feedback": POST_ONLY,
    "assistant:handoff-case": POST_ONLY,
    "assistant:staff-faq-delete": POST_ONLY,
    "knowledge:feedback": POST_ONLY,
    "knowledge:version-restore": POST_ONLY,
    "knowledge:review-done": POST_ONLY,
    "api-token-revoke": POST_ONLY,
    "account-pin-rotate": POST_ONLY,
    "account-users-invite": POST_ONLY,
    "account-users-remove": POST_ONLY,
    "tickets:reply": POST_ONLY,
    "tickets:self-escalate": POST_ONLY,
    "tickets:escalation-decide": POST_ONLY,
    "tickets:console-claim": POST_ONLY,
    "tickets:console-assign": POST_ONLY,
    "tickets:console-reply": POST_ONLY,
    "tickets:console-note": POST_ONLY,
    "tickets:console-severity": POST_ONLY,
    "tickets:console-status": POST_ONLY,
    "tickets:console-escalate": POST_ONLY,
    "tickets:console-tags": POST_ONLY,
    "tickets:console-merge": POST_ONLY,
    "tickets:attachment": "a file download",
    "tickets:console-clocks": "an htmx fragment of the console case page",
    "healthz": "JSON for load balancers",
    "community:similar": "an htmx fragment of the ask page (tests/community/test_pages.py)",
    "community:image": "an attached image (tests/community/test_connections.py)",
    "community:reply": POST_ONLY,
    "community:accept": POST_ONLY,
    "community:follow": POST_ONLY,
    "community:category-follow": POST_ONLY,
    "community:to-case": POST_ONLY,
    "community:to-article": POST_ONLY,
    "community:thread-moderate": POST_ONLY,
    "community:vote": POST_ONLY,
    "community:flag": POST_ONLY,
    "community:post-moderate": POST_ONLY,
    "phone:console-queue": "an htmx fragment of the phone console (tests/phone)",
    "phone:console-take": POST_ONLY,
    "phone:console-wrap-up": POST_ONLY,
    "phone:console-transfer": POST_ONLY,
    "phone:console-log": POST_ONLY,
    **{
        f"phone:voice-{step}": "the provider's voice webhook: a signed POST answered in TwiML"
        for step in (
            "incoming",
            "language",
            "pin",
            "severity",
            "hold",
            "wait",
            "dequeued",
            "status",
            "recording",
        )
    },
}
# Namespaces with their own look: the JSON API and Django's admin.
OTHER_NAMESPACES = {"api", "admin"}

# Error pages, reached as their people reach them.
ERRORS = [
    ("not-found", "visitor", "/no-such-page/", 404),
    ("forbidden", "customer", "/account/users/", 403),
]


def routes(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, URLPattern]:
    """Every named route, by namespaced name, outside OTHER_NAMESPACES."""
    found: dict[str, URLPattern] = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner not in OTHER_NAMESPACES:
                found |= routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern
    return found


@pytest.fixture
def world(db, media) -> dict[str, Any]:
    region = SupportRegionFactory(code="it", time_zone="Europe/Rome", windows=ALWAYS_OPEN)
    account = AccountFactory(
        name="Acme",
        license_plan=LicensePlanFactory(code="business"),
        support_plan=SupportPlanFactory(code="premier"),
        region=region,
    )
    for line, number in (("first", "+390200000101"), ("second", "+390200000102")):
        SupportNumber.objects.create(region=region, line=line, number=number)
    customer = UserFactory(
        account=account, email="ada@acme.example", first_name="Ada", last_name="Lovelace"
    )
    admin = AccountAdminFactory(account=account, email="admin@acme.example")
    Invitation.objects.create(
        account=account,
        email="grace@acme.example",
        role=Role.MEMBER,
        token_hash=invitation_hash(INVITATION_TOKEN),
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=7),
    )
    case = case_create(
        actor=customer,
        subject="Calls drop after five minutes on the Milan trunk",
        description="Every call drops after **5 minutes**.",
        severity=2,
    )
    return {
        **guide_and_video(),
        "case": case,
        "customer": customer,
        "account_admin": admin,
        "agent": VendorUserFactory(role=Role.AGENT_L1, region=region, email="l1@vendor.example"),
        "supervisor": VendorUserFactory(
            role=Role.SUPERVISOR, region=region, email="sup@vendor.example"
        ),
    }


def open_as(browser, live_server, world, who, path, viewport, language):
    """A new browser context for `who` (signed in unless a visitor), in `language`."""
    locale = {"en": "en-US", "it": "it-IT"}[language]
    user = None
    if who != "visitor":
        user = world[who]
        user.language = language  # a signed-in user's saved language wins over the browser's
        user.save(update_fields=["language"])
    page, _ = new_page(browser, viewport, locale=locale, user=user, base_url=live_server.url)
    response = page.goto(live_server.url + path)
    assert response is not None
    return page, response.status


def _targets() -> list[tuple[str, str, Any, int]]:
    found: list[tuple[str, str, Any, int]] = [
        (page.label, page.who, page, page.status) for page in PAGES
    ]
    found += [(name, who, path, status) for name, who, path, status in ERRORS]
    return found


TARGETS = _targets()


def _path(target: Any, world: dict[str, Any]) -> str:
    if isinstance(target, Page):
        return reverse(target.route, kwargs=target.kwargs(world) or None)
    return target


@pytest.mark.parametrize("language", ["en", "it"])
@pytest.mark.parametrize(("name", "who", "target", "status"), TARGETS, ids=[t[0] for t in TARGETS])
def test_every_page_fits_and_has_no_serious_accessibility_violations(
    browser, live_server, world, name, who, target, status, language
):
    """At desktop then phone width: nothing scrolls sideways, the assistant's button covers no
    content at the end of the page; at phone width, light then dark:
    no serious axe violation. One browser context per page and language (the theme follows the
    system setting live, theme.js, so switching it needs no second load)."""
    path = _path(target, world)
    page, got = open_as(browser, live_server, world, who, path, DESKTOP, language)
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        if width == "phone":
            page.set_viewport_size(viewport)
            got = page.reload().status
        assert got == status, path
        assert page.locator("html").get_attribute("lang") == language
        keep(page, f"{name}-{width}-{language}")
        header = page.evaluate(
            "document.querySelector('header.site-header').scrollWidth - window.innerWidth"
        )
        assert header <= 0, f"the top bar of {path} overflows at {width}"
        assert overflow(page) == 0, f"{path} is {overflow(page)} px too wide at {width}"
        covered = covered_by_assistant(page)
        assert not covered, f"the assistant's button covers {covered} on {path} at {width}"
    for scheme in ("light", "dark"):
        # Reduced motion turns Bootstrap's colour transitions off: axe must not see them halfway.
        page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
        # theme.js hears the change event and sets the theme (fails here by timing out if not)
        page.wait_for_function("s => document.documentElement.dataset.bsTheme === s", arg=scheme)
        assert serious_violations(page) == [], f"{path} in the {scheme} theme"
    page.context.close()
