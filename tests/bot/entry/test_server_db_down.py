"""HTTP mode with its database taken away for real (tests/db_faults) while `deskmate serve
--http` (gunicorn, two workers) is running: answers still come, a button that must store
something gets the kind "try again" through the response URL, nothing crashes, and the same
press works once the database is back."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.store import models
from handlers import replies

from ...slack_fake import RESPONSE_URL
from .http_server import answer, button, press_form, running_server


def _feedback(engine) -> list[models.Feedback]:
    with Session(engine) as session:
        return list(session.exec(select(models.Feedback)).all())


def test_a_press_while_the_database_is_down_is_answered_kindly_and_works_once_it_is_back(
    tmp_path, breakable, engine, slack_api
):
    url = breakable.url.render_as_string(hide_password=False)
    with running_server(tmp_path, "search:\n  limit: 5\n", slack_api.api_url, url) as server:
        card = answer(server, slack_api, "council tax discount living alone")
        helpful = button(card, "Helpful")

        with breakable.unavailable():
            assert answer(server, slack_api, "skip permit")["response_type"] == "ephemeral"
            status, _ = server.post(press_form(helpful, slack_api.response_url("down")))
            assert status == 200
            [apology] = slack_api.wait_for(RESPONSE_URL)

        assert (apology.path, apology.body["text"]) == ("/response/down", replies.SORRY_DATABASE)
        assert _feedback(engine) == []

        status, _ = server.post(press_form(helpful, slack_api.response_url("back")))
        assert status == 200
        thanks = slack_api.wait_for(RESPONSE_URL, 2)[1]

    assert thanks.body["text"].startswith("Thanks, I've noted")
    [feedback] = _feedback(engine)
    assert feedback.helpful is True
    log = server.log.read_text()
    assert "Could not store Helpful feedback: the database failed" in log
    assert "Failed to run" not in log and "Traceback" not in log
