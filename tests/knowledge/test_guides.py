"""Guides: chapters read by a signed-in reader, and the guide pages (list, table of contents,
chapter) for every kind of reader, with previous/next, read ticks and bounded query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import ChapterRead, Guide, GuideChapter
from tierdesk.knowledge.services.reading import chapter_mark_read

from .conftest import EXPECTED, READERS, make_article, translate


def test_marking_read_is_idempotent(readers, category):
    guide = Guide.objects.create(slug="start", title_en="Start", title_it="Inizio")
    chapter = GuideChapter.objects.create(guide=guide, article=make_article(category))
    first = chapter_mark_read(user=readers["free_member"], chapter=chapter)
    again = chapter_mark_read(user=readers["free_member"], chapter=chapter)
    assert first.pk == again.pk and first.read_at == again.read_at
    assert ChapterRead.objects.count() == 1


@pytest.mark.parametrize("reader", ["visitor", "inactive_paid_member"])
def test_visitors_keep_no_reading_record(readers, category, reader):
    guide = Guide.objects.create(slug="start", title_en="Start")
    chapter = GuideChapter.objects.create(guide=guide, article=make_article(category))
    with pytest.raises(PermissionDenied):
        chapter_mark_read(user=readers[reader], chapter=chapter)


def test_a_chapter_above_the_reader_is_refused(readers, category):
    guide = Guide.objects.create(slug="start", title_en="Start")
    paid = make_article(category, visibility=Visibility.PAID)
    chapter = GuideChapter.objects.create(guide=guide, article=paid)
    with pytest.raises(PermissionDenied):
        chapter_mark_read(user=readers["free_member"], chapter=chapter)
    hidden = Guide.objects.create(slug="internal", title_en="I", visibility=Visibility.AGENTS)
    inner = GuideChapter.objects.create(guide=hidden, article=make_article(category))
    with pytest.raises(PermissionDenied):
        chapter_mark_read(user=readers["paid_member"], chapter=inner)
    assert not ChapterRead.objects.exists()
    assert guide.title == "Start" and guide.localized("title", "it") == "Start"


# --- The guide pages ---------------------------------------------------------------------------


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user.is_authenticated:
        client.force_login(user)
    return client


def make_guide(
    category: Any,
    *,
    slug: str = "getting-started",
    visibility: str = Visibility.PUBLIC,
    chapters: list[tuple[str, str]] | None = None,
) -> Guide:
    """A guide whose chapters are new articles: (title, article visibility) in order."""
    guide = Guide.objects.create(
        slug=slug,
        title_en="Getting started",
        title_it="Per iniziare",
        summary_en="From sign-in to your first case.",
        visibility=visibility,
    )
    for position, (title, article_visibility) in enumerate(
        chapters or [("Sign in", Visibility.PUBLIC), ("Open a case", Visibility.PUBLIC)]
    ):
        article = make_article(category, title=title, visibility=article_visibility)
        GuideChapter.objects.create(guide=guide, article=article, position=position * 10)
    return guide


def chapter_url(guide: Guide, slug: str) -> str:
    return reverse("knowledge:guide-chapter", args=[guide.slug, slug])


@pytest.mark.parametrize("reader", READERS)
def test_guide_pages_honour_the_one_rule(readers, category, reader):
    """A guide above the reader is a 404 on every page; a chapter above them is skipped."""
    client = client_for(readers[reader])
    for visibility in Visibility:
        guide = make_guide(
            category,
            slug=f"g-{visibility}",
            visibility=visibility,
            chapters=[(f"Open {visibility}", Visibility.PUBLIC)],
        )
        may = visibility in EXPECTED[reader]
        listed = client.get(reverse("knowledge:guides")).content.decode()
        assert (f'href="/help/guides/{guide.slug}/"' in listed) is may, (reader, visibility)
        assert client.get(reverse("knowledge:guide", args=[guide.slug])).status_code == (
            200 if may else 404
        )
        response = client.get(chapter_url(guide, f"open-{visibility}"))
        assert response.status_code == (200 if may else 404), (reader, visibility)
        if not may:
            assert guide.title_en not in response.content.decode()


@pytest.mark.parametrize("reader", READERS)
def test_chapters_above_the_reader_are_skipped(readers, category, reader):
    chapters = [(f"Chapter {v}", v) for v in Visibility]
    guide = make_guide(category, chapters=chapters)
    client = client_for(readers[reader])
    toc = client.get(reverse("knowledge:guide", args=[guide.slug])).content.decode()
    seen = [v for v in Visibility if f"Chapter {v}" in toc]
    assert set(seen) == EXPECTED[reader]
    for visibility in Visibility:
        slug = f"chapter-{visibility}"
        status = client.get(chapter_url(guide, slug)).status_code
        assert status == (200 if visibility in EXPECTED[reader] else 404)
    # Numbering, previous and next run over what the reader may read.
    allowed = [v for v in Visibility if v in EXPECTED[reader]]
    last = client.get(chapter_url(guide, f"chapter-{allowed[-1]}"))
    body = last.content.decode()
    n = len(allowed)
    assert f"Chapter {n} of {n}" in body
    assert 'rel="next"' not in body
    if n > 1:
        before = f"chapter-{allowed[-2]}"
        assert f'rel="prev" href="{chapter_url(guide, before)}"' in body


def test_previous_and_next(readers, category):
    guide = make_guide(
        category,
        chapters=[
            ("One", Visibility.PUBLIC),
            ("Two", Visibility.PUBLIC),
            ("Three", Visibility.PUBLIC),
        ],
    )
    client = client_for(readers["visitor"])
    body = client.get(chapter_url(guide, "two")).content.decode()
    assert f'rel="prev" href="{chapter_url(guide, "one")}"' in body
    assert f'rel="next" href="{chapter_url(guide, "three")}"' in body
    assert "Chapter 2 of 3" in body
    first = client.get(chapter_url(guide, "one")).content.decode()
    assert 'rel="prev"' not in first and f'href="{chapter_url(guide, "two")}"' in first
    last = client.get(chapter_url(guide, "three")).content.decode()
    assert 'rel="next"' not in last and "Back to the guide" in last
    assert client.get(chapter_url(guide, "no-such-chapter")).status_code == 404


def test_reading_a_chapter_marks_it_read_and_the_toc_shows_it(readers, category):
    guide = make_guide(category)
    member = readers["free_member"]
    client = client_for(member)
    toc = client.get(reverse("knowledge:guide", args=[guide.slug])).content.decode()
    assert "0 of 2 read" in toc and "Start reading" in toc
    assert client.get(chapter_url(guide, "sign-in")).status_code == 200
    assert ChapterRead.objects.filter(user=member).count() == 1
    toc = client.get(reverse("knowledge:guide", args=[guide.slug])).content.decode()
    assert "1 of 2 read" in toc and "Continue: Open a case" in toc
    assert toc.count("chapter-read") == 1
    listed = client.get(reverse("knowledge:guides")).content.decode()
    assert "1 of 2 read" in listed
    client.get(chapter_url(guide, "open-a-case"))
    listed = client.get(reverse("knowledge:guides")).content.decode()
    assert "Finished" in listed


def test_a_head_request_marks_nothing_and_counts_no_view(readers, category):
    guide = make_guide(category)
    client = client_for(readers["free_member"])
    assert client.head(chapter_url(guide, "sign-in")).status_code == 200
    assert not ChapterRead.objects.exists()
    article = guide.chapters.get(position=0).article
    assert article.translations.get(language="en").view_count == 0
    client.get(chapter_url(guide, "sign-in"))
    assert article.translations.get(language="en").view_count == 1


def test_visitors_read_without_a_record(readers, category):
    guide = make_guide(category)
    client = client_for(readers["visitor"])
    body = client.get(chapter_url(guide, "sign-in")).content.decode()
    assert "Sign in" in body and "of 2 read" not in body
    assert not ChapterRead.objects.exists()
    toc = client.get(reverse("knowledge:guide", args=[guide.slug])).content.decode()
    assert "Sign in to keep track of the chapters you read." in toc


def test_a_chapter_in_the_readers_language_and_the_other_slug_redirects(readers, category):
    guide = make_guide(category)
    article = guide.chapters.get(position=0).article
    translate(article, "it", "Accedere", "Accedi con **la tua** e-mail.")
    italian = client_for(readers["visitor"], "it")
    response = italian.get(chapter_url(guide, "sign-in"))
    assert response.status_code == 302
    assert response["Location"] == chapter_url(guide, "accedere")
    body = italian.get(chapter_url(guide, "accedere")).content.decode()
    assert "Accedere" in body and "<strong>la tua</strong>" in body
    assert "Per iniziare" in body  # the guide's Italian title
    # The English-only chapter says so.
    other = italian.get(chapter_url(guide, "open-a-case")).content.decode()
    assert 'id="language-notice"' in other
    english = client_for(readers["visitor"]).get(chapter_url(guide, "accedere"))
    assert english["Location"] == chapter_url(guide, "sign-in")


def test_a_guide_without_readable_chapters_is_not_listed(readers, category):
    make_guide(category, chapters=[("Paid only", Visibility.PAID)])
    client = client_for(readers["free_member"])
    body = client.get(reverse("knowledge:guides")).content.decode()
    assert "getting-started" not in body and "No guides yet" in body
    toc = client.get(reverse("knowledge:guide", args=["getting-started"]))
    assert toc.status_code == 200 and "No chapters to read yet" in toc.content.decode()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("reader", ["visitor", "paid_member", "agent"])
def test_guide_pages_queries_do_not_grow(readers, category, reader):
    guide = make_guide(category, chapters=[("A1", Visibility.PUBLIC), ("A2", Visibility.PUBLIC)])
    client = client_for(readers[reader])
    pages = {
        "list": reverse("knowledge:guides"),
        "toc": reverse("knowledge:guide", args=[guide.slug]),
        "chapter": chapter_url(guide, "a2"),
    }
    client.get(pages["chapter"])  # the first read writes a row; count a steady state
    before = {name: _queries(client, url) for name, url in pages.items()}
    for n in range(3, 12):
        article = make_article(category, title=f"A{n}", visibility=Visibility.SIGNED_IN)
        GuideChapter.objects.create(guide=guide, article=article, position=n)
        translate(article, "it", f"B{n}")
    make_guide(category, slug="second", chapters=[("Z1", Visibility.PUBLIC)])
    client.get(chapter_url(guide, "a3"))
    after = {name: _queries(client, url) for name, url in pages.items()}
    assert after == before


def test_guide_pages_in_italian(readers, category):
    guide = make_guide(category)
    client = client_for(readers["free_member"], "it")
    readers["free_member"].language = "it"
    readers["free_member"].save(update_fields=["language"])
    listed = client.get(reverse("knowledge:guides")).content.decode()
    assert "Per iniziare" in listed and "2 capitoli" in listed
    toc = client.get(reverse("knowledge:guide", args=[guide.slug])).content.decode()
    assert "Indice" in toc and "0 di 2 letti" in toc and "Inizia a leggere" in toc
    body = client.get(chapter_url(guide, "sign-in")).content.decode()
    assert "Capitolo 1 di 2" in body and "Capitolo successivo:" in body
