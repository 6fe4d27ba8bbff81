"""The contact centre's own measures: each agent's day from the phone system, each survey
card (and the kudos from a customer it became), and agents matched to Slack users by e-mail.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agent_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("handle_seconds", sa.Float(), nullable=False),
        sa.Column("after_call_seconds", sa.Float(), nullable=True),
        sa.Column("resolved_first", sa.Integer(), nullable=True),
        sa.Column("transfers", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agent", "day", name="uq_agent_day"),
    )
    op.create_index(op.f("ix_agent_day_day"), "agent_day", ["day"], unique=False)
    op.create_table(
        "survey_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call", sa.String(length=200), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("kudos_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["kudos_id"], ["kudos.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_survey_card_agent"), "survey_card", ["agent"], unique=False)
    op.create_index(op.f("ix_survey_card_call"), "survey_card", ["call"], unique=True)
    op.create_index(op.f("ix_survey_card_day"), "survey_card", ["day"], unique=False)
    op.create_table(
        "agent_match",
        sa.Column("agent", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("agent"),
    )


def downgrade() -> None:
    op.drop_table("agent_match")
    op.drop_index(op.f("ix_survey_card_day"), table_name="survey_card")
    op.drop_index(op.f("ix_survey_card_call"), table_name="survey_card")
    op.drop_index(op.f("ix_survey_card_agent"), table_name="survey_card")
    op.drop_table("survey_card")
    op.drop_index(op.f("ix_agent_day_day"), table_name="agent_day")
    op.drop_table("agent_day")
