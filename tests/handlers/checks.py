"""Checks that a message or view is one Slack would accept: valid under
slack_sdk.models.blocks (which also checks most length limits) and within the limits it
does not check."""

from __future__ import annotations

from collections.abc import Iterator

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
TEXT_CHARS = 3_000


def text_objects(obj) -> Iterator[dict]:
    """Every text object (mrkdwn or plain_text) anywhere in a block, view or message."""
    if isinstance(obj, dict):
        if obj.get("type") in ("mrkdwn", "plain_text") and isinstance(obj.get("text"), str):
            yield obj
        for value in obj.values():
            yield from text_objects(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from text_objects(item)


def shown(obj) -> str:
    """All the text a person would see, one text object a line."""
    return "\n".join(text["text"] for text in text_objects(obj))


def elements(blocks: list[dict], kind: str = "button") -> list[dict]:
    found = []
    for block in blocks:
        found += [e for e in block.get("elements", []) if e.get("type") == kind]
        accessory = block.get("accessory")
        if accessory and accessory.get("type") == kind:
            found.append(accessory)
    return found


def assert_valid_blocks(blocks: list[dict], *, most: int = MESSAGE_BLOCKS) -> None:
    assert 1 <= len(blocks) <= most
    for block in blocks:
        # to_dict() runs slack_sdk's validators; equality catches a misspelt field,
        # which parse() would silently drop.
        assert Block.parse(block).to_dict() == block
    for text in text_objects(blocks):
        assert 0 < len(text["text"]) <= TEXT_CHARS
    for block in blocks:
        ids = [e["action_id"] for e in block.get("elements", []) if "action_id" in e]
        assert len(ids) == len(set(ids)), "action ids must be unique within a block"


def assert_valid_message(blocks: list[dict]) -> None:
    assert_valid_blocks(blocks, most=MESSAGE_BLOCKS)


def assert_valid_view(view: dict) -> None:
    assert View(**view).to_dict() == view
    assert_valid_blocks(view["blocks"], most=VIEW_BLOCKS)
