"""document content hash: documents.content_hash (SHA-256 of the normalized text), indexed

Revision ID: 20261202_02
Revises: 20261202_01
Create Date: 2026-12-02 12:00:00

The same transcript imported twice counted twice in every statistic. The import now looks a new
document's text up by this hash and refuses (or, for the same file into the same hearing, skips)
a copy. The column is nullable and *not* unique: databases made before this revision may already
hold copies, which must survive the upgrade so the user can list and delete them
(``chiiki hearing documents``).

Existing rows are backfilled here with the normalization as of this revision (copied, not imported,
so a later change of :func:`chiiki.hearings.importing.content_hash` cannot rewrite history): line
ends to ``\\n``, Unicode NFC, surrounding white space stripped, UTF-8, SHA-256 hex.

On SQLite the column is added and dropped in place (``ALTER TABLE … ADD/DROP COLUMN``, the index
dropped first) instead of a batch rebuild: rebuilding ``documents`` with foreign keys on would
cascade its speaker turns and coded segments away.
"""

from __future__ import annotations

import hashlib
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "20261202_02"
down_revision = "20261202_01"
branch_labels = None
depends_on = None

_BATCH = 200


def _hash(text: str) -> str:
    normalized = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def _backfill() -> None:
    """Hash every existing document, a batch of ids at a time (texts can be long)."""
    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM documents ORDER BY id"))]
    for i in range(0, len(ids), _BATCH):
        chunk = ids[i : i + _BATCH]
        rows = bind.execute(
            sa.text("SELECT id, text FROM documents WHERE id IN :ids").bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": chunk},
        ).all()
        for doc_id, text in rows:
            bind.execute(
                sa.text("UPDATE documents SET content_hash = :h WHERE id = :id"),
                {"h": _hash(text or ""), "id": doc_id},
            )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE documents ADD COLUMN content_hash VARCHAR(64)")
    else:
        op.add_column("documents", sa.Column("content_hash", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_documents_content_hash"), "documents", ["content_hash"], unique=False)
    _backfill()


def downgrade() -> None:
    op.drop_index(op.f("ix_documents_content_hash"), table_name="documents")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE documents DROP COLUMN content_hash")
        return
    op.drop_column("documents", "content_hash")
