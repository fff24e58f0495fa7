"""Full-text search in Vietnamese, with or without diacritics (kehoach.models.search, docs/schema.md).

One index row per document, not per paragraph: indexing is most of a load's cost per word and
per row, and a row per paragraph made SQLite loading three times slower; the paragraphs and
items a query hits are found within the documents the index returns. A load only queues its
document (search_documents.indexed false): the words go into the index in one transaction at the
end of the run (Store.finish_run) or before the next search, whichever comes first, so loading a
document costs what it did before search existed (tokenising a plan on each load made SQLite
loading half as slow again and PostgreSQL's two thirds).

* search_documents (both stores): a document's extracted items as search entries (JSON).
* SQLite: the FTS5 table search_fts(text, items), rowid = documents.id, tokenised by
  ``unicode61 remove_diacritics 2`` so 'hộ nghèo' and 'ho ngheo' index alike. That tokenizer
  keeps 'đ' (it has no decomposition: the stroke is part of the letter), so the loader writes
  đ/Đ as d/D into it. It keeps its own copy of the words, so a row goes by its rowid: the
  loader replaces it, and a trigger removes it with its document.
* PostgreSQL: the text search configuration kehoach_vi — every word through the ``unaccent``
  dictionary (its rules map đ→d, Đ→D), then lowercased — and the column
  search_documents.words (tsvector, PostgreSQL only) with a GIN index. The unaccent extension
  is database-wide: it is created when missing (in schema public), used wherever it already
  is, and never dropped.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(text, items, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_fts_document_deleted AFTER DELETE ON documents BEGIN "
    "DELETE FROM search_fts WHERE rowid = old.id; END",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS search_fts_document_deleted", "DROP TABLE IF EXISTS search_fts"]
# the parser's token types that carry letters; numbers pass through 'simple' as they are
LETTER_TOKENS = "asciiword, word, hword, hword_part, hword_asciipart, asciihword, numword, numhword, hword_numpart"


def _postgresql_upgrade() -> None:
    bind = op.get_bind()
    # two first migrations at once would both find the extension missing: one waits for the other
    bind.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('kehoach: CREATE EXTENSION unaccent'))"))
    bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"))
    schema = bind.execute(sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'")).scalar_one()
    op.execute("CREATE TEXT SEARCH CONFIGURATION kehoach_vi (COPY = pg_catalog.simple)")
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION kehoach_vi ALTER MAPPING FOR {LETTER_TOKENS} "
               f'WITH "{schema}".unaccent, pg_catalog.simple')
    op.execute("ALTER TABLE search_documents ADD COLUMN words tsvector")
    op.execute("CREATE INDEX ix_search_documents_words ON search_documents USING gin (words)")


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        # whether its words are in the index yet: a load queues, the end of its run indexes
        sa.Column("indexed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_search_documents_document_id_documents"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_search_documents")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
    else:
        for ddl in SQLITE_DDL:
            op.execute(ddl)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table("search_documents")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS kehoach_vi")
    else:
        for ddl in SQLITE_DROP:
            op.execute(ddl)
        op.drop_table("search_documents")
