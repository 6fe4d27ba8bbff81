"""Every database table, in one place."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Article(SQLModel, table=True):
    """One approved answer; `knowledge.article.Article` is its in-memory form."""

    __tablename__ = "article"

    id: str = Field(primary_key=True, max_length=200)
    title: str
    category: str = Field(index=True)
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Questions found to mean this article, oldest first (bot.phrasings); the server default
    # gives rows written without them, such as those from before the column, an empty list.
    phrasings: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, server_default=text("'[]'")),
    )
    owner: str | None = None
    reviewed: dt.date | None = None
    body: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    # When CSRs last taught it a phrasing, so the next review reminder shows its owner.
    learned_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class KnowledgeVersion(SQLModel, table=True):
    """A single row bumped whenever articles change, so a running bot (or several) can
    tell its in-memory search index is stale with one cheap query."""

    __tablename__ = "knowledge_version"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    changed_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class SearchLog(SQLModel, table=True):
    """One `/answer` search. The query is stored only after caller details are redacted."""

    __tablename__ = "search_log"

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(index=True, max_length=50)
    query: str = Field(sa_column=Column(Text, nullable=False))
    result_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    top_score: float | None = None
    answered: bool = Field(index=True)  # False: no confident match, a knowledge gap
    latency_ms: float
    created_at: dt.datetime = Field(
        default_factory=utcnow,
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True),
    )


class Feedback(SQLModel, table=True):
    """Helpful / Not helpful on an answer, with the reason when there is one.

    One opinion per person, article and answer card (`card`, the card's message ts): a
    second press on the same card, a double click or the same click reaching two instances,
    changes that opinion instead of adding one. Rows without a card (older ones, the
    console) are never merged.
    """

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("user_id", "article_id", "card", name="uq_feedback_user_article_card"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: str = Field(index=True, max_length=200)
    user_id: str = Field(max_length=50)
    card: str | None = Field(default=None, max_length=100)
    helpful: bool
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class EditSuggestion(SQLModel, table=True):
    """A CSR's suggested change to an article, for its owner to review. `view_id` (the
    modal it was typed in) is unique, so one form sent twice is stored once."""

    __tablename__ = "edit_suggestion"
    __table_args__ = (UniqueConstraint("view_id", name="uq_edit_suggestion_view"),)

    id: int | None = Field(default=None, primary_key=True)
    view_id: str | None = Field(default=None, max_length=100)
    article_id: str = Field(index=True, max_length=200)
    user_id: str = Field(max_length=50)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class Kudos(SQLModel, table=True):
    """One kudos: stored before it is posted, so nothing a colleague gives is lost.

    `request_key` (unique) comes from the Slack request, so Slack retrying it stores nothing
    twice; (`giver_id`, `giver_day`, `day_slot`) is unique so two kudos sent at once can never
    both take the giver's last one of the day. `posted_ts` is set once it is in the channel;
    `claimed_at` marks a post under way, so two workers never post the same kudos;
    `post_stopped` is Slack's error when it refused the post for good (a channel Deskmate is
    not in, a revoked token): no retry until an admin has fixed it (`deskmate kudos retry`).
    """

    __tablename__ = "kudos"
    __table_args__ = (
        UniqueConstraint("request_key", name="uq_kudos_request_key"),
        UniqueConstraint("giver_id", "giver_day", "day_slot", name="uq_kudos_giver_day_slot"),
    )

    id: int | None = Field(default=None, primary_key=True)
    request_key: str = Field(max_length=300)
    giver_id: str = Field(index=True, max_length=50)
    value: str | None = Field(default=None, max_length=100)
    # As the giver wrote it, with mentions as <@U...>; escaped only when shown.
    message: str = Field(sa_column=Column(Text, nullable=False))
    from_supervisor: bool = False
    giver_day: dt.date  # the day in the giver's time zone, for the daily allowance
    day_slot: int
    channel: str = Field(max_length=100)
    created_at: dt.datetime = Field(
        default_factory=utcnow,
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True),
    )
    posted_ts: str | None = Field(default=None, max_length=50)
    claimed_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    post_stopped: str | None = Field(default=None, max_length=100)


class KudosRecipient(SQLModel, table=True):
    """One person a kudos is for (a kudos may thank several)."""

    __tablename__ = "kudos_recipient"
    __table_args__ = (UniqueConstraint("kudos_id", "user_id", name="uq_kudos_recipient"),)

    id: int | None = Field(default=None, primary_key=True)
    kudos_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("kudos.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    user_id: str = Field(index=True, max_length=50)
    position: int = 0  # the order the giver named them in


class JobRun(SQLModel, table=True):
    """One run of a scheduled job for one scheduled time (UTC).

    The row is the exactly-once claim: whoever inserts it first posts; the unique key makes
    every other instance, restart or manual fire for the same time post nothing. A failed
    run is retried by claiming it again (status failed -> claimed) within its grace period.
    """

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job", "scheduled_for", name="uq_job_run_job_time"),)

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=100)
    scheduled_for: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    status: str = Field(default="claimed", max_length=20)  # claimed|done|failed|skipped
    attempts: int = 1
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    claimed_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    finished_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class QuizAnswer(SQLModel, table=True):
    """A person's answer to one day's training quiz: the first press counts, once."""

    __tablename__ = "quiz_answer"
    __table_args__ = (
        UniqueConstraint("prompt_date", "day", "user_id", name="uq_quiz_answer_person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    prompt_date: dt.date  # the day the quiz was posted (local date)
    day: int  # the curriculum day
    user_id: str = Field(index=True, max_length=50)
    choice: int
    correct: bool
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class ArticleReview(SQLModel, table=True):
    """Who marked an article reviewed, and for which day (the article's `reviewed` holds
    the latest; this keeps the history and the person)."""

    __tablename__ = "article_review"

    id: int | None = Field(default=None, primary_key=True)
    article_id: str = Field(index=True, max_length=200)
    user_id: str = Field(max_length=50)
    reviewed: dt.date
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class JobDelivery(SQLModel, table=True):
    """One post of a job run that sends several (one per owner channel, say): stored before
    it is sent, so a retry of a run that failed part-way sends only the posts that failed."""

    __tablename__ = "job_delivery"
    __table_args__ = (
        UniqueConstraint("job", "scheduled_for", "target", name="uq_job_delivery_target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=100)
    scheduled_for: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    target: str = Field(max_length=300)
    sent_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class Enrolment(SQLModel, table=True):
    """A new starter on the ten-week programme. One active enrolment per person: a partial
    unique index (SQLite and PostgreSQL both have them) over the rows not yet completed, so
    two supervisors enrolling the same starter at once cannot both succeed, and a starter
    who has finished can be enrolled again."""

    __tablename__ = "enrolment"
    __table_args__ = (
        Index(
            "uq_enrolment_active_user",
            "user_id",
            unique=True,
            sqlite_where=text("completed_at IS NULL"),
            postgresql_where=text("completed_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(index=True, max_length=50)
    start_date: dt.date
    tz: str | None = Field(default=None, max_length=100)  # the starter's, from Slack
    enrolled_by: str = Field(max_length=50)
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    completed_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class LessonDelivery(SQLModel, table=True):
    """One lesson sent to one starter: stored before it is sent (and removed if Slack
    refuses it), so each lesson goes out once whichever run, retry or instance sends it."""

    __tablename__ = "lesson_delivery"
    __table_args__ = (UniqueConstraint("enrolment_id", "lesson", name="uq_lesson_delivery_lesson"),)

    id: int | None = Field(default=None, primary_key=True)
    enrolment_id: int = Field(
        sa_column=Column(Integer, ForeignKey("enrolment.id", ondelete="CASCADE"), nullable=False)
    )
    lesson: int  # 1..50
    prompt_day: int  # the curriculum day it showed (its quiz answers are stored under it)
    lesson_date: dt.date  # the starter's local date it was sent for
    sent_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class AgentDay(SQLModel, table=True):
    """One agent's day from the phone system's export (`deskmate figures import`), kept under
    the phone system's own agent ID: an agent not yet matched to a Slack user is kept, and
    counts once they are matched (AgentMatch, or figures.agents in app.yaml)."""

    __tablename__ = "agent_day"
    __table_args__ = (UniqueConstraint("agent", "day", name="uq_agent_day"),)

    id: int | None = Field(default=None, primary_key=True)
    agent: str = Field(max_length=200)  # as the export gives it, lower case
    day: dt.date = Field(index=True)
    calls: int
    handle_seconds: float  # the day's average handle time
    after_call_seconds: float | None = None  # the day's average after-call work
    resolved_first: int | None = None  # calls resolved on first contact
    transfers: int | None = None
    imported_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class SurveyCard(SQLModel, table=True):
    """A customer's survey card for one call: the rating 1-5, and the comment redacted as
    search logs are (a caller may write their phone number in it)."""

    __tablename__ = "survey_card"

    id: int | None = Field(default=None, primary_key=True)
    call: str = Field(max_length=200, unique=True, index=True)  # the phone system's call ID
    agent: str = Field(index=True, max_length=200)
    day: dt.date = Field(index=True)
    rating: int
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The kudos "from a customer" this card became (kudos.customer_praise), once.
    kudos_id: int | None = Field(default=None, foreign_key="kudos.id")
    imported_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class AgentMatch(SQLModel, table=True):
    """A phone-system agent found to be a Slack user (by e-mail, users.lookupByEmail)."""

    __tablename__ = "agent_match"

    agent: str = Field(primary_key=True, max_length=200)
    user_id: str = Field(max_length=50)
    matched_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
