"""Who may do what (handlers.auth): supervisors, reviewers for Mark reviewed, and the
private refusal that says who can."""

from __future__ import annotations

from bot.config.settings import Settings
from handlers.auth import refusal

SUPERVISOR = "U0SUPER001"
REVIEWER = "U0REVIEW01"
CSR = "U0CSR00001"
SETTINGS = Settings(supervisors=[SUPERVISOR], reviewers=[REVIEWER])


def test_supervisors_may_and_reviewers_only_review():
    assert refusal(SETTINGS, SUPERVISOR, to="see the reports") is None
    assert refusal(SETTINGS, SUPERVISOR, to="mark it", reviewers=True) is None
    assert refusal(SETTINGS, REVIEWER, to="mark it", reviewers=True) is None
    assert refusal(SETTINGS, REVIEWER, to="see the reports") == (
        f"Only supervisors can see the reports. Ask <@{SUPERVISOR}>, or an admin to add you "
        "to `supervisors:` in app.yaml."
    )


def test_a_refusal_names_a_few_of_the_people_who_can():
    people = [f"U0SUPER00{n}" for n in range(1, 8)]

    text = refusal(Settings(supervisors=people), CSR, to="enrol new starters")

    assert text == (
        "Only supervisors can enrol new starters. Ask <@U0SUPER001>, <@U0SUPER002>, "
        "<@U0SUPER003>, <@U0SUPER004>, <@U0SUPER005> or others, or an admin to add you to "
        "`supervisors:` in app.yaml."
    )


def test_a_supervisor_who_is_also_a_reviewer_is_named_once():
    settings = Settings(supervisors=[SUPERVISOR], reviewers=[SUPERVISOR, REVIEWER])

    text = refusal(settings, CSR, to="mark an article as reviewed", reviewers=True)

    assert f"Ask <@{SUPERVISOR}> or <@{REVIEWER}>, or an admin" in text


def test_with_nobody_set_up_the_refusal_says_how_to_set_someone_up():
    assert refusal(Settings(), CSR, to="see the reports") == (
        "Only supervisors can see the reports. None are set up yet: an admin adds them to "
        "`supervisors:` in app.yaml."
    )


def test_a_refusal_can_point_somewhere_useful_instead():
    text = refusal(SETTINGS, CSR, to="see it", instead="`/training progress` shows yours.")

    assert text == "Only supervisors can see it. `/training progress` shows yours."
