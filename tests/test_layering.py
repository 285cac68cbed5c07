"""DESIGN.md: pure cores import no Django or Channels; apps import upwards only."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = ["simulator/engine", "assessment/scoring", "scenarios/cues"]
# app -> apps it must never import
FORBIDDEN = {"scenarios": ("simulator", "assessment"), "simulator": ("assessment",)}


def imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", PURE)
def test_pure_cores_import_no_framework(package):
    files = list((ROOT / package).rglob("*.py"))
    assert files, package
    for path in files:
        bad = {n for n in imports(path) if n.split(".")[0] in {"django", "channels", "daphne"}}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_apps_import_upwards_only(app):
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        bad = {n for n in imports(path) if n.split(".")[0] in FORBIDDEN[app]}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"
