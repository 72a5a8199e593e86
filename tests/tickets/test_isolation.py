"""Nobody reaches another's objects: every API operation and every page, derived, not listed.

The API's operations come from the live OpenAPI schema of the ninja API, the pages from a walk of
the URL configuration, so an endpoint or a page added tomorrow is covered the day it exists: each
must be classified in `API_RULES` or `PAGE_RULES` (the test fails on one that is not), and each
path parameter is filled with the id of the victim's object that the parameter names.

Outsiders: a member and an admin of another account, an agent of another line, a supervisor of
another region, and a member of the victim's own account (for admin-only actions and for cases
that are not theirs). Each gets exactly the status in the rules (404 for an object they may not
see, like an object that does not exist; 403 where the route is not object-scoped), and nothing
changes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone

from tests.factories import (
    AccountAdminFactory,
    AccountFactory,
    LicensePlanFactory,
    SupportRegionFactory,
    UserFactory,
    VendorUserFactory,
)
from tierdesk.accounts.models import ApiToken, User
from tierdesk.accounts.roles import Role
from tierdesk.accounts.services.tokens import api_token_create
from tierdesk.config.api import api
from tierdesk.tickets.choices import Line
from tierdesk.tickets.models import (
    Attachment,
    Case,
    CaseEvent,
    Message,
    SelfEscalation,
    SlaClock,
)
from tierdesk.tickets.services.attachments import attachment_add
from tierdesk.tickets.services.cases import case_create, case_reply
from tierdesk.tickets.services.escalations import case_escalate, self_escalation_request

from .test_api import bearer

pytestmark = pytest.mark.django_db

MISSING = 987654

OUTSIDERS = (
    "other_member",
    "other_admin",
    "agent_of_another_line",
    "supervisor_of_another_region",
    "member_of_the_same_account",
)

# For each kind of route: what each outsider gets (None: not an outsider there; nothing to prove).
# The victim's case is on the engineering line, opened by the account's admin: an L1 agent and a
# plain member of the same account may not see it; supervisors see every case.
CASE = {
    "other_member": 404,
    "other_admin": 404,
    "agent_of_another_line": 404,
    "supervisor_of_another_region": None,
    "member_of_the_same_account": 404,
}
# The portal's actions are the customers': vendor staff are refused by role (403) before any
# lookup, exactly as for a missing id.
PORTAL_ACTION = {**CASE, "agent_of_another_line": 403}
# A customer's escalation request: decided only by the supervisors of the case's region.
DECISION = {**CASE, "supervisor_of_another_region": 404}
# A user of the victim's account, removed by its admins only. A member (of any account) may
# remove nobody: refused by role before any lookup, exactly as for a missing id.
ACCOUNT_USER = {
    "other_member": 403,
    "other_admin": 404,
    "agent_of_another_line": 404,
    "supervisor_of_another_region": 404,
    "member_of_the_same_account": 403,
}
# The victim's own API token: nobody else's business.
OWN_TOKEN = dict.fromkeys(OUTSIDERS, 404)
# Not object-scoped, admin-only: a member of the account is refused (403).
ADMIN_ONLY = {**dict.fromkeys(OUTSIDERS), "member_of_the_same_account": 403}
# Not object-scoped, each caller acts on what is theirs (lists are checked below).
OWN = dict.fromkeys(OUTSIDERS)
# The help center (/api/v1/help/): no tenant's object. Who may read what is the help center's
# one visibility rule, checked per reader on every endpoint in tests/knowledge/test_api.py.
HELP_CENTER = dict.fromkeys(OUTSIDERS)
HELP_PREFIX = "/api/v1/help/"
# Its path parameters name help-center things (a language code, a slug, an article's id).
HELP_PARAMETERS = {"language", "slug", "article_id"}
# The assistant (/api/v1/assistant/): its turns and hand-offs belong to the conversation whose
# token the caller sends (another's answers 404), its FAQ entries to the vendor's staff; both
# are checked per caller in tests/assistant/ (test_api.py, test_chat.py).
ASSISTANT = dict.fromkeys(OUTSIDERS)
ASSISTANT_PREFIX = "/api/v1/assistant/"
ASSISTANT_PARAMETERS = {"turn_id", "handoff_id", "entry_id"}
# The community (/api/v1/community/): a public forum, no tenant's object; who may read, post,
# vote, accept and moderate is the community's rules, checked per caller in tests/community/.
COMMUNITY = dict.fromkeys(OUTSIDERS)
COMMUNITY_PREFIX = "/api/v1/community/"
COMMUNITY_PARAMETERS = {"thread_id", "post_id", "slug"}  # slug: a category (public)
# Phone support (/api/v1/phone/): the vendor's agents' queue; a call belongs to the agent who
# took it (another agent's answers 404, a customer 403), checked in tests/phone/.
PHONE = dict.fromkeys(OUTSIDERS)
PHONE_PREFIX = "/api/v1/phone/"
PHONE_PARAMETERS = {"entry_id"}
OWN_PREFIXES = (HELP_PREFIX, ASSISTANT_PREFIX, COMMUNITY_PREFIX, PHONE_PREFIX)

API_RULES: dict[str, dict[str, int | None]] = {
    "get /api/v1/me": OWN,
    "get /api/v1/account": OWN,
    "get /api/v1/account/users": ADMIN_ONLY,
    "post /api/v1/account/users/invitations": ADMIN_ONLY,
    "delete /api/v1/account/users/{user_id}": ACCOUNT_USER,
    "post /api/v1/account/pin/rotate": ADMIN_ONLY,
    "get /api/v1/me/tokens": OWN,
    "post /api/v1/me/tokens": OWN,
    "delete /api/v1/me/tokens/{token_id}": OWN_TOKEN,
    "get /api/v1/cases": OWN,
    "post /api/v1/cases": OWN,
    "get /api/v1/cases/{case_id}": CASE,
    "get /api/v1/cases/{case_id}/sla": CASE,
    "get /api/v1/cases/{case_id}/messages": CASE,
    "post /api/v1/cases/{case_id}/messages": CASE,
    "get /api/v1/cases/{case_id}/attachments": CASE,
    "post /api/v1/cases/{case_id}/attachments": CASE,
    "get /api/v1/cases/{case_id}/attachments/{attachment_id}": CASE,
    "post /api/v1/cases/{case_id}/severity": CASE,
    "post /api/v1/cases/{case_id}/status": CASE,
    "post /api/v1/cases/{case_id}/assign": CASE,
    "post /api/v1/cases/{case_id}/escalate": CASE,
    "get /api/v1/cases/{case_id}/self-escalations": CASE,
    "post /api/v1/cases/{case_id}/self-escalations": CASE,
    "post /api/v1/self-escalations/{request_id}/decision": DECISION,
    "get /api/v1/help/categories": HELP_CENTER,
    "get /api/v1/help/articles": HELP_CENTER,
    "post /api/v1/help/articles": HELP_CENTER,
    "get /api/v1/help/articles/{language}/{slug}": HELP_CENTER,
    "put /api/v1/help/articles/{article_id}/translations/{language}": HELP_CENTER,
    "post /api/v1/help/articles/{article_id}/translations/{language}/publish": HELP_CENTER,
    "post /api/v1/help/articles/{article_id}/translations/{language}/unpublish": HELP_CENTER,
    "get /api/v1/help/guides": HELP_CENTER,
    "get /api/v1/help/guides/{slug}": HELP_CENTER,
    "get /api/v1/help/videos": HELP_CENTER,
    "get /api/v1/help/videos/{slug}": HELP_CENTER,
    "get /api/v1/help/search": HELP_CENTER,
    "post /api/v1/assistant/ask": ASSISTANT,
    "post /api/v1/assistant/turns/{turn_id}/feedback": ASSISTANT,
    "post /api/v1/assistant/handoffs/{handoff_id}/case": ASSISTANT,
    "get /api/v1/assistant/faq": ASSISTANT,
    "post /api/v1/assistant/faq": ASSISTANT,
    "get /api/v1/assistant/faq/{entry_id}": ASSISTANT,
    "patch /api/v1/assistant/faq/{entry_id}": ASSISTANT,
    "delete /api/v1/assistant/faq/{entry_id}": ASSISTANT,
    "get /api/v1/community/categories": COMMUNITY,
    "get /api/v1/community/threads": COMMUNITY,
    "post /api/v1/community/threads": COMMUNITY,
    "get /api/v1/community/threads/{thread_id}": COMMUNITY,
    "get /api/v1/community/similar": COMMUNITY,
    "post /api/v1/community/threads/{thread_id}/replies": COMMUNITY,
    "post /api/v1/community/posts/{post_id}/vote": COMMUNITY,
    "patch /api/v1/community/posts/{post_id}": COMMUNITY,
    "get /api/v1/community/posts/{post_id}/revisions": COMMUNITY,
    "post /api/v1/community/posts/{post_id}/images": COMMUNITY,
    "put /api/v1/community/threads/{thread_id}/follow": COMMUNITY,
    "delete /api/v1/community/threads/{thread_id}/follow": COMMUNITY,
    "put /api/v1/community/categories/{slug}/follow": COMMUNITY,
    "delete /api/v1/community/categories/{slug}/follow": COMMUNITY,
    "post /api/v1/community/threads/{thread_id}/accept": COMMUNITY,
    "post /api/v1/community/posts/{post_id}/flag": COMMUNITY,
    "get /api/v1/community/moderation/flags": COMMUNITY,
    "get /api/v1/community/moderation/log": COMMUNITY,
    "post /api/v1/community/posts/{post_id}/moderation": COMMUNITY,
    "post /api/v1/community/threads/{thread_id}/moderation": COMMUNITY,
    "get /api/v1/phone/queue": PHONE,
    "post /api/v1/phone/queue/take": PHONE,
    "get /api/v1/phone/ring-number": PHONE,
    "put /api/v1/phone/ring-number": PHONE,
    "get /api/v1/phone/calls/mine": PHONE,
    "post /api/v1/phone/calls/{entry_id}/wrap-up": PHONE,
    "post /api/v1/phone/calls/{entry_id}/transfer": PHONE,
}

# Pages with int ids in their address: (method, {kwarg: victim object}, rule).
PAGE_RULES: dict[str, tuple[str, dict[str, str], dict[str, int | None]]] = {
    "case-detail": ("get", {"pk": "case"}, CASE),
    "tickets:reply": ("post", {"pk": "case"}, PORTAL_ACTION),
    "tickets:self-escalate": ("post", {"pk": "case"}, PORTAL_ACTION),
    "tickets:attachment": ("get", {"pk": "case", "attachment_id": "attachment"}, CASE),
    "tickets:console-clocks": ("get", {"pk": "case"}, CASE),
    "tickets:console-explain": ("get", {"pk": "case"}, CASE),
    "tickets:console-claim": ("post", {"pk": "case"}, CASE),
    "tickets:console-assign": ("post", {"pk": "case"}, CASE),
    "tickets:console-reply": ("post", {"pk": "case"}, CASE),
    "tickets:console-note": ("post", {"pk": "case"}, CASE),
    "tickets:console-severity": ("post", {"pk": "case"}, CASE),
    "tickets:console-status": ("post", {"pk": "case"}, CASE),
    "tickets:console-escalate": ("post", {"pk": "case"}, CASE),
    "tickets:console-tags": ("post", {"pk": "case"}, CASE),
    "tickets:console-merge": ("post", {"pk": "case"}, CASE),
    "tickets:escalation-decide": ("post", {"pk": "request"}, DECISION),
    "account-users-remove": ("post", {"user_id": "member"}, ACCOUNT_USER),
    "api-token-revoke": ("post", {"token_id": "token"}, OWN_TOKEN),
}

# The victim's object each path parameter of the API names.
API_PARAMETERS = {
    "case_id": "case",
    "attachment_id": "attachment",
    "request_id": "request",
    "user_id": "member",
    "token_id": "token",
}

# A form that every page's action would accept from someone allowed to act.
FORM = {
    "body": "Let me in",
    "severity": "1",
    "status": "solved",
    "reason": "critical_failure",
    "details": "x",
    "line": "engineering",
    "assignee": "",
    "decision": "accept",
    "tags": "hacked",
    "target": "1",
    "note": "x",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def victim(region, agent, agent_l2):
    """An Enterprise account's case on engineering, with a note, a reply, a file, a request."""
    account = AccountFactory(license_plan=LicensePlanFactory(code="enterprise"), region=region)
    owner = AccountAdminFactory(account=account)
    member = UserFactory(account=account)
    case = case_create(
        actor=owner,
        subject="Secret outage",
        description="Our secret project.",
        severity=2,
        now=timezone.now() - timedelta(hours=30),
    )
    case_reply(actor=agent, case=case, body="Public answer")
    case_reply(actor=agent, case=case, body="Internal note", public=False)
    attachment = attachment_add(
        actor=owner,
        case=case,
        upload=SimpleUploadedFile("secret.txt", b"secret", content_type="text/plain"),
    )
    request = self_escalation_request(actor=owner, case=case, reason="critical_failure")
    case_escalate(actor=agent_l2, case=case, line=Line.ENGINEERING, reason="bug")
    token, _secret = api_token_create(user=owner, name="victim's")
    return {
        "case": case,
        "owner": owner,
        "member": member,
        "attachment": attachment,
        "request": request,
        "token": token,
    }


@pytest.fixture
def outsiders(victim, other_customer, agent):
    other_region = SupportRegionFactory(code="us", name="United States")
    return {
        "other_member": other_customer,
        "other_admin": AccountAdminFactory(account=other_customer.account),
        "agent_of_another_line": agent,
        "supervisor_of_another_region": VendorUserFactory(
            role=Role.SUPERVISOR, region=other_region
        ),
        "member_of_the_same_account": victim["member"],
    }


def snapshot() -> tuple[Any, ...]:
    """Everything an outsider's request could change."""
    case = Case.objects.get()
    return (
        case.status,
        case.severity,
        case.line,
        case.assignee_id,
        sorted(case.tags.values_list("name", flat=True)),
        Message.objects.count(),
        Attachment.objects.count(),
        CaseEvent.objects.count(),
        list(SelfEscalation.objects.values_list("decision", flat=True)),
        list(SlaClock.objects.values_list("due_at", flat=True)),
        sorted(User.objects.values_list("pk", "is_active")),
        sorted(ApiToken.objects.values_list("pk", "revoked_at")),
    )


# --- the API: every operation of the live schema ------------------------------------------------


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method, path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


OPERATIONS = _operations()
# The operations on tenants' objects (the help center's are checked in tests/knowledge).
TENANT_OPERATIONS = [op for op in OPERATIONS if not op[1].startswith(OWN_PREFIXES)]
COMPONENTS = api.get_openapi_schema()["components"]["schemas"]


def test_every_api_operation_is_classified():
    found = {f"{method} {path}" for method, path, _operation in OPERATIONS}
    assert found - set(API_RULES) == set(), "classify each new operation in API_RULES"
    assert set(API_RULES) - found == set(), "API_RULES names an operation that no longer exists"
    for _method, path, operation in OPERATIONS:
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                known = API_PARAMETERS
                if path.startswith(HELP_PREFIX):
                    known = HELP_PARAMETERS
                elif path.startswith(ASSISTANT_PREFIX):
                    known = ASSISTANT_PARAMETERS
                elif path.startswith(COMMUNITY_PREFIX):
                    known = COMMUNITY_PARAMETERS
                elif path.startswith(PHONE_PREFIX):
                    known = PHONE_PARAMETERS
                assert parameter["name"] in known, (path, parameter["name"])


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def example_of(schema: dict[str, Any]) -> Any:
    """A valid value of a JSON schema: the first of an enum, the minimum of a number, ..."""
    schema = _resolve(schema)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return example_of(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example_of(properties[name]) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return True
    if schema.get("format") == "binary":
        return SimpleUploadedFile("log.txt", b"line\n", content_type="text/plain")
    if schema.get("format") == "email":
        return "someone@example.com"
    return "A valid reason"


def call(client: Client, method: str, path: str, operation: dict[str, Any], ids, headers):
    url = path.format(**{name: ids[API_PARAMETERS[name]] for name in API_PARAMETERS})
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        body = example_of(content["multipart/form-data"]["schema"])
        body = {k: v for k, v in body.items() if v is not None}
        return getattr(client, method)(url, body, headers=headers)
    if "application/json" in content:
        body = example_of(content["application/json"]["schema"])
        return getattr(client, method)(url, body, content_type="application/json", headers=headers)
    return getattr(client, method)(url, headers=headers)


def _ids(victim) -> dict[str, int]:
    return {key: victim[key].pk for key in ("case", "attachment", "request", "member", "token")}


API_CHECKS = [
    pytest.param(method, path, operation, who, id=f"{method} {path} [{who}]")
    for method, path, operation in OPERATIONS
    for who in OUTSIDERS
    if API_RULES.get(f"{method} {path}", OWN)[who] is not None
]


@pytest.mark.parametrize(("method", "path", "operation", "who"), API_CHECKS)
def test_every_api_operation_refuses_each_outsider(
    client, victim, outsiders, method, path, operation, who
):
    headers = bearer(outsiders[who])
    before = snapshot()
    response = call(client, method, path, operation, _ids(victim), headers)
    expected = API_RULES[f"{method} {path}"][who]
    assert response.status_code == expected, (who, path, response.content[:300])
    assert b"secret" not in response.content.lower()
    assert snapshot() == before
    if "{" in path:
        ids = dict.fromkeys(API_PARAMETERS.values(), MISSING)
        missing = call(client, method, path, operation, ids, headers)
        assert missing.status_code == expected, "a missing id must answer the same"


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [pytest.param(m, p, o, id=f"{m} {p}") for m, p, o in TENANT_OPERATIONS if "{" in p],
)
def test_a_missing_id_answers_the_same_404(client, victim, outsiders, method, path, operation):
    ids = dict.fromkeys(API_PARAMETERS.values(), MISSING)
    response = call(client, method, path, operation, ids, bearer(outsiders["other_admin"]))
    assert response.status_code == 404


def test_the_victim_reaches_every_object_scoped_operation(client, victim):
    """The derived calls are valid: for someone allowed, none answers 404 or 422."""
    for method, path, operation in TENANT_OPERATIONS:
        if "{" not in path or method != "get":
            continue
        user = victim["owner"]
        response = call(client, method, path, operation, _ids(victim), bearer(user))
        assert response.status_code == 200, (path, response.status_code)
        # A download streams its file: close the response (without closing the test's database
        # connection, as the end of a request would).
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)


def test_a_foreign_attachment_under_ones_own_case_is_404(client, victim, other_customer):
    own = case_create(actor=other_customer, subject="Mine", description="Mine", severity=3)
    url = f"/api/v1/cases/{own.pk}/attachments/{victim['attachment'].pk}"
    assert client.get(url, headers=bearer(other_customer)).status_code == 404


def test_the_list_and_search_never_show_a_foreign_case(client, victim, outsiders):
    for who in (
        "other_member",
        "other_admin",
        "agent_of_another_line",
        "member_of_the_same_account",
    ):
        headers = bearer(outsiders[who])
        for query in ("", f"?search=%23{victim['case'].pk}", "?search=secret"):
            assert client.get(f"/api/v1/cases{query}", headers=headers).json()["count"] == 0


def test_a_foreign_cc_or_requester_id_reads_like_a_missing_one(client, victim, other_customer):
    headers = bearer(other_customer)
    body = {"subject": "x", "description": "y", "severity": 3, "cc": [victim["owner"].pk]}
    foreign = client.post("/api/v1/cases", body, content_type="application/json", headers=headers)
    missing = client.post(
        "/api/v1/cases", {**body, "cc": [MISSING]}, content_type="application/json", headers=headers
    )
    assert foreign.status_code == missing.status_code == 422
    assert foreign.json() == missing.json()


def test_customers_never_read_internal_notes_of_their_own_case(client, victim):
    bodies = [
        m["body"]
        for m in client.get(
            f"/api/v1/cases/{victim['case'].pk}/messages", headers=bearer(victim["owner"])
        ).json()["items"]
    ]
    assert bodies == ["Public answer"]


# --- the pages: every named route with int ids ----------------------------------------------------


def _routes(
    resolver: URLResolver | None = None, namespace: str = ""
) -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            found += _routes(pattern, inner)
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            found.append((name, pattern))
    return found


def _int_routes() -> dict[str, URLPattern]:
    """Every named route whose address holds a tenant's int id.

    The admin and the API are checked elsewhere; the help center's ids (an article's, a
    version's number) name no tenant's object: who may see them is the help center's visibility
    rule, tested for every page in tests/knowledge/. The assistant's (a turn's, a hand-off's)
    are looked up in the asker's own conversation only, tested in tests/assistant/test_chat.py.
    The community's (a thread's, a post's) are a public forum's, under the community's rules
    (tests/community/); the phone console's (a call's) are the taking agent's (tests/phone/).
    """
    return {
        name: pattern
        for name, pattern in _routes()
        if not name.startswith(
            ("admin:", "api:", "knowledge:", "assistant:", "community:", "phone:")
        )
        and any(isinstance(c, IntConverter) for c in pattern.pattern.converters.values())
    }


PAGES = _int_routes()


def test_every_page_with_an_id_is_classified():
    assert set(PAGES) - set(PAGE_RULES) == set(), "classify each new page in PAGE_RULES"
    assert set(PAGE_RULES) - set(PAGES) == set(), "PAGE_RULES names a page that no longer exists"
    for name, (_method, kwargs, _rule) in PAGE_RULES.items():
        ints = {
            key
            for key, converter in PAGES[name].pattern.converters.items()
            if isinstance(converter, IntConverter)
        }
        assert ints == set(kwargs), name


def _page_url(name: str, ids: dict[str, int]) -> str:
    _method, kwargs, _rule = PAGE_RULES[name]
    values: dict[str, Any] = {key: ids[obj] for key, obj in kwargs.items()}
    for key in PAGES[name].pattern.converters:
        values.setdefault(key, "first_response")  # the one str parameter: a clock's target
    return reverse(name, kwargs=values)


PAGE_CHECKS = [
    pytest.param(name, who, id=f"{name} [{who}]")
    for name in PAGE_RULES
    for who in OUTSIDERS
    if PAGE_RULES[name][2][who] is not None
]


@pytest.mark.parametrize(("name", "who"), PAGE_CHECKS)
def test_every_page_refuses_each_outsider(victim, outsiders, name, who):
    method, _kwargs, rule = PAGE_RULES[name]
    browser = Client()
    browser.force_login(outsiders[who])
    before = snapshot()
    url = _page_url(name, _ids(victim))
    response = getattr(browser, method)(url, FORM) if method == "post" else browser.get(url)
    assert response.status_code == rule[who], (url, response.status_code)
    assert b"secret" not in response.content.lower()
    assert snapshot() == before
    missing = _page_url(name, dict.fromkeys(_ids(victim), MISSING))
    again = getattr(browser, method)(missing, FORM) if method == "post" else browser.get(missing)
    assert again.status_code == rule[who], missing  # no difference to learn from


def test_the_owner_sees_the_case_page(victim):
    browser = Client()
    browser.force_login(victim["owner"])
    response = browser.get(reverse("case-detail", kwargs={"pk": victim["case"].pk}))
    assert response.status_code == 200
    assert b"Secret outage" in response.content
    assert b"Internal note" not in response.content


def test_the_attachment_page_is_404_under_another_case(victim, other_customer):
    browser = Client()
    browser.force_login(other_customer)
    own = case_create(actor=other_customer, subject="Mine", description="Mine", severity=3)
    crossed = reverse(
        "tickets:attachment", kwargs={"pk": own.pk, "attachment_id": victim["attachment"].pk}
    )
    assert browser.get(crossed).status_code == 404
    owner = Client()
    owner.force_login(victim["owner"])
    foreign = reverse(
        "tickets:attachment",
        kwargs={"pk": victim["case"].pk, "attachment_id": victim["attachment"].pk},
    )
    response = owner.get(foreign)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret"
