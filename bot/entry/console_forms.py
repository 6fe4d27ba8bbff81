"""Modals in the console: a form shown as text, filled in a line at a time, and sent back to
the app as Slack's `view_submission`, with its answer (close, errors, a new view) obeyed."""

from __future__ import annotations

import json
import re
from typing import Any, Protocol

from bot.entry.blocktext import INDENT, Renderer, plain

CANCEL = "cancel"
QUIT = ("quit", "exit", "/quit", "/exit")  # close the form, then leave the console
_TEXT_INPUTS = ("plain_text_input", "email_text_input", "url_text_input", "number_input")
_CHOICES = ("static_select", "radio_buttons")


class Console(Protocol):
    """What a form needs of the console (bot.entry.console.Console): a line out, a line
    in, a person's ID by name, and the app to send the form to."""

    def say(self, text: str = "") -> None: ...
    def ask(self, prompt: str) -> str | None: ...
    def user_id(self, name: str) -> str | None: ...
    def people(self) -> str: ...
    def quit(self) -> None: ...
    def submit_view(self, view: dict[str, Any]) -> Any: ...
    def close_view(self, view: dict[str, Any]) -> None: ...
    def show_events(self) -> None: ...


class _Cancelled(Exception):
    def __init__(self, *, quitting: bool = False) -> None:
        super().__init__()
        self.quitting = quitting


def fill_in(console: Console, view: dict[str, Any]) -> None:
    """Show `view`, ask for each input, submit; repeat while the app asks for corrections."""
    values: dict[str, Any] = {}
    ask_only: set[str] | None = None  # None: every field
    while True:
        if ask_only is None:
            _show(console, view)
        try:
            values = _ask_fields(console, view, values, ask_only)
        except _Cancelled as cancelled:
            console.say("(form closed; nothing was sent)")
            console.close_view(view)
            if cancelled.quitting:
                console.quit()
            return
        response = console.submit_view({**view, "state": {"values": values}})
        if response.status != 200:
            console.say(f"Deskmate could not take the form (error {response.status}).")
            console.show_events()
            return
        reply = _reply(response.body)
        action = reply.get("response_action")
        if action == "errors":
            errors = reply.get("errors") or {}
            for block_id, message in errors.items():
                console.say(f"{INDENT}! {_label(view, block_id)}: {plain(str(message))}")
            ask_only = set(errors) or None
            continue
        if action in ("update", "push") and isinstance(reply.get("view"), dict):
            view = {**reply["view"], "id": view.get("id"), "state": {"values": {}}}
            values, ask_only = {}, None
            console.show_events()
            continue
        console.say("(form sent)")
        console.show_events()
        return


def _reply(body: str | None) -> dict[str, Any]:
    try:
        data = json.loads(body or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _title(view: dict[str, Any]) -> str:
    return plain((view.get("title") or {}).get("text", "Form"))


def _label(view: dict[str, Any], block_id: str) -> str:
    for block in view.get("blocks") or []:
        if block.get("block_id") == block_id:
            return plain((block.get("label") or {}).get("text", block_id))
    return block_id


def _show(console: Console, view: dict[str, Any]) -> None:
    console.say("")
    console.say(f"[Form: {_title(view)}]  (type {CANCEL} at any question to close it)")
    # Text and context only: buttons inside a form cannot be pressed from here.
    shown = [block for block in view.get("blocks") or [] if block.get("type") != "input"]
    for line in Renderer().blocks(shown):
        console.say(line)


def _ask_fields(
    console: Console, view: dict[str, Any], values: dict[str, Any], only: set[str] | None
) -> dict[str, Any]:
    values = dict(values)
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        block_id = block.get("block_id", "")
        if only is not None and block_id not in only:
            continue
        element = block.get("element") or {}
        state = _ask(console, block, element)
        values[block_id] = {element.get("action_id", ""): state}
    return values


def _ask(console: Console, block: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    kind = element.get("type", "")
    label = plain((block.get("label") or {}).get("text", "Answer"))
    optional = bool(block.get("optional"))
    if kind in _TEXT_INPUTS:
        return {"type": kind, "value": _ask_text(console, label, element, optional)}
    if kind in _CHOICES:
        return {"type": kind, "selected_option": _ask_choice(console, label, element, optional)}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": _ask_people(console, label, element, optional)}
    console.say(f"{INDENT}{label}: cannot be filled in from the console, so it is left empty.")
    return {"type": kind}


def _line(console: Console, prompt: str) -> str:
    line = console.ask(prompt)
    if line is None or line.strip().lower() == CANCEL:
        raise _Cancelled
    if line.strip().lower() in QUIT:
        raise _Cancelled(quitting=True)
    return line.strip()


def _ask_text(console: Console, label: str, element: dict[str, Any], optional: bool) -> str | None:
    hint = plain((element.get("placeholder") or {}).get("text", ""))
    if hint:
        console.say(f"{INDENT}({hint})")
    prompt = f"{label}{' (optional)' if optional else ''}: "
    low, high = element.get("min_length", 0), element.get("max_length")
    while True:
        text = _line(console, prompt) or element.get("initial_value", "")
        if not text and optional:
            return None
        if not text:
            console.say(f"{INDENT}This one is needed (or type {CANCEL}).")
        elif len(text) < low:
            console.say(f"{INDENT}Please write at least {low} characters.")
        elif high and len(text) > high:
            console.say(f"{INDENT}Please keep it to {high} characters.")
        else:
            return text


def _ask_people(console: Console, label: str, element: dict[str, Any], optional: bool) -> list[str]:
    most = element.get("max_selected_items")
    while True:
        text = _line(
            console, f"{label} (names, such as @sam @alex{', optional' if optional else ''}): "
        )
        names = [name for name in re.split(r"[\s,]+", text) if name]
        # As Slack's people picker: only people in the workspace can be chosen.
        unknown = [name for name in names if console.user_id(name) is None]
        if not names and not optional:
            console.say(f"{INDENT}This one is needed (or type {CANCEL}).")
        elif unknown:
            console.say(f"{INDENT}There is nobody called {unknown[0]!r} here.")
            console.say(f"{INDENT}Choose from {console.people()} (or type {CANCEL}).")
        elif most and len(names) > most:
            console.say(f"{INDENT}Please choose at most {most}.")
        else:
            return list(dict.fromkeys(console.user_id(name) or "" for name in names))


def _ask_choice(
    console: Console, label: str, element: dict[str, Any], optional: bool
) -> dict[str, Any] | None:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    for number, option in enumerate(options, 1):
        console.say(f"{INDENT}{number}. {plain(option['text']['text'])}")
    while True:
        text = _line(console, f"{label} (a number{', optional' if optional else ''}): ")
        if not text and optional:
            return None
        if text.isdigit() and 1 <= int(text) <= len(options):
            return options[int(text) - 1]
        console.say(f"{INDENT}Choose a number from 1 to {len(options)}.")
