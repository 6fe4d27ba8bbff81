"""The knowledge base in the database: import, export, read back, and the first-start seed."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.config.settings import Settings
from bot.store import db, models
from knowledge.article import Article, to_markdown
from knowledge.loader import load_articles
from knowledge.search import SearchIndex

Progress = Callable[[int, int], None]  # (done, total)

# Well under every database's limit on bound parameters (SQLite's is 32,766).
_CHUNK = 500


@dataclass(frozen=True)
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    # Phrasings the database held that the imported files did not: the files are the
    # articles, phrasings included, so an import from files older than the last export
    # loses what CSRs taught since. Said, so nobody loses them without knowing.
    phrasings_removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)

    def __str__(self) -> str:
        text = f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}"
        if self.phrasings_removed:
            many = "s" if self.phrasings_removed != 1 else ""
            text += (
                f"; {self.phrasings_removed} phrasing{many} not in the files removed "
                "(`deskmate kb export` first keeps what CSRs taught)"
            )
        return text


def _row_values(article: Article) -> dict:
    return {
        "title": article.title,
        "category": article.category,
        "keywords": list(article.keywords),
        "phrasings": list(article.phrasings),
        "owner": article.owner,
        "reviewed": article.reviewed,
        "body": article.body,
    }


def _to_article(row: models.Article) -> Article:
    return Article(
        id=row.id,
        title=row.title,
        category=row.category,
        body=row.body,
        keywords=tuple(row.keywords or ()),
        phrasings=tuple(row.phrasings or ()),
        owner=row.owner,
        reviewed=row.reviewed,
    )


def import_articles(
    engine: Engine, *, articles: Sequence[Article], progress: Progress | None = None
) -> ImportResult:
    """Insert or update by id, all in one transaction: if anything fails, nothing changes."""
    counts = Counter(article.id for article in articles)
    duplicates = sorted(article_id for article_id, n in counts.items() if n > 1)
    if duplicates:
        raise ValueError(f"duplicate article ids: {', '.join(duplicates)}")

    added = updated = unchanged = removed = 0
    total = len(articles)
    now = models.utcnow()
    with db.session(engine) as session:
        for start in range(0, total, _CHUNK):
            chunk = articles[start : start + _CHUNK]
            statement = select(models.Article).where(
                models.Article.id.in_([article.id for article in chunk])
            )
            existing = {row.id: row for row in session.exec(statement)}
            for article in chunk:
                values = _row_values(article)
                row = existing.get(article.id)
                if row is None:
                    session.add(models.Article(id=article.id, updated_at=now, **values))
                    added += 1
                elif all(getattr(row, key) == value for key, value in values.items()):
                    unchanged += 1
                else:
                    kept = {phrasing.casefold() for phrasing in article.phrasings}
                    removed += sum(p.casefold() not in kept for p in row.phrasings or ())
                    for key, value in values.items():
                        setattr(row, key, value)
                    row.updated_at = now
                    updated += 1
            session.flush()
            if progress is not None:
                progress(min(start + _CHUNK, total), total)
        result = ImportResult(added, updated, unchanged, removed)
        if result.changed:
            _bump_version(session, now)
    return result


def _bump_version(session: Session, now: dt.datetime) -> None:
    row = session.get(models.KnowledgeVersion, 1)
    if row is None:
        session.add(models.KnowledgeVersion(id=1, version=1, changed_at=now))
    else:
        row.version += 1
        row.changed_at = now


def mark_reviewed(engine: Engine, article_id: str, *, day: dt.date, user_id: str) -> bool:
    """Set the article's `reviewed` date to `day`, noting who; False when there is no such
    article (nothing changes)."""
    now = models.utcnow()
    with db.session(engine) as session:
        row = session.get(models.Article, article_id)
        if row is None:
            return False
        row.reviewed = day
        row.updated_at = now
        session.add(models.ArticleReview(article_id=article_id, user_id=user_id, reviewed=day))
        _bump_version(session, now)
    return True


def knowledge_version(engine: Engine) -> int:
    """Bumped by every import that changes something; 0 before the first."""
    with db.session(engine) as session:
        row = session.get(models.KnowledgeVersion, 1)
        return row.version if row else 0


def count_articles(engine: Engine) -> int:
    with db.session(engine) as session:
        return session.exec(select(func.count()).select_from(models.Article)).one()


def load_from_db(engine: Engine) -> list[Article]:
    with db.session(engine) as session:
        rows = session.exec(select(models.Article).order_by(models.Article.id)).all()
        return [_to_article(row) for row in rows]


def export_articles(engine: Engine, *, directory: str | Path) -> int:
    """Write `<directory>/<category>/<id>.md` for every article; returns how many."""
    directory = Path(directory)
    articles = load_from_db(engine)
    for article in articles:
        # A category comes from an imported file, so keep it from escaping `directory`.
        if article.category in (".", "..") or any(c in article.category for c in "/\\:"):
            raise ValueError(
                f"article {article.id!r}: category {article.category!r} cannot be a folder name"
            )
    for article in articles:
        folder = directory / article.category
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{article.id}.md").write_text(to_markdown(article), encoding="utf-8")
    return len(articles)


def configured_articles(path: Path, categories: tuple[str, ...] | None) -> list[Article]:
    """The articles the settings give a knowledge base: those at `path` (the centre's own,
    or the bundled ones), less any bundled category `knowledge.bundled` leaves out."""
    if categories == ():
        return []
    articles = load_articles(path)
    if categories is not None:
        articles = [article for article in articles if article.category in categories]
    return articles


def ensure_bundled(engine: Engine, settings: Settings) -> ImportResult | None:
    """On first start (no articles yet) import the configured knowledge base: the
    centre's own, or the bundled articles `knowledge.bundled` chooses (a council install
    need not start with a US utility's billing). Returns None when there was nothing to do."""
    if count_articles(engine):
        return None
    if settings.knowledge.categories == ():
        return None  # `bundled: none`: the centre imports its own with `deskmate kb import`
    articles = configured_articles(settings.knowledge.articles, settings.knowledge.categories)
    try:
        return import_articles(engine, articles=articles)
    except IntegrityError:
        # Another instance seeded the same empty database first; its import stands.
        if count_articles(engine):
            return None
        raise


def open_database(settings: Settings) -> Engine:
    """The engine for `settings`, its schema migrated to the newest revision."""
    engine = db.make_engine(settings.database.url)
    try:
        db.upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def build_index(*, articles: Sequence[Article], settings: Settings) -> SearchIndex:
    return SearchIndex(
        articles, synonyms=settings.knowledge.synonyms, threshold=settings.search.threshold
    )


def index_from_db(engine: Engine, *, settings: Settings) -> SearchIndex:
    """The search index over the database's articles, seeding them on first start."""
    ensure_bundled(engine, settings)
    return build_index(articles=load_from_db(engine), settings=settings)
