"""The forum's API for images (POST posts/{id}/images) and the moderators' audit log
(GET moderation/log): the pages' rules, one source for each, and no e-mail in any answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tierdesk.community.models import PostImage
from tierdesk.community.services.forum_moderation import thread_lock, user_ban
from tierdesk.community.services.forum_posts import MAX_IMAGE_BYTES, MAX_IMAGES_PER_POST

from .conftest import answer, ask
from .test_api import BASE, Api
from .test_connections import PNG
from .test_pages import assert_private

pytestmark = pytest.mark.django_db

# The first bytes of a Windows program: what an .exe renamed .png starts with.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


class Uploader(Api):
    def upload(self, post_id: int, content: bytes = PNG, name: str = "shot.png") -> Any:
        upload = SimpleUploadedFile(name, content, content_type="image/png")
        response = self.client.post(
            f"{BASE}/posts/{post_id}/images", {"file": upload}, headers=self.headers
        )
        self.answers.append(response.content.decode())
        return response


@pytest.fixture
def question(people, categories) -> Any:
    return ask(people["asker"], categories["en"]).posts.get(is_question=True)


# --- images -------------------------------------------------------------------------------------


def test_the_author_attaches_an_image_and_gets_its_address_and_a_markdown_link(
    people, question, media_root
):
    asker = Uploader(people["asker"])
    response = asker.upload(question.pk, name="my [screen] shot.png")
    assert response.status_code == 201, response.content
    body = response.json()
    image = PostImage.objects.get()
    assert image.post == question and image.content_type == "image/png"
    assert body["id"] == image.pk
    assert body["url"] == f"/community/i/{image.pk}/"
    assert body["content_type"] == "image/png" and body["size"] == len(PNG)
    assert body["markdown"] == f"[my \\[screen\\] shot.png](/community/i/{image.pk}/)"
    assert len(stored_files(media_root)) == 1
    served = asker.client.get(body["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    # Read to its end, which closes it the test client's way: calling close() sends
    # request_finished, whose handler closes PostgreSQL's connection inside the test's transaction.
    assert b"".join(served.streaming_content) == PNG
    # The post lists it, and the markdown link renders as a link in the post's text.
    detail = Api().get(f"/threads/{question.thread_id}").json()
    assert detail["question"]["images"] == [body["url"]]
    edited = asker.send("PATCH", f"/posts/{question.pk}", {"body": f"See {body['markdown']}"})
    assert edited.status_code == 200, edited.content
    assert f'<a href="{body["url"]}">my [screen] shot.png</a>' in edited.json()["body_html"]
    for text in asker.answers:
        assert_private(text)


def test_an_exe_renamed_png_is_refused_as_415_and_nothing_is_stored(people, question, media_root):
    response = Uploader(people["asker"]).upload(question.pk, EXE, name="evil.png")
    assert response.status_code == 415, response.content
    assert "evil.png is not a PNG, JPEG, GIF or WebP image." in response.json()["detail"]
    assert not PostImage.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_over_the_limit_is_refused_as_413_and_nothing_is_stored(
    people, question, media_root
):
    big = PNG + b"\0" * MAX_IMAGE_BYTES
    response = Uploader(people["asker"]).upload(question.pk, big, name="big.png")
    assert response.status_code == 413, response.content
    assert "big.png is larger than 2 MB." in response.json()["detail"]
    assert not PostImage.objects.exists()
    assert stored_files(media_root) == []


def test_one_image_more_than_a_post_takes_is_422_on_images(people, question, media_root):
    asker = Uploader(people["asker"])
    for _n in range(MAX_IMAGES_PER_POST):
        assert asker.upload(question.pk).status_code == 201
    response = asker.upload(question.pk)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["body", "images"]
    assert PostImage.objects.count() == MAX_IMAGES_PER_POST
    assert len(stored_files(media_root)) == MAX_IMAGES_PER_POST


def test_no_file_is_422(people, question, media_root):
    asker = Api(people["asker"])
    response = asker.client.post(f"{BASE}/posts/{question.pk}/images", {}, headers=asker.headers)
    assert response.status_code == 422
    assert not PostImage.objects.exists()


def test_only_the_author_attaches_not_another_member_of_any_account(
    people, categories, question, media_root
):
    # The newbie shares the asker's account; the helper and Paolo are of another account.
    for name in ("newbie", "helper", "paid"):
        response = Uploader(people[name]).upload(question.pk)
        assert response.status_code == 403, (name, response.content)
    reply = answer(people["helper"], question.thread)
    assert Uploader(people["asker"]).upload(reply.pk).status_code == 403
    assert Uploader().upload(question.pk).status_code == 401
    assert not PostImage.objects.exists()
    assert stored_files(media_root) == []
    assert Uploader(people["helper"]).upload(reply.pk).status_code == 201


def test_a_banned_author_may_not_attach(people, question, media_root):
    user_ban(actor=people["agent"], user=people["asker"])
    response = Uploader(people["asker"]).upload(question.pk)
    assert response.status_code == 403, response.content
    assert not PostImage.objects.exists()


def test_a_locked_thread_takes_images_from_moderators_only(people, question, media_root):
    thread_lock(actor=people["agent"], thread=question.thread)
    assert Uploader(people["asker"]).upload(question.pk).status_code == 403
    assert not PostImage.objects.exists()
    assert Uploader(people["agent"]).upload(question.pk).status_code == 201


def test_a_hidden_post_is_404_to_its_author(people, question, media_root):
    Api(people["agent"]).post(f"/posts/{question.pk}/moderation", {"action": "hide"})
    assert Uploader(people["asker"]).upload(question.pk).status_code == 404
    assert Uploader(people["asker"]).upload(987654).status_code == 404
    assert not PostImage.objects.exists()


# --- the audit log --------------------------------------------------------------------------------


def test_moderators_read_the_audit_log_newest_first_by_display_name(people, categories):
    thread = ask(people["asker"], categories["en"])
    reply = answer(people["helper"], thread)
    agent = Api(people["agent"])
    hidden = agent.post(f"/posts/{reply.pk}/moderation", {"action": "hide", "note": "Spam link"})
    assert hidden.status_code == 200
    locked = agent.post(f"/threads/{thread.pk}/moderation", {"action": "lock"})
    assert locked.status_code == 200
    assert agent.post(f"/posts/{reply.pk}/moderation", {"action": "ban"}).status_code == 200

    log = agent.get("/moderation/log")
    assert log.status_code == 200, log.content
    assert log.json()["count"] == 3
    rows = log.json()["items"]
    assert [row["action"] for row in rows] == ["ban", "lock", "hide"]
    ban, lock, hide = rows
    assert {row["moderator"] for row in rows} == {"Alan Turing"}
    assert hide["thread"] == thread.pk and hide["post"] == reply.pk
    assert hide["note"] == "Spam link" and hide["member"] == "Grace Hopper"
    assert hide["action_label"] == "Hidden"
    assert lock["thread"] == thread.pk and lock["post"] is None and lock["member"] is None
    assert ban["member"] == "Grace Hopper"
    assert hide["created_at"] <= lock["created_at"] <= ban["created_at"]

    paged = agent.get("/moderation/log", limit=1, offset=1).json()
    assert paged["count"] == 3 and [row["action"] for row in paged["items"]] == ["lock"]
    assert agent.get("/moderation/log", limit=201).status_code == 422
    assert people["agent"].email not in "".join(agent.answers)
    for text in agent.answers:
        assert_private(text)


def test_the_audit_log_is_the_moderators_only(people, categories):
    thread = ask(people["asker"], categories["en"])
    Api(people["agent"]).post(f"/threads/{thread.pk}/moderation", {"action": "lock"})
    for name in ("asker", "paid", "newbie"):
        response = Api(people[name]).get("/moderation/log")
        assert response.status_code == 403, (name, response.content)
        assert "lock" not in response.content.decode()
    assert Api().get("/moderation/log").status_code == 401
    assert Api(people["supervisor"]).get("/moderation/log").json()["count"] == 1
