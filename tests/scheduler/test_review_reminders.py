"""The weekly review reminders: each owner's articles in their channel with a Mark reviewed
button, once per run, with a part-failed run retrying only the posts that failed."""

from __future__ import annotations

import datetime as dt

from slack_sdk import WebClient
from sqlmodel import Session

from bot.answer import record_feedback
from bot.config.settings import Settings
from bot.phrasings import learn_phrasing, phrasing_key
from bot.slack.blocks.reviews import MARK_REVIEWED, PHRASINGS_PREFIX, REMOVE_PHRASING
from bot.store import kb, models
from scheduler.delivery import JobContext
from scheduler.runs import Outcome, get_run
from scheduler.service import run_due, run_job

OWNERS = "C0KBOWNERS1"
REVENUES = "C0REVENUE1"
MONDAY = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)  # Monday 2 March 2026, 09:00 GMT
PHRASINGS = PHRASINGS_PREFIX + "test-article-3"
SETTINGS = Settings(channels={"article_owners": OWNERS}, owners={"Revenues team": REVENUES})


def _ctx(engine, slack_api, settings=SETTINGS) -> JobContext:
    return JobContext(
        settings=settings,
        engine=engine,
        client_factory=lambda: WebClient(token="xoxb-test", base_url=slack_api.api_url),
    )


def _seed(engine, make_article) -> None:
    kb.import_articles(
        engine,
        articles=[
            make_article(1, reviewed=dt.date(2024, 5, 1)),
            make_article(2, reviewed=None, owner="Revenues team"),
            make_article(3, reviewed=dt.date(2026, 2, 1)),
        ],
    )


def _posts(slack_api) -> dict[str, list]:
    posts: dict[str, list] = {}
    for call in slack_api.called("chat.postMessage"):
        posts.setdefault(call.body["channel"], []).append(call.body)
    return posts


def _buttons(post: dict) -> list[str]:
    return [
        block["accessory"]["value"]
        for block in post["blocks"]
        if block.get("accessory", {}).get("action_id") == MARK_REVIEWED
    ]


def test_each_owner_gets_their_articles_with_buttons_once(engine, slack_api, make_article):
    _seed(engine, make_article)
    ctx = _ctx(engine, slack_api)

    assert run_job(ctx, "review_reminders", MONDAY) is Outcome.DONE
    assert run_job(ctx, "review_reminders", MONDAY) is Outcome.TAKEN

    posts = _posts(slack_api)
    assert sorted(posts) == [OWNERS, REVENUES]
    assert _buttons(posts[OWNERS][0]) == ["test-article-1"]
    assert "Last reviewed 1 May 2024, over 12 months ago" in str(posts[OWNERS][0]["blocks"])
    assert _buttons(posts[REVENUES][0]) == ["test-article-2"]
    assert "Never reviewed" in str(posts[REVENUES][0]["blocks"])


def test_not_helpful_marks_count_from_the_last_reminder(engine, slack_api, make_article):
    _seed(engine, make_article)
    ctx = _ctx(engine, slack_api)
    run_job(ctx, "review_reminders", MONDAY)
    row = record_feedback(engine, article_id="test-article-3", user_id="U0CSR00001", helpful=False)
    with Session(engine) as session:
        session.get(models.Feedback, row.id).created_at = MONDAY + dt.timedelta(days=2)
        session.commit()
    slack_api.reset()

    run_job(ctx, "review_reminders", MONDAY + dt.timedelta(days=7))
    run_job(ctx, "review_reminders", MONDAY + dt.timedelta(days=14))

    first, second = _posts(slack_api)[OWNERS]
    assert _buttons(first) == ["test-article-1", "test-article-3"]
    assert "Marked Not helpful once since 2 March 2026" in str(first["blocks"])
    assert _buttons(second) == ["test-article-1"]  # told once


def test_a_part_failed_run_retries_only_the_failed_post(engine, slack_api, make_article):
    _seed(engine, make_article)
    slack_api.reply("chat.postMessage", body={"ok": False, "error": "channel_not_found"}, once=True)
    ctx = _ctx(engine, slack_api)

    [first] = run_due(ctx, MONDAY, ["review_reminders"])
    [second] = run_due(ctx, MONDAY + dt.timedelta(minutes=5), ["review_reminders"])

    assert (first.outcome, second.outcome) == (Outcome.FAILED, Outcome.DONE)
    calls = [c.body["channel"] for c in slack_api.called("chat.postMessage")]
    assert calls == [OWNERS, REVENUES, OWNERS]  # the failed one, the other, the retry
    assert get_run(engine, "review_reminders", MONDAY).status == "done"


def test_an_owner_without_a_channel_is_logged_and_others_still_posted(
    engine, slack_api, make_article, caplog
):
    _seed(engine, make_article)
    ctx = _ctx(engine, slack_api, Settings(owners={"Revenues team": REVENUES}))

    assert run_job(ctx, "review_reminders", MONDAY) is Outcome.DONE

    assert sorted(_posts(slack_api)) == [REVENUES]
    assert "1 article of Housing team to review, but no channel" in caplog.text


def test_an_article_taught_a_phrasing_is_posted_once_with_its_phrasings(
    engine, slack_api, make_article
):
    _seed(engine, make_article)
    ctx = _ctx(engine, slack_api)
    run_job(ctx, "review_reminders", MONDAY)
    taught = MONDAY + dt.timedelta(days=2)
    learn_phrasing(engine, article_id="test-article-3", query="bins late again", now=taught)
    slack_api.reset()

    run_job(ctx, "review_reminders", MONDAY + dt.timedelta(days=7))
    run_job(ctx, "review_reminders", MONDAY + dt.timedelta(days=14))

    first, second = _posts(slack_api)[OWNERS]
    assert _buttons(first) == ["test-article-1", "test-article-3"]
    assert "Learned a new phrasing since 2 March 2026" in str(first["blocks"])
    [menu] = [b["accessory"] for b in first["blocks"] if b.get("block_id") == PHRASINGS]
    assert menu["action_id"] == REMOVE_PHRASING
    assert menu["options"][0]["value"] == phrasing_key("bins late again")
    assert _buttons(second) == ["test-article-1"]  # told once


def test_many_articles_with_phrasings_are_posted_in_messages_slack_accepts(
    engine, slack_api, make_article
):
    kb.import_articles(
        engine,
        articles=[
            make_article(n, reviewed=None, phrasings=(f"question number {n}",)) for n in range(30)
        ],
    )

    assert run_job(_ctx(engine, slack_api), "review_reminders", MONDAY) is Outcome.DONE

    posts = _posts(slack_api)[OWNERS]
    assert [len(post["blocks"]) for post in posts] == [50, 14]  # 24 articles, then 6
    assert sum(len(_buttons(post)) for post in posts) == 30
