"""Full-text search of cases' subjects and descriptions (selectors.cases.search_q).

SQLite: an FTS5 index (`tickets_case_search`, external content: it stores only the index) kept
in step with the cases by triggers. PostgreSQL: a GIN index on the cases' text vector, the same
expression the selector filters on. Written as SQL per database: neither is a Django index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE tickets_case_search USING fts5(
        subject, description, content='tickets_case', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER tickets_case_search_insert AFTER INSERT ON tickets_case BEGIN
        INSERT INTO tickets_case_search(rowid, subject, description)
        VALUES (new.id, new.subject, new.description);
    END""",
    """CREATE TRIGGER tickets_case_search_delete AFTER DELETE ON tickets_case BEGIN
        INSERT INTO tickets_case_search(tickets_case_search, rowid, subject, description)
        VALUES ('delete', old.id, old.subject, old.description);
    END""",
    """CREATE TRIGGER tickets_case_search_update AFTER UPDATE OF subject, description
    ON tickets_case BEGIN
        INSERT INTO tickets_case_search(tickets_case_search, rowid, subject, description)
        VALUES ('delete', old.id, old.subject, old.description);
        INSERT INTO tickets_case_search(rowid, subject, description)
        VALUES (new.id, new.subject, new.description);
    END""",
    "INSERT INTO tickets_case_search(tickets_case_search) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS tickets_case_search_update",
    "DROP TRIGGER IF EXISTS tickets_case_search_delete",
    "DROP TRIGGER IF EXISTS tickets_case_search_insert",
    "DROP TABLE IF EXISTS tickets_case_search",
]
# The expression must be the one selectors.cases.search_q filters on, or the index is unused.
POSTGRES_FORWARD = [
    "CREATE INDEX case_search ON tickets_case USING gin "
    "(to_tsvector('simple'::regconfig, subject || ' ' || description))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS case_search"]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0005_list_indexes"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
