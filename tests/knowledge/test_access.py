"""The one visibility rule, over every kind of reader and every kind of content."""

from __future__ import annotations

import pytest
from django.http import Http404

from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import Guide, GuideChapter, Video
from tierdesk.knowledge.selectors import access
from tierdesk.knowledge.services.articles import translation_unpublish

from .conftest import EXPECTED, READERS, make_article, translation_of


def test_every_visibility_is_in_the_expected_matrix():
    # A new Visibility value must be placed in the matrix (and in the rule) on purpose.
    assert set(EXPECTED["agent"]) == set(Visibility)
    for allowed in EXPECTED.values():
        assert allowed <= set(Visibility)


@pytest.mark.parametrize("reader", READERS)
def test_visibilities_for(readers, reader):
    assert access.visibilities_for(readers[reader]) == {v.value for v in EXPECTED[reader]}


def test_none_is_a_visitor():
    assert access.visibilities_for(None) == {Visibility.PUBLIC}


@pytest.mark.parametrize("reader", READERS)
def test_articles_guides_videos_by_visibility(readers, category, reader):
    user = readers[reader]
    articles, guides, videos = {}, {}, {}
    for visibility in Visibility:
        article = make_article(category, title=f"Article {visibility}", visibility=visibility)
        articles[visibility] = article
        guide = Guide.objects.create(slug=f"g-{visibility}", title_en="G", visibility=visibility)
        chapter_article = make_article(category, title=f"C {visibility}")
        GuideChapter.objects.create(guide=guide, article=chapter_article)
        guides[visibility] = guide
        videos[visibility] = Video.objects.create(
            slug=f"v-{visibility}",
            title="V",
            visibility=visibility,
            external_url="https://video.example/v",
            published=True,
        )
    allowed = EXPECTED[reader]
    for visibility in Visibility:
        may = visibility in allowed
        translation = translation_of(articles[visibility])
        assert access.visible_articles(user).filter(pk=articles[visibility].pk).exists() == may
        assert access.visible_translations(user).filter(pk=translation.pk).exists() == may
        assert access.visible_guides(user).filter(pk=guides[visibility].pk).exists() == may
        assert access.visible_videos(user).filter(pk=videos[visibility].pk).exists() == may
        lookups = (
            (access.access_translation, {"language": "en", "slug": translation.slug}),
            (access.access_guide, {"slug": guides[visibility].slug}),
            (access.access_video, {"slug": videos[visibility].slug}),
        )
        for lookup, arguments in lookups:
            if may:
                lookup(user, **arguments)
            else:
                with pytest.raises(Http404):
                    lookup(user, **arguments)


@pytest.mark.parametrize("reader", READERS)
def test_drafts_only_for_authors_who_ask(readers, category, reader):
    user = readers[reader]
    draft = translation_of(make_article(category, publish=False))
    assert not access.visible_translations(user).filter(pk=draft.pk).exists()
    shown = access.visible_translations(user, drafts=True).filter(pk=draft.pk).exists()
    assert shown == (reader in {"agent", "engineer", "staff_admin"})
    assert access.may_author(user) == shown


@pytest.mark.parametrize("reader", READERS)
def test_a_category_exists_only_with_something_to_read(readers, category, reader):
    user = readers[reader]
    make_article(category, visibility=Visibility.AGENTS)
    may = Visibility.AGENTS in EXPECTED[reader]
    assert access.visible_categories(user).filter(pk=category.pk).exists() == may
    if not may:
        with pytest.raises(Http404):
            access.access_category(user, slug=category.slug)


def test_a_category_of_drafts_only_is_hidden_from_readers(readers, category):
    article = make_article(category)
    translation_unpublish(translation=translation_of(article))
    assert not access.visible_categories(readers["paid_member"]).exists()
    assert access.visible_categories(readers["agent"]).exists()


@pytest.mark.parametrize("reader", READERS)
def test_a_guide_shows_only_the_chapters_the_reader_may_read(readers, category, reader):
    user = readers[reader]
    guide = Guide.objects.create(slug="g", title_en="G")
    for n, visibility in enumerate(Visibility):
        article = make_article(category, title=f"Chapter {visibility}", visibility=visibility)
        GuideChapter.objects.create(guide=guide, article=article, position=n)
    shown = {c.article.visibility for c in access.visible_chapters(user, guide)}
    assert shown == {v.value for v in EXPECTED[reader]}


def test_unpublished_videos_only_for_authors_who_ask(readers):
    video = Video.objects.create(slug="v", title="V", external_url="https://video.example/v")
    assert not access.visible_videos(readers["agent"]).exists()
    assert access.visible_videos(readers["agent"], drafts=True).get() == video
    assert not access.visible_videos(readers["paid_member"], drafts=True).exists()
