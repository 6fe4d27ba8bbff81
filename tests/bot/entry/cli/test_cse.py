"""`deskmate cse report`: the evidence pack written as one self-contained page and read in a
real browser (headless Chromium): the five sections, every chart loaded, no broken link."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
SECTIONS = (
    "customer-insight",
    "culture-of-the-organisation",
    "information-and-access",
    "delivery",
    "timeliness-and-quality-of-service",
)
# Added to a copy of the page only, for the browser to report what it loaded: the number
# of images drawn, and every in-page link whose target is missing.
CHECK = """<script>addEventListener("load", () => {
  const drawn = [...document.images].filter(i => i.complete && i.naturalWidth > 0).length;
  const broken = [...document.links].filter(a => {
    const target = a.getAttribute("href");
    return !target.startsWith("#") || !document.getElementById(target.slice(1));
  }).map(a => a.getAttribute("href"));
  document.body.dataset.drawn = drawn;
  document.body.dataset.broken = JSON.stringify(broken);
});</script>"""


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (.ci/run installs it from Debian's packages)")
        pytest.skip("Chromium is not installed: apt-get install chromium")
    return found


def _report(cli, tmp_path, write_config) -> Path:
    write_config((REPO / "app.yaml").read_text(encoding="utf-8"))
    for sample in ("agent_daily.csv", "survey_cards.csv"):
        assert cli("figures", "import", str(REPO / "samples" / sample))[0] == 0
    code, out, err = cli(
        "cse",
        "report",
        "--from",
        "2026-09-01",
        "--to",
        "2026-11-30",
        "--out",
        str(tmp_path / "out"),
        "--centre",
        "Harbourside Council",
    )
    assert (code, err) == (0, "")
    path = tmp_path / "out" / "cse-evidence-2026-09-01-to-2026-11-30.html"
    assert out == f"wrote {path}\n"
    return path


def test_the_report_is_one_page_with_everything_in_it(cli, tmp_path, write_config):
    page = _report(cli, tmp_path, write_config).read_text(encoding="utf-8")

    assert "<title>Customer Service Excellence evidence: Harbourside Council</title>" in page
    for anchor in SECTIONS:
        assert f'<section id="{anchor}">' in page and f'href="#{anchor}"' in page
    # Self-contained: nothing fetched from anywhere, the charts inside it.
    assert not re.search(r'(src|href)="(https?:|//|file:)', page)
    assert page.count('<img src="data:image/png;base64,') == 2
    assert "survey cards imported from the survey, 1 Sep 2026 to 30 Nov 2026" in page
    assert "07700" not in page  # a caller's number in a survey comment


def test_a_real_browser_shows_the_five_sections_every_chart_and_no_broken_link(
    cli, tmp_path, write_config
):
    browser = _chromium()
    path = _report(cli, tmp_path, write_config)
    checked = path.with_name("checked.html")
    checked.write_text(path.read_text(encoding="utf-8").replace("</body>", CHECK + "</body>"))

    shown = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", checked.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout

    for anchor in SECTIONS:
        assert f'<section id="{anchor}">' in shown
    assert 'data-drawn="2"' in shown
    assert 'data-broken="[]"' in shown


def test_a_period_that_ends_before_it_starts_is_refused(cli, tmp_path):
    code, out, err = cli(
        "cse", "report", "--from", "2026-11-30", "--to", "2026-09-01", "--out", str(tmp_path)
    )
    assert (code, out) == (2, "")
    assert err == "deskmate: --to (2026-09-01) is before --from (2026-11-30)\n"
    assert list(tmp_path.glob("*.html")) == []


def test_out_must_be_a_folder(cli, tmp_path):
    target = tmp_path / "report.html"
    target.write_text("mine")
    code, _, err = cli(
        "cse", "report", "--from", "2026-09-01", "--to", "2026-09-30", "--out", str(target)
    )
    assert code == 2 and err == f"deskmate: {target} is a file; --out takes a folder\n"
    assert target.read_text() == "mine"


def test_a_date_that_is_not_one_is_refused_by_name(cli, tmp_path, capsys):
    code, _, err = cli("cse", "report", "--from", "1/9/2026", "--to", "2026-09-30", "--out", ".")
    assert code == 2
    assert "argument --from: expected a date such as 2026-09-01, got '1/9/2026'" in err
