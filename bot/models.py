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
