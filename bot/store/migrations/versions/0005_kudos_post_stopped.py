"""Kudos whose posting Slack refused for good: `post_stopped` holds Slack's error (such as
`not_in_channel`), so the retry pass stops trying a post that can only fail again until an
admin has fixed the cause. Existing kudos are still tried (NULL).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.add_column(sa.Column("post_stopped", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.drop_column("post_stopped")
