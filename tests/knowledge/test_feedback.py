"""Was this helpful?: one answer per signed-in user or visitor session, changeable, counted."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tierdesk.knowledge.choices import Visibility
from tierdesk.knowledge.models import ArticleFeedback
from tierdesk.knowledge.services.feedback import feedback_record

from .conftest import make_article, translation_of


def test_one_answer_per_user_which_may_change(readers, category):
    translation = translation_of(make_article(category))
    member = readers["free_member"]
    feedback_record(translation=translation, helpful=True, user=member)
    feedback_record(translation=translation, helpful=False, comment=" Too short ", user=member)
    row = ArticleFeedback.objects.get()
    assert (row.helpful, row.comment, row.user, row.session_hash) == (
        False,
        "Too short",
        member,
        "",
    )
    translation.refresh_from_db()
    assert (translation.helpful_count, translation.unhelpful_count) == (0, 1)
    feedback_record(translation=translation, helpful=True, user=readers["paid_member"])
    translation.refresh_from_db()
    assert (translation.helpful_count, translation.unhelpful_count) == (1, 1)


def test_visitors_are_counted_per_session_and_the_key_is_not_stored(readers, category):
    translation = translation_of(make_article(category))
    visitor = readers["visitor"]
    feedback_record(translation=translation, helpful=True, user=visitor, session_key="abc123")
    feedback_record(translation=translation, helpful=True, user=visitor, session_key="abc123")
    feedback_record(translation=translation, helpful=False, user=visitor, session_key="zzz999")
    rows = list(ArticleFeedback.objects.order_by("pk"))
    assert len(rows) == 2
    assert all(r.user is None and len(r.session_hash) == 64 for r in rows)
    assert "abc123" not in rows[0].session_hash
    translation.refresh_from_db()
    assert (translation.helpful_count, translation.unhelpful_count) == (1, 1)


def test_a_visitor_without_a_session_is_refused(readers, category):
    translation = translation_of(make_article(category))
    with pytest.raises(ValidationError):
        feedback_record(translation=translation, helpful=True, user=readers["visitor"])
    assert not ArticleFeedback.objects.exists()


def test_a_long_comment_is_refused(readers, category):
    translation = translation_of(make_article(category))
    with pytest.raises(ValidationError) as error:
        feedback_record(
            translation=translation, helpful=False, comment="x" * 1001, user=readers["agent"]
        )
    assert "comment" in error.value.message_dict
    assert not ArticleFeedback.objects.exists()


def test_no_feedback_on_what_the_reader_may_not_read(readers, category):
    translation = translation_of(make_article(category, visibility=Visibility.PAID))
    with pytest.raises(PermissionDenied):
        feedback_record(translation=translation, helpful=True, user=readers["free_member"])
    draft = translation_of(make_article(category, title="Draft", publish=False))
    with pytest.raises(PermissionDenied):
        feedback_record(translation=draft, helpful=True, user=readers["agent"])
    assert not ArticleFeedback.objects.exists()
