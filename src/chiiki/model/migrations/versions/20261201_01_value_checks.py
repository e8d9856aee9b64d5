"""value checks: CHECK constraints on the closed value sets, an index on adoptions.hub_id

Revision ID: 20261201_01
Revises: 20261129_02
Create Date: 2026-12-01 09:00:00

The allowed values are those of :mod:`chiiki.model.enums` *as of this revision* (copied here, so
that a later change to an enum needs its own migration). Before adding a constraint, the rows are
checked: a value outside the set stops the upgrade with the column and the values named
(:class:`chiiki.model.migrate.InvalidStoredValues`) instead of a bare constraint error.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261201_01"
down_revision = "20261129_02"
branch_labels = None
depends_on = None

# (table, column, allowed values)
CHECKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "organizations",
        "kind",
        (
            "university",
            "national_research_institute",
            "public_research_institute",
            "local_government",
            "company",
            "foundation",
            "financial_institution",
            "other",
        ),
    ),
    ("participations", "role", ("applicant", "core", "participating")),
    ("adoption_people", "role", ("program_director", "lead_researcher", "coordinator", "other")),
    ("post_program_events", "kind", ("successor_adoption", "regional_budget", "hub_organization", "other")),
    ("lineage_links", "basis", ("stated", "manual", "rule", "reject")),
    ("hearings", "consent", ("obtained", "pending", "refused", "not_needed")),
    (
        "documents",
        "source_type",
        ("transcript", "notes", "questionnaire", "evaluation_comment", "report", "other"),
    ),
)


def _condition(column: str, allowed: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in allowed)})"


def _refuse_invalid_rows() -> None:
    from chiiki.i18n import msg
    from chiiki.model.migrate import InvalidStoredValues

    bind = op.get_bind()
    problems = []
    for table, column, allowed in CHECKS:
        t = sa.table(table, sa.column(column))
        found = bind.execute(
            sa.select(t.c[column]).where(sa.or_(t.c[column].is_(None), t.c[column].not_in(allowed))).distinct()
        ).scalars()
        bad = sorted(repr(v) for v in found)
        if bad:
            problems.append(
                msg(
                    "model.invalid_stored_values",
                    "error",
                    table=table,
                    column=column,
                    found=", ".join(bad[:10]),
                    allowed=", ".join(allowed),
                )
            )
    if problems:
        raise InvalidStoredValues(problems[0], problems[1:])


def upgrade() -> None:
    _refuse_invalid_rows()
    with op.batch_alter_table("adoptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_adoptions_hub_id"), ["hub_id"], unique=False)
    for table, column, allowed in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_{column}"), _condition(column, allowed))


def downgrade() -> None:
    for table, column, _allowed in reversed(CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
    with op.batch_alter_table("adoptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adoptions_hub_id"))
