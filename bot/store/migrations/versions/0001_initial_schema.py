"""Today's schema: every table in bot/store/models.py.

This is the schema `SQLModel.metadata.create_all` made before there were migrations, so
bot.store.db stamps such a database at this revision rather than creating it again.

Revision ID: 0001
Revises: none, the first
Create Date: 2026-11-24 23:41:21.337984
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("owner", sa.String(), nullable=True),
        sa.Column("reviewed", sa.Date(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_category"), ["category"], unique=False)

    op.create_table(
        "article_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("reviewed", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("article_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_article_review_article_id"), ["article_id"], unique=False
        )

    op.create_table(
        "edit_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("edit_suggestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_edit_suggestion_article_id"), ["article_id"], unique=False
        )

    op.create_table(
        "enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("tz", sa.String(length=100), nullable=True),
        sa.Column("enrolled_by", sa.String(length=50), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolment_user_id"), ["user_id"], unique=False)
        batch_op.create_index(
            "uq_enrolment_active_user",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text("completed_at IS NULL"),
            postgresql_where=sa.text("completed_at IS NULL"),
        )

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_article_id"), ["article_id"], unique=False)

    op.create_table(
        "job_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=100), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job", "scheduled_for", "target", name="uq_job_delivery_target"),
    )
    op.create_table(
        "job_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=100), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job", "scheduled_for", name="uq_job_run_job_time"),
    )
    op.create_table(
        "knowledge_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "kudos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_key", sa.String(length=300), nullable=False),
        sa.Column("giver_id", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("from_supervisor", sa.Boolean(), nullable=False),
        sa.Column("giver_day", sa.Date(), nullable=False),
        sa.Column("day_slot", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_ts", sa.String(length=50), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("giver_id", "giver_day", "day_slot", name="uq_kudos_giver_day_slot"),
        sa.UniqueConstraint("request_key", name="uq_kudos_request_key"),
    )
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kudos_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_kudos_giver_id"), ["giver_id"], unique=False)

    op.create_table(
        "quiz_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prompt_date", sa.Date(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("prompt_date", "day", "user_id", name="uq_quiz_answer_person"),
    )
    with op.batch_alter_table("quiz_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_answer_user_id"), ["user_id"], unique=False)

    op.create_table(
        "search_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("result_ids", sa.JSON(), nullable=False),
        sa.Column("top_score", sa.Float(), nullable=True),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("search_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_log_answered"), ["answered"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_log_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_log_user_id"), ["user_id"], unique=False)

    op.create_table(
        "kudos_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kudos_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["kudos_id"], ["kudos.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kudos_id", "user_id", name="uq_kudos_recipient"),
    )
    with op.batch_alter_table("kudos_recipient", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kudos_recipient_kudos_id"), ["kudos_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kudos_recipient_user_id"), ["user_id"], unique=False)

    op.create_table(
        "lesson_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("lesson", sa.Integer(), nullable=False),
        sa.Column("prompt_day", sa.Integer(), nullable=False),
        sa.Column("lesson_date", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("enrolment_id", "lesson", name="uq_lesson_delivery_lesson"),
    )


def downgrade() -> None:
    op.drop_table("lesson_delivery")
    with op.batch_alter_table("kudos_recipient", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kudos_recipient_user_id"))
        batch_op.drop_index(batch_op.f("ix_kudos_recipient_kudos_id"))

    op.drop_table("kudos_recipient")
    with op.batch_alter_table("search_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_log_user_id"))
        batch_op.drop_index(batch_op.f("ix_search_log_created_at"))
        batch_op.drop_index(batch_op.f("ix_search_log_answered"))

    op.drop_table("search_log")
    with op.batch_alter_table("quiz_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_answer_user_id"))

    op.drop_table("quiz_answer")
    with op.batch_alter_table("kudos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kudos_giver_id"))
        batch_op.drop_index(batch_op.f("ix_kudos_created_at"))

    op.drop_table("kudos")
    op.drop_table("knowledge_version")
    op.drop_table("job_run")
    op.drop_table("job_delivery")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_article_id"))

    op.drop_table("feedback")
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_enrolment_active_user",
            sqlite_where=sa.text("completed_at IS NULL"),
            postgresql_where=sa.text("completed_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_enrolment_user_id"))

    op.drop_table("enrolment")
    with op.batch_alter_table("edit_suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_edit_suggestion_article_id"))

    op.drop_table("edit_suggestion")
    with op.batch_alter_table("article_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_review_article_id"))

    op.drop_table("article_review")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_category"))

    op.drop_table("article")
