"""The search index's full-text side (selectors.search), written as SQL per database.

SQLite: an FTS5 table `knowledge_search` (external content: it stores only the index) over the
entries' stems and filter words, kept in step with `knowledge_searchentry` by triggers; its
rank is BM25 with a title match worth ten body matches (the filter words count for nothing).
PostgreSQL: a generated `search_vector` (the stems through the `english` or `italian`
configuration by the entry's language, the title weighted A, the text B) with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE knowledge_search USING fts5(
        title_terms, body_terms, filters,
        content='knowledge_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='3'
    )""",
    """CREATE TRIGGER knowledge_search_insert AFTER INSERT ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_search(rowid, title_terms, body_terms, filters)
        VALUES (new.id, new.title_terms, new.body_terms, new.filters);
    END""",
    """CREATE TRIGGER knowledge_search_delete AFTER DELETE ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_search(knowledge_search, rowid, title_terms, body_terms, filters)
        VALUES ('delete', old.id, old.title_terms, old.body_terms, old.filters);
    END""",
    """CREATE TRIGGER knowledge_search_update AFTER UPDATE OF title_terms, body_terms, filters
    ON knowledge_searchentry BEGIN
        INSERT INTO knowledge_search(knowledge_search, rowid, title_terms, body_terms, filters)
        VALUES ('delete', old.id, old.title_terms, old.body_terms, old.filters);
        INSERT INTO knowledge_search(rowid, title_terms, body_terms, filters)
        VALUES (new.id, new.title_terms, new.body_terms, new.filters);
    END""",
    "INSERT INTO knowledge_search(knowledge_search, rank) VALUES ('rank', 'bm25(10.0, 1.0, 0.0)')",
    "INSERT INTO knowledge_search(knowledge_search) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS knowledge_search_update",
    "DROP TRIGGER IF EXISTS knowledge_search_delete",
    "DROP TRIGGER IF EXISTS knowledge_search_insert",
    "DROP TABLE IF EXISTS knowledge_search",
]
# selectors.search filters on this column by name; the CASE keeps the expression immutable.
POSTGRES_FORWARD = [
    """ALTER TABLE knowledge_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        CASE WHEN language = 'it' THEN
            setweight(to_tsvector('italian'::regconfig, title_terms), 'A')
            || setweight(to_tsvector('italian'::regconfig, body_terms), 'B')
        ELSE
            setweight(to_tsvector('english'::regconfig, title_terms), 'A')
            || setweight(to_tsvector('english'::regconfig, body_terms), 'B')
        END
    ) STORED""",
    "CREATE INDEX knowledge_search_vector ON knowledge_searchentry USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS knowledge_search_vector",
    "ALTER TABLE knowledge_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_search_entry"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
