"""import_history: one row per written import (who, when, file name and SHA-256, table, counts)

Revision ID: 20261202_04
Revises: 20261202_03
Create Date: 2026-12-02 16:00:00

One new table (``create_table``/``drop_table`` only), so no existing row is touched. Times are
naive UTC written by chiiki; ``user_name`` is a plain name (the CLI's "local" has no account).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261202_04"
down_revision = "20261202_03"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_history")),
    )
    op.create_index(op.f("ix_import_history_imported_at"), "import_history", ["imported_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_import_history_imported_at"), table_name="import_history")
    op.drop_table("import_history")
