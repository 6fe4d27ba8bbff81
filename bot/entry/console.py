"""The local console: Deskmate on this computer, no Slack workspace needed.

A person types `/answer what the caller asked`, reads the answer card as text and presses
its buttons by number. Nothing here answers anything itself: each line becomes the request
Slack would send (signed with the app's signing secret, form-encoded for a slash command,
`payload=` JSON for a button or a form), goes through the same Bolt app and handlers with
`app.dispatch`, and what the app sends back, in its reply or to the local stand-in for
Slack's Web API (bot.entry.local_slack), is shown as text (bot.entry.blocktext).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import secrets
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TextIO
from urllib.parse import urlencode

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.engine import make_url

from bot.config.settings import Settings
from bot.entry.app import create_app
from bot.entry.blocktext import Control, Renderer, mrkdwn
from bot.entry.console_forms import fill_in
from bot.entry.console_jobs import run_now
from bot.entry.local_slack import BOT, CHANNELS, HOME_CHANNEL, PEOPLE, USER, Event, LocalSlack
from bot.slack.client import CONSOLE_TOKEN, make_client

PROMPT = "> "
_AT_NAME = re.compile(r"(?<![\w<])@([A-Za-z0-9][\w.-]*[A-Za-z0-9]|[A-Za-z0-9])")

BANNER = """\
Deskmate console: the Slack app on this computer, no Slack workspace needed.
You are @{user} in #{channel}. Type /answer and what the caller asked, for example
  /answer council tax discount living alone
then press a button on the answer by typing its number. Thank a colleague with
  /kudos @sam for staying calm with a distressed caller
People you can name: {people}.
Type help for more, or quit (Ctrl-D) to leave.
"""

HELP = """\
  /answer WHAT THE CALLER ASKED   the approved answer, shown only to you
  /answer                         how to use /answer
  /kudos @NAME ... WHY [#value]   recognise a colleague (posted in #kudos)
  /kudos                          the same, in a form
  /kudos mine | leaderboard       the kudos you received; who received and gave most
  /training progress [@NAME]      the new-starter programme: lessons sent, quiz score
  /training enrol @NAME [DATE]    enrol a new starter (supervisors only)
  /reports gaps [week|month]      searches with no confident answer (supervisors only)
  /reports feedback [week|month]  Not helpful marks, edits waiting (supervisors only)
  1, 2, 3 ...                     press that button on the latest message
  run JOB                         send a scheduled job's posts now (monthly_figures, ...)
  cancel                          (in a form) close it without sending
  help                            this list
  quit                            leave (Ctrl-D does too; in a form, closes it first)
Replies only you would see in Slack are marked (only you); posts everyone in the channel
would see start with the channel's name.
"""


class Console:
    """Reads lines from `stdin`, writes what Slack would show to `stdout`."""

    def __init__(
        self,
        app: App,
        slack: LocalSlack,
        *,
        signing_secret: str,
        stdin: TextIO,
        stdout: TextIO,
    ) -> None:
        self.app = app
        self.slack = slack
        self.stdin = stdin
        self.stdout = stdout
        self._signer = SignatureVerifier(signing_secret)
        self._controls: list[tuple[Control, dict[str, Any]]] = []  # (button, its message)
        self._names = {
            **{user_id: person["name"] for user_id, person in PEOPLE.items()},
            BOT["id"]: BOT["name"],
            **CHANNELS,
        }
        self.quitting = False  # set by `quit` typed in a form
        self._interactive = stdin is sys.stdin and stdin.isatty()
        if self._interactive:
            with contextlib.suppress(ImportError):  # not on Windows; input() works anyway
                import readline  # noqa: F401 - gives input() line editing and history

    # -- input and output ---------------------------------------------------------------

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str | None:
        """One line from the person, without its newline; None at the end of input."""
        if self._interactive:
            try:
                return input(prompt)  # line editing and history where readline exists
            except EOFError:
                return None
        self.stdout.write(prompt)
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            return None
        line = line.rstrip("\r\n")
        self.stdout.write(line + "\n")  # echoed, so a piped session reads as a transcript
        return line

    def run(self, *, note: str = "") -> int:
        banner = BANNER.format(
            user=USER["name"], channel=CHANNELS[HOME_CHANNEL], people=self.people()
        )
        self.say(banner + note)
        while not self.quitting:
            line = self.ask(PROMPT)
            if line is None:
                return 0
            line = line.strip()
            if line.lower() in ("quit", "exit", "/quit", "/exit"):
                return 0
            self.handle(line)
        return 0

    def handle(self, line: str) -> None:
        if not line:
            return
        if line.lower() in ("help", "/help", "?"):
            self.say(HELP)
        elif line.startswith("/"):
            command, _, text = line.partition(" ")
            self.command(command.lower(), text.strip())
        elif line.isdigit():
            self.press(int(line))
        elif line.lower().startswith("run "):
            said = run_now(self.app, self.slack.api_url, line[4:].strip())
            self.show_events()
            self.say(said)
        else:
            self.say(
                "Type /answer and what the caller asked, /kudos, a button's number, help, or quit."
            )

    # -- what Slack would send ------------------------------------------------------------

    def dispatch(self, body: str, content_type: str) -> BoltResponse:
        """Hand `body` to the app signed as Slack signs it, as Slack's servers would."""
        timestamp = str(int(time.time()))
        headers = {
            "content-type": content_type,
            "x-slack-request-timestamp": timestamp,
            "x-slack-signature": self._signer.generate_signature(timestamp=timestamp, body=body),
        }
        return self.app.dispatch(BoltRequest(body=body, headers=headers))

    def dispatch_payload(self, payload: dict[str, Any]) -> BoltResponse:
        body = urlencode({"payload": json.dumps(payload)})
        return self.dispatch(body, "application/x-www-form-urlencoded")

    def slack_text(self, text: str) -> str:
        """`text` as Slack sends a command's text when it escapes it (`should_escape`):
        `&`, `<`, `>` as entities, `@name` as a user mention, `@here` as `<!here>`."""
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

        def mention(match: re.Match) -> str:
            name = match.group(1)
            if name.lower() in ("here", "channel", "everyone"):
                return f"<!{name.lower()}>"
            user_id = self.user_id(name)
            if user_id is None:  # Slack sends a name that is nobody's as plain text
                unknown.append(name)
                return match.group(0)
            return f"<@{user_id}|{name}>"

        unknown: list[str] = []
        text = _AT_NAME.sub(mention, text)
        for name in unknown:
            self.say(f"(nobody here is called @{name}; people you can name: {self.people()})")
        return text

    def user_id(self, name: str) -> str | None:
        """The member ID of `@name` in the console's directory; None for anyone else."""
        name = name.lstrip("@").lower()
        return next((i for i, person in PEOPLE.items() if person["name"] == name), None)

    def people(self) -> str:
        """The people a line or a form can name, as `@sam, @alex, ...`."""
        return ", ".join(f"@{p['name']}" for i, p in PEOPLE.items() if i != USER["id"])

    def quit(self) -> None:
        """Leave once the current line is done (`quit` typed in a form)."""
        self.quitting = True

    def command(self, command: str, text: str) -> None:
        if command in ("/kudos", "/training", "/reports"):  # should_escape in the manifest
            text = self.slack_text(text)
        form = self.slack.slash_command(command, text)
        response = self.dispatch(urlencode(form), "application/x-www-form-urlencoded")
        if response.status == 404:
            self.slack.take_events()
            self.say(f"{command} is not available yet.")
            return
        out = _Output(Renderer(self._names))
        if response.status != 200:
            out.lines.append(_failure(response))
        elif (message := _json_body(response)) is not None:
            self._show_message(out, message, ephemeral=message.get("response_type") != "in_channel")
        self._finish(out)

    def press(self, number: int) -> None:
        if not self._controls:
            self.say("There is no button to press yet. Try /answer and what the caller asked.")
            return
        if not 1 <= number <= len(self._controls):
            self.say(f"Choose a button from 1 to {len(self._controls)}.")
            return
        control, message = self._controls[number - 1]
        self.say(f"(you pressed {control.label})")
        payload = self.slack.block_actions(control.element, control.block_id, message)
        response = self.dispatch_payload(payload)
        out = _Output(Renderer(self._names))
        # Slack ignores what an app says in reply to a button press, so only failures show.
        if response.status == 404:
            out.lines.append("That button does nothing yet.")
        elif response.status != 200:
            out.lines.append(_failure(response))
        self._finish(out)

    def submit_view(self, view: dict[str, Any]) -> BoltResponse:
        """Send a filled-in form back to the app as Slack's view_submission."""
        payload = self.slack.view_submission(view)
        return self.dispatch_payload(payload)

    def close_view(self, view: dict[str, Any]) -> None:
        """Tell the app a form was cancelled, if it asked to know."""
        if view.get("notify_on_close"):
            payload = self.slack.view_closed(view)
            self.dispatch_payload(payload)
            self.show_events()

    # -- what the app sent ----------------------------------------------------------------

    def _finish(self, out: _Output) -> None:
        views = []
        for event in self.slack.take_events():
            if event.kind in ("views.open", "views.push"):
                views.append(event.reply["view"])
            else:
                self._show_event(out, event)
        for line in out.lines:
            self.say(line)
        if out.controls:
            # Numbers always mean the buttons shown last, as the latest message is the one
            # in view in Slack.
            self._controls = out.controls
        for view in views:
            fill_in(self, view)

    def show_events(self) -> None:
        """Show whatever the app has sent since the last look (forms use this)."""
        self._finish(_Output(Renderer(self._names)))

    def _show_message(
        self,
        out: _Output,
        message: dict[str, Any],
        *,
        ephemeral: bool,
        channel: str = HOME_CHANNEL,
        ts: str | None = None,
        note: str = "",
    ) -> None:
        first = len(out.renderer.controls)
        body = out.renderer.message(message)
        where = {
            "channel": channel,
            "ts": ts or self.slack.next_ts(),
            "ephemeral": ephemeral,
            "text": message.get("text", ""),
            "blocks": message.get("blocks", []),
        }
        out.controls += [(control, where) for control in out.renderer.controls[first:]]
        heading = "(only you)" if ephemeral else f"[{_channel_name(channel)}] Deskmate:"
        out.lines += ["", f"{heading} {note}".rstrip(), *body]

    def _show_event(self, out: _Output, event: Event) -> None:
        args = event.args
        if event.kind == "response_url":
            if args.get("delete_original"):
                out.lines += ["", "(Deskmate removed the message above)"]
                return
            public = args.get("response_type") == "in_channel"
            note = "(in place of the message above)" if args.get("replace_original") else ""
            self._show_message(out, args, ephemeral=not public, note=note)
        elif event.kind == "chat.postMessage":
            channel = args.get("channel", "")
            self._show_message(out, args, ephemeral=False, channel=channel, ts=event.reply["ts"])
        elif event.kind == "chat.postEphemeral":
            self._show_message(out, args, ephemeral=True, channel=args.get("channel", ""))
        elif event.kind == "chat.update":
            channel, ts = args.get("channel", ""), args.get("ts")
            self._show_message(out, args, ephemeral=False, channel=channel, ts=ts, note="(updated)")
        elif event.kind == "files.completeUploadExternal":
            titles = ", ".join(file.get("title") or "a file" for file in event.reply["files"])
            where = _channel_name(args.get("channel_id", ""))
            comment = mrkdwn(args.get("initial_comment", ""), self._names)
            out.lines += ["", f"[{where}] Deskmate shared {titles}:", *comment.splitlines()]


@dataclass
class _Output:
    """One batch of output: its lines, and the buttons in it with the message each is on."""

    renderer: Renderer
    lines: list[str] = field(default_factory=list)
    controls: list[tuple[Control, dict[str, Any]]] = field(default_factory=list)


def _channel_name(channel: str) -> str:
    if channel.startswith("#"):
        return channel
    if channel in CHANNELS:
        return "#" + CHANNELS[channel]
    if channel[:1] in ("U", "W", "D"):
        person = PEOPLE.get(channel[1:] if channel.startswith("D") else channel)
        return f"direct message to @{person['name']}" if person else "direct message"
    return "#" + channel


def _json_body(response: BoltResponse) -> dict[str, Any] | None:
    """The message in an acknowledgement: JSON, plain text, or nothing."""
    body = (response.body or "").strip()
    if not body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return {"text": body}
    return data if isinstance(data, dict) else {"text": body}


def _failure(response: BoltResponse) -> str:
    if response.status == 401:
        return "Deskmate refused the request: its signature did not check out (401)."
    return (
        f"Deskmate could not handle that (error {response.status}). "
        "The details are in the log above."
    )


@contextmanager
def _quiet_unhandled(app: App):
    # Bolt logs a page of sample code for a command it has no listener for; the console
    # says "not available yet" instead. Errors still show.
    logger = app.logger
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def run_console(
    settings: Settings, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Deskmate against a local stand-in for Slack, on the configured database."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    with LocalSlack() as slack:
        secret = secrets.token_hex(16)
        app = create_app(
            settings,
            client=make_client(CONSOLE_TOKEN, base_url=slack.api_url),
            signing_secret=secret,
            # So a press shows everything it did before the next prompt.
            process_before_response=True,
        )
        console = Console(app, slack, signing_secret=secret, stdin=stdin, stdout=stdout)
        url = make_url(settings.database.url).render_as_string(hide_password=True)
        with _quiet_unhandled(app):
            return console.run(note=f"(knowledge base and data: {url})")
