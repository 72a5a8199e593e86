"""The help center's API (/api/v1/help/): every read endpoint by visibility for visitors, free
and paid members and agents (404 for what the caller may not read, like a missing thing),
anonymous reads, filters, rendered and sanitised HTML, and the staff's writes (versions written,
403 for anyone else, 422 for bad input)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from tests.tickets.test_api import bearer
from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import (
    ArticleTag,
    ArticleVersion,
    Category,
    Guide,
    GuideChapter,
    TranscriptCue,
    Video,
    VideoChapter,
)
from tierdesk.knowledge.schemas import LanguageValue

from .conftest import EXPECTED, make_article, translate, translation_of

BASE = "/api/v1/help"
API_READERS = ["visitor", "free_member", "paid_member", "agent"]


def get(client: Client, reader: str, readers: dict[str, Any], url: str, **params: Any) -> Any:
    user = readers[reader]
    headers = bearer(user) if user.is_authenticated else {}
    return client.get(f"{BASE}{url}", params, headers=headers)


@pytest.fixture
def shelf(db) -> dict[str, Any]:
    """Of each visibility: a category holding an article (en + it), a guide, a video."""
    made: dict[str, Any] = {}
    for visibility in Visibility:
        category = Category.objects.create(
            slug=f"shelf-{visibility}", name_en=f"Shelf {visibility}"
        )
        article = make_article(category, title=f"Article {visibility}", visibility=visibility)
        translate(article, "it", f"Articolo {visibility}")
        guide = Guide.objects.create(
            slug=f"guide-{visibility}", title_en=f"Guide {visibility}", visibility=visibility
        )
        GuideChapter.objects.create(guide=guide, article=article, position=1)
        video = Video.objects.create(
            slug=f"video-{visibility}",
            title=f"Video {visibility}",
            visibility=visibility,
            external_url="https://videos.example/v",
            published=True,
            duration_seconds=90,
        )
        VideoChapter.objects.create(video=video, start_seconds=0, title="Start")
        TranscriptCue.objects.create(
            video=video, position=1, start_ms=0, end_ms=1500, text="Hello there"
        )
        made[visibility] = {"category": category, "article": article}
    return made


def test_the_schema_languages_are_the_sites():
    assert set(LanguageValue.__args__) == {code for code, _name in settings.LANGUAGES}


@pytest.mark.parametrize("reader", API_READERS)
def test_every_read_endpoint_honours_the_one_rule(client, readers, shelf, reader):
    allowed = {str(v) for v in EXPECTED[reader]}
    categories = get(client, reader, readers, "/categories").json()
    assert {c["slug"] for c in categories} == {f"shelf-{v}" for v in allowed}
    articles = get(client, reader, readers, "/articles", limit=200).json()
    assert {(a["language"], a["slug"]) for a in articles["items"]} == {
        (lang, f"{word}-{v}")
        for v in allowed
        for lang, word in (("en", "article"), ("it", "articolo"))
    }
    assert articles["count"] == 2 * len(allowed)
    guides = get(client, reader, readers, "/guides").json()
    assert {g["slug"] for g in guides} == {f"guide-{v}" for v in allowed}
    videos = get(client, reader, readers, "/videos").json()
    assert {v["slug"] for v in videos["items"]} == {f"video-{v}" for v in allowed}
    for visibility in Visibility:
        slug = f"article-{visibility}"
        expected = 200 if visibility in allowed else 404
        for url in (
            f"/articles/en/{slug}",
            f"/guides/guide-{visibility}",
            f"/videos/video-{visibility}",
        ):
            response = get(client, reader, readers, url)
            assert response.status_code == expected, (reader, url)
            if expected == 404:
                assert f"{visibility}" not in response.content.decode().replace("No such", "")


def test_invisible_and_missing_read_the_same(client, readers, shelf):
    secret = get(client, "free_member", readers, "/articles/en/article-agents")
    missing = get(client, "free_member", readers, "/articles/en/no-such-article")
    assert secret.status_code == missing.status_code == 404
    assert secret.json() == missing.json()


def test_drafts_are_for_staff_only(client, readers, category):
    make_article(category, title="Unfinished", publish=False)
    for reader in ("visitor", "paid_member"):
        assert get(client, reader, readers, "/articles/en/unfinished").status_code == 404
        items = get(client, reader, readers, "/articles").json()["items"]
        assert "unfinished" not in {a["slug"] for a in items}
    detail = get(client, "agent", readers, "/articles/en/unfinished").json()
    assert detail["status"] == "draft"
    drafts = get(client, "agent", readers, "/articles", status="draft").json()["items"]
    assert [a["slug"] for a in drafts] == ["unfinished"]


def test_anonymous_reads_need_no_credential_but_a_wrong_token_is_refused(client, shelf):
    assert client.get(f"{BASE}/articles").status_code == 200
    wrong = client.get(f"{BASE}/articles", headers={"Authorization": "Bearer td_wrong"})
    assert wrong.status_code == 401


def test_a_session_reads_as_its_user(client, readers, shelf):
    client.force_login(readers["paid_member"])
    assert client.get(f"{BASE}/articles/en/article-paid").status_code == 200
    assert client.get(f"{BASE}/articles/en/article-agents").status_code == 404


def test_detail_has_markdown_sanitised_html_and_alternates(client, readers, category):
    article = make_article(
        category,
        title="Hostile",
        body="**Bold** <script>alert(1)</script> [x](javascript:alert(1))",
    )
    translate(article, "it", "Ostile")
    detail = get(client, "visitor", readers, "/articles/en/hostile").json()
    assert detail["body_markdown"].startswith("**Bold**")
    assert "<strong>Bold</strong>" in detail["body_html"]
    assert "<script" not in detail["body_html"]
    assert 'href="javascript:' not in detail["body_html"]
    assert detail["alternates"] == [
        {"language": "it", "slug": "ostile", "title": "Ostile", "url": "/help/it/ostile/"}
    ]
    assert detail["url"] == "/help/en/hostile/"
    assert detail["category"] == {"slug": "billing", "name": "Billing"}


def test_list_filters(client, readers, category):
    other = Category.objects.create(slug="sso", name_en="Single sign-on")
    tag = ArticleTag.objects.create(slug="invoices", name="Invoices")
    tagged = make_article(category, title="Tagged")
    tagged.tags.add(tag)
    translate(tagged, "it", "Etichettato")
    make_article(other, title="Elsewhere")

    def slugs(**params: Any) -> set[str]:
        items = get(client, "visitor", readers, "/articles", **params).json()["items"]
        return {a["slug"] for a in items}

    assert slugs(category="sso") == {"elsewhere"}
    assert slugs(tag="invoices") == {"tagged", "etichettato"}
    assert slugs(language="it") == {"etichettato"}
    assert get(client, "visitor", readers, "/articles", language="fr").status_code == 422
    assert get(client, "visitor", readers, "/articles/fr/tagged").status_code == 422
    assert get(client, "visitor", readers, "/articles", limit=0).status_code == 422


def test_categories_in_the_language_asked_for(client, readers, category):
    make_article(category)
    rows = get(client, "visitor", readers, "/categories", language="it").json()
    assert rows == [
        {
            "slug": "billing",
            "name": "Fatturazione",
            "description": "",
            "icon": "credit-card",
            "article_count": 1,
            "url": "/help/c/billing/",
        }
    ]


def test_guide_chapters_only_those_the_reader_may_read(client, readers, category):
    guide = Guide.objects.create(slug="setup", title_en="Setup", title_it="Configurazione")
    open_article = make_article(category, title="Step one")
    translate(open_article, "it", "Passo uno")
    paid = make_article(category, title="Paid step", visibility=Visibility.PAID)
    GuideChapter.objects.create(guide=guide, article=open_article, position=1)
    GuideChapter.objects.create(guide=guide, article=paid, position=2)
    visitor = get(client, "visitor", readers, "/guides/setup", language="it").json()
    assert visitor["title"] == "Configurazione"
    assert [c["article"]["slug"] for c in visitor["chapters"]] == ["passo-uno"]
    assert visitor["chapter_count"] == 1
    paid_reader = get(client, "paid_member", readers, "/guides/setup").json()
    assert [c["title"] for c in paid_reader["chapters"]] == ["Step one", "Paid step"]


def test_video_detail_has_chapters_and_transcript(client, readers, shelf):
    detail = get(client, "visitor", readers, "/videos/video-public").json()
    assert detail["chapters"] == [{"start_seconds": 0, "title": "Start"}]
    assert detail["transcript"] == [{"start_ms": 0, "end_ms": 1500, "text": "Hello there"}]
    assert detail["duration_seconds"] == 90


# --- writes ---------------------------------------------------------------------------------


def post(client: Client, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(f"{BASE}{url}", body, content_type="application/json", headers=headers)


def test_staff_create_translate_publish_and_unpublish(client, readers, category):
    staff = bearer(readers["staff_admin"])
    created = post(
        client,
        "/articles",
        {"category": "billing", "language": "en", "title": "Refunds", "body": "Ask us."},
        staff,
    )
    assert created.status_code == 201, created.content
    article_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert get(client, "visitor", readers, "/articles/en/refunds").status_code == 404

    url = f"/articles/{article_id}/translations/en/publish"
    assert post(client, url, {}, staff).json()["status"] == "published"
    assert get(client, "visitor", readers, "/articles/en/refunds").status_code == 200

    italian = client.put(
        f"{BASE}/articles/{article_id}/translations/it",
        {"title": "Rimborsi", "body": "Chiedeteci."},
        content_type="application/json",
        headers=staff,
    )
    assert italian.status_code == 200, italian.content
    assert italian.json()["slug"] == "rimborsi" and italian.json()["status"] == "draft"
    again = client.put(
        f"{BASE}/articles/{article_id}/translations/it",
        {"title": "Rimborsi", "body": "Chiedeteci pure."},
        content_type="application/json",
        headers=staff,
    )
    assert again.status_code == 200
    translation = translation_of(category.articles.get(pk=article_id), "it")
    assert list(
        ArticleVersion.objects.filter(translation=translation).values_list("number", flat=True)
    ) == [2, 1]

    url = f"/articles/{article_id}/translations/en/unpublish"
    assert post(client, url, {}, staff).json()["status"] == "draft"
    assert get(client, "visitor", readers, "/articles/en/refunds").status_code == 404


@pytest.mark.parametrize("reader", ["free_member", "paid_member"])
def test_writes_by_customers_are_403_and_change_nothing(client, readers, category, reader):
    article = make_article(category, title="Fixed")
    headers = bearer(readers[reader])
    before = ArticleVersion.objects.count()
    body = {"category": "billing", "language": "en", "title": "Mine", "body": "x"}
    assert post(client, "/articles", body, headers).status_code == 403
    put = client.put(
        f"{BASE}/articles/{article.pk}/translations/en",
        {"title": "Hacked", "body": "x"},
        content_type="application/json",
        headers=headers,
    )
    assert put.status_code == 403
    for action in ("publish", "unpublish"):
        url = f"/articles/{article.pk}/translations/en/{action}"
        assert post(client, url, {}, headers).status_code == 403
    assert ArticleVersion.objects.count() == before
    assert translation_of(article).title == "Fixed"


def test_writes_without_a_credential_are_401(client, category):
    body = {"category": "billing", "language": "en", "title": "Mine", "body": "x"}
    assert post(client, "/articles", body, {}).status_code == 401


def test_bad_input_is_422_and_missing_is_404(client, readers, category):
    staff = bearer(readers["agent"])
    bad = [
        {"category": "nope", "language": "en", "title": "T", "body": "x"},
        {"category": "billing", "language": "fr", "title": "T", "body": "x"},
        {"category": "billing", "language": "en", "title": "", "body": "x"},
        {"category": "billing", "language": "en", "title": "T", "body": "x", "tags": ["nope"]},
        {"category": "billing", "language": "en", "title": "T", "body": "x", "visibility": "x"},
    ]
    for body in bad:
        response = post(client, "/articles", body, staff)
        assert response.status_code == 422, body
    article = make_article(category, title="Taken")
    clash = post(
        client,
        "/articles",
        {"category": "billing", "language": "en", "title": "T", "body": "x", "slug": "taken"},
        staff,
    )
    assert clash.status_code == 422
    assert clash.json()["detail"][0]["loc"] == ["body", "slug"]
    url = f"/articles/{article.pk}/translations/it/publish"  # no Italian translation
    assert post(client, url, {}, staff).status_code == 404
    assert post(client, "/articles/987654/translations/en/publish", {}, staff).status_code == 404


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", API_READERS)
def test_search_honours_the_one_rule(client, readers, category, reader):
    for visibility in Visibility:
        make_article(category, title=f"Printer jam {visibility}", visibility=visibility)
    found = get(client, reader, readers, "/search", q="printer jam").json()
    titles = {hit["title"] for hit in found["items"]}
    assert titles == {f"Printer jam {v}" for v in EXPECTED[reader]}
    assert found["total"] == len(titles)
    hit = found["items"][0]
    assert hit["kind"] == "article" and hit["url"].startswith("/help/en/")
    assert "<mark>" in hit["snippet_html"] or hit["snippet_html"]


def test_search_filters_and_bad_input(client, readers, category):
    article = make_article(category, title="Invoices explained")
    translate(article, "it", "Fatture spiegate", body="Le fatture, spiegate.")
    italian = get(client, "visitor", readers, "/search", q="fatture", language="it").json()
    assert [hit["language"] for hit in italian["items"]] == ["it"]
    assert get(client, "visitor", readers, "/search", q="invoices", kind="video").json() == {
        "total": 0,
        "items": [],
    }
    assert get(client, "visitor", readers, "/search").status_code == 422
    assert get(client, "visitor", readers, "/search", q="x", kind="nope").status_code == 422
    assert get(client, "visitor", readers, "/search", q="x", limit=101).status_code == 422
