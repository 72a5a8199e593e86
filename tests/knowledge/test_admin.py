"""The help center's admin: every page loads; saving a translation there writes a version."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import StaffAdminFactory
from tierdesk.knowledge.choices import TranslationStatus
from tierdesk.knowledge.models import (
    ArticleTranslation,
    Guide,
    GuideChapter,
    SearchEntry,
    TranscriptCue,
    Video,
)
from tierdesk.knowledge.services.catalogue import article_delete
from tierdesk.knowledge.services.feedback import feedback_record
from tierdesk.knowledge.services.gaps import search_miss_record
from tierdesk.knowledge.services.search import search_index_update

from .conftest import make_article, translation_of

MODELS = [
    "category",
    "articletag",
    "article",
    "articletranslation",
    "articleversion",
    "articlefeedback",
    "searchmiss",
    "guide",
    "chapterread",
    "video",
]


@pytest.fixture
def admin_client(db) -> Client:
    client = Client()
    client.force_login(StaffAdminFactory(email="root@vendor.example", is_superuser=True))
    return client


@pytest.fixture
def content(category, readers) -> dict[str, Any]:
    article = make_article(category, title="Hostile", body="<script>alert(1)</script> **b**")
    translation = translation_of(article)
    feedback_record(translation=translation, helpful=True, user=readers["paid_member"])
    search_miss_record(query="nothing here", language="en")
    guide = Guide.objects.create(slug="g", title_en="G")
    GuideChapter.objects.create(guide=guide, article=article)
    video = Video.objects.create(slug="v", title="V", external_url="https://v.example/")
    return {"article": article, "translation": translation, "guide": guide, "video": video}


@pytest.mark.parametrize("model", MODELS)
def test_every_list_and_change_page_loads(admin_client, content, model):
    response = admin_client.get(reverse(f"admin:knowledge_{model}_changelist"))
    assert response.status_code == 200
    first = response.context["cl"].result_list.first()
    if first is not None:
        page = admin_client.get(reverse(f"admin:knowledge_{model}_change", args=[first.pk]))
        assert page.status_code == 200


def test_the_preview_is_sanitised(admin_client, content):
    url = reverse("admin:knowledge_articletranslation_change", args=[content["translation"].pk])
    html = admin_client.get(url).content.decode()
    assert "<strong>b</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_saving_a_translation_in_the_admin_writes_a_version(admin_client, content):
    translation = content["translation"]
    url = reverse("admin:knowledge_articletranslation_change", args=[translation.pk])
    response = admin_client.post(
        url,
        {
            "title": "Hostile, fixed",
            "slug": "",
            "summary": "",
            "body": "Safe now.",
            "status": TranslationStatus.DRAFT,
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    translation.refresh_from_db()
    assert (translation.title, translation.body, translation.status) == (
        "Hostile, fixed",
        "Safe now.",
        TranslationStatus.DRAFT,
    )
    assert translation.slug == "hostile"
    assert list(translation.versions.values_list("number", flat=True)) == [2, 1]


def test_adding_an_article_with_a_translation_in_the_admin(admin_client, category):
    response = admin_client.post(
        reverse("admin:knowledge_article_add"),
        {
            "category": category.pk,
            "visibility": "public",
            "review_interval_days": "90",
            "translations-TOTAL_FORMS": "1",
            "translations-INITIAL_FORMS": "0",
            "translations-MIN_NUM_FORMS": "0",
            "translations-MAX_NUM_FORMS": "1000",
            "translations-0-language": "it",
            "translations-0-title": "Pagare una fattura",
            "translations-0-slug": "",
            "translations-0-summary": "Come pagare.",
            "translations-0-body": "Testo.",
            "translations-0-status": TranslationStatus.PUBLISHED,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    translation = ArticleTranslation.objects.get(language="it")
    assert translation.slug == "pagare-una-fattura" and translation.is_published
    assert translation.versions.count() == 1
    assert translation.article.owner is not None


def test_a_bad_transcript_is_the_fields_error(admin_client, content):
    video = content["video"]
    url = reverse("admin:knowledge_video_change", args=[video.pk])
    data = {
        "slug": "v",
        "language": "en",
        "title": "V",
        "description": "",
        "visibility": "public",
        "external_url": "https://v.example/",
        "duration_seconds": "10",
        "transcript_vtt": "not a transcript",
        "chapters-TOTAL_FORMS": "0",
        "chapters-INITIAL_FORMS": "0",
        "cues-TOTAL_FORMS": "0",
        "cues-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "first line must be WEBVTT" in response.content.decode()
    data["transcript_vtt"] = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello.\n"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert list(TranscriptCue.objects.values_list("text", flat=True)) == ["Hello."]


# --- the admin's edits reach the search index (through the services) -------------------------


def _entries(kind: str) -> list[tuple[int, str, str]]:
    return sorted(
        SearchEntry.objects.filter(kind=kind).values_list("object_id", "visibility", "title")
    )


def _article_form(article, translation, **changes: Any) -> dict[str, Any]:
    data = {
        "category": article.category_id,
        "visibility": article.visibility,
        "owner": article.owner_id or "",
        "review_interval_days": article.review_interval_days,
        "translations-TOTAL_FORMS": "1",
        "translations-INITIAL_FORMS": "1",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        "translations-0-id": translation.pk,
        "translations-0-article": article.pk,
        "translations-0-language": translation.language,
        "translations-0-title": translation.title,
        "translations-0-slug": translation.slug,
        "translations-0-summary": translation.summary,
        "translations-0-body": translation.body,
        "translations-0-status": translation.status,
    }
    data.update(changes)
    return data


def test_changing_an_articles_visibility_in_the_admin_reindexes_it(admin_client, content):
    article, translation = content["article"], content["translation"]
    assert _entries("article") == [(translation.pk, "public", "Hostile")]
    url = reverse("admin:knowledge_article_change", args=[article.pk])
    response = admin_client.post(url, _article_form(article, translation, visibility="agents"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _entries("article") == [(translation.pk, "agents", "Hostile")]
    data = _article_form(article, translation, **{"translations-0-title": "Renamed"})
    data["visibility"] = "agents"
    assert admin_client.post(url, data).status_code == 302
    assert _entries("article") == [(translation.pk, "agents", "Renamed")]


def test_deleting_in_the_admin_empties_the_index(admin_client, content):
    article, guide, video = content["article"], content["guide"], content["video"]
    video.published = True
    video.save()
    search_index_update(video=video, guide=guide)
    assert _entries("article") and _entries("guide") and _entries("video")
    for model, obj in (("guide", guide), ("video", video)):
        url = reverse(f"admin:knowledge_{model}_delete", args=[obj.pk])
        response = admin_client.post(url, {"post": "yes"})
        assert response.status_code == 302, response.content.decode()[:3000]
    assert list(SearchEntry.objects.values_list("kind", flat=True)) == ["article"]
    # An article keeps its version history: the admin does not delete it (the service
    # article_delete, which the admin would call, forgets its entries; tested below).
    url = reverse("admin:knowledge_article_delete", args=[article.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403


def test_the_delete_services_forget_the_entries(category, author):
    article = make_article(category, title="Gone soon")
    assert _entries("article")
    article_delete(article=article, actor=author)
    assert _entries("article") == []


def test_guide_and_video_edits_in_the_admin_reach_the_index(admin_client, content):
    guide, video = content["guide"], content["video"]
    response = admin_client.post(
        reverse("admin:knowledge_guide_change", args=[guide.pk]),
        {
            "slug": "g",
            "title_en": "Getting started",
            "title_it": "Primi passi",
            "summary_en": "",
            "summary_it": "",
            "visibility": "signed_in",
            "position": "0",
            "chapters-TOTAL_FORMS": "0",
            "chapters-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(
        SearchEntry.objects.filter(kind="guide").values_list("language", "visibility", "title")
    ) == [("en", "signed_in", "Getting started"), ("it", "signed_in", "Primi passi")]
    data = {
        "slug": "v",
        "language": "en",
        "title": "Video title",
        "description": "",
        "visibility": "public",
        "published": "on",
        "external_url": "https://v.example/",
        "duration_seconds": "10",
        "transcript_vtt": "",
        "chapters-TOTAL_FORMS": "0",
        "chapters-INITIAL_FORMS": "0",
        "cues-TOTAL_FORMS": "0",
        "cues-INITIAL_FORMS": "0",
    }
    url = reverse("admin:knowledge_video_change", args=[video.pk])
    assert admin_client.post(url, data).status_code == 302
    assert _entries("video") == [(video.pk, "public", "Video title")]
    del data["published"]
    assert admin_client.post(url, data).status_code == 302
    assert _entries("video") == []
