"""Writing articles: translations, versions, restore, diff, publishing, reviews, views."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from tierdesk.knowledge.choices import TranslationStatus
from tierdesk.knowledge.models import ArticleVersion, Category, localized
from tierdesk.knowledge.selectors.reviews import articles_due_for_review
from tierdesk.knowledge.selectors.versions import (
    access_version,
    translation_versions,
    version_diff,
    version_diff_text,
)
from tierdesk.knowledge.services.articles import (
    article_create,
    article_mark_reviewed,
    translation_publish,
    translation_save,
    translation_unpublish,
    translation_view_record,
    version_restore,
)

from .conftest import make_article, translation_of


def test_create_writes_the_first_version_and_a_draft(category, author):
    article = make_article(category, title="Reset a password", publish=False, actor=author)
    translation = translation_of(article)
    assert translation.status == TranslationStatus.DRAFT
    assert translation.slug == "reset-a-password"
    assert article.owner == author
    version = translation.versions.get()
    assert (version.number, version.title, version.author) == (1, "Reset a password", author)


def test_each_change_of_title_or_body_is_a_version_and_nothing_else_is(category, author):
    article = make_article(category, title="One", body="a", actor=author)
    translation_save(article=article, language="en", title="One", body="a", actor=author)
    translation_save(article=article, language="en", title="One", body="a", summary="S")
    translation_save(article=article, language="en", title="Two", body="a", actor=author)
    translation_save(article=article, language="en", title="Two", body="b")
    numbers = list(translation_of(article).versions.values_list("number", "title", "body"))
    assert numbers == [(3, "Two", "b"), (2, "Two", "a"), (1, "One", "a")]
    assert translation_of(article).summary == "S"


def test_restore_writes_a_new_version_equal_to_the_old_one(category, author):
    article = make_article(category, title="One", body="first\n", actor=author)
    translation_save(article=article, language="en", title="Two", body="second\n")
    old = translation_of(article).versions.get(number=1)
    restored = version_restore(version=old, actor=author)
    assert (restored.number, restored.title, restored.body) == (3, "One", "first\n")
    assert restored.note == "Restored version 1."
    translation = translation_of(article)
    assert (translation.title, translation.body) == ("One", "first\n")
    # History is never rewritten: versions 1 and 2 are untouched.
    assert list(translation.versions.order_by("number").values_list("title", flat=True)) == [
        "One",
        "Two",
        "One",
    ]


def test_diff_between_two_versions(category, author):
    article = make_article(category, title="One", body="alpha\nbeta\n", actor=author)
    translation_save(article=article, language="en", title="One", body="alpha\ngamma\n")
    v1, v2 = translation_of(article).versions.order_by("number")
    lines = version_diff(v1, v2)
    assert [(line.kind, line.text) for line in lines if line.kind in {"add", "remove"}] == [
        ("remove", "-beta"),
        ("add", "+gamma"),
    ]
    assert version_diff_text(v1, v2).startswith("--- v1\n+++ v2\n@@")
    assert version_diff(v1, v1) == []


def test_versions_are_for_authors_only(readers, category):
    translation = translation_of(make_article(category))
    assert translation_versions(readers["agent"], translation).count() == 1
    assert access_version(readers["agent"], translation, 1).number == 1
    for reader in ("visitor", "free_member", "paid_member"):
        with pytest.raises(Http404):
            translation_versions(readers[reader], translation)
        with pytest.raises(Http404):
            access_version(readers[reader], translation, 1)
    with pytest.raises(Http404):
        access_version(readers["agent"], translation, 9)


@pytest.mark.parametrize("reader", ["visitor", "free_member", "paid_member"])
def test_only_staff_write(readers, category, reader):
    user = readers[reader]
    article = make_article(category)
    translation = translation_of(article)
    calls = [
        lambda: article_create(category=category, language="en", title="x", body="y", actor=user),
        lambda: translation_save(article=article, language="en", title="x", body="y", actor=user),
        lambda: translation_publish(translation=translation, actor=user),
        lambda: translation_unpublish(translation=translation, actor=user),
        lambda: version_restore(version=translation.versions.get(), actor=user),
        lambda: article_mark_reviewed(article=article, actor=user),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert ArticleVersion.objects.count() == 1


def test_bad_input_is_a_validation_error_and_changes_nothing(category, author):
    article = make_article(category, title="Taken", actor=author)
    other = make_article(category, title="Other", actor=author)
    with pytest.raises(ValidationError) as error:
        translation_save(article=other, language="en", title="Other", body="b", slug="taken")
    assert "slug" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        translation_save(article=article, language="fr", title="Titre", body="b")
    assert "language" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        translation_save(article=article, language="en", title="  ", body="b")
    assert "title" in error.value.message_dict
    assert translation_of(other).slug == "other"
    assert ArticleVersion.objects.count() == 2


def test_slugs_are_numbered_per_language(category):
    first = translation_of(make_article(category, title="Invoices"))
    second = translation_of(make_article(category, title="Invoices"))
    italian = translation_of(make_article(category, title="Invoices", language="it"), "it")
    assert (first.slug, second.slug, italian.slug) == ("invoices", "invoices-2", "invoices")


def test_publish_keeps_the_first_date_and_unpublish_hides(category, author):
    translation = translation_of(make_article(category, publish=False))
    first = translation_publish(translation=translation, actor=author)
    assert first.status == TranslationStatus.PUBLISHED and first.published_at
    translation_unpublish(translation=first, actor=author)
    again = translation_publish(
        translation=first, actor=author, at=timezone.now() + timedelta(days=3)
    )
    assert again.published_at == first.published_at


def test_localized_falls_back_to_english():
    category = Category(slug="c", name_en="Billing", name_it="", description_en="D")
    assert localized(category, "name", "it") == "Billing"
    category.name_it = "Fatturazione"
    assert localized(category, "name", "it") == "Fatturazione"
    assert localized(category, "name", "it-ch") == "Fatturazione"
    assert category.localized("name", "en") == "Billing"
    assert localized(category, "name", "de") == "Billing"


def test_due_for_review(readers, category, author):
    now = timezone.now()
    fresh = make_article(category, title="Fresh", review_interval_days=30)
    old = make_article(category, title="Old", review_interval_days=30)
    old.created_at = now - timedelta(days=31)
    old.save(update_fields=["created_at"])
    reviewed = make_article(category, title="Reviewed", review_interval_days=30)
    reviewed.created_at = now - timedelta(days=400)
    reviewed.save(update_fields=["created_at"])
    article_mark_reviewed(article=reviewed, actor=author, at=now - timedelta(days=10))
    due = list(articles_due_for_review(author, at=now))
    assert due == [old]
    assert old.due_for_review and not fresh.due_for_review
    assert list(articles_due_for_review(author, at=now + timedelta(days=25))) == [old, reviewed]
    with pytest.raises(Http404):
        articles_due_for_review(readers["paid_member"])


def test_view_count_uses_f(category):
    translation = translation_of(make_article(category))
    translation_view_record(translation=translation)
    translation_view_record(translation=translation)
    translation.refresh_from_db()
    assert translation.view_count == 2
