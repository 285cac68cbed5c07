"""The script diagram's layout (scenarios.flow): pure, no Django."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scenarios import flow
from scenarios.schema import parse_source
from tests.scenarios.test_schema import FIXTURES, edited

ROOT = Path(__file__).resolve().parents[2]


def laid_out(source: str | bytes) -> flow.Flow:
    script = parse_source(source)
    return flow.layout(
        script,
        label=lambda t: "/".join(t.on),
        caption=lambda name, state: state.say[0] if state.say else "",
    )


def overlap(a: flow.FlowNode, b: flow.FlowNode) -> bool:
    return (
        a.x < b.x + b.width
        and b.x < a.x + a.width
        and a.y < b.y + b.height
        and b.y < a.y + a.height
    )


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_every_library_script_lays_out_without_overlaps(path):
    script = parse_source(path.read_bytes())
    diagram = laid_out(path.read_bytes())

    assert {n.name for n in diagram.nodes} == set(script.states)
    nodes = list(diagram.nodes)
    assert not [
        (a.name, b.name) for i, a in enumerate(nodes) for b in nodes[i + 1 :] if overlap(a, b)
    ]
    for node in nodes:
        assert node.x >= 0
        assert node.x + node.width <= diagram.width
        assert node.y >= 0
        assert node.y + node.height <= diagram.height
    for edge in diagram.edges:
        # The library has no loops: every arrow points down the page.
        assert not edge.back
        assert diagram.node(edge.source).y < diagram.node(edge.target).y
        assert edge.path.startswith("M")
    pairs = {(e.source, e.target) for e in diagram.edges}
    pairs |= {(n.name, x.target) for n in diagram.nodes for x in n.exits}
    expected = {
        (name, t.to)
        for name, state in script.states.items()
        if state.end is None
        for t in state.transitions
    }
    assert pairs == expected


def test_transitions_to_one_state_share_an_arrow_with_both_labels():
    source = edited(
        "{on: [silence], after: 60, to: done}",
        "{on: [silence], after: 60, to: done}\n      - {on: [rude], to: done}",
    )

    [edge] = laid_out(source).edges

    assert edge.full == "greet / silence / rude"
    assert edge.label.endswith("…")
    assert len(edge.label) == flow.MAX_LABEL
    assert not edge.silence


def test_a_loop_is_drawn_as_a_back_arrow():
    source = edited("{on: [greet], to: done}", "{on: [greet], to: again}")
    source = edited(
        "  done:\n",
        "  again:\n    say: 嗯？\n    transitions:\n      - {on: [any], to: opening}\n"
        "      - {on: [greet], to: done}\n  done:\n",
        source,
    )

    diagram = laid_out(source)
    back = [e for e in diagram.edges if e.back]

    assert [(e.source, e.target) for e in back] == [("again", "opening")]
    assert diagram.node("opening").y < diagram.node("again").y < diagram.node("done").y


def test_the_layout_is_deterministic():
    source = FIXTURES[0].read_bytes()

    assert laid_out(source) == laid_out(source)


def test_text_width_counts_chinese_as_full_width():
    assert flow.text_width("沉默", 10) == 20
    assert flow.text_width("ab", 10) < 12
    assert flow.clip("在吗？这款大衣我160，52公斤", 60, 12).endswith("…")
    assert flow.clip("在吗？", 60, 12) == "在吗？"


def test_the_layout_imports_no_framework():
    tree = ast.parse((ROOT / "scenarios" / "flow.py").read_text("utf-8"))
    names = {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }

    assert not names & {"django", "channels"}


def test_an_ending_many_states_lead_to_is_an_exit_line_in_each_box():
    diagram = laid_out((FIXTURES[0].parent / "p1-coat-size.zh.yaml").read_bytes())
    annoyed = diagram.node("annoyed")

    leading = [n for n in diagram.nodes if any(x.target == "annoyed" for x in n.exits)]
    assert len(leading) >= flow.SHARED_SOURCES
    assert not [e for e in diagram.edges if e.target == "annoyed"]
    # The shared endings sit in the bottom row, below every other state.
    assert annoyed.y == max(n.y for n in diagram.nodes)
    for node in leading:
        assert node.height == flow.NODE_HEIGHT + len(node.exits) * flow.EXIT_LINE + 8
        [line] = [x for x in node.exits if x.target == "annoyed"]
        assert line.full == "rude → annoyed"
        assert line.outcome == "lost"
        assert node.y < line.y < node.y + node.height


def test_labels_of_a_simple_script_do_not_overlap():
    diagram = laid_out((FIXTURES[0].parent / "p1-coat-size.zh.yaml").read_bytes())
    labels = [e for e in diagram.edges if not e.back]

    overlapping = [
        (a.source, a.target, b.source, b.target)
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if flow._overlap(
            (a.label_x, a.label_y), a.label_width, (b.label_x, b.label_y, b.label_width)
        )
    ]
    assert overlapping == []
