"""Docs as code: `tierdesk kb export DIR` and `tierdesk kb import DIR`, and the demo help center.

Round trips are checked byte for byte on the files export writes (categories, tags, articles,
guides, the video's markdown, media and transcript), and on the database for the demo's video,
whose committed layout (its author's) differs from the export's.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.knowledge.conftest import make_article, translate, translation_of
from tierdesk.knowledge.choices import TranslationStatus, Visibility
from tierdesk.knowledge.models import (
    Article,
    ArticleTag,
    ArticleTranslation,
    ArticleVersion,
    Category,
    Guide,
    GuideChapter,
    TranscriptCue,
    Video,
    VideoChapter,
)
from tierdesk.knowledge.services.articles import translation_save
from tierdesk.knowledge.services.catalogue import ChapterSpec, guide_save, video_save
from tierdesk.knowledge.services.kb_import import kb_import
from tierdesk.knowledge.services.videos import video_transcript_set

DEMO = Path(__file__).parents[2] / "src" / "tierdesk" / "knowledge" / "demo"

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nHello.\n\n00:00:02.500 --> 00:00:05.000\nBye.\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def run(*args: str) -> tuple[int, str, str]:
    """Run `tierdesk kb ...`; answers the exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("kb", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, out.getvalue(), err.getvalue()


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def wipe() -> None:
    """An empty help center (users stay: owners are named by e-mail)."""
    GuideChapter.objects.all().delete()
    Guide.objects.all().delete()
    Video.objects.all().delete()
    Article.objects.all().delete()
    ArticleTag.objects.all().delete()
    Category.objects.all().delete()


@pytest.fixture
def content(author, category, tmp_path) -> dict[str, Any]:
    """A small help center with every feature the format carries."""
    Category.objects.create(slug="secret", name_en="Runbooks", description_en="Inside.", position=2)
    sso = ArticleTag.objects.create(slug="sso", name="Single sign-on")
    invoices = ArticleTag.objects.create(slug="invoices", name="Invoices")
    paid = make_article(
        category,
        title="Read your invoice",
        body="# Invoice\n\nLines:\n\n```sh\ncurl -s https://x\n```",
        summary="What each line means.",
        visibility=Visibility.PAID,
        tags=[invoices, sso],
        owner=author,
        review_interval_days=90,
    )
    translate(paid, "it", "Leggere la fattura", "# Fattura\n\nRighe: **tutte**.")
    paid.last_reviewed_at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    paid.save()
    agents = make_article(
        Category.objects.get(slug="secret"),
        title="Restart the media server",
        visibility=Visibility.AGENTS,
    )
    draft = make_article(
        category, title="Coming soon", publish=False, visibility=Visibility.SIGNED_IN
    )
    guide_save(
        slug="billing-basics",
        values={
            "title_en": "Billing basics",
            "title_it": "Fatturazione di base",
            "summary_en": "Two steps.",
            "summary_it": "",
            "visibility": Visibility.PUBLIC,
            "position": 1,
        },
        chapters=[ChapterSpec(article=paid, title_it="La fattura"), ChapterSpec(article=draft)],
    )
    clip = tmp_path / "clip.webm"
    clip.write_bytes(b"\x1a\x45\xdf\xa3 not really a video")
    video, _ = video_save(
        slug="tour",
        values={
            "title": "Tour",
            "description": "A *tour*.",
            "duration_seconds": 5,
            "published": True,
        },
        chapters=[(0, "Start"), (3, "End")],
        file=clip,
        poster=None,
    )
    video_transcript_set(video=video, vtt=VTT)
    return {"paid": paid, "agents": agents, "draft": draft}


def test_export_then_import_into_an_empty_help_center_reproduces_everything(content, tmp_path):
    first = tmp_path / "first"
    assert run("export", str(first))[0] == 0
    files = tree(first)
    assert "articles/billing/read-your-invoice.en.md" in files
    assert "articles/billing/read-your-invoice.it.md" in files
    assert "articles/secret/restart-the-media-server.en.md" in files
    assert "guides/billing-basics.md" in files
    assert files["videos/tour/transcript.vtt"] == VTT.encode()
    text = files["articles/billing/read-your-invoice.en.md"].decode()
    assert "visibility: paid\n" in text
    assert "owner: admin@vendor.example\n" in text
    assert "review_interval_days: 90\n" in text
    assert "last_reviewed: 2026-03-01 09:30:00+00:00\n" in text
    assert "- invoices\n- sso\n" in text

    wipe()
    status, out, err = run("import", str(first))
    assert (status, err) == (0, "")
    assert "0 changed, 0 left alone" in out

    second = tmp_path / "second"
    run("export", str(second))
    assert tree(second) == files
    paid = ArticleTranslation.objects.get(language="en", slug="read-your-invoice").article
    assert paid.visibility == Visibility.PAID
    assert paid.owner.email == "admin@vendor.example"
    assert {t.slug for t in paid.tags.all()} == {"sso", "invoices"}
    assert paid.translations.count() == 2
    draft = ArticleTranslation.objects.get(slug="coming-soon")
    assert draft.status == TranslationStatus.DRAFT
    assert draft.article.visibility == Visibility.SIGNED_IN
    assert ArticleTranslation.objects.get(slug="restart-the-media-server").article.visibility == (
        Visibility.AGENTS
    )
    video = Video.objects.get(slug="tour")
    assert Path(video.file.path).read_bytes() == b"\x1a\x45\xdf\xa3 not really a video"
    assert TranscriptCue.objects.filter(video=video).count() == 2
    assert list(VideoChapter.objects.filter(video=video).values_list("title", flat=True)) == [
        "Start",
        "End",
    ]


def test_importing_twice_leaves_everything_alone_and_writes_no_version(content, tmp_path):
    run("export", str(tmp_path / "kb"))
    wipe()
    run("import", str(tmp_path / "kb"))
    versions = ArticleVersion.objects.count()
    report = kb_import(root=tmp_path / "kb")
    assert report.created == report.changed == 0
    assert report.unchanged == 2 + 2 + 4 + 1 + 1  # categories, tags, translations, guide, video
    assert report.errors == []
    assert ArticleVersion.objects.count() == versions


def test_importing_the_export_of_the_same_database_changes_nothing(content, tmp_path):
    run("export", str(tmp_path / "kb"))
    versions = ArticleVersion.objects.count()
    report = kb_import(root=tmp_path / "kb")
    assert (report.created, report.changed, report.errors) == (0, 0, [])
    assert ArticleVersion.objects.count() == versions


def test_a_changed_file_creates_exactly_one_version(content, tmp_path):
    root = tmp_path / "kb"
    run("export", str(root))
    path = root / "articles/billing/read-your-invoice.it.md"
    path.write_text(path.read_text().replace("Righe", "Le righe"))
    italian = translation_of(content["paid"], "it")
    before = italian.versions.count()
    report = kb_import(root=root)
    assert report.counts["articles"]["changed"] == 1
    assert report.counts["articles"]["unchanged"] == 3
    assert italian.versions.count() == before + 1
    italian.refresh_from_db()
    assert "Le righe" in italian.body
    assert ArticleVersion.objects.filter(translation__language="en").count() == 3


def test_each_imported_translation_names_its_own_file_in_its_first_version(content, tmp_path):
    root = tmp_path / "kb"
    run("export", str(root))
    wipe()
    assert kb_import(root=root).errors == []
    paid = ArticleTranslation.objects.get(language="en", slug="read-your-invoice").article
    for language in ("en", "it"):
        version = translation_of(paid, language).versions.get(number=1)
        assert version.note == (f"Imported from articles/billing/read-your-invoice.{language}.md.")


def test_settings_and_state_changes_are_imported_without_a_version(content, tmp_path):
    root = tmp_path / "kb"
    run("export", str(root))
    for lang in ("en", "it"):
        path = root / f"articles/billing/read-your-invoice.{lang}.md"
        path.write_text(path.read_text().replace("visibility: paid", "visibility: public"))
    path = root / "articles/billing/coming-soon.en.md"
    path.write_text(path.read_text().replace("status: draft", "status: published"))
    versions = ArticleVersion.objects.count()
    report = kb_import(root=root)
    assert report.changed == 2
    assert ArticleVersion.objects.count() == versions
    assert Article.objects.get(pk=content["paid"].pk).visibility == Visibility.PUBLIC
    draft = translation_of(content["draft"])
    assert draft.status == TranslationStatus.PUBLISHED
    assert draft.published_at is not None


BAD_FILES = {
    "articles/billing/front.en.md": ("title: no fence\n", "bad front matter"),
    "articles/billing/yaml.en.md": ("---\ntitle: [unclosed\n---\nBody\n", "bad front matter"),
    "articles/nowhere/lost.en.md": ("---\ntitle: Lost\n---\nBody\n", "unknown category"),
    "articles/billing/hidden.en.md": (
        "---\ntitle: Hidden\nvisibility: secret\n---\nBody\n",
        "bad visibility",
    ),
    "articles/billing/twin.en.md": (
        "---\ntitle: Twin\nslug: good-one\n---\nBody\n",
        "duplicate slug",
    ),
    "articles/billing/owner.en.md": (
        "---\ntitle: Owned\nowner: nobody@example.com\n---\nBody\n",
        "unknown owner",
    ),
    "articles/billing/klingon.tlh.md": ("---\ntitle: Q\n---\nBody\n", "unknown language"),
    "guides/broken.md": (
        "---\ntitle: Broken\nchapters: [no-such-article]\n---\n",
        "unknown article key",
    ),
    "guides/second.md": ("---\nslug: broken\ntitle: Twice\n---\n", "duplicate slug"),
    "videos/bad-vtt/video.md": (
        "---\ntitle: Bad\nexternal_url: https://video.example/1\ntranscript: transcript.vtt\n---\n",
        "bad VTT",
    ),
}


def test_each_bad_file_gets_its_error_and_the_rest_is_imported(category, tmp_path):
    root = tmp_path / "kb"
    (root / "articles/billing").mkdir(parents=True)
    (root / "categories.yaml").write_text("- slug: billing\n  name: {en: Billing}\n")
    (root / "articles/billing/good-one.en.md").write_text("---\ntitle: Good one\n---\nFine.\n")
    for name, (text, _reason) in BAD_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "videos/bad-vtt/transcript.vtt").write_text("WEBVTT\n\nnot a cue line\n")
    status, out, err = run("import", str(root))
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == len(BAD_FILES)
    for name, (_text, reason) in BAD_FILES.items():
        (line,) = [line for line in lines if line.startswith(f"error: {name}: ")]
        assert reason in line, line
    assert ArticleTranslation.objects.filter(slug="good-one").exists()
    assert "article translations: 1 created" in out


def test_the_progress_bar_goes_to_stderr_and_only_when_asked_or_on_a_terminal(
    content, tmp_path, capsys
):
    run("export", str(tmp_path / "kb"))
    capsys.readouterr()
    status, out, _err = run("import", str(tmp_path / "kb"), "--progress", "always")
    captured = capsys.readouterr()
    assert status == 0
    assert "Importing" in captured.err
    assert "Importing" not in out
    run("import", str(tmp_path / "kb"))  # auto: not a terminal, and a small import
    assert "Importing" not in capsys.readouterr().err


def test_import_of_a_missing_folder_is_a_one_line_error(db, tmp_path):
    status, _out, err = run("import", str(tmp_path / "nope"))
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("error: ")


def test_a_translation_may_leave_the_article_settings_to_the_others(category, tmp_path):
    root = tmp_path / "kb"
    (root / "articles/billing").mkdir(parents=True)
    (root / "articles/billing/pay.en.md").write_text(
        "---\ntitle: Pay\nvisibility: agents\ntags: [cards]\n---\nPay.\n"
    )
    (root / "articles/billing/pay.it.md").write_text(
        "---\ntitle: Pagare\nslug: pagare\n---\nPaga.\n"
    )
    (root / "articles/billing/clash.en.md").write_text("---\ntitle: A\nvisibility: paid\n---\nA\n")
    (root / "articles/billing/clash.it.md").write_text(
        "---\ntitle: B\nvisibility: public\n---\nB\n"
    )
    report = kb_import(root=root)
    article = ArticleTranslation.objects.get(slug="pagare").article
    assert article.visibility == Visibility.AGENTS
    assert article.translations.count() == 2
    assert [str(e) for e in report.errors] == [
        "articles/billing/clash.it.md: visibility differs from articles/billing/clash.en.md"
    ]


# --- the demo help center ------------------------------------------------------------------


def demo_staff() -> None:
    from tierdesk.accounts.services.demo import demo_load

    demo_load()


def test_the_demo_content_is_complete(db):
    demo_staff()
    report = kb_import(root=DEMO)
    assert report.errors == []
    english = ArticleTranslation.objects.filter(language="en")
    assert english.count() >= 30
    assert ArticleTranslation.objects.filter(language="it").count() >= 10
    assert 5 <= Category.objects.count() <= 7
    visibilities = list(Article.objects.values_list("visibility", flat=True))
    assert visibilities.count(Visibility.AGENTS) >= 2
    assert visibilities.count(Visibility.PAID) >= 2
    assert 1 <= english.filter(status=TranslationStatus.DRAFT).count() <= 2
    assert Guide.objects.count() >= 2
    for guide in Guide.objects.all():
        assert guide.chapters.count() >= 4
    assert Video.objects.filter(published=True).exclude(transcript_vtt="").exists()
    for text in english:
        words = len(text.body.split())
        assert 150 <= words <= 400, (text.slug, words)


def test_the_demo_round_trips_unchanged(db, tmp_path):
    demo_staff()
    kb_import(root=DEMO)
    out = tmp_path / "out"
    run("export", str(out))
    exported, committed = tree(out), tree(DEMO)
    # Categories, tags, articles and guides: byte for byte.
    for name, data in committed.items():
        if not name.startswith("videos/"):
            assert exported.get(name) == data, name
    assert {n for n in exported if not n.startswith("videos/")} == {
        n for n in committed if not n.startswith("videos/")
    }
    # The video: its committed layout is its author's; the export, imported again, is the same.
    snapshot = video_snapshot()
    wipe()
    report = kb_import(root=out)
    assert report.errors == []
    assert video_snapshot() == snapshot
    assert tree(out) == exported


def video_snapshot() -> list[tuple[Any, ...]]:
    return [
        (
            v.slug,
            v.language,
            v.title,
            v.description,
            v.visibility,
            v.published,
            v.duration_seconds,
            v.transcript_vtt,
            v.external_url,
            Path(v.file.path).read_bytes() if v.file else b"",
            Path(v.poster.path).read_bytes() if v.poster else b"",
            list(v.chapters.values_list("start_seconds", "title")),
        )
        for v in Video.objects.order_by("slug")
    ]


def test_load_demo_imports_the_help_center_and_a_second_run_changes_nothing(db):
    call_command("load_demo", stdout=io.StringIO())
    assert ArticleTranslation.objects.count() >= 40
    versions = ArticleVersion.objects.count()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert ArticleVersion.objects.count() == versions
    assert "nothing changed" in out.getvalue()


def test_load_demo_keeps_an_edited_demo_article_and_adds_what_is_missing(db):
    call_command("load_demo", stdout=io.StringIO())
    edited = ArticleTranslation.objects.get(language="en", slug="create-your-first-office")
    translation_save(article=edited.article, language="en", title="Our office", body="Ours.")
    missing = ArticleTranslation.objects.get(language="it", slug="installa-le-app")
    missing.delete()
    call_command("load_demo", stdout=io.StringIO())
    edited.refresh_from_db()
    assert (edited.title, edited.body) == ("Our office", "Ours.")
    assert ArticleTranslation.objects.filter(language="it", slug="installa-le-app").exists()


def test_the_command_speaks_italian(category, tmp_path):
    root = tmp_path / "kb"
    (root / "articles/billing").mkdir(parents=True)
    (root / "articles/billing/a.en.md").write_text("---\ntitle: A\nvisibility: segreto\n---\nA\n")
    with translation.override("it"):
        status, out, err = run("import", str(root))
    assert status == 2
    assert "file con errori: 1" in out
    assert err.startswith("errore: articles/billing/a.en.md: visibility 'segreto' non valida")


def test_two_articles_never_share_a_key(category, tmp_path):
    make_article(category, title="Pay", slug="pay")
    make_article(category, title="Paga", slug="pay", language="it")
    run("export", str(tmp_path / "kb"))
    names = sorted(p.name for p in (tmp_path / "kb/articles/billing").iterdir())
    assert "pay.en.md" in names
    (other,) = [name for name in names if name != "pay.en.md"]
    assert other.startswith("pay-") and other.endswith(".it.md")
    wipe()
    report = kb_import(root=tmp_path / "kb")
    assert (report.counts["articles"]["created"], report.errors) == (2, [])
    assert Article.objects.count() == 2
