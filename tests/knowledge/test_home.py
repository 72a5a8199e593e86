"""The help-center home (/help/, and `/` for visitors): what each reader sees, counts, the
reader's language, the head, and a query count that does not grow with the content."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import ArticleTranslation, Category, Guide, GuideChapter, Video

from .conftest import EXPECTED, READERS, make_article, translate, translation_of

HELP = "/help/"


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user.is_authenticated:
        client.force_login(user)
    return client


def test_the_route():
    assert reverse("knowledge:index") == HELP


@pytest.mark.parametrize("reader", READERS)
def test_the_home_shows_only_what_the_reader_may_read(readers, reader):
    user = readers[reader]
    for visibility in Visibility:
        category = Category.objects.create(slug=f"c-{visibility}", name_en=f"Shelf {visibility}")
        article = make_article(category, title=f"Article {visibility}", visibility=visibility)
        ArticleTranslation.objects.filter(article=article).update(view_count=5)
        guide = Guide.objects.create(
            slug=f"g-{visibility}", title_en=f"Guide {visibility}", visibility=visibility
        )
        GuideChapter.objects.create(guide=guide, article=article, position=1)
        Video.objects.create(
            slug=f"v-{visibility}",
            title=f"Video {visibility}",
            visibility=visibility,
            external_url="https://videos.example/x",
            published=True,
        )
    html = client_for(user).get(HELP).content.decode()
    for visibility in Visibility:
        may = visibility in EXPECTED[reader]
        for name in (f"Shelf {visibility}", f"Article {visibility}", f"Guide {visibility}"):
            assert (name in html) is may, (reader, name)
        assert (f"Video {visibility}" in html) is may, (reader, visibility)


def test_counts_are_the_readers_own(readers, category):
    make_article(category, title="Open one")
    make_article(category, title="Members one", visibility=Visibility.SIGNED_IN)
    make_article(category, title="Paid one", visibility=Visibility.PAID)
    make_article(category, title="Draft one", publish=False)

    def count(user: Any) -> int:
        html = client_for(user).get(HELP).content.decode()
        block = html.split('data-category="billing"', 1)[1]
        return int(re.search(r'data-count="(\d+)"', block).group(1))

    assert count(readers["visitor"]) == 1
    assert count(readers["free_member"]) == 2
    assert count(readers["paid_member"]) == 3
    assert count(readers["agent"]) == 3  # drafts are no reading


def test_category_icon_and_article_count_words(readers, category):
    make_article(category, title="Open one")
    html = client_for(readers["visitor"]).get(HELP).content.decode()
    assert "#credit-card" in html
    assert "1 article" in html
    html = client_for(readers["visitor"], "it").get(HELP).content.decode()
    assert "Fatturazione" in html


def test_popular_and_recent_in_the_readers_language(readers, category):
    read_most = make_article(category, title="Read a lot")
    translate(read_most, "it", "Letto molto")
    ArticleTranslation.objects.filter(article=read_most).update(view_count=50)
    make_article(category, title="Only English, never read")
    html = client_for(readers["visitor"], "it").get(HELP).content.decode()
    popular = html.split('id="help-popular"', 1)[1].split("</section>", 1)[0]
    assert "Letto molto" in popular and "Read a lot" not in popular
    assert "never read" not in popular  # no views, not popular
    recent = html.split('id="help-recent"', 1)[1].split("</section>", 1)[0]
    assert "Only English, never read" in recent
    assert "Letto molto" in recent


def test_an_empty_help_center_says_so(db):
    html = Client().get(HELP).content.decode()
    assert "Nothing to read here yet" in html


def test_the_head_has_canonical_and_open_graph(db, category):
    make_article(category)
    html = Client().get(HELP).content.decode()
    assert '<link rel="canonical" href="http://testserver/help/">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:title" content="Help center">' in html
    assert '<meta property="og:locale" content="en_US">' in html
    assert '<meta property="og:locale:alternate" content="it_IT">' in html


def test_the_visitors_home_page_is_the_help_center(db, category):
    make_article(category, title="Front page article")
    html = Client().get("/").content.decode()
    assert 'id="help-home"' in html
    assert "Front page article" in html
    # One address for search engines.
    assert '<link rel="canonical" href="http://testserver/help/">' in html
    assert 'id="sign-in-call"' in html


def test_signed_in_homes_stay_their_own(readers, category):
    make_article(category, title="Front page article")
    for reader in ("free_member", "agent"):
        html = client_for(readers[reader]).get("/").content.decode()
        assert 'id="help-home"' not in html


def test_the_top_bar_links_the_help_center(readers):
    for reader in ("visitor", "free_member", "agent"):
        html = client_for(readers[reader]).get(HELP).content.decode()
        assert 'href="/help/" aria-current="page"' in html


def _fill(category: Category, n: int, start: int) -> None:
    for i in range(start, start + n):
        article = make_article(category, title=f"Article {i}")
        translate(article, "it", f"Articolo {i}")
        ArticleTranslation.objects.filter(article=article).update(view_count=i)
        guide = Guide.objects.create(slug=f"guide-{i}", title_en=f"Guide {i}")
        GuideChapter.objects.create(guide=guide, article=article)
        Video.objects.create(
            slug=f"video-{i}", title=f"V {i}", external_url="https://v.example/", published=True
        )
        Category.objects.create(slug=f"shelf-{i}", name_en=f"Shelf {i}")
        make_article(Category.objects.get(slug=f"shelf-{i}"), title=f"Shelved {i}")


@pytest.mark.parametrize("reader", ["visitor", "paid_member", "agent"])
def test_the_query_count_does_not_grow_with_the_content(readers, category, reader):
    client = client_for(readers[reader], "it")
    _fill(category, 2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(HELP).status_code == 200
    _fill(category, 12, 100)
    with CaptureQueriesContext(connection) as many:
        assert client.get(HELP).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 12
    assert translation_of(Category.objects.get(slug="billing").articles.first())


@pytest.mark.parametrize("reader", READERS)
def test_staff_find_their_pages_from_the_home(readers, reader):
    html = client_for(readers[reader]).get(HELP).content.decode()
    staff = EXPECTED[reader] == set(Visibility)
    assert ('id="help-staff-links"' in html) is staff
    if staff:
        for name in ("knowledge:reviews", "knowledge:gaps", "knowledge:deflection"):
            assert f'href="{reverse(name)}"' in html
