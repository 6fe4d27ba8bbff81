from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from bot.config.settings import load_settings
from bot.store import kb
from knowledge.article import to_markdown
from knowledge.loader import load_articles

SPD = "benefits-single-person-discount"
NONSENSE = "zzqx vorpal flibbertigibbet"


def write_csv(path, articles, *, extra_rows=()):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "category", "keywords", "owner", "reviewed", "body"])
        for article in articles:
            writer.writerow(
                [
                    article.id,
                    article.title,
                    article.category,
                    ";".join(article.keywords),
                    article.owner or "",
                    article.reviewed.isoformat() if article.reviewed else "",
                    article.body,
                ]
            )
        writer.writerows(extra_rows)
    return path


def database():
    return kb.open_database(load_settings())


# -- no command, help, settings errors ---------------------------------------------------


def test_no_arguments_and_no_slack_tokens_start_the_console(cli, monkeypatch):
    # The console itself is tested in test_console.py, the choice of mode in test_run.py.
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))

    code, out, _ = cli()

    assert code == 0
    assert "Deskmate console" in out


def test_help_works(capsys):
    from bot.entry.cli.main import main

    assert main(["--help"]) == 0
    assert "usage: deskmate" in capsys.readouterr().out


def test_kb_without_a_command_shows_its_commands(cli):
    code, _, err = cli("kb")

    assert code == 2
    assert "import" in err and "search" in err


def test_a_usage_error_exits_2(cli):
    code, _, err = cli("kb", "search", "x", "--limit", "0")

    assert code == 2
    assert "--limit" in err


def test_a_settings_error_exits_2_with_the_message_and_no_traceback(cli, write_config):
    config = write_config("search:\n  threshold: high\n")

    code, out, err = cli("kb", "search", "council tax")

    assert code == 2
    assert out == ""
    assert err == f"{config}: search.threshold: expected a number between 0 and 1, got 'high'\n"


def test_database_url_from_the_environment_is_used(cli, make_article, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'from-env.db'}")

    code, _, _ = cli("kb", "import", str(write_csv(tmp_path / "kb.csv", [make_article(1)])))

    assert code == 0
    assert (tmp_path / "from-env.db").is_file()
    assert not (tmp_path / "config" / "test.db").exists()


def test_a_database_that_cannot_be_opened_is_reported_without_a_traceback(
    cli, tmp_path, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.db'}")

    code, out, err = cli("kb", "search", "council tax")

    assert code == 1
    assert out == ""
    assert err.startswith("deskmate: database problem with sqlite:///")
    assert "Traceback" not in err


# -- search ----------------------------------------------------------------------------


def test_search_prints_score_id_and_title(cli):
    code, out, _ = cli("kb", "search", "single", "person", "discount")

    assert code == 0
    score, article_id, title = out.splitlines()[0].split(maxsplit=2)
    assert article_id == SPD
    assert 0 < float(score) <= 1
    assert "single person discount" in title.lower()


def test_search_seeds_the_bundled_articles_on_first_start(cli, bundled_articles):
    cli("kb", "search", "council tax")

    assert kb.count_articles(database()) == len(bundled_articles)


def test_search_json_matches_the_search_index(cli, bundled_index):
    code, out, _ = cli("kb", "search", "single person discount", "--json")

    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1
    hits = bundled_index.search("single person discount", limit=5)
    assert json.loads(lines[0]) == {
        "query": "single person discount",
        "results": [
            {"id": hit.article.id, "title": hit.article.title, "score": round(hit.score, 4)}
            for hit in hits
        ],
    }
    assert json.loads(lines[0])["results"][0]["id"] == SPD


def test_search_limit_caps_the_results(cli, bundled_index):
    query = "council tax"
    assert len(bundled_index.search(query, limit=5)) > 1  # so the cap is tested

    _, out, _ = cli("kb", "search", query, "--json", "--limit", "1")

    assert len(json.loads(out)["results"]) == 1


def test_search_limit_defaults_to_app_yaml(cli, write_config, bundled_index):
    write_config("database:\n  url: sqlite:///test.db\nsearch:\n  limit: 1\n")

    _, out, _ = cli("kb", "search", "council tax", "--json")

    assert len(json.loads(out)["results"]) == 1


def test_no_confident_match_says_so_and_offers_the_closest(cli, write_config, bundled_index):
    # A threshold nothing reaches, so the test does not hang on how search is tuned.
    write_config("database:\n  url: sqlite:///test.db\nsearch:\n  threshold: 1\n")
    query = "planning refusal appeal zzqx"
    closest = bundled_index.closest(query, 3)
    assert closest

    code, out, _ = cli("kb", "search", query)

    assert code == 0
    assert out.splitlines() == [
        f'No confident match for "{query}".',
        "Closest: " + "; ".join(hit.article.title for hit in closest),
    ]


def test_no_match_in_json_is_an_empty_list(cli):
    _, out, _ = cli("kb", "search", NONSENSE, "--json")

    assert json.loads(out) == {"query": NONSENSE, "results": []}


def test_search_reads_queries_from_stdin_one_json_line_each(cli, monkeypatch, bundled_index):
    queries = ["single person discount", NONSENSE, "skip permit"]
    monkeypatch.setattr(
        sys, "stdin", io.StringIO(f"{queries[0]}\n\n  \n{queries[1]}\n{queries[2]}")
    )

    code, out, _ = cli("kb", "search", "--json", "--limit", "2")

    assert code == 0
    answers = [json.loads(line) for line in out.splitlines()]
    assert [answer["query"] for answer in answers] == queries
    for answer in answers:
        hits = bundled_index.search(answer["query"], limit=2)
        assert [r["id"] for r in answer["results"]] == [hit.article.id for hit in hits]
    assert answers[0]["results"][0]["id"] == SPD
    assert answers[1]["results"] == []


def test_search_from_stdin_without_json_prints_one_line_per_query(cli, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"single person discount\n{NONSENSE}\n"))

    _, out, _ = cli("kb", "search")

    first, second = out.splitlines()
    assert first.startswith('"single person discount"  ') and SPD in first
    assert second == f'"{NONSENSE}"  no confident match'


def test_python_m_bot_searches_with_json(write_config, tmp_path):
    write_config()  # sets DESKMATE_CONFIG, which the child process inherits

    done = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "search", "single person discount", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["query"] == "single person discount"
    assert answer["results"][0]["id"] == SPD


def test_a_one_off_command_logs_only_warnings_even_with_both_slack_tokens(
    write_config, make_article, tmp_path
):
    # In a process of its own, as an admin runs it: with both Socket Mode tokens set, only
    # running the bot (or `serve`, `scheduler`) logs at INFO; an import on a new database
    # would otherwise bury its one line of output under the migrations' INFO lines.
    write_config()
    path = write_csv(tmp_path / "kb.csv", [make_article(1)])
    environ = {k: v for k, v in os.environ.items() if k not in ("LOG_LEVEL", "DATABASE_URL")}
    environ.update(SLACK_BOT_TOKEN="xoxb-1-test", SLACK_APP_TOKEN="xapp-1-test")

    done = subprocess.run(
        [sys.executable, "-m", "bot", "kb", "import", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environ,
        timeout=120,
        check=False,
    )

    assert (done.returncode, done.stdout) == (0, "added 1, updated 0, unchanged 0\n"), done.stderr
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("argv", "runs_long"),
    [
        ([], True),  # the bot in Socket Mode
        (["serve"], True),
        (["scheduler"], True),
        (["kb", "import", "kb.csv"], False),
        (["kb", "search", "x"], False),
        (["jobs", "fire", "training_nudge", "--at", "2026-03-02T09:00"], False),
        (["doctor"], False),
        (["manifest"], False),
        (["db", "upgrade"], False),
    ],
)
def test_only_the_bot_serve_and_the_scheduler_run_long_with_both_tokens(
    argv, runs_long, monkeypatch
):
    from bot.entry.cli.main import _runs_long, build_parser

    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-test")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-test")

    assert _runs_long(build_parser().parse_args(argv)) is runs_long


def test_the_bot_without_tokens_is_the_console_and_does_not_run_long(monkeypatch):
    from bot.entry.cli.main import _runs_long, build_parser

    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)

    assert _runs_long(build_parser().parse_args([])) is False


# -- import and export -----------------------------------------------------------------


def test_import_reports_added_updated_unchanged(cli, make_article, tmp_path):
    folder = tmp_path / "kb" / "housing"
    folder.mkdir(parents=True)
    for number in (1, 2):
        (folder / f"test-article-{number}.md").write_text(to_markdown(make_article(number)))

    assert cli("kb", "import", str(tmp_path / "kb"))[:2] == (0, "added 2, updated 0, unchanged 0\n")
    assert cli("kb", "import", str(tmp_path / "kb"))[1] == "added 0, updated 0, unchanged 2\n"

    edited = make_article(2, title="Edited title")
    (folder / "test-article-2.md").write_text(to_markdown(edited))
    assert cli("kb", "import", str(tmp_path / "kb"))[1] == "added 0, updated 1, unchanged 1\n"
    assert kb.load_from_db(database()) == [make_article(1), edited]


def test_import_into_a_new_database_does_not_add_the_bundled_articles(cli, make_article, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [make_article(1)])

    cli("kb", "import", str(path))

    assert kb.load_from_db(database()) == [make_article(1)]


def test_one_bad_file_in_a_folder_changes_nothing(cli, make_article, tmp_path):
    cli("kb", "import", str(write_csv(tmp_path / "first.csv", [make_article(1)])))
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "good.md").write_text(to_markdown(make_article(1, title="Changed")))
    (folder / "also-good.md").write_text(to_markdown(make_article(2)))
    (folder / "bad.md").write_text("---\nid: bad\ntitle: No category\n---\nSay: hello\n")

    code, out, err = cli("kb", "import", str(folder))

    assert code == 1
    assert out == ""
    assert f"{folder / 'bad.md'}:" in err and "'category' is required" in err
    assert all(line.startswith(f"{folder / 'bad.md'}:") for line in err.splitlines())
    assert kb.load_from_db(database()) == [make_article(1)]


def test_a_bad_csv_row_changes_nothing(cli, make_article, tmp_path):
    cli("kb", "import", str(write_csv(tmp_path / "first.csv", [make_article(1)])))
    bad_row = ["bad-row", "Bad row", "housing", "", "", "not-a-date", "Say: hello"]
    path = write_csv(
        tmp_path / "kb.csv",
        [make_article(1, title="Changed"), make_article(2)],
        extra_rows=[bad_row],
    )

    code, _, err = cli("kb", "import", str(path))

    assert code == 1
    assert err.startswith(f"{path}:")
    assert "'reviewed' must be a date" in err
    assert kb.load_from_db(database()) == [make_article(1)]


def test_import_of_a_missing_path_fails_cleanly(cli, tmp_path):
    code, _, err = cli("kb", "import", str(tmp_path / "missing"))

    assert code == 1
    assert err == f"{tmp_path / 'missing'}: no such file or folder\n"  # no made-up line 0


def test_a_large_import_shows_a_progress_bar(cli, make_article, tmp_path):
    path = write_csv(tmp_path / "big.csv", [make_article(n) for n in range(250)])

    code, out, err = cli("kb", "import", str(path))

    assert code == 0
    assert out == "added 250, updated 0, unchanged 0\n"
    assert "importing [" in err and "250/250" in err


def test_a_small_import_shows_no_progress_bar(cli, make_article, tmp_path):
    _, _, err = cli("kb", "import", str(write_csv(tmp_path / "s.csv", [make_article(1)])))

    assert err == ""


def test_export_writes_every_article(cli, tmp_path, bundled_articles):
    code, out, _ = cli("kb", "export", str(tmp_path / "out"))

    assert code == 0
    assert out == f"exported {len(bundled_articles)} articles to {tmp_path / 'out'}\n"
    exported = sorted(load_articles(tmp_path / "out"), key=lambda a: a.id)
    assert exported == sorted(bundled_articles, key=lambda a: a.id)
