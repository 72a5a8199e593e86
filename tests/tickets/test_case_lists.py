"""The API's case list at scale: every filter gives what the rules say, a page costs the same few
queries whatever its size, the count is capped, and on SQLite each filter's page is read from a
list index in the list's order (no sort of every match)."""

import itertools
import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory, VendorUserFactory
from tierdesk.accounts.roles import Role
from tierdesk.tickets import api as cases_api
from tierdesk.tickets.choices import Line, Status
from tierdesk.tickets.models import Case
from tierdesk.tickets.selectors import api as reads
from tierdesk.tickets.selectors.cases import CaseFilters, visible_cases

from .test_api import bearer

pytestmark = pytest.mark.django_db

STATUSES = [Status.NEW, Status.OPEN, Status.WAITING, Status.SOLVED, Status.CLOSED]
LINES = [Line.L1, Line.L2, Line.ENGINEERING]


@pytest.fixture
def many(premier_account, other_customer, customer, account_admin, agent, agent_l2):
    """60 cases written directly (the list reads rows; how they were opened does not matter)."""
    rng = random.Random(3)
    colleague = UserFactory(account=premier_account, email="colleague@premier.example")
    requesters = [customer, account_admin, colleague, other_customer]
    now = timezone.now()
    cases = []
    for i in range(60):
        requester = rng.choice(requesters)
        cases.append(
            Case(
                account_id=requester.account_id,
                requester=requester,
                subject=("Recording fails" if i % 7 == 0 else "Audio drops") + f" {i}",
                description="Steps to reproduce.",
                severity=rng.randint(1, 4),
                channel="web",
                line=rng.choice(LINES),
                status=rng.choice(STATUSES),
                assignee=rng.choice([None, agent, agent_l2]),
                region_id=premier_account.region_id,
                # Ties on purpose: the id breaks them, newest first.
                created_at=now - timedelta(minutes=i // 3),
            )
        )
    cases = Case.objects.bulk_create(cases)
    Case.cc.through.objects.create(case_id=cases[5].pk, user_id=customer.pk)
    return cases


QUERIES = [
    "",
    "status=open",
    "severity=2",
    "line=l2",
    "search=recording",
    "mine=true",
    "status=open&severity=2",
    "status=closed&line=engineering",
    "status=new&mine=true",
    "severity=3&line=l1&search=audio",
]


def _expected(user, query, account_id=None):
    """The rules written plainly: the visible cases, filtered, newest first (ties: higher id)."""
    params = dict(p.split("=") for p in query.split("&") if p)
    if account_id is not None:
        params["account"] = str(account_id)
    rows = []
    for case in visible_cases(user):
        if "status" in params and case.status != params["status"]:
            continue
        if "severity" in params and case.severity != int(params["severity"]):
            continue
        if "line" in params and case.line != params["line"]:
            continue
        if "account" in params and case.account_id != int(params["account"]):
            continue
        if "mine" in params and user.pk not in (case.requester_id, case.assignee_id):
            continue
        term = params.get("search", "").lower()
        if term and term not in f"{case.subject} {case.description}".lower():
            continue
        rows.append(case)
    rows.sort(key=lambda c: (c.created_at, c.pk), reverse=True)
    return [c.pk for c in rows]


@pytest.mark.parametrize("query", QUERIES)
def test_every_filter_alone_and_combined_lists_what_the_rules_say(
    client, many, customer, account_admin, agent, agent_l2, supervisor, query
):
    engineer = VendorUserFactory(role=Role.ENGINEER, region=agent.region, email="e@v.example")
    for user in (customer, account_admin, agent, agent_l2, engineer, supervisor):
        expected = _expected(user, query)
        got, offset = [], 0
        while True:
            body = client.get(
                f"/api/v1/cases?{query}&limit=7&offset={offset}", headers=bearer(user)
            ).json()
            got += [row["id"] for row in body["items"]]
            assert body["count"] == len(expected), (user.email, query)
            assert body["count_capped"] is False
            if len(body["items"]) < 7:
                break
            offset += 7
        assert got == expected, (user.email, query)


def test_the_account_filter_for_agents(client, many, supervisor, premier_account):
    body = client.get(
        f"/api/v1/cases?account={premier_account.pk}&status=open&limit=200",
        headers=bearer(supervisor),
    ).json()
    expected = _expected(supervisor, "status=open", account_id=premier_account.pk)
    assert [row["id"] for row in body["items"]] == expected


def test_a_page_costs_the_same_queries_whatever_its_size(
    client, many, supervisor, django_assert_max_num_queries
):
    headers = bearer(supervisor)
    client.get("/api/v1/cases", headers=headers)  # the token's last-used write, once a minute
    counts = []
    for limit in (1, 10, 50):
        with CaptureQueriesContext(connection) as context:
            body = client.get(f"/api/v1/cases?limit={limit}", headers=headers).json()
        assert len(body["items"]) == limit
        counts.append(len(context))
    # Token, count, page (ids from the index, then the rows with their people): no N+1.
    assert counts == [3, 3, 3]
    # A page shorter than the limit is the last one: its count needs no query.
    with django_assert_max_num_queries(2):
        body = client.get("/api/v1/cases?limit=200", headers=headers).json()
    assert body["count"] == len(body["items"]) == 60


def test_the_count_is_capped(client, many, supervisor, monkeypatch):
    monkeypatch.setattr(cases_api, "COUNT_LIMIT", 25)
    body = client.get("/api/v1/cases?limit=10", headers=bearer(supervisor)).json()
    assert (body["count"], body["count_capped"]) == (25, True)
    # The last page says the exact number, capped or not.
    body = client.get("/api/v1/cases?limit=10&offset=55", headers=bearer(supervisor)).json()
    assert (body["count"], body["count_capped"], len(body["items"])) == (60, False, 5)
    # An offset past the end still counts.
    body = client.get("/api/v1/cases?limit=10&offset=500", headers=bearer(supervisor)).json()
    assert (body["count"], body["count_capped"], body["items"]) == (25, True, [])


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.parametrize(
    ("who", "filters", "index"),
    [
        ("supervisor", {}, "case_list_newest"),
        ("supervisor", {"status": "open"}, "case_list_status"),
        ("supervisor", {"severity": 1}, "case_list_severity"),
        ("supervisor", {"line": "l2"}, "case_list_line"),
        ("supervisor", {"account_id": 1}, "case_account_newest"),
        ("supervisor", {"mine": True}, "case_list_assignee"),
        ("supervisor", {"status": "open", "severity": 1}, "case_status_severity"),
        ("customer", {"mine": True}, "case_list_requester"),
        # Either serves it in order from the index alone; which one depends on the statistics.
        ("account_admin", {"status": "open"}, "case_account_newest|case_list_status"),
    ],
)
def test_each_filter_pages_through_a_list_index_without_sorting_its_matches(
    many, supervisor, customer, account_admin, who, filters, index
):
    user = {"supervisor": supervisor, "customer": customer, "account_admin": account_admin}[who]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    base = {k: v for k, v in filters.items() if k in ("status", "severity", "mine")}
    queryset = reads.api_case_list(
        user,
        reads.ApiCaseFilters(
            base=CaseFilters(**base),
            line=filters.get("line"),
            account_id=filters.get("account_id"),
        ),
    )
    sql, params = queryset.values("pk")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    # The ids come from the index alone, already in the list's order: no temporary sort.
    assert any(
        f"USING COVERING INDEX {name} " in f"{step} " for name in index.split("|") for step in plan
    ), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan


def test_lists_and_filters_do_not_depend_on_query_order(client, many, supervisor):
    """The same filters in any order give the same page (one query shape per filter set)."""
    pairs = ["status=open", "severity=2", "line=l1"]
    pages = {
        tuple(
            row["id"]
            for row in client.get(
                "/api/v1/cases?" + "&".join(order), headers=bearer(supervisor)
            ).json()["items"]
        )
        for order in itertools.permutations(pairs)
    }
    assert len(pages) == 1


# --- search -----------------------------------------------------------------------------------


def _search(client, user, term):
    from urllib.parse import quote

    body = client.get(f"/api/v1/cases?limit=200&search={quote(term)}", headers=bearer(user))
    assert body.status_code == 200, body.content
    return [row["id"] for row in body.json()["items"]]


@pytest.fixture
def texts(premier_account, customer):
    now = timezone.now()
    subjects = [
        ("Cloud recording stops", "After ten minutes the recording ends."),
        ("Audio drops", "Città di Roma: the caller's audio drops."),
        ("Sign-in fails", "Single sign-on answers HTTP 500."),
        ("Recordings missing", "Nothing in the library."),
    ]
    return Case.objects.bulk_create(
        Case(
            account_id=customer.account_id,
            requester=customer,
            subject=subject,
            description=description,
            severity=3,
            channel="web",
            region_id=premier_account.region_id,
            created_at=now - timedelta(minutes=i),
        )
        for i, (subject, description) in enumerate(subjects)
    )


@pytest.mark.parametrize("few", [True, False], ids=["reads-matches", "walks-the-index"])
def test_search_finds_words_by_their_beginning_in_subject_and_description(
    client, texts, supervisor, monkeypatch, few
):
    from tierdesk.tickets.selectors import cases as case_selectors

    # Both plans of SQLite give the same answer: few matches read by id, or the list's index
    # walked with the matches as a set.
    monkeypatch.setattr(case_selectors, "SEARCH_FEW", 1000 if few else 0)
    cloud, audio, sign, missing = (c.pk for c in texts)
    assert _search(client, supervisor, "recording") == [cloud, missing]
    assert _search(client, supervisor, "RECORD") == [cloud, missing]
    assert _search(client, supervisor, "recording ten") == [cloud]  # every word
    assert _search(client, supervisor, "città") == [audio]
    if connection.vendor == "sqlite":
        assert _search(client, supervisor, "citta") == [audio]  # FTS5 folds accents
    assert _search(client, supervisor, "sign-on 500") == [sign]
    assert _search(client, supervisor, f"#{sign}") == [sign]
    assert _search(client, supervisor, str(missing)) == [missing]
    assert _search(client, supervisor, "zebra") == []
    assert _search(client, supervisor, '"*') == []  # no words: nothing, not an error
    assert _search(client, supervisor, "ord") == []  # beginnings of words, not any substring


def test_search_follows_changed_and_deleted_cases(client, texts, supervisor):
    cloud = texts[0]
    Case.objects.filter(pk=cloud.pk).update(subject="Webinar page blank")
    assert _search(client, supervisor, "webinar") == [cloud.pk]
    assert cloud.pk not in _search(client, supervisor, "cloud")
    Case.objects.filter(pk=cloud.pk).delete()
    assert _search(client, supervisor, "webinar") == []


def test_a_search_count_is_capped_too(client, many, supervisor, monkeypatch):
    monkeypatch.setattr(cases_api, "COUNT_LIMIT", 3)
    body = client.get("/api/v1/cases?search=audio&limit=2", headers=bearer(supervisor)).json()
    assert (body["count"], body["count_capped"]) == (3, True)


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_search_uses_the_full_text_index(many, supervisor):
    queryset = reads.api_case_list(
        supervisor, reads.ApiCaseFilters(base=CaseFilters(search="recording"))
    )
    sql, params = queryset.values("pk")[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "case_search" in plan, plan


def test_the_rows_are_exactly_the_schema_and_agree_with_a_read(client, many, supervisor, agent):
    """The list renders its rows without the schema's validation: they must be what it gives."""
    from tierdesk.tickets.api import PagedCaseOut

    headers = bearer(supervisor)
    raw = client.get("/api/v1/cases?limit=20", headers=headers).json()
    validated = PagedCaseOut.model_validate(raw).model_dump(mode="json")
    assert set(raw) == {"items", "count", "count_capped"}
    assert [set(row) for row in raw["items"]] == [set(row) for row in validated["items"]]
    for row in raw["items"]:
        detail = client.get(f"/api/v1/cases/{row['id']}", headers=headers).json()
        assert row == {key: detail[key] for key in row}
    assert any(row["assignee"] for row in raw["items"])


def test_a_number_is_looked_up_as_a_case_number_only(texts):
    """Not also as a word: on PostgreSQL that made the planner read the whole table."""
    from tierdesk.tickets.selectors.cases import search_q

    for term in ("500", "#500"):
        sql = str(Case.objects.filter(search_q(term)).query)
        assert "tickets_case_search" not in sql and "to_tsvector" not in sql, sql
    assert list(Case.objects.filter(search_q(f"#{texts[2].pk}"))) == [texts[2]]
