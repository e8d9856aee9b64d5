"""adoption participants: adoptions.participants_recorded and adoptions.final_evaluation_fy

Revision ID: 20261202_01
Revises: 20261201_01
Create Date: 2026-12-02 09:00:00

Two nullable columns, so every existing row stays valid (NULL = the source does not say):
``participants_recorded`` ("complete" | "partial", with its CHECK ``ck_adoptions_participants_recorded``)
tells an unrecorded participant from an absent one; ``final_evaluation_fy`` is the fiscal year of
the ex-post evaluation (事後評価), so a final grade is not used to explain what was decided before it.
The allowed values are copied here as of this revision (a later change needs its own migration).

On SQLite the columns are added and dropped in place (``ALTER TABLE … ADD/DROP COLUMN``, the CHECK
a named column constraint that goes with its column) instead of a batch rebuild: ``adoptions`` is
the parent of most tables, and rebuilding it on a connection with foreign keys on (an in-memory
database, a test's own engine) would cascade its participations, people and events away.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261202_01"
down_revision = "20261201_01"
branch_labels = None
depends_on = None

PARTICIPANTS_RECORDED = ("complete", "partial")


def _condition() -> str:
    allowed = ", ".join(repr(v) for v in PARTICIPANTS_RECORDED)
    return f"participants_recorded IS NULL OR participants_recorded IN ({allowed})"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE adoptions ADD COLUMN participants_recorded VARCHAR(20) "
            f"CONSTRAINT ck_adoptions_participants_recorded CHECK ({_condition()})"
        )
    else:
        op.add_column("adoptions", sa.Column("participants_recorded", sa.String(length=20), nullable=True))
        op.create_check_constraint(op.f("ck_adoptions_participants_recorded"), "adoptions", _condition())
    op.add_column("adoptions", sa.Column("final_evaluation_fy", sa.Integer(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # The CHECK may be a table constraint (a database made by create_all), which SQLite's DROP
        # COLUMN refuses: rebuild. Like every rebuild, run it with foreign keys off (chiiki's
        # upgrade does; ``alembic downgrade`` on a plain connection must set PRAGMA foreign_keys=OFF).
        with op.batch_alter_table("adoptions", schema=None, recreate="always") as batch_op:
            batch_op.drop_constraint(op.f("ck_adoptions_participants_recorded"), type_="check")
            batch_op.drop_column("final_evaluation_fy")
            batch_op.drop_column("participants_recorded")
        return
    op.drop_constraint(op.f("ck_adoptions_participants_recorded"), "adoptions", type_="check")
    op.drop_column("adoptions", "final_evaluation_fy")
    op.drop_column("adoptions", "participants_recorded")
