"""Search (okr.search): GIN expression indexes for PostgreSQL's full-text search.

For each searched table and each text search configuration (the organisation
languages' ``swedish``, ``norwegian``, ``english``, and ``simple`` for words as
typed), an index on exactly the vector ``okr.search.selectors.vector`` builds, so

    SELECT ... FROM okr_objective
    WHERE organisation_id = %s
      AND (<vector in the organisation's language> @@ to_tsquery('swedish', 'pilotk:*')
           OR <vector in simple> @@ to_tsquery('simple', 'pilotk:*'))
    ORDER BY rank DESC LIMIT 6

is a BitmapOr of two of these indexes (tests/okr/search/test_indexes.py checks the plan).
SQLite (the embedded default) has no GIN and no text search: there the migration
does nothing and okr.search falls back to icontains. The indexes are not in the
models' state (Django would create them on SQLite too); models name them in comments.
"""

from django.db import migrations

CONFIGS = ("swedish", "norwegian", "english", "simple")

# table -> vector expression; {config} is one of CONFIGS. Django's SearchVector compiles
# to exactly these (COALESCE and all), which is what lets the planner use the index.
VECTORS = {
    "okr_objective": (
        "setweight(to_tsvector('{config}'::regconfig, COALESCE(\"title\", '')), 'A')"
        " || setweight(to_tsvector('{config}'::regconfig, COALESCE(\"why\", '')), 'B')"
    ),
    "okr_keyresult": "to_tsvector('{config}'::regconfig, COALESCE(\"title\", ''))",
    "okr_initiative": "to_tsvector('{config}'::regconfig, COALESCE(\"title\", ''))",
    "okr_comment": "to_tsvector('{config}'::regconfig, COALESCE(\"text\", ''))",
}


def _name(table: str, config: str) -> str:
    return f"{table}_search_{config}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, expression in VECTORS.items():
        for config in CONFIGS:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{_name(table, config)}" ON "{table}" '
                f"USING gin (({expression.format(config=config)}))"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in VECTORS:
        for config in CONFIGS:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{_name(table, config)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("okr", "0009_personal_okrs"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
