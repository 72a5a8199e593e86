"""Images, a thread turned into a case or a draft article, and the similar-threads lookup."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tierdesk.community.models import PostImage
from tierdesk.community.selectors import forum_similar
from tierdesk.community.services.forum_links import thread_to_article, thread_to_case
from tierdesk.community.services.forum_moderation import thread_close_duplicate
from tierdesk.community.services.forum_posts import MAX_IMAGE_BYTES, MAX_IMAGES_PER_POST
from tierdesk.community.services.forum_votes import solution_accept
from tierdesk.knowledge.models import ArticleTranslation, Category
from tierdesk.tickets.choices import Channel

from .conftest import answer, ask

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def png(name: str = "shot.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_images_are_checked_by_content_size_and_count(people, categories, media_root):
    thread = ask(people["asker"], categories["en"], images=[png()])
    image = PostImage.objects.get()
    assert image.content_type == "image/png"
    fake = SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError, match="not a PNG"):
        ask(people["asker"], categories["en"], title="Another question here", images=[fake])
    big = SimpleUploadedFile("big.png", PNG + b"\0" * MAX_IMAGE_BYTES, content_type="image/png")
    with pytest.raises(ValidationError, match="larger"):
        ask(people["asker"], categories["en"], title="Another question here", images=[big])
    many = [png(f"{n}.png") for n in range(MAX_IMAGES_PER_POST + 1)]
    with pytest.raises(ValidationError, match="At most"):
        ask(people["asker"], categories["en"], title="Another question here", images=many)
    response = Client().get(reverse("community:image", args=[image.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    response.close()
    assert thread.pk


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_paid_asker_turns_their_thread_into_a_case_linked_both_ways(people, categories):
    paid_thread = ask(
        people["paid"], categories["it"], title="Le chiamate cadono dopo cinque minuti"
    )
    case = thread_to_case(actor=people["paid"], thread=paid_thread)
    assert case.channel == Channel.COMMUNITY and case.subject == paid_thread.title
    paid_thread.refresh_from_db()
    assert paid_thread.case == case and case.threads.get() == paid_thread
    with pytest.raises(PermissionDenied):
        thread_to_case(actor=people["paid"], thread=paid_thread)  # once
    free_thread = ask(people["asker"], categories["en"])
    with pytest.raises(PermissionDenied):
        thread_to_case(actor=people["asker"], thread=free_thread)  # Basic has no cases
    with pytest.raises(PermissionDenied):
        thread_to_case(actor=people["helper"], thread=paid_thread)  # not the asker
    client = Client()
    client.force_login(people["paid"])
    case_page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert f'href="{reverse("community:thread", args=[paid_thread.pk])}"' in case_page
    html = client.get(reverse("community:thread", args=[paid_thread.pk])).content.decode()
    assert f'href="{reverse("case-detail", args=[case.pk])}"' in html
    assert (
        "case-detail"
        not in Client().get(reverse("community:thread", args=[paid_thread.pk])).content.decode()
    )
    assert (
        f"#{case.pk}"
        not in Client().get(reverse("community:thread", args=[paid_thread.pk])).content.decode()
    )


def test_staff_draft_an_article_from_a_solved_thread(people, categories):
    Category.objects.create(slug="phones", name_en="Phones", name_it="Telefoni")
    thread = ask(people["asker"], categories["en"])
    reply = answer(people["helper"], thread, "Raise the SIP session timer to 1800 s.")
    with pytest.raises(ValidationError):
        thread_to_article(actor=people["agent"], thread=thread, category=Category.objects.get())
    solution_accept(actor=people["asker"], thread=thread, post=reply)
    with pytest.raises(PermissionDenied):
        thread_to_article(actor=people["asker"], thread=thread, category=Category.objects.get())
    article = thread_to_article(
        actor=people["agent"], thread=thread, category=Category.objects.get()
    )
    translation = ArticleTranslation.objects.get(article=article)
    assert translation.title == thread.title and "1800 s" in translation.body
    assert translation.published_at is None


def test_similar_threads_in_either_language_solved_first_without_reembedding(
    people, categories, monkeypatch
):
    unsolved = ask(people["asker"], categories["en"], title="Calls drop after five minutes")
    solved = ask(people["paid"], categories["en"], title="Phone calls disconnect after 5 minutes")
    solution_accept(actor=people["paid"], thread=solved, post=answer(people["helper"], solved))
    ask(people["helper"], categories["en"], title="How do I export invoices as PDF")
    found = forum_similar.similar_threads("Le chiamate cadono dopo cinque minuti")
    assert [r.id for r in found[:2]] == [solved.pk, unsolved.pk]
    assert found[0].solved and not found[1].solved
    from tierdesk.assistant.retrieval import embeddings

    calls: list[int] = []
    real = embeddings.encode
    monkeypatch.setattr(embeddings, "encode", lambda texts: calls.append(len(texts)) or real(texts))
    forum_similar.similar_threads("calls dropping")
    forum_similar.similar_threads("calls dropping again")
    assert calls == [1, 1]  # the query only: the corpus comes from the stored bytes
    # A new thread is appended to the cached index; a duplicate leaves it.
    newer = ask(people["asker"], categories["en"], title="Outgoing calls drop after five minutes")
    assert newer.pk in [r.id for r in forum_similar.similar_threads("calls drop five minutes")]
    thread_close_duplicate(actor=people["agent"], thread=newer, original=unsolved)
    assert newer.pk not in [r.id for r in forum_similar.similar_threads("calls drop five minutes")]
    stored = np.frombuffer(bytes(solved.title_embedding), dtype=np.float16)
    assert (
        stored.shape == (512,) and abs(float(np.linalg.norm(stored.astype(np.float32))) - 1) < 0.01
    )
