"""Feedback and edit suggestions stored once: a Helpful press is one opinion per person,
article and answer card; a suggestion's form (its view id) is stored once.

Existing rows have no card or view id (NULL), which both databases let repeat.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 00:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("card", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(
            "uq_feedback_user_article_card", ["user_id", "article_id", "card"]
        )
    with op.batch_alter_table("edit_suggestion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("view_id", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint("uq_edit_suggestion_view", ["view_id"])


def downgrade() -> None:
    with op.batch_alter_table("edit_suggestion", schema=None) as batch_op:
        batch_op.drop_constraint("uq_edit_suggestion_view", type_="unique")
        batch_op.drop_column("view_id")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_constraint("uq_feedback_user_article_card", type_="unique")
        batch_op.drop_column("card")
