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
    TranscriptCue,
    Video,
)
from tierdesk.knowledge.services.feedback import feedback_record
from tierdesk.knowledge.services.gaps import search_miss_record

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
