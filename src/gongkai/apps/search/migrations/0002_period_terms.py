"""PostgreSQL: the three tsvector columns also hold the item's publication year, month and day as
terms (``@2026``, ``@2026-11``, ``@2026-11-21``; ``search.periods``), so that a search can ask the
GIN index for the newest matches one slice of time at a time. The generated columns are made
again with the new expression and their GIN indexes rebuilt. Nothing changes on SQLite, whose
index (FTS5) is asked without slices."""

from django.db import migrations


def _part(field: str, width: int) -> str:
    return f"lpad(extract({field} from published_on)::int::text, {width}, '0')"


YEAR, MONTH, DAY = _part("year", 4), _part("month", 2), _part("day", 2)
# The same terms as search.periods.period_terms; NULL (no date) gives none.
PERIODS = (f"coalesce(' @' || {YEAR} || ' @' || {YEAR} || '-' || {MONTH} "
           f"|| ' @' || {YEAR} || '-' || {MONTH} || '-' || {DAY}, '')")


def _lexemes(text: str) -> str:
    return f"array_to_tsvector(array_remove(string_to_array({text}, ' '), ''))"


def _columns(with_periods: bool) -> str:
    suffix = f" || {PERIODS}" if with_periods else ""
    return (f"ADD COLUMN document tsvector GENERATED ALWAYS AS "
            f"({_lexemes(f'title_words || {chr(39)} {chr(39)} || text_words{suffix}')}) STORED, "
            f"ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ({_lexemes(f'title_words{suffix}')}) STORED, "
            f"ADD COLUMN grams_vector tsvector GENERATED ALWAYS AS ({_lexemes(f'grams{suffix}')}) STORED")


DROP_INDEXES = [
    "DROP INDEX IF EXISTS search_grams_gin",
    "DROP INDEX IF EXISTS search_title_gin",
    "DROP INDEX IF EXISTS search_document_gin",
]
CREATE_INDEXES = [
    "CREATE INDEX IF NOT EXISTS search_document_gin ON search_searchentry USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_title_gin ON search_searchentry USING gin (title_vector)",
    "CREATE INDEX IF NOT EXISTS search_grams_gin ON search_searchentry USING gin (grams_vector)",
]
DROP_COLUMNS = ("ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document, DROP COLUMN IF EXISTS title_vector, "
                "DROP COLUMN IF EXISTS grams_vector")


def _statements(with_periods: bool) -> list[str]:
    return DROP_INDEXES + [DROP_COLUMNS, f"ALTER TABLE search_searchentry {_columns(with_periods)}"] + CREATE_INDEXES


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in _statements(with_periods=True):
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in _statements(with_periods=False):
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
