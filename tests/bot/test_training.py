"""Which days of the curriculum an install gets: those whose article its knowledge base has."""

from __future__ import annotations

import pytest

from bot.config.settings import Settings
from bot.training import EnrolRefused, check_lessons, curriculum, curriculum_for
from knowledge import BUNDLED_SETS

BILLING_DAYS = {p.day for p in curriculum() if p.article.startswith("billing-")}


def _categories(prompts) -> set[str]:
    return {p.article.split("-")[0] for p in prompts}


def test_both_sets_get_every_day():
    assert curriculum_for(Settings()) == curriculum()


def test_a_council_install_skips_the_billing_days_and_keeps_the_rest_in_order():
    council = curriculum_for(Settings(knowledge={"bundled": "council"}))

    assert BILLING_DAYS and not BILLING_DAYS & {p.day for p in council}
    assert _categories(council) == set(BUNDLED_SETS["council"])
    assert [p.day for p in council] == sorted(
        p.day for p in curriculum() if p.day not in BILLING_DAYS
    )
    assert not any("$" in " ".join((p.text, *p.options)) for p in council)


def test_a_billing_install_keeps_call_craft_and_billing_alone():
    billing = curriculum_for(Settings(knowledge={"bundled": "billing"}))

    assert _categories(billing) == {"billing", "callcraft"}
    assert {p.day for p in billing} >= BILLING_DAYS


def test_a_centre_with_its_own_articles_gets_the_days_whose_article_it_has(tmp_path):
    own = tmp_path / "own.csv"
    own.write_text(
        "id,title,category,body\n"
        "callcraft-hold,Holding a call,callcraft,Check back every minute or so.\n"
        "bins-missed,A missed bin,waste,Report it online.\n",
        encoding="utf-8",
    )

    found = curriculum_for(Settings(knowledge={"articles": str(own)}))

    assert found == tuple(p for p in curriculum() if p.article == "callcraft-hold")
    assert found
    check_lessons(Settings(knowledge={"articles": str(own)}))  # one lesson is enough


def test_no_article_of_the_curriculum_means_no_lessons_and_enrolment_is_refused():
    none = Settings(knowledge={"bundled": "none"})

    assert curriculum_for(none) == ()
    with pytest.raises(EnrolRefused, match="no lessons to send"):
        check_lessons(none)
    check_lessons(Settings(knowledge={"bundled": "council"}))
