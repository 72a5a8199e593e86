"""Guides: chapters read by a signed-in reader."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import ChapterRead, Guide, GuideChapter
from tierdesk.knowledge.services.reading import chapter_mark_read

from .conftest import make_article


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
