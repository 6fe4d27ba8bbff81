"""`deskmate doctor` in the core: what can be checked without Slack (the database, the
knowledge base, how well the search answers a labelled set), each as a finding that says
what to do when something is wrong. The Slack checks are in bot.slack.doctor."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from bot.config.settings import Settings

Status = Literal["ok", "warn", "problem"]


@dataclass(frozen=True)
class Finding:
    """One check's result: `what` was found; `fix` is what the admin should do (for a
    warning or a problem)."""

    status: Status
    what: str
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "problem"


def ok(what: str) -> Finding:
    return Finding("ok", what)


def warn(what: str, fix: str) -> Finding:
    return Finding("warn", what, fix)


def problem(what: str, fix: str) -> Finding:
    return Finding("problem", what, fix)


def check_database(settings: Settings) -> tuple[list[Finding], Engine | None]:
    """Whether the database answers and its schema is the newest. Nothing is changed (a
    SQLite file is not even made): a doctor looks, the next start migrates. Returns the
    engine when there is a database to read."""
    from bot.store import db

    url = make_url(settings.database.url)
    shown = url.render_as_string(hide_password=True)
    if _sqlite_file(url) is not None and not _sqlite_file(url).exists():
        return [
            warn(
                f"database {shown}: not made yet",
                "nothing to do: the first start makes it (or run `deskmate db upgrade`)",
            )
        ], None
    engine = db.make_engine(url)
    try:
        current = db.current_revision(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        return [
            problem(
                f"database {shown}: did not answer ({db.database_reason(error)})",
                "check DATABASE_URL or database.url, that the server runs and lets this "
                "machine in, and the password (PGPASSWORD or ~/.pgpass)",
            )
        ], None
    return [_schema_finding(shown, current, db.head_revision(), db.known_revisions())], engine


def _sqlite_file(url) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _schema_finding(shown: str, current: str | None, head: str, known: set[str]) -> Finding:
    if current == head:
        return ok(f"database {shown}: answers, schema at revision {head} (the newest)")
    if current is not None and current not in known:
        return problem(
            f"database {shown}: schema at revision {current}, which this Deskmate does not "
            "know (a newer Deskmate migrated it)",
            "install the newer Deskmate here too",
        )
    found = "no schema yet" if current is None else f"schema at revision {current}"
    return warn(
        f"database {shown}: answers, {found}; this Deskmate brings it to {head}",
        "nothing to do: the next start migrates it (or run `deskmate db upgrade`)",
    )


def check_knowledge(settings: Settings, engine: Engine | None) -> list[Finding]:
    """The articles in the database (or, before the first start, where they will come
    from), and the labelled set's summary when `knowledge.queries` names one."""
    from bot.store import kb

    if engine is None:
        return []
    try:
        articles = kb.load_from_db(engine)
    except SQLAlchemyError:
        articles = []  # no schema yet: the first start makes it and imports the articles
    findings = [_articles_finding(settings, articles)]
    if settings.knowledge.queries is not None and articles:
        findings.append(_calibration(settings, articles))
    return findings


def _articles_finding(settings: Settings, articles: list) -> Finding:
    if not articles:
        source = settings.knowledge.articles
        if settings.knowledge.categories == ():
            return problem(
                "knowledge base: empty (knowledge.bundled: none)",
                "import the centre's articles: `deskmate kb import PATH` (a folder of .md "
                "files or a CSV)",
            )
        return warn(
            "knowledge base: empty until the first start, which imports " + str(source),
            "nothing to do, or run `deskmate kb import PATH` to start with your own",
        )
    counts = Counter(article.category for article in articles)
    each = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    return ok(f"knowledge base: {len(articles)} articles ({each})")


def _calibration(settings: Settings, articles: list) -> Finding:
    """`deskmate kb check`'s summary on the configured labelled set."""
    from bot.store import kb
    from knowledge.evaluate import (
        calibrate,
        choose_threshold,
        evaluate,
        off_topic,
        rank_all,
        read_queries,
    )
    from knowledge.loader import LoadError

    path = settings.knowledge.queries
    try:
        items = read_queries(path)
    except (LoadError, OSError, ValueError) as error:
        return problem(f"labelled questions {path}: cannot be read ({error})", _QUERIES_FIX)
    known = {article.id for article in articles}
    missing = sorted({e for item in items for e in item.expected} - known)
    index = kb.build_index(articles=articles, settings=settings)
    outcomes = rank_all(index, items)
    report = evaluate(index, items, outcomes=outcomes)
    chosen = choose_threshold(calibrate(outcomes, off_topic=off_topic(index)))
    summary = (
        f"labelled questions {path.name}: hit@1 {report.hit_at_1:.3f}, out-of-scope "
        f"answered {report.false_answer_rate:.1%} ({report.false_answers}/"
        f"{report.out_of_scope}); threshold in use {index.threshold:.2f}, "
        f"kb check would choose {chosen:.2f}"
    )
    if missing:
        return warn(
            f"{summary}; {len(missing)} expected articles are not in the knowledge base "
            f"({', '.join(missing[:3])}{' ...' if len(missing) > 3 else ''})",
            f"`deskmate kb check {path}` lists them; import them or correct the set",
        )
    return ok(summary)


_QUERIES_FIX = "fix the file named by knowledge.queries (columns query and expected)"
