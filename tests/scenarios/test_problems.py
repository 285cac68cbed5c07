"""Broken scenario documents: each problem's exact line, column and field, in Chinese and English.

Also `manage.py validate_scenario` and the all-or-nothing library load.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext

from scenarios import services
from scenarios.messages import problem_hint, problem_line, problem_text
from scenarios.models import Scenario
from scenarios.schema import TEXTS, ScenarioError, check_source, parse_source
from tests.scenarios.test_schema import edited, line_of

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"


@dataclass(frozen=True)
class Case:
    name: str
    old: str
    new: str
    path: str
    at: str  # the text the problem points at: its line, and its column is where it starts
    en: str
    zh: str
    zh_hint: str  # a part of the Chinese hint
    nth: int = 1  # `at` on its nth line


def occurrence(source: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based line and column of the `nth` line containing `needle`, at the needle."""
    found = [
        (n, line.index(needle) + 1)
        for n, line in enumerate(source.splitlines(), 1)
        if needle in line
    ]
    return found[nth - 1]


CASES = [
    Case(
        "unknown state in a transition",
        "{on: [silence], after: 60, to: done}",
        "{on: [silence], after: 60, to: dnoe}",
        "states.opening.transitions[1].to",
        "dnoe",
        "unknown state “dnoe”",
        "未知的状态“dnoe”",
        "是不是“done”？",
    ),
    Case(
        "unknown ending",
        "end: sale",
        "end: sael",
        "states.done.end",
        "sael",
        "unknown ending “sael”",
        "未知的结局“sael”",
        "是不是“sale”？",
    ),
    Case(
        "rating out of range",
        "rating: 5",
        "rating: 9",
        "endings.sale.rating",
        "9}",
        "9 is above the largest allowed value",
        "9 大于允许的最大值",
        "不大于 5",
    ),
    Case(
        "patience out of range",
        "  type: hesitant\n",
        "  type: hesitant\n  patience: 0\n",
        "persona.patience",
        "0",
        "0 is too small",
        "0 太小",
        "大于 0",
    ),
    Case(
        "unknown key",
        "  type: hesitant\n",
        "  type: hesitant\n  pateince: 2\n",
        "persona.pateince",
        "pateince",
        "unknown key “pateince”",
        "未知的键“pateince”",
        "是不是“patience”？",
    ),
    Case(
        "value not in the allowed set",
        "outcome: success",
        "outcome: sucess",
        "endings.sale.outcome",
        "sucess",
        "“sucess” is not one of the allowed values",
        "“sucess”不是允许的取值",
        "success, partial, lost, escalated",
    ),
    Case(
        "unknown move",
        "{on: [greet], to: done}",
        "{on: [greeet], to: done}",
        "states.opening.transitions[0].on",
        "[greeet]",
        "unknown move “greeet”",
        "未知的动作“greeet”",
        "是不是“greet”？",
    ),
    Case(
        "a whole number written as text",
        "rating: 5",
        "rating: five",
        "endings.sale.rating",
        "five",
        "“five” is not a whole number",
        "“five”不是整数",
        "整数",
    ),
    Case(
        "duplicate state",
        "  done:\n",
        "  done:\n    say: 好\n    end: sale\n  done:\n",
        "states.done",
        "done:",
        "the key “done” appears twice in this mapping",
        "键“done”在同一层出现了两次",
        "第一个在第",
        nth=2,
    ),
    Case(
        "tab indentation",
        "  name: 简衣",
        "\tname: 简衣",
        "shop",
        "\tname",
        "a tab character is used for indentation",
        "缩进中使用了制表符（Tab）",
        "只用空格",
    ),
]


def located(case: Case, source: str) -> tuple[int, int]:
    return occurrence(source, case.at, case.nth)


def only_problem(source: str):
    _script, problems = check_source(source)
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1, [str(p) for p in problems]
    return errors[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_broken_document_names_line_column_and_field_in_english(case):
    source = edited(case.old, case.new)
    problem = only_problem(source)

    assert problem.path == case.path
    assert (problem.line, problem.column) == located(case, source)
    with translation.override("en"):
        assert problem_text(problem) == case.en
        assert problem_hint(problem)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_broken_document_names_line_column_and_field_in_chinese(case):
    source = edited(case.old, case.new)
    problem = only_problem(source)

    assert problem.path == case.path
    assert problem.line == located(case, source)[0]
    with translation.override("zh-hans"):
        assert problem_text(problem) == case.zh
        assert case.zh_hint in problem_hint(problem)


def test_every_unknown_state_is_reported_at_once():
    source = edited("{on: [greet], to: done}", "{on: [greet], to: nowhere}")
    source = edited(
        "{on: [silence], after: 60, to: done}", "{on: [silence], after: 60, to: gone}", source
    )
    source = edited("start: opening", "start: openin", source)

    _script, problems = check_source(source)

    assert [(p.path, p.line) for p in problems if p.code == "unknown_state"] == [
        ("start", line_of(source, "start:")),
        ("states.opening.transitions[0].to", line_of(source, "nowhere")),
        ("states.opening.transitions[1].to", line_of(source, "to: gone")),
    ]


def test_field_errors_and_reference_errors_come_together():
    source = edited("rating: 5", "rating: 0")
    source = edited("{on: [greet], to: done}", "{on: [greet], to: nowhere}", source)

    _script, problems = check_source(source)

    assert {p.path for p in problems} == {"endings.sale.rating", "states.opening.transitions[0].to"}
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_a_state_with_no_way_to_an_ending_is_an_error():
    source = edited(
        "  done:\n",
        "  loop:\n    say: 嗯？\n    transitions:\n      - {on: [any], to: loop}\n"
        "      - {on: [silence], after: 30, to: loop}\n  done:\n",
    )
    source = edited("{on: [greet], to: done}", "{on: [greet], to: loop}", source)

    problem = only_problem(source)

    assert (problem.code, problem.path) == ("no_way_to_end", "states.loop")
    assert problem.line == line_of(source, "  loop:")
    with translation.override("zh-hans"):
        assert problem_text(problem) == "从状态“loop”出发无法走到任何结局"


def test_an_unreachable_state_is_a_warning_and_the_script_still_loads():
    source = edited("  done:\n", "  orphan:\n    say: 我是多余的\n    end: sale\n  done:\n")

    script, problems = check_source(source)

    assert script is not None
    [warning] = problems
    assert (warning.severity, warning.path, warning.line) == (
        "warning",
        "states.orphan",
        line_of(source, "  orphan:"),
    )


def test_duplicate_and_unknown_product_codes_are_reported():
    source = edited(
        "  name: 简衣\n",
        "  name: 简衣\n  products:\n    - {sku: A1, name: 大衣, price: 399}\n"
        "    - {sku: A1, name: 围巾, price: 59}\n",
    )
    source = edited(
        "start: opening\n",
        "order:\n  id: '2024'\n  items:\n    - {sku: B9, name: 帽子, price: 30}\nstart: opening\n",
        source,
    )

    _script, problems = check_source(source)

    assert [(p.code, p.path, p.line) for p in problems] == [
        ("duplicate_sku", "shop.products[1].sku", line_of(source, "围巾")),
        ("unknown_sku", "order.items[0].sku", line_of(source, "帽子")),
    ]


def test_a_syntax_error_names_the_field_the_parser_had_reached():
    source = edited("say: [在吗？, 亲？]", "say: [在吗？, 亲？")

    problem = only_problem(source)

    assert problem.code == "unclosed"
    assert problem.path.startswith("states.opening.say")
    assert problem.line == line_of(source, "say: [在吗")


# ----------------------------------------------------------------- the command


def broken_file(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    source = edited("{on: [greet], to: done}", "{on: [greet], to: dnoe}")
    path.write_text(edited("rating: 5", "rating: 9", source), "utf-8")
    return path


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            ("unknown state “dnoe”", "9 is above the largest allowed value", "1 error", "2 errors"),
        ),
        ("zh-hans", ("未知的状态“dnoe”", "9 大于允许的最大值", "发现 2 个错误", "发现 2 个错误")),
    ],
)
def test_validate_scenario_prints_each_problem_and_fails(tmp_path, language, texts):
    path = broken_file(tmp_path)
    good = FIXTURE_DIR / "p1-coat-size.zh.yaml"
    out = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("validate_scenario", str(good), str(path), language=language, stdout=out)

    lines = out.getvalue().splitlines()
    source = path.read_text("utf-8")
    line, column = occurrence(source, "dnoe")
    assert lines[0].startswith(f"{good}:")
    assert lines[1].startswith(
        f"{path}:{line}:{column}: states.opening.transitions[0].to: {texts[0]}"
    )
    rating = occurrence(source, "9}")
    assert lines[2].startswith(f"{path}:{rating[0]}:{rating[1]}: endings.sale.rating: {texts[1]}")
    assert len(lines) == 3
    assert texts[3] in str(caught.value)
    assert caught.value.returncode == 1


def test_validate_scenario_passes_the_shipped_library():
    out = StringIO()

    call_command("validate_scenario", str(FIXTURE_DIR), language="en", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == len(list(FIXTURE_DIR.glob("*.yaml")))
    assert all(line.endswith(": OK") for line in lines), lines


def test_validate_scenario_warnings_do_not_fail(tmp_path):
    path = tmp_path / "orphan.yaml"
    path.write_text(
        edited("  done:\n", "  orphan:\n    say: 多余\n    end: sale\n  done:\n"), "utf-8"
    )
    out = StringIO()

    call_command("validate_scenario", str(path), language="zh-hans", stdout=out)

    assert "states.orphan: 提醒：从开始状态无法到达状态“orphan”" in out.getvalue()


def test_validate_scenario_needs_a_known_language(tmp_path):
    with pytest.raises(CommandError):
        call_command("validate_scenario", str(broken_file(tmp_path)), language="fr")


def test_problem_line_without_a_file_or_column():
    [problem] = check_source(b"\xff\xfe")[1]

    with translation.override("en"):
        assert problem_line(problem, file="x.yaml") == (
            "x.yaml:1: the file is not UTF-8 text (invalid start byte) — "
            "Save the file as UTF-8 (GBK files are not accepted)."
        )


# ----------------------------------------------------------------- loading never half-loads


@pytest.mark.django_db
def test_one_broken_file_loads_none_of_the_library(tmp_path):
    for name in ("p1-coat-size.zh.yaml", "a1-wrong-colour.zh.yaml"):
        (tmp_path / name).write_bytes((FIXTURE_DIR / name).read_bytes())
    broken_file(tmp_path)

    with pytest.raises(ScenarioError) as caught:
        services.load_library(tmp_path)

    assert Scenario.objects.count() == 0
    assert {(p.file, p.path) for p in caught.value.problems} == {
        ("broken.yaml", "states.opening.transitions[0].to"),
        ("broken.yaml", "endings.sale.rating"),
    }


def test_stock_and_order_options_are_checked_against_the_products_options():
    source = edited(
        "  name: 简衣\n",
        "  name: 简衣\n  products:\n    - sku: A1\n      name: 大衣\n      price: 399\n"
        "      options: {颜色: [驼色, 黑色], 尺码: [S, M]}\n"
        "      stock: {驼色 M: 1, 驼色 XL: 2}\n",
    )
    source = edited(
        "start: opening\n",
        "order:\n  id: '2024'\n  items:\n    - {sku: A1, name: 大衣, colour: 红色, size: M, price: 399}\n"
        "start: opening\n",
        source,
    )

    script, problems = check_source(source)

    assert script is not None  # warnings: the file still loads
    assert [(p.code, p.path, p.line, p.severity) for p in problems] == [
        ("unknown_variant", "shop.products[0].stock.驼色 XL", line_of(source, "stock:"), "warning"),
        ("unknown_option", "order.items[0].colour", line_of(source, "红色"), "warning"),
    ]
    with translation.override("zh-hans"):
        assert problem_text(problems[1]) == "“红色”不是商品“A1”的选项"
        assert "驼色" in problem_hint(problems[1])
    with translation.override("en"):
        assert problem_text(problems[0]) == (
            "the stock entry “驼色 XL” is not made of this product's options"
        )


def test_option_values_with_spaces_make_up_a_stock_entry():
    source = edited(
        "  name: 简衣\n",
        "  name: 简衣\n  products:\n    - sku: D5\n      name: 手机壳\n      price: 39\n"
        "      options: {型号: [iPhone 15, iPhone 15 Pro], 颜色: [透明]}\n"
        "      stock: {iPhone 15 Pro 透明: 3, iPhone 15: 1}\n",
    )

    assert check_source(source) == (parse_source(source), [])


def test_every_problem_text_has_chinese():
    with translation.override("zh-hans"):
        untranslated = [
            text for pair in TEXTS.values() for text in pair if text and gettext(text) == text
        ]

    assert untranslated == []
