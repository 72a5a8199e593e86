"""Content gaps: searches without results, counted per normalised query and language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tierdesk.knowledge.models import SearchMiss
from tierdesk.knowledge.services.gaps import search_miss_record


def test_misses_are_counted_per_normalised_query(db):
    search_miss_record(query="  Reset   PASSWORD ", language="en")
    miss = search_miss_record(query="reset password", language="en")
    search_miss_record(query="reset password", language="it")
    assert miss is not None and miss.count == 2 and miss.query == "reset password"
    assert SearchMiss.objects.count() == 2


def test_an_empty_query_is_no_miss_and_a_bad_language_an_error(db):
    assert search_miss_record(query="   ", language="en") is None
    with pytest.raises(ValidationError):
        search_miss_record(query="x", language="xx")
    assert not SearchMiss.objects.exists()
