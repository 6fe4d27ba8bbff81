"""Block Kit as plain text for a terminal: what the console shows instead of Slack's client.

Only what a reader needs survives: headings, text with Slack's markup undone, context lines,
and every button numbered ("[1] Share in channel") so it can be pressed by typing 1.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

WIDTH = 78
INDENT = "  "

_LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
_BOLD = re.compile(r"(?<![\w*])\*(\S(?:[^*\n]*?\S)?)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(\S(?:[^_\n]*?\S)?)_(?![\w_])")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}
# Slack shows these shortcodes as emoji: the ones Deskmate sends, and a few a person types.
EMOJI = {
    "bar_chart": "📊", "bulb": "💡", "clap": "👏", "heart": "❤️", "memory": "📝",
    "pray": "🙏", "question": "❓", "scissors": "✂️", "sparkles": "✨", "star": "⭐",
    "tada": "🎉", "thumbsdown": "👎", "-1": "👎", "thumbsup": "👍", "+1": "👍",
    "trophy": "🏆", "warning": "⚠️", "wastebasket": "🗑️", "wave": "👋",
    "white_check_mark": "✅", "x": "❌",
}  # fmt: skip
_SHORTCODE = re.compile(r":([a-z0-9_+-]+):")


@dataclass(frozen=True)
class Control:
    """A button found while rendering, with where it sits (Slack sends both back)."""

    element: dict[str, Any]
    block_id: str

    @property
    def label(self) -> str:
        return plain((self.element.get("text") or {}).get("text", "")) or "(button)"


def mrkdwn(text: str, names: Mapping[str, str] | None = None) -> str:
    """Slack `mrkdwn` as a person would read it: links, mentions and emphasis undone."""
    names = names or {}

    def link(match: re.Match) -> str:
        target, label = match.group(1), match.group(2)
        if target[:1] == "@":
            return "@" + (label or names.get(target[1:], target[1:])).lstrip("@")
        if target[:1] == "#":
            return "#" + (label or names.get(target[1:], target[1:])).lstrip("#")
        if target[:1] == "!":
            word = target[1:].split("^")[0]
            return _SPECIAL.get(word) or label or word
        if label and label != target:
            return f"{label} ({target})"
        return target

    lines = []
    for line in text.split("\n"):
        # A quote (the script to read out) keeps a bar so it stays set apart.
        for mark in (">", "&gt;"):
            if line.startswith(mark):
                line = "| " + line[len(mark) :].lstrip()
                break
        line = _LINK.sub(link, line)
        line = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", line))
        lines.append(emoji(html.unescape(line)))
    return "\n".join(lines)


def emoji(text: str) -> str:
    """Known shortcodes (`:tada:`) as the emoji Slack shows; others as typed."""
    return _SHORTCODE.sub(lambda match: EMOJI.get(match.group(1), match.group(0)), text)


def plain(text: str) -> str:
    return emoji(html.unescape(text))


def _text(obj: dict[str, Any] | None, names: Mapping[str, str]) -> str:
    if not obj:
        return ""
    if obj.get("type") == "mrkdwn":
        return mrkdwn(obj.get("text", ""), names)
    return plain(obj.get("text", ""))


def _wrap(text: str, indent: str = INDENT) -> list[str]:
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            out.append("")
            continue
        hang = " " * (len(line) - len(line.lstrip(" |•-*")))
        out.extend(
            textwrap.wrap(
                line,
                WIDTH,
                initial_indent=indent,
                subsequent_indent=indent + hang,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return out


class Renderer:
    """Renders one batch of output; buttons are numbered from 1 across the whole batch."""

    def __init__(self, names: Mapping[str, str] | None = None) -> None:
        self.names = dict(names or {})
        self.controls: list[Control] = []
        self._handlers: dict[str, Callable[[dict[str, Any]], list[str]]] = {
            "header": self._header,
            "section": self._section,
            "context": self._context,
            "divider": lambda _block: [INDENT + "-" * 40],
            "actions": self._actions,
            "image": lambda block: [f"{INDENT}[image: {block.get('alt_text', '')}]"],
            "rich_text": self._rich_text,
            "input": self._input,
        }

    def message(self, message: Mapping[str, Any]) -> list[str]:
        blocks = message.get("blocks") or []
        if not blocks:
            return _wrap(mrkdwn(message.get("text", ""), self.names))
        return self.blocks(blocks)

    def blocks(self, blocks: list[dict[str, Any]]) -> list[str]:
        lines: list[str] = []
        for block in blocks:
            handler = self._handlers.get(block.get("type", ""))
            if handler is not None:
                lines.extend(handler(block))
        return lines

    def _button(self, element: dict[str, Any], block: dict[str, Any]) -> str:
        control = Control(element=element, block_id=block.get("block_id", ""))
        self.controls.append(control)
        text = f"[{len(self.controls)}] {control.label}"
        return f"{text} ({element['url']})" if element.get("url") else text

    def _header(self, block: dict[str, Any]) -> list[str]:
        title = _text(block.get("text"), self.names)
        return [INDENT + title, INDENT + "=" * min(len(title), WIDTH - len(INDENT))]

    def _section(self, block: dict[str, Any]) -> list[str]:
        lines = _wrap(_text(block.get("text"), self.names))
        for field in block.get("fields") or []:
            lines.extend(_wrap(_text(field, self.names)))
        accessory = block.get("accessory") or {}
        if accessory.get("type") == "button":
            lines.append(INDENT + self._button(accessory, block))
        return lines

    def _context(self, block: dict[str, Any]) -> list[str]:
        parts = []
        for element in block.get("elements") or []:
            if element.get("type") == "image":
                parts.append(f"[{element.get('alt_text', 'image')}]")
            else:
                parts.append(_text(element, self.names))
        return _wrap("  ·  ".join(part for part in parts if part), INDENT + "  ")

    def _actions(self, block: dict[str, Any]) -> list[str]:
        labels = [
            self._button(element, block)
            for element in block.get("elements") or []
            if element.get("type") == "button"
        ]
        lines: list[str] = []
        current = INDENT
        for label in labels:
            if current.strip() and len(current) + 3 + len(label) > WIDTH:
                lines.append(current)
                current = INDENT
            current += ("   " if current.strip() else "") + label
        if current.strip():
            lines.append(current)
        return lines

    def _rich_text(self, block: dict[str, Any]) -> list[str]:
        def flatten(element: dict[str, Any]) -> str:
            if "elements" in element:
                return "".join(flatten(child) for child in element["elements"])
            return element.get("text") or element.get("url") or ""

        return _wrap(flatten(block))

    def _input(self, block: dict[str, Any]) -> list[str]:
        label = _text(block.get("label"), self.names)
        return [f"{INDENT}{label}: ____"]
