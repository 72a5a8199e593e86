"""The demo assistant's FAQ entries (demo/faq.yaml), loaded by `tierdesk load_demo`.

Create only: an entry whose question is already there in its language is left alone, so
running `load_demo` again changes nothing, not even an entry someone has edited since.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.utils import timezone

from tierdesk.knowledge.models import ArticleTranslation

from ..models import FaqEntry

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "faq.yaml"


def demo_faq_load() -> int:
    """Create the demo FAQ entries that are missing; how many were created."""
    rows = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    slugs = {row["article"] for row in rows if row.get("article")}
    articles = dict(
        ArticleTranslation.objects.filter(language="en", slug__in=slugs).values_list(
            "slug", "article_id"
        )
    )
    existing = set(FaqEntry.objects.values_list("language", "question"))
    now = timezone.now()
    new = [
        FaqEntry(
            question=row["question"],
            phrasings="\n".join(row.get("phrasings", [])),
            answer=row["answer"].strip(),
            article_id=articles.get(row.get("article", "")),
            language=row["language"],
            published=True,
            created_at=now,
            updated_at=now,
        )
        for row in rows
        if (row["language"], row["question"]) not in existing
    ]
    FaqEntry.objects.bulk_create(new)
    return len(new)
