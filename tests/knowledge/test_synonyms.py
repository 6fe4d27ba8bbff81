"""synonyms.yaml: one-way and two-way expansions, its error paths and the bundled file."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from knowledge import BUNDLED_SYNONYMS
from knowledge.loader import LoadError
from knowledge.synonyms import Synonyms, load_synonyms, parse_synonyms
from knowledge.text import terms


def key(text: str) -> tuple[str, ...]:
    """How a phrase is looked up: its stemmed terms."""
    return tuple(terms(text))


def expands(synonyms: Synonyms, source: str) -> set[tuple[str, ...]]:
    return set(synonyms.expansions.get(key(source), []))


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- parse_synonyms ----------------------------------------------------------------------------


def test_one_way_with_a_list():
    synonyms = parse_synonyms(
        {"one_way": {"ctr": ["council tax reduction", "council tax support"]}}
    )
    assert expands(synonyms, "CTR") == {key("council tax reduction"), key("council tax support")}
    # One way only: the long form does not expand to the abbreviation.
    assert expands(synonyms, "council tax reduction") == set()
    assert len(synonyms) == 1


def test_one_way_with_a_single_string():
    synonyms = parse_synonyms({"one_way": {"spd": "single person discount"}})
    assert expands(synonyms, "spd") == {key("single person discount")}


def test_two_way_group_members_expand_to_each_other():
    synonyms = parse_synonyms({"two_way": [["bin", "rubbish", "wheelie bin"]]})
    assert expands(synonyms, "bin") == {key("rubbish"), key("wheelie bin")}
    assert expands(synonyms, "rubbish") == {key("bin"), key("wheelie bin")}
    assert expands(synonyms, "wheelie bin") == {key("bin"), key("rubbish")}
    assert len(synonyms) == 3


def test_phrases_are_stemmed_so_word_forms_hit():
    synonyms = parse_synonyms(
        {
            "one_way": {
                "bins": ["houses in multiple occupation"],
                "moving home": ["change of address"],
            }
        }
    )
    # Another form of the key finds the entry, and the targets are stemmed too.
    assert expands(synonyms, "bin") == {key("house in multiple occupation")}
    assert expands(synonyms, "moved homes") == {key("changing address")}
    assert synonyms.expansions[("move", "home")] == [("chang", "address")]
    assert synonyms.expansions[("bin",)] == [("hous", "multipl", "occup")]


def test_entries_for_the_same_key_merge_without_repeats():
    synonyms = parse_synonyms(
        {"one_way": {"licence": ["permit"]}, "two_way": [["licence", "license", "permit"]]}
    )
    # "license" stems like "licence", so it is the key itself and not an expansion.
    assert synonyms.expansions[key("licence")] == [key("permit")]


def test_keys_that_are_only_stop_words_are_ignored():
    synonyms = parse_synonyms({"one_way": {"the": ["council"], "what is": ["faq"], "hb": ["x"]}})
    assert set(synonyms.expansions) == {key("hb")}
    assert () not in synonyms.expansions


def test_words_as_written_are_kept_for_typo_correction():
    synonyms = parse_synonyms({"one_way": {"Café licence": ["pavement licence"]}})
    assert {"cafe", "licence", "pavement"} <= synonyms.words


def test_nothing_at_all_is_an_empty_list():
    assert len(parse_synonyms(None)) == 0
    assert len(parse_synonyms({"one_way": None, "two_way": None})) == 0


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (["ctr", "spd"], "expected 'one_way:' and 'two_way:' sections"),
        ("just text", "expected 'one_way:' and 'two_way:' sections"),
        ({"one_way": {}, "three_way": []}, "unknown section 'three_way'"),
        ({"one_way": ["ctr"]}, "one_way: expected 'term: [words, ...]'"),
        ({"one_way": {"ctr": [1, 2]}}, "one_way.ctr: expected a list of words"),
        ({"one_way": {"ctr": {"a": "b"}}}, "one_way.ctr: expected a list of words"),
        ({"one_way": {"ctr": None}}, "one_way.ctr: expected a list of words"),
        ({"two_way": {"bin": "rubbish"}}, "two_way: expected a list of"),
        ({"two_way": [["bin", "rubbish"], "refuse"]}, "two_way[2]: expected [word, word, ...]"),
        ({"two_way": [["bin", ["nested"]]]}, "two_way[1]: expected [word, word, ...]"),
    ],
)
def test_bad_structure_raises_load_error(data, says):
    with pytest.raises(LoadError) as caught:
        parse_synonyms(data, "syn.yaml")
    reasons = [p.reason for p in caught.value.problems]
    assert any(says in reason for reason in reasons), reasons
    assert all(p.path == "syn.yaml" for p in caught.value.problems)
    assert str(caught.value).startswith("syn.yaml:")


def test_every_structural_problem_is_reported_at_once():
    with pytest.raises(LoadError) as caught:
        parse_synonyms({"extra": 1, "one_way": {"a": [1], "b": ["ok"], "c": 5}, "two_way": ["x"]})
    reasons = sorted(p.reason.split(":")[0] for p in caught.value.problems)
    assert reasons == [
        "one_way.a",
        "one_way.c",
        "two_way[1]",
        "unknown section 'extra' (expected one_way, two_way)",
    ]


# --- load_synonyms -------------------------------------------------------------------------------


def test_load_synonyms_reads_a_file(tmp_path):
    file = write(
        tmp_path / "synonyms.yaml",
        """\
        # comment
        one_way:
          ctr: [council tax reduction]
          dole: universal credit
        two_way:
          - [bin, rubbish]
        """,
    )
    synonyms = load_synonyms(file)
    assert expands(synonyms, "ctr") == {key("council tax reduction")}
    assert expands(synonyms, "dole") == {key("universal credit")}
    assert expands(synonyms, "rubbish") == {key("bin")}
    assert len(load_synonyms(str(file))) == 4


def test_empty_file_is_no_synonyms(tmp_path):
    assert len(load_synonyms(write(tmp_path / "s.yaml", ""))) == 0


def test_invalid_yaml_reports_the_line(tmp_path):
    file = write(
        tmp_path / "s.yaml",
        """\
        one_way:
          ctr: [council tax reduction]
          spd: single: person
        """,
    )
    with pytest.raises(LoadError) as caught:
        load_synonyms(file)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (str(file), 3)
    assert "not valid YAML" in problem.reason
    assert str(caught.value) == f"{file}:3: {problem.reason}"


def test_structure_problem_in_a_file_names_the_file(tmp_path):
    file = write(tmp_path / "s.yaml", "one_way:\n  ctr: [1]\n")
    with pytest.raises(LoadError) as caught:
        load_synonyms(file)
    assert [p.path for p in caught.value.problems] == [str(file)]
    assert "one_way.ctr" in caught.value.problems[0].reason


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(LoadError) as caught:
        load_synonyms(missing)
    [problem] = caught.value.problems
    assert problem.path == str(missing)
    assert "cannot read the file" in problem.reason


def test_folder_instead_of_a_file(tmp_path):
    with pytest.raises(LoadError) as caught:
        load_synonyms(tmp_path)
    assert "cannot read the file" in caught.value.problems[0].reason


def test_non_utf8_file(tmp_path):
    file = write(
        tmp_path / "s.yaml", "one_way:\n  caf\u00e9: [pavement licence]\n".encode("latin-1")
    )
    with pytest.raises(LoadError) as caught:
        load_synonyms(file)
    assert caught.value.problems[0].path == str(file)


# --- the bundled synonyms.yaml ------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Synonyms:
    return load_synonyms(BUNDLED_SYNONYMS)


def test_bundled_file_has_at_least_80_entries():
    data = yaml.safe_load(BUNDLED_SYNONYMS.read_text(encoding="utf-8"))
    assert set(data) <= {"one_way", "two_way"}
    assert len(data.get("one_way") or {}) + len(data.get("two_way") or []) >= 80


def test_bundled_file_has_both_kinds():
    data = yaml.safe_load(BUNDLED_SYNONYMS.read_text(encoding="utf-8"))
    assert data.get("one_way") and data.get("two_way")


@pytest.mark.parametrize(
    "term",
    [
        "CTR", "SPD", "HB", "UC", "DHP", "HMO", "TEN", "TPO", "LDC", "RTB", "ASB", "DFG", "DD",
        "ACH", "NSF", "bin", "dole", "the water board",
    ],
)  # fmt: skip
def test_bundled_file_covers(bundled, term):
    assert bundled.expansions.get(key(term)), f"{term!r} has no expansion in synonyms.yaml"


@pytest.mark.parametrize(
    ("term", "meaning"),
    [
        ("CTR", "council tax reduction"),
        ("SPD", "single person discount"),
        ("HB", "housing benefit"),
        ("UC", "universal credit"),
        ("DHP", "discretionary housing payment"),
        ("HMO", "house in multiple occupation"),
        ("TEN", "temporary event notice"),
        ("TPO", "tree preservation order"),
        ("LDC", "lawful development certificate"),
        ("RTB", "right to buy"),
        ("DFG", "disabled facilities grant"),
        ("DD", "direct debit"),
    ],
)
def test_bundled_abbreviations_expand_to_their_meaning(bundled, term, meaning):
    assert key(meaning) in expands(bundled, term)
