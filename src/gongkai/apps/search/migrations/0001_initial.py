"""The search index: the SearchEntry table, then the full-text structures of the database in use
(``connection.vendor``): an FTS5 table kept by triggers on SQLite; generated tsvector columns with
GIN indexes on PostgreSQL."""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_CREATE = [
    # External content: the FTS5 table reads the text from search_searchentry; the triggers keep it current.
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_words, text_words, grams, content='search_searchentry', "
    "content_rowid='item_id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, title_words, text_words, grams) "
    "VALUES (new.item_id, new.title_words, new.text_words, new.grams); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_words, text_words, grams) "
    "VALUES ('delete', old.item_id, old.title_words, old.text_words, old.grams); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_words, text_words, grams) "
    "VALUES ('delete', old.item_id, old.title_words, old.text_words, old.grams); "
    "INSERT INTO search_fts(rowid, title_words, text_words, grams) "
    "VALUES (new.item_id, new.title_words, new.text_words, new.grams); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _lexemes(column: str) -> str:
    # The terms are already segmented (one space between terms, each only letters, digits and
    # CJK): taken as lexemes as they are, without the text-search parser and its locale.
    return f"array_to_tsvector(array_remove(string_to_array({column}, ' '), ''))"


DOCUMENT = "(title_words || ' ' || text_words)"
POSTGRESQL_CREATE = [
    "ALTER TABLE search_searchentry "
    f"ADD COLUMN document tsvector GENERATED ALWAYS AS ({_lexemes(DOCUMENT)}) STORED, "
    f"ADD COLUMN title_vector tsvector GENERATED ALWAYS AS ({_lexemes('title_words')}) STORED, "
    f"ADD COLUMN grams_vector tsvector GENERATED ALWAYS AS ({_lexemes('grams')}) STORED",
    "CREATE INDEX IF NOT EXISTS search_document_gin ON search_searchentry USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_title_gin ON search_searchentry USING gin (title_vector)",
    "CREATE INDEX IF NOT EXISTS search_grams_gin ON search_searchentry USING gin (grams_vector)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS search_grams_gin",
    "DROP INDEX IF EXISTS search_title_gin",
    "DROP INDEX IF EXISTS search_document_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document, DROP COLUMN IF EXISTS title_vector, "
    "DROP COLUMN IF EXISTS grams_vector",
]
STATEMENTS = {"sqlite": (SQLITE_CREATE, SQLITE_DROP), "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP)}


def _run(schema_editor, which: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"全文检索只支持 SQLite 和 PostgreSQL，当前数据库为 {vendor}")
    for sql in STATEMENTS[vendor][which]:
        schema_editor.execute(sql)


def create_full_text(apps, schema_editor):
    _run(schema_editor, 0)


def drop_full_text(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("agencies", "0001_initial"),
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("item", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                              related_name="search_entry", serialize=False, to="catalogue.item",
                                              verbose_name="信息")),
                ("published_on", models.DateField(null=True, verbose_name="发布日期")),
                ("title", models.CharField(max_length=300, verbose_name="标题")),
                ("title_words", models.TextField(verbose_name="标题分词")),
                ("text_words", models.TextField(verbose_name="正文分词")),
                ("grams", models.TextField(verbose_name="单字和双字")),
                ("agency", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                             to="agencies.agency", verbose_name="发布机关")),
                ("category", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                               to="catalogue.category", verbose_name="目录分类")),
            ],
            options={
                "verbose_name": "检索索引",
                "verbose_name_plural": "检索索引",
                "indexes": [models.Index(fields=["agency", "-published_on"], name="search_agency_date"),
                            models.Index(fields=["-published_on", "-item"], name="search_date")],
            },
        ),
        migrations.RunPython(create_full_text, drop_full_text),
    ]
