"""Every database table, in one place."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, DateTime, Text
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
    owner: str | None = None
    reviewed: dt.date | None = None
    body: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
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
    """Helpful / Not helpful on an answer, with the reason when there is one."""

    __tablename__ = "feedback"

    id: int | None = Field(default=None, primary_key=True)
    article_id: str = Field(index=True, max_length=200)
    user_id: str = Field(max_length=50)
    helpful: bool
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class EditSuggestion(SQLModel, table=True):
    """A CSR's suggested change to an article, for its owner to review."""

    __tablename__ = "edit_suggestion"

    id: int | None = Field(default=None, primary_key=True)
    article_id: str = Field(index=True, max_length=200)
    user_id: str = Field(max_length=50)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
