"""Loading the library into immutable versions."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import CommandError, call_command

from scenarios import services
from scenarios.models import Scenario
from scenarios.schema import ScenarioError
from tests.conftest import SCENARIO_DIR


@pytest.fixture
def library(tmp_path):
    for name in ("p1-coat-size.zh.yaml", "a1-wrong-colour.zh.yaml"):
        shutil.copy(SCENARIO_DIR / name, tmp_path / name)
    return tmp_path


def test_loading_twice_changes_nothing(library, db):
    first = services.load_library(library)
    second = services.load_library(library)

    assert (first.created, first.unchanged) == (2, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)


def test_an_edited_file_becomes_a_new_version_and_the_old_one_stays(library, db):
    services.load_library(library)
    path = library / "p1-coat-size.zh.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("大衣选哪个码", "大衣选码"), "utf-8")

    result = services.load_library(library)

    versions = Scenario.objects.get(slug="p1-coat-size").versions.order_by("number")
    assert result.updated == 1
    assert [v.title for v in versions] == ["大衣选哪个码", "大衣选码"]


def test_a_broken_file_is_named_with_its_line_and_field(library, db):
    path = library / "a1-wrong-colour.zh.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("kind: after_sale", "kind: refund"), "utf-8"
    )

    with pytest.raises(ScenarioError) as caught:
        services.load_library(library)

    problem = caught.value.problems[0]
    assert (problem.file, problem.path) == ("a1-wrong-colour.zh.yaml", "kind")
    assert problem.line is not None
    assert str(problem).startswith(f"a1-wrong-colour.zh.yaml: line {problem.line}: kind:")


def test_the_command_reports_a_broken_library_as_a_command_error(library, db):
    (library / "bad.yaml").write_text("id: [unclosed\n", "utf-8")

    with pytest.raises(CommandError, match=r"bad\.yaml:1:5: id") as caught:
        call_command("load_scenarios", str(library))

    assert str(caught.value).startswith("没有载入任何情景")
    assert Scenario.objects.count() == 0


def test_the_shipped_library_loads(db):
    result = services.load_library(SCENARIO_DIR)
    assert result.created == len(list(SCENARIO_DIR.glob("*.yaml"))) >= 15
