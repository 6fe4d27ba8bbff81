"""What every settings section shares: strict validation, and errors in the admin's words.

Kept apart from bot.config.settings so that sections in other modules (bot.config.schedule) can
use it without a circular import.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

CHANNEL = re.compile(r"^(?:[CG][A-Z0-9]{6,}|#[a-z0-9][a-z0-9._-]{0,79})$")


def custom(message: str) -> PydanticCustomError:
    # Our own errors carry the whole sentence; pydantic's are rephrased in `_describe`.
    return PydanticCustomError("deskmate", message)


class Section(BaseModel):
    # Strict: YAML already gives typed values, and `limit: true` should not mean 1.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_defaults(cls, data: Any) -> Any:
        # `search:` with every line commented out loads as None.
        return {} if data is None else data


def check_channel(value: str | None) -> str | None:
    """A channel setting: an ID (C0123ABCD) or a #name, or nothing."""
    if value is not None and not CHANNEL.match(value):
        raise custom(f"expected a Slack channel ID such as C0123ABCD or a #name, got {show(value)}")
    return value


def show(value: Any) -> str:
    """A value as the admin wrote it in YAML."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a section"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def path_of(loc: tuple[str, ...]) -> str:
    """A setting's path as the admin would look for it: `teams[0].members`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if part.isdigit() else f".{part}" if text else part
    return text


def model_at(root: type[BaseModel], loc: tuple[str, ...]) -> type[BaseModel] | None:
    """The settings section at a path, or None when the path ends at a value. A list's index
    or a mapping's key steps into its items' type (list[Team], dict[str, ExportFormat])."""
    model: Any = root
    for part in loc:
        if isinstance(model, type) and issubclass(model, BaseModel):
            model = model.model_fields[part].annotation
        else:
            model = typing.get_args(model)[-1] if typing.get_args(model) else None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None
