"""accounts: users (with a role), api_tokens and signin_links for the web workbench

Revision ID: 20261202_03
Revises: 20261202_02
Create Date: 2026-12-02 15:00:00

Three new tables, so no existing row is touched and no table is rebuilt (``create_table`` and
``drop_table`` only; safe with foreign keys on). ``users.role`` has its CHECK
``ck_users_role``; the allowed roles are copied here as of this revision (a later change of
:class:`chiiki.model.enums.Role` needs its own migration). Only hashes are stored: an Argon2id
string per password, the SHA-256 hex of each API token and sign-in link token (unique, the key
a token is looked up by). Times are naive UTC written by chiiki.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261202_03"
down_revision = "20261202_02"
branch_labels = None
depends_on = None

ROLES = ("admin", "researcher", "coordinator", "expert", "viewer")


def _role_check() -> str:
    return "role IN ({})".format(", ".join(f"'{r}'" for r in ROLES))


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.CheckConstraint(_role_check(), name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"], unique=False)
    op.create_table(
        "signin_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_signin_links_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signin_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_signin_links_token_hash")),
    )
    op.create_index(op.f("ix_signin_links_user_id"), "signin_links", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_signin_links_user_id"), table_name="signin_links")
    op.drop_table("signin_links")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_table("users")
