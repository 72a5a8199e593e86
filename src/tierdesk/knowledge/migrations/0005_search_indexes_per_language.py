"""PostgreSQL's search reads one partial GIN index per language instead of one over all rows.

A query is one branch per language (`language = 'en' AND search_vector @@ english query`); with
an index per language each branch reads only its language's lexemes (a prefix such as `phon:*`
in Italian no longer walks the English `phone` list), and no index on `visibility` (public for
most rows) tempts the planner away from the full text. A new language in settings.LANGUAGES
needs its own index here (and its configuration in selectors.tsvector.PG_CONFIG).
"""

from django.db import migrations, models

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS knowledge_search_vector",
    "CREATE INDEX knowledge_search_vector_en ON knowledge_searchentry USING gin (search_vector) "
    "WHERE language = 'en'",
    "CREATE INDEX knowledge_search_vector_it ON knowledge_searchentry USING gin (search_vector) "
    "WHERE language = 'it'",
]
# The visibility index goes by hand: Django's AlterField would rebuild the table on SQLite,
# dropping the FTS5 triggers of migration 0003 with it.
VISIBILITY_FORWARD = [
    "DROP INDEX IF EXISTS knowledge_searchentry_visibility_7bf854af",
    "DROP INDEX IF EXISTS knowledge_searchentry_visibility_7bf854af_like",
]
VISIBILITY_BACKWARD = [
    "CREATE INDEX knowledge_searchentry_visibility_7bf854af ON knowledge_searchentry (visibility)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS knowledge_search_vector_en",
    "DROP INDEX IF EXISTS knowledge_search_vector_it",
    "CREATE INDEX knowledge_search_vector ON knowledge_searchentry USING gin (search_vector)",
]


def _run(statements: list[str], *, vendor: str | None = "postgresql"):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if vendor is None or schema_editor.connection.vendor == vendor:
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0004_deflection"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="searchentry",
            name="search_entry_lang_vis",
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(
                    _run(VISIBILITY_FORWARD, vendor=None), _run(VISIBILITY_BACKWARD, vendor=None)
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="searchentry",
                    name="visibility",
                    field=models.CharField(
                        choices=[
                            ("public", "Everyone"),
                            ("signed_in", "Signed-in users"),
                            ("paid", "Paid plans"),
                            ("agents", "Vendor staff only"),
                        ],
                        default="public",
                        max_length=16,
                        verbose_name="visibility",
                    ),
                ),
            ],
        ),
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
