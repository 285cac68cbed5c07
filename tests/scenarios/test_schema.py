"""The scenario script language rejects bad documents with a line and a field path (RELIABILITY F3).

Pure tests of `scenarios.schema`: no Django, no database.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.schema import (
    MAX_SOURCE_BYTES,
    TEXTS,
    Problem,
    ScenarioError,
    Script,
    check_source,
    parse_source,
)

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"
FIXTURES = sorted(FIXTURE_DIR.glob("*.yaml"))

MINIMAL = """\
id: tiny-shop
kind: pre_sale
language: zh-hans
title: 小测试
brief: 回答顾客的问题。
persona:
  name: 小雨
  type: hesitant
shop:
  name: 简衣
start: opening
states:
  opening:
    say: [在吗？, 亲？]
    transitions:
      - {on: [greet], to: done}
      - {on: [silence], after: 60, to: done}
  done:
    say: 好的，谢谢～
    end: sale
endings:
  sale: {outcome: success, rating: 5}
"""


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def rejected(source: str | bytes) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        parse_source(source)
    return caught.value.problems


def edited(old: str, new: str, source: str = MINIMAL) -> str:
    assert source.count(old) == 1, old
    return source.replace(old, new)


# ----------------------------------------------------------------- valid documents


def test_minimal_document_parses_with_defaults():
    script = parse_source(MINIMAL)

    assert isinstance(script, Script)
    assert script.persona.patience == 1.0
    assert script.states["done"].say == ["好的，谢谢～"]  # one line becomes a list
    assert script.shop.policy.return_freight == "buyer"
    assert script.order is None


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_shipped_fixture_is_valid(path):
    assert parse_source(path.read_bytes()).id


def test_utf8_bom_is_accepted_in_bytes_and_text():
    assert parse_source(b"\xef\xbb\xbf" + MINIMAL.encode()).id == "tiny-shop"
    assert parse_source("\ufeff" + MINIMAL).id == "tiny-shop"


def test_crlf_line_endings_are_accepted():
    script = parse_source(MINIMAL.replace("\n", "\r\n").encode())

    assert script.states["opening"].say == ["在吗？", "亲？"]


def test_crlf_errors_still_name_the_right_line():
    source = edited("{on: [greet], to: done}", "{on: [greet], to: dne}").replace("\n", "\r\n")

    [problem] = rejected(source)

    assert problem.line == line_of(MINIMAL, "{on: [greet]")


# ----------------------------------------------------------------- references and vocabulary


def test_unknown_state_in_transition_names_line_and_path():
    source = edited("{on: [greet], to: done}", "{on: [greet], to: nede}")

    [problem] = rejected(source)

    assert problem.path == "states.opening.transitions[0].to"
    assert problem.line == line_of(source, "to: nede")
    assert "nede" in problem.message
    assert str(problem).startswith(f"line {problem.line}: states.opening.transitions[0].to:")


def test_unknown_state_under_a_hyphenated_state_name_keeps_its_path():
    source = edited("  opening:\n", "  first-ask:\n").replace("start: opening", "start: first-ask")
    source = edited("{on: [greet], to: done}", "{on: [greet], to: gone}", source)

    [problem] = rejected(source)

    assert problem.path == "states.first-ask.transitions[0].to"
    assert problem.line == line_of(source, "to: gone")


def test_unknown_start_state_names_line_and_path():
    source = edited("start: opening", "start: opneing")

    [problem] = rejected(source)

    assert (problem.path, problem.line) == ("start", line_of(source, "start:"))


def test_unknown_ending_names_the_state_line():
    source = edited("end: sale", "end: sael")

    [problem] = rejected(source)

    assert problem.path == "states.done.end"
    assert problem.line == line_of(source, "end: sael")


def test_unknown_move_names_line_path_and_the_known_moves():
    source = edited("{on: [greet], to: done}", "{on: [greeting], to: done}")

    [problem] = rejected(source)

    assert problem.path == "states.opening.transitions[0].on"
    assert problem.line == line_of(source, "greeting")
    assert problem.message == "unknown move “greeting”"
    assert "apologise" in problem.hint
    assert problem.hint.startswith("Did you mean “greet”?")


def test_silence_transition_without_after_is_rejected():
    source = edited("{on: [silence], after: 60, to: done}", "{on: [silence], to: done}")

    [problem] = rejected(source)

    assert problem.path == "states.opening.transitions[1]"
    assert problem.line == line_of(source, "{on: [silence], to: done}")
    assert "after" in problem.message


def test_silence_combined_with_a_move_is_rejected():
    source = edited("{on: [silence], after: 60", "{on: [silence, greet], after: 60")

    [problem] = rejected(source)

    assert problem.path == "states.opening.transitions[1]"


def test_state_without_transitions_or_end_is_rejected():
    source = edited("    end: sale\n", "")

    problems = {p.code: p for p in rejected(source)}

    assert problems["no_transitions"].path == "states.done"
    assert problems["no_transitions"].line == line_of(source, "  done:")
    # With no end left, the start cannot finish either: said at once, not after a second run.
    assert problems["no_way_to_end"].path == "states.opening"


# ----------------------------------------------------------------- keys and types


def test_missing_required_key_names_the_key_and_a_line():
    source = edited("brief: 回答顾客的问题。\n", "")

    [problem] = rejected(source)

    assert problem.path == "brief"
    assert problem.line == 1
    assert problem.message == "the required key “brief” is missing"
    assert problem.hint == "Add “brief:” to this mapping."


def test_missing_nested_key_points_at_its_parent():
    source = edited("  type: hesitant\n", "")

    [problem] = rejected(source)

    assert problem.path == "persona.type"
    assert problem.line == line_of(source, "persona:")


def test_unknown_key_is_rejected_at_its_line():
    source = edited("  type: hesitant\n", "  type: hesitant\n  mood: grumpy\n")

    [problem] = rejected(source)

    assert (problem.path, problem.line) == ("persona.mood", line_of(source, "mood:"))


def test_wrong_type_names_line_and_path():
    source = edited("rating: 5", "rating: five")

    [problem] = rejected(source)

    assert problem.path == "endings.sale.rating"
    assert problem.line == line_of(source, "rating: five")


def test_value_outside_the_allowed_set_is_rejected():
    source = edited("outcome: success", "outcome: won")

    [problem] = rejected(source)

    assert problem.path == "endings.sale.outcome"


def test_every_problem_in_a_document_is_reported():
    source = edited("rating: 5", "rating: 9")
    source = edited("  type: hesitant", "  type: grumpy", source)

    problems = rejected(source)

    assert {p.path for p in problems} == {"persona.type", "endings.sale.rating"}
    assert all(p.line for p in problems)


def test_duplicate_key_is_rejected_with_its_line():
    source = edited("kind: pre_sale\n", "kind: pre_sale\nkind: after_sale\n")

    [problem] = rejected(source)

    assert problem.line == line_of(source, "kind: after_sale")
    assert problem.message == "the key “kind” appears twice in this mapping"
    assert problem.hint == "Keep one of them (the first is on line 2)."


def test_document_that_is_not_a_mapping_is_rejected():
    for source in ("", "- a\n- b\n", "just text"):
        [problem] = rejected(source)
        assert problem.line == 1


# ----------------------------------------------------------------- broken YAML


def test_broken_indentation_is_rejected_with_a_line():
    source = edited("    say: 好的，谢谢～", "   say: 好的，谢谢～")

    [problem] = rejected(source)

    assert problem.line is not None
    assert abs(problem.line - line_of(source, "   say: 好的")) <= 1


def test_tab_indentation_is_rejected_with_its_line():
    source = edited("  name: 简衣", "\tname: 简衣")

    [problem] = rejected(source)

    assert problem.line == line_of(source, "\tname")
    assert "\\t" in problem.message or "tab" in problem.message.lower()


def test_unclosed_flow_list_is_rejected_with_a_line():
    source = edited("say: [在吗？, 亲？]", "say: [在吗？, 亲？")

    [problem] = rejected(source)

    assert problem.line is not None


# ----------------------------------------------------------------- bytes and size


def test_gbk_bytes_are_rejected_as_not_utf8():
    [problem] = rejected(MINIMAL.encode("gbk"))

    assert "UTF-8" in problem.message
    assert problem.line == line_of(MINIMAL, "title:")  # the first non-ASCII byte


def test_nul_character_is_rejected_with_its_line():
    source = edited("title: 小测试", "title: 小\x00测试")

    [problem] = rejected(source)

    assert "NUL" in problem.message
    assert problem.line == line_of(MINIMAL, "title:")


@pytest.mark.parametrize("as_bytes", [True, False])
def test_file_over_256_kb_is_rejected_before_parsing(as_bytes):
    source = MINIMAL + "# " + "x" * MAX_SOURCE_BYTES + "\n"

    [problem] = rejected(source.encode() if as_bytes else source)

    assert "256 KB" in problem.message


def test_file_just_under_the_limit_is_accepted():
    padding = MAX_SOURCE_BYTES - len(MINIMAL.encode()) - 10
    assert parse_source(MINIMAL + "#" + "x" * padding + "\n").id == "tiny-shop"


# ----------------------------------------------------------------- hostile YAML


def test_alias_is_rejected_with_its_line():
    source = edited("title: 小测试", "title: &t 小测试\n").replace(
        "brief: 回答", "brief: *t\nx: 回答"
    )

    [problem] = rejected(source)

    assert "aliases" in problem.message
    assert problem.line == line_of(source, "*t")


def test_billion_laughs_bomb_is_rejected_fast():
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        rows.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    bomb = "\n".join(rows) + "\n"

    started = time.perf_counter()
    [problem] = rejected(bomb)

    assert time.perf_counter() - started < 1.0
    assert problem.line == 2


@pytest.mark.parametrize(
    "source",
    [
        "a: " + "[" * 50_000 + "]" * 50_000,
        "a: " + "{b: " * 20_000 + "}" * 20_000,
        "".join(" " * i + "- \n" for i in range(300)),
    ],
    ids=["flow-lists", "flow-maps", "block-lists"],
)
def test_deep_nesting_is_rejected_fast_without_recursion_error(source):
    started = time.perf_counter()
    [problem] = rejected(source)

    # Bounded by ruamel's 1,024-character simple-key window (~0.6 s here), not by the input size.
    assert time.perf_counter() - started < 3.0
    assert "nested" in problem.message


@pytest.mark.parametrize(
    "value", ["1" + "0" * 5000, "2024-13-45"], ids=["huge-int", "impossible-date"]
)
def test_unconstructible_scalar_is_a_scenario_error(value):
    problems = rejected(edited("rating: 5", f"rating: {value}"))

    assert all(p.message for p in problems)


def test_python_tags_are_not_executed():
    source = edited("title: 小测试", "title: !!python/object/apply:os.system [echo hi]")

    [problem] = rejected(source)

    assert problem.path == "title"


# ----------------------------------------------------------------- mutation fuzzing

SOURCES = [MINIMAL] + [path.read_text("utf-8") for path in FIXTURES]
REPLACEMENTS = [
    "",
    "~",
    "0",
    "-1",
    "[]",
    "{}",
    "[a, b]",
    "{x: 1}",
    "true",
    "'text'",
    "1e999",
    "&x",
    "*x",
]


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A shipped fixture with one structural mutation at a random line."""
    lines = draw(st.sampled_from(SOURCES)).splitlines(keepends=True)
    index = draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    kind = draw(
        st.sampled_from(
            [
                "delete",
                "duplicate",
                "swap_value",
                "truncate",
                "indent",
                "tab",
                "crlf",
                "splice",
                "rename",
            ]
        )
    )
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, line)
    elif kind == "swap_value" and ":" in line:
        key = line.split(":", 1)[0]
        lines[index] = f"{key}: {draw(st.sampled_from(REPLACEMENTS))}\n"
    elif kind == "truncate":
        text = "".join(lines)
        return text[: draw(st.integers(0, len(text)))]
    elif kind == "indent":
        lines[index] = " " * draw(st.integers(1, 3)) + line
    elif kind == "tab":
        lines[index] = "\t" + line.lstrip(" ")
    elif kind == "crlf":
        return "".join(lines).replace("\n", "\r\n")
    elif kind == "rename":
        # A misspelt state, ending, move or key: the cross-reference checks must name it.
        word = draw(st.sampled_from(["to: ", "end: ", "start: ", "on: [", "  "]))
        if word in line:
            lines[index] = line.replace(word, word + "x", 1)
    else:
        other = draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    return "".join(lines)


# Problems about the file as a whole, which no field path can name.
FILE_PROBLEMS = {"too_large", "not_utf8", "nul", "not_mapping", "alias", "unreadable_value"}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=mutated(), as_bytes=st.booleans())
def test_mutated_fixtures_parse_or_fail_with_located_problems(source, as_bytes):
    # Any exception other than a ScenarioError fails the test.
    script, problems = check_source(source.encode() if as_bytes else source)
    errors = [p for p in problems if p.severity == "error"]
    if script is not None:
        assert isinstance(script, Script)
        assert not errors
        assert parse_source(source).id == script.id
        return
    with pytest.raises(ScenarioError):
        parse_source(source)
    total_lines = source.count("\n") + 1
    # The first top-level key: a syntax error before it has no field to name.
    lines = enumerate(source.splitlines(), 1)
    first = next((n for n, line in lines if re.match(r"[^\s#][^:]*:", line)), 1)
    assert errors
    for problem in problems:
        assert problem.message
        assert problem.code in TEXTS
        assert problem.line is not None or problem.code == "too_large"
        assert problem.line is None or 1 <= problem.line <= total_lines
        assert problem.column is None or problem.column >= 1
        # A field path, except for a problem of the whole file or a syntax error before any key.
        assert problem.path or problem.code in FILE_PROBLEMS or problem.line <= first, problem
        assert problem.hint
        assert str(problem)
