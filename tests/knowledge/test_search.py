"""The one search (selectors.search.search): ranking, accents, plural and singular in English and
Italian, filters, visibility for every kind of reader, language, drafts, unpublishing, snippet
escaping, a constant number of queries, and content gaps (the search page records misses).

Runs on SQLite (FTS5) and, with DATABASE_URL=postgres://..., on PostgreSQL (tsvector + GIN).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.knowledge.conftest import EXPECTED, READERS, make_article, translate, translation_of
from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import Category, Guide, SearchEntry, SearchMiss, Video
from tierdesk.knowledge.search_text import highlight, parse_query, plain_text, terms
from tierdesk.knowledge.selectors.search import search
from tierdesk.knowledge.services.articles import (
    translation_publish,
    translation_save,
    translation_unpublish,
)
from tierdesk.knowledge.services.search import search_index_rebuild, search_index_update
from tierdesk.knowledge.services.videos import video_transcript_set

pytestmark = pytest.mark.django_db

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
Welcome to the tour of the console.

00:00:40.000 --> 00:00:44.000
Now we rotate the support PIN from the account page.
"""


def titles(results: Any) -> list[str]:
    return [hit.title for hit in results.hits]


# --- the text side --------------------------------------------------------------------------


def test_terms_fold_accents_and_stem_by_language():
    assert terms("Caffè e CITTÀ", "it") == terms("caffe e citta", "it")
    assert terms("invoices", "en") == terms("invoice", "en")
    assert terms("fatture", "it") == terms("fattura", "it")


def test_plain_text_drops_markup_and_keeps_raw_html_as_text():
    text = plain_text("# Title\n\nSee **bold** and [a link](https://x.example).\n\n<b>raw</b>")
    assert text == "Title See bold and a link. <b>raw</b>"


def test_query_drops_stopwords_unless_they_are_all():
    assert parse_query("how to reset my password ", ["en"]).stems["en"] == ("reset", "password")
    assert parse_query("the", ["en"]).stems["en"] == ("the",)


def test_highlight_escapes_everything_but_the_marks():
    query = parse_query("script", ["en"])
    html = highlight('<script>alert("x")</script> & more', query, "en")
    assert "<script" not in html
    assert "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)" in html


# --- search -----------------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_body_match(category):
    make_article(category, title="Exporting data", body="Talk about invoices once here.")
    make_article(category, title="Invoices", body="Download them from the billing page.")
    results = search(None, "invoice")
    assert titles(results) == ["Invoices", "Exporting data"]
    assert results.total == 2
    assert results.hits[0].score > results.hits[1].score


def test_accents_do_not_matter(category):
    make_article(category, title="Il caffè della città", body="Testo.", language="it")
    assert titles(search(None, "caffe citta")) == ["Il caffè della città"]
    assert titles(search(None, "CAFFÈ")) == ["Il caffè della città"]


@pytest.mark.parametrize(
    ("language", "title", "query"),
    [
        ("en", "Paying your invoices", "invoice"),
        ("en", "Download an invoice", "invoices"),
        ("it", "Scaricare le fatture", "fattura"),
        ("it", "Pagare una fattura", "fatture"),
        ("it", "Gli utenti dell'account", "utente"),
    ],
)
def test_plural_and_singular_find_each_other(category, language, title, query):
    make_article(category, title=title, body="Text.", language=language)
    assert titles(search(None, query)) == [title]


def test_the_last_word_is_a_prefix_while_typing(category):
    make_article(category, title="Password reset", body="Text.")
    assert titles(search(None, "passw")) == ["Password reset"]
    assert titles(search(None, "passw ")) == []  # a finished word is a word


def test_every_word_must_match(category):
    make_article(category, title="Reset the password", body="Text.")
    make_article(category, title="Reset the PIN", body="Text.")
    assert titles(search(None, "reset pin")) == ["Reset the PIN"]


def test_language_keeps_one_language(category):
    article = make_article(category, title="Support PIN", body="The PIN proves who you are.")
    translate(article, "it", "PIN di supporto", "Il PIN dimostra chi sei.")
    assert sorted(titles(search(None, "pin"))) == ["PIN di supporto", "Support PIN"]
    assert titles(search(None, "pin", language="it")) == ["PIN di supporto"]
    assert [hit.language for hit in search(None, "pin", language="en").hits] == ["en"]
    assert titles(search(None, "pin", language="fr")) == []


def test_kind_and_category_filters(category):
    other = Category.objects.create(slug="security", name_en="Security", name_it="Sicurezza")
    make_article(category, title="Billing PIN", body="Text.")
    make_article(other, title="Security PIN", body="Text.")
    guide = Guide.objects.create(slug="pins", title_en="All about the PIN", visibility="public")
    search_index_update(guide=guide)
    assert titles(search(None, "pin", category="security")) == ["Security PIN"]
    assert titles(search(None, "pin", kinds={"guide"})) == ["All about the PIN"]
    results = search(None, "pin", kinds={"article"})
    assert sorted(titles(results)) == ["Billing PIN", "Security PIN"]
    assert results.total == 2
    assert results.counts["article"] == 2
    assert results.counts["guide"] == 1
    assert titles(search(None, "pin", category="no-such")) == []
    assert titles(search(None, "pin", kinds=set())) == []


@pytest.mark.parametrize("reader", READERS)
def test_visibility_for_every_reader(readers, category, reader):
    for visibility in Visibility.values:
        make_article(category, title=f"Secret {visibility}", body="Text.", visibility=visibility)
        guide = Guide.objects.create(
            slug=f"g-{visibility}".replace("_", "-"),
            title_en=f"Secret guide {visibility}",
            visibility=visibility,
        )
        search_index_update(guide=guide)
        video = Video.objects.create(
            slug=f"v-{visibility}".replace("_", "-"),
            title=f"Secret video {visibility}",
            visibility=visibility,
            external_url="https://video.example/x",
            published=True,
        )
        video_transcript_set(video=video, vtt=VTT.replace("console", f"secret {visibility}"))
    results = search(readers[reader], "secret", limit=100)
    found = {(hit.kind, hit.title.split()[-1]) for hit in results.hits}
    expected = {
        (kind, str(v)) for v in EXPECTED[reader] for kind in ("article", "guide", "video")
    } | {("transcript", str(v)) for v in EXPECTED[reader]}
    assert found == expected
    assert results.total == len(expected)


def test_a_stale_index_shows_nobody_more_than_they_may_read(readers, category):
    article = make_article(category, title="Runbook", body="Text.")
    # A change made outside the services (the index still says "public").
    type(article).objects.filter(pk=article.pk).update(visibility=Visibility.AGENTS)
    assert titles(search(readers["free_member"], "runbook")) == []
    assert titles(search(readers["agent"], "runbook")) == ["Runbook"]
    search_index_update(article=article)
    assert SearchEntry.objects.get().visibility == Visibility.AGENTS


def test_drafts_are_never_found(readers, category):
    make_article(category, title="Draft plan", body="Text.", publish=False)
    for reader in READERS:
        assert titles(search(readers[reader], "draft")) == []


def test_unpublishing_removes_and_publishing_restores(category):
    article = make_article(category, title="Refunds", body="Text.")
    translation_unpublish(translation=translation_of(article))
    assert titles(search(None, "refund")) == []
    translation_publish(translation=translation_of(article))
    assert titles(search(None, "refund")) == ["Refunds"]


def test_an_edit_is_found_at_once(category):
    article = make_article(category, title="Refunds", body="Old words.")
    translation_save(article=article, language="en", title="Refunds", body="Brand new sentence.")
    assert titles(search(None, "sentence")) == ["Refunds"]
    assert titles(search(None, "old words")) == []


def test_a_hit_opens_its_page(category):
    article = make_article(category, title="Support PIN", body="The PIN proves who you are.")
    hit = search(None, "pin").hits[0]
    slug = translation_of(article).slug
    assert hit.url == reverse("knowledge:article", args=["en", slug])
    assert hit.kind == "article"
    assert hit.category == "Billing"
    assert "<mark>PIN</mark>" in hit.snippet_html


def test_a_transcript_hit_opens_the_video_at_that_moment():
    video = Video.objects.create(
        slug="tour", title="Console tour", external_url="https://video.example/x", published=True
    )
    video_transcript_set(video=video, vtt=VTT)
    hits = search(None, "rotating pins").hits
    assert [(hit.kind, hit.seek_seconds) for hit in hits] == [("transcript", 40)]
    assert hits[0].url.endswith("?t=40")
    assert "<mark>rotate</mark>" in hits[0].snippet_html
    video_transcript_set(video=video, vtt="")
    assert search(None, "rotating pins").hits == []


def test_hostile_text_is_shown_as_text(category):
    make_article(category, title="Hostile", body='Try <script>alert("x")</script> here.')
    hit = search(None, "script").hits[0]
    assert "<script" not in hit.snippet_html
    assert "&lt;<mark>script</mark>&gt;" in hit.snippet_html


def test_a_query_without_words_finds_nothing(category):
    make_article(category, title="Anything", body="Text.")
    assert search(None, "  !!  ").total == 0
    assert search(None, '"*) OR (').total == 0


def test_the_number_of_queries_does_not_grow_with_the_hits(readers, category):
    def count(n: int) -> int:
        for i in range(n):
            make_article(category, title=f"Widget {i}", body="Text.", visibility="signed_in")
        with CaptureQueriesContext(connection) as queries:
            assert len(search(readers["free_member"], "widget", category="billing").hits) > 0
        return len(queries)

    few = count(2)
    # Four counts (one per kind), the page, its entries, the visibility check, the category.
    assert count(15) == few <= 8


def test_rebuild_writes_the_same_index(category):
    make_article(category, title="Refunds", body="Text.")
    make_article(category, title="Draft", body="Text.", publish=False)
    before = list(SearchEntry.objects.values_list("kind", "object_id", "title_terms"))
    assert search_index_rebuild() == 1
    assert list(SearchEntry.objects.values_list("kind", "object_id", "title_terms")) == before
    assert titles(search(None, "refund")) == ["Refunds"]


def test_translation_delete_leaves_no_hit(category):
    article = make_article(category, title="Gone soon", body="Text.")
    translation_of(article).delete()
    assert titles(search(None, "gone")) == []
    assert SearchMiss.objects.count() == 0


def test_bulk_created_articles_are_found(category):
    from tierdesk.knowledge.services.catalogue import (
        NewArticle,
        NewTranslation,
        articles_bulk_create,
    )

    item = NewArticle(
        category=category,
        visibility=Visibility.PUBLIC,
        translations=[
            NewTranslation(
                language="en", slug="bulk", title="Bulk invoices", body="T.", status="published"
            ),
            NewTranslation(language="it", slug="bozza", title="Fatture in bozza", body="T."),
        ],
    )
    articles_bulk_create(items=[item])
    assert titles(search(None, "invoice")) == ["Bulk invoices"]
    assert titles(search(None, "fattura")) == []  # a draft


# --- the pages --------------------------------------------------------------------------------

SEARCH_URL = "/help/search/"


def _client(client: Any, user: Any) -> Any:
    if getattr(user, "is_authenticated", False):
        client.force_login(user)
    return client


def test_the_search_page_shows_hits_with_snippets(client, category):
    make_article(category, title="Support PIN", body='The PIN <script>alert("x")</script>.')
    response = client.get(SEARCH_URL, {"q": "pin script"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Support PIN" in html
    assert "&lt;<mark>script</mark>&gt;" in html
    assert "<script>alert" not in html
    assert "1 result for" in html


def test_htmx_gets_only_the_results(client, category):
    make_article(category, title="Support PIN", body="Text.")
    response = client.get(SEARCH_URL, {"q": "pin"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Support PIN" in html
    assert "<html" not in html
    assert 'id="search-form"' not in html


@pytest.mark.parametrize("reader", READERS)
def test_the_page_shows_each_reader_what_they_may_read(client, readers, category, reader):
    for visibility in Visibility.values:
        make_article(category, title=f"Secret {visibility}", body="Text.", visibility=visibility)
    html = _client(client, readers[reader]).get(SEARCH_URL, {"q": "secret"}).content.decode()
    for visibility in Visibility.values:
        assert (f"Secret {visibility}<" in html) == (visibility in EXPECTED[reader])


def test_filters_on_the_page(client, category):
    article = make_article(category, title="Support PIN", body="Text.")
    translate(article, "it", "PIN di supporto")
    html = client.get(SEARCH_URL, {"q": "pin", "language": "it"}).content.decode()
    assert "PIN di supporto" in html and "Support PIN<" not in html
    html = client.get(SEARCH_URL, {"q": "pin", "kind": "guide"}).content.decode()
    assert 'id="search-empty"' in html
    response = client.get(SEARCH_URL, {"q": "pin", "kind": "nonsense"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_search_without_results_is_a_content_gap_once_per_session(client, category):
    for _ in range(2):
        html = client.get(SEARCH_URL, {"q": "  Teleport  ME "}).content.decode()
        assert 'id="search-empty"' in html
    miss = SearchMiss.objects.get()
    assert (miss.query, miss.language, miss.count) == ("teleport me", "en", 1)
    other = type(client)()
    other.get(SEARCH_URL, {"q": "teleport me"})
    assert SearchMiss.objects.get().count == 2


def test_keystrokes_are_not_content_gaps(client, category):
    headers = {"HX-Request": "true", "HX-Trigger": "id_q"}
    client.get(SEARCH_URL, {"q": "telep"}, headers=headers)
    assert not SearchMiss.objects.exists()
    # The form's own request (Enter, leaving the box, a filter) counts.
    client.get(
        SEARCH_URL, {"q": "telep"}, headers={"HX-Request": "true", "HX-Trigger": "search-form"}
    )
    assert SearchMiss.objects.get().query == "telep"


def test_the_empty_state_suggests_the_assistant_and_the_community(client, readers, category):
    for reader in (None, readers["free_member"]):
        if reader is not None:
            client.force_login(reader)
        html = client.get(SEARCH_URL, {"q": "nothing"}).content.decode()
        empty = html.split('id="search-empty"')[1].split("</main>")[0]  # not the widget
        assert f'href="{reverse("assistant:page")}"' in empty
        assert "Ask the assistant" in empty
        assert f'href="{reverse("community:index")}"' in empty


def test_the_empty_state_offers_a_case_only_to_who_may_open_one(client, readers, category):
    html = client.get(SEARCH_URL, {"q": "nothing"}).content.decode()
    assert reverse("tickets:new") not in html
    client.force_login(readers["agent"])
    html = client.get(SEARCH_URL, {"q": "nothing"}).content.decode()
    assert reverse("tickets:new") not in html


def test_pages_of_results(client, category):
    for i in range(23):
        make_article(category, title=f"Widget {i}", body="Text.")
    html = client.get(SEARCH_URL, {"q": "widget"}).content.decode()
    assert html.count('class="list-group-item py-3 search-hit"') == 20
    assert "page=2" in html
    html = client.get(SEARCH_URL, {"q": "widget", "page": "2"}).content.decode()
    assert html.count('class="list-group-item py-3 search-hit"') == 3


def test_the_search_page_makes_a_constant_number_of_queries(client, readers, category):
    client.force_login(readers["paid_member"])

    def count(n: int) -> int:
        for i in range(n):
            make_article(category, title=f"Widget {i}", body="Text.", visibility="paid")
        with CaptureQueriesContext(connection) as queries:
            client.get(SEARCH_URL, {"q": "widget", "category": "billing"})
        return len(queries)

    assert count(2) == count(12)


@pytest.mark.parametrize("reader", READERS)
def test_content_gaps_are_for_the_staff_only(client, readers, reader):
    SearchMiss.objects.create(query="teleport", language="en", count=3)
    SearchMiss.objects.create(query="warp drive", language="it", count=9)
    response = _client(client, readers[reader]).get(reverse("knowledge:gaps"))
    if EXPECTED[reader] == set(Visibility):
        html = response.content.decode()
        assert html.index("warp drive") < html.index("teleport")
    else:
        assert response.status_code == 404


def test_the_rebuild_command_repairs_a_stale_index(category):
    from io import StringIO

    from django.core.management import call_command

    article = make_article(category, title="Runbook", body="Text.", visibility="agents")
    type(article).objects.filter(pk=article.pk).update(visibility=Visibility.PUBLIC)
    assert titles(search(None, "runbook")) == []  # the index still says agents only
    out = StringIO()
    call_command("search_rebuild", stdout=out)
    assert "Search index rebuilt: 1 entry." in out.getvalue()
    assert titles(search(None, "runbook")) == ["Runbook"]
