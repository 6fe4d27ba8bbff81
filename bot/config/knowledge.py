"""The `knowledge:` section of the settings: which articles a new database starts with (a
folder or CSV of the centre's own, or a choice of the bundled ones), the synonyms, the
labelled questions `deskmate doctor` measures the search on, and how often a running bot
looks for articles changed elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationInfo, field_validator

from bot.config.base import Section, custom, show
from knowledge import BUNDLED_ARTICLES, BUNDLED_SETS, BUNDLED_SYNONYMS

DEFAULT_BUNDLED = "both"


def resolve_path(value: Any, info: ValidationInfo, *, kind: str) -> Path:
    """An existing path; a relative one is taken from the settings file's folder."""
    if not isinstance(value, str | Path) or not str(value).strip():
        raise custom(f"expected {kind}, got {show(value)}")
    path = Path(str(value).strip()).expanduser()
    if not path.is_absolute():
        base = (info.context or {}).get("base", Path.cwd())
        path = Path(base) / path
    path = path.resolve()
    if not path.exists():
        raise custom(f"expected {kind}, but {str(path)!r} does not exist")
    return path


class KnowledgeSettings(Section):
    articles: Path = Field(
        BUNDLED_ARTICLES, description="a folder of article files or a CSV of articles"
    )
    # Which of the bundled articles a new database starts with: the UK council's service
    # areas, the US water utility's billing, both, or none (the centre imports its own).
    # Declared after `articles` so its check can see whether the centre named its own.
    bundled: str = Field(DEFAULT_BUNDLED, description=f"one of {', '.join(BUNDLED_SETS)}")
    synonyms: Path = Field(BUNDLED_SYNONYMS, description="a synonyms YAML file")
    # A labelled set of caller questions (query,expected): `deskmate doctor` shows how the
    # search does on it, as `deskmate kb check` would. None: not measured.
    queries: Path | None = Field(None, description="a CSV of labelled caller questions")
    # How often a running bot asks the database whether the articles changed (an import
    # through another instance); one cheap query each time.
    refresh_seconds: Annotated[float, Field(ge=0.5, le=3600)] = Field(
        2.0, description="a number of seconds between 0.5 and 3600"
    )

    @field_validator("articles", mode="before")
    @classmethod
    def _articles(cls, value: Any, info: ValidationInfo) -> Path:
        return resolve_path(value, info, kind="a folder of article files or a CSV of articles")

    @field_validator("bundled", mode="before")
    @classmethod
    def _bundled(cls, value: Any, info: ValidationInfo) -> str:
        if value not in BUNDLED_SETS:
            raise custom(
                f"expected one of {', '.join(BUNDLED_SETS)} (which of the articles that come "
                f"with Deskmate to start with), got {show(value)}"
            )
        if info.data.get("articles", BUNDLED_ARTICLES) != BUNDLED_ARTICLES:
            raise custom(
                "chooses among the articles that come with Deskmate; leave it out when "
                "knowledge.articles names the centre's own"
            )
        return value

    @field_validator("synonyms", mode="before")
    @classmethod
    def _synonyms(cls, value: Any, info: ValidationInfo) -> Path:
        path = resolve_path(value, info, kind="a synonyms YAML file")
        if not path.is_file():
            raise custom(f"expected a synonyms YAML file, but {str(path)!r} is a folder")
        return path

    @field_validator("queries", mode="before")
    @classmethod
    def _queries(cls, value: Any, info: ValidationInfo) -> Path | None:
        if value is None:
            return None
        path = resolve_path(value, info, kind="a CSV of labelled caller questions")
        if not path.is_file():
            raise custom(
                f"expected a CSV of labelled caller questions, but {str(path)!r} is a folder"
            )
        return path

    @property
    def own_articles(self) -> bool:
        """Whether the centre named its own articles (rather than the bundled ones)."""
        return self.articles != BUNDLED_ARTICLES

    @property
    def categories(self) -> tuple[str, ...] | None:
        """The bundled categories a new database starts with; None: every article of the
        centre's own."""
        return None if self.own_articles else BUNDLED_SETS[self.bundled]
