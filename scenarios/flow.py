"""A script's states and transitions laid out as a diagram: boxes in ranks, curved arrows.

Pure Python (no Django): a layered layout in the manner of Sugiyama. States get ranks by the
longest path from the start, so every forward arrow points down; an arrow that skips ranks runs
through invisible waypoints, so it bends around the boxes in between; a few sweeps of barycentre
ordering keep crossings low. Back arrows (a loop in the script) run up on the right, dashed. An ending that many states lead
to (the customer leaving after a rude line) would draw a bundle of long arrows across the page:
it sits in the bottom row instead, and each state names it as an exit line inside its own box.
Labels arrive as text (the caller translates them); the template draws the SVG from this.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from scenarios.schema import Script, State, Transition

NODE_WIDTH = 172
NODE_HEIGHT = 52
DUMMY_WIDTH = 14
GAP = 26  # between neighbours in a rank
RANK_GAP = 118  # from one rank's top to the next's
MARGIN = 24
LABEL_SIZE = 11  # px: the font size of arrow labels (the CSS uses the same)
LABEL_HEIGHT = 16
MAX_LABEL = 15  # characters of an arrow label before it is cut with …
EXIT_LINE = 16  # px per exit line inside a box
SHARED_SOURCES = 2  # an ending reached from this many states is shown as exit lines


@dataclass(frozen=True)
class FlowExit:
    """A transition to a shared ending, written inside the box it leaves from."""

    target: str
    text: str
    full: str
    outcome: str | None
    y: float  # baseline


@dataclass(frozen=True)
class FlowNode:
    name: str
    caption: str  # the customer's first line, or the ending
    full: str  # the untruncated caption, for the tooltip
    x: float  # top-left corner
    y: float
    width: float
    height: float
    start: bool
    outcome: str | None  # the ending's outcome for an end state
    rank: int
    exits: tuple[FlowExit, ...] = ()

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2

    @property
    def name_y(self) -> float:
        return self.y + 21

    @property
    def caption_y(self) -> float:
        return self.y + 40

    @property
    def exit_x(self) -> float:
        return self.x + 10

    @property
    def divider_y(self) -> float:
        return self.y + NODE_HEIGHT - 2


@dataclass(frozen=True)
class FlowEdge:
    source: str
    target: str
    path: str  # an SVG path's d
    label: str
    full: str
    label_x: float  # centre of the label
    label_y: float
    label_width: float
    back: bool
    silence: bool

    @property
    def label_left(self) -> float:
        return self.label_x - self.label_width / 2

    @property
    def label_top(self) -> float:
        return self.label_y - LABEL_HEIGHT / 2

    @property
    def label_baseline(self) -> float:
        return self.label_y + LABEL_SIZE * 0.36


@dataclass(frozen=True)
class Flow:
    width: float
    height: float
    nodes: tuple[FlowNode, ...]
    edges: tuple[FlowEdge, ...]

    def node(self, name: str) -> FlowNode:
        return next(n for n in self.nodes if n.name == name)


def text_width(text: str, size: float = LABEL_SIZE) -> float:
    """Rough rendered width: a CJK character is a full em, a Latin one a bit over half."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.58 for c in text)


def clip(text: str, width: float, size: float) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def layout(
    script: Script,
    *,
    label: Callable[[Transition], str],
    caption: Callable[[str, State], str],
) -> Flow:
    """Place every state of `script` and route every transition between them."""
    names = list(script.states)
    targets = _targets(script)
    shared = _shared_endings(script, targets)
    drawn = {n: [t for t in targets[n] if t not in shared] for n in names}
    back = _back_edges(script.start, names, drawn)
    forward = {n: [t for t in drawn[n] if (n, t) not in back] for n in names}
    rank = _ranks(names, forward)
    bottom = max([rank[n] for n in names if n not in shared] or [0]) + 1
    rank |= dict.fromkeys(shared, bottom)
    ranks, chains = _with_waypoints(names, forward, rank)
    _order(ranks, chains)
    x = _place(ranks, chains)
    width = max(x[item] + _width(item) for row in ranks for item in row) + MARGIN
    width += 60 if back else 0  # room for the loops on the right
    exits = {n: [t for t in targets[n] if t in shared] for n in names}
    heights = [NODE_HEIGHT] * len(ranks)
    for name in names:
        heights[rank[name]] = max(heights[rank[name]], _node_height(len(exits[name])))
    tops = [MARGIN]
    for height in heights[:-1]:
        tops.append(tops[-1] + height + RANK_GAP - NODE_HEIGHT)
    nodes = {}
    for name in names:
        state = script.states[name]
        full = caption(name, state)
        ending = script.endings.get(state.end) if state.end else None
        top = tops[rank[name]]
        nodes[name] = FlowNode(
            name=name,
            caption=clip(full, NODE_WIDTH - 16, 12),
            full=full,
            x=x[name],
            y=top,
            width=NODE_WIDTH,
            height=_node_height(len(exits[name])),
            start=name == script.start,
            outcome=ending.outcome if ending else None,
            rank=rank[name],
            exits=tuple(
                _exit(script, state, target, top + NODE_HEIGHT + 12 + i * EXIT_LINE, label)
                for i, target in enumerate(exits[name])
            ),
        )
    edges = _edges(script, nodes, chains, x, back, label, tops, heights)
    height = tops[-1] + heights[-1] + MARGIN
    return Flow(width=width, height=height, nodes=tuple(nodes.values()), edges=tuple(edges))


def _node_height(exits: int) -> float:
    return NODE_HEIGHT + (exits * EXIT_LINE + 8 if exits else 0)


def _shared_endings(script: Script, targets: dict[str, list[str]]) -> set[str]:
    sources: dict[str, int] = {}
    for state_targets in targets.values():
        for target in state_targets:
            sources[target] = sources.get(target, 0) + 1
    return {
        name
        for name, count in sources.items()
        if count >= SHARED_SOURCES and script.states[name].end is not None
    }


def _exit(
    script: Script, state: State, target: str, y: float, label: Callable[[Transition], str]
) -> FlowExit:
    words = " / ".join(label(t) for t in state.transitions if t.to == target)
    full = f"{words} → {target}"
    end = script.states[target].end
    ending = script.endings.get(end) if end else None
    return FlowExit(
        target=target,
        text=clip(full, NODE_WIDTH - 20, LABEL_SIZE),
        full=full,
        outcome=ending.outcome if ending else None,
        y=y,
    )


# ---------------------------------------------------------------- ranks and order


def _targets(script: Script) -> dict[str, list[str]]:
    """Each state's next states in the order of its transitions, once each."""
    found: dict[str, list[str]] = {}
    for name, state in script.states.items():
        found[name] = []
        if state.end is None:
            for transition in state.transitions:
                if transition.to in script.states and transition.to not in found[name]:
                    found[name].append(transition.to)
    return found


def _back_edges(start: str, names: list[str], targets: dict[str, list[str]]) -> set:
    """Edges closing a loop, found by a depth-first walk (iterative: scripts may be long)."""
    back: set[tuple[str, str]] = set()
    done: set[str] = set()
    for root in [start, *names]:
        if root in done:
            continue
        path = {root}
        stack = [(root, iter(targets[root]))]
        done.add(root)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.discard(node)
            elif child in path:
                back.add((node, child))
            elif child not in done:
                done.add(child)
                path.add(child)
                stack.append((child, iter(targets[child])))
    return back


def _ranks(names: list[str], forward: dict[str, list[str]]) -> dict[str, int]:
    """Longest path from a root: every forward edge goes at least one rank down."""
    into = dict.fromkeys(names, 0)
    for targets in forward.values():
        for target in targets:
            into[target] += 1
    rank = dict.fromkeys(names, 0)
    ready = [n for n in names if into[n] == 0]
    while ready:
        node = ready.pop(0)
        for target in forward[node]:
            rank[target] = max(rank[target], rank[node] + 1)
            into[target] -= 1
            if into[target] == 0:
                ready.append(target)
    return rank


def _with_waypoints(
    names: list[str], forward: dict[str, list[str]], rank: dict[str, int]
) -> tuple[list[list[str]], dict[tuple[str, str], list[str]]]:
    """Rows of states and waypoints; each edge as the chain of items it passes through."""
    rows: list[list[str]] = [[] for _ in range(max(rank.values()) + 1)]
    for name in names:
        rows[rank[name]].append(name)
    chains: dict[tuple[str, str], list[str]] = {}
    for source in names:
        for target in forward[source]:
            chain = [source]
            for r in range(rank[source] + 1, rank[target]):
                waypoint = f"\0{source}\0{target}\0{r}"
                rows[r].append(waypoint)
                chain.append(waypoint)
            chains[(source, target)] = [*chain, target]
    return rows, chains


def _links(chains: dict[tuple[str, str], list[str]]) -> tuple[dict, dict]:
    """Each item's neighbours in the row above (up) and below (down)."""
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for chain in chains.values():
        for a, b in pairwise(chain):
            down.setdefault(a, []).append(b)
            up.setdefault(b, []).append(a)
    return up, down


def _order(rows: list[list[str]], chains: dict[tuple[str, str], list[str]]) -> None:
    """Barycentre sweeps, down then up, to untangle the arrows."""
    up, down = _links(chains)
    for _sweep in range(4):
        for r in range(1, len(rows)):
            _sort_by(rows[r], rows[r - 1], up)
        for r in range(len(rows) - 2, -1, -1):
            _sort_by(rows[r], rows[r + 1], down)


def _sort_by(row: list[str], fixed: list[str], links: dict[str, list[str]]) -> None:
    where = {item: i for i, item in enumerate(fixed)}
    # An item linked to nothing in the fixed row keeps its place (scaled to the fixed row's).
    scale = len(fixed) / max(len(row), 1)
    keys = {}
    for i, item in enumerate(row):
        linked = [where[n] for n in links.get(item, []) if n in where]
        keys[item] = sum(linked) / len(linked) if linked else i * scale
    row.sort(key=keys.__getitem__)


def _width(item: str) -> float:
    return DUMMY_WIDTH if item.startswith("\0") else NODE_WIDTH


def _gap(left: str, right: str) -> float:
    # Waypoints bunch up (a bundle of arrows); boxes keep room for the labels between them.
    dummies = left.startswith("\0") + right.startswith("\0")
    return (GAP, 12, 4)[dummies]


def _row_width(row: list[str]) -> float:
    return sum(_width(i) for i in row) + sum(_gap(a, b) for a, b in pairwise(row))


def _place(rows: list[list[str]], chains: dict[tuple[str, str], list[str]]) -> dict[str, float]:
    """Left edges: packed and centred, then pulled towards the items each links to.

    Every row stays within the widest row's width, so the diagram is as narrow as its busiest
    rank, whatever the pulling does.
    """
    widest = max(_row_width(row) for row in rows)
    x: dict[str, float] = {}
    for row in rows:
        left = MARGIN + (widest - _row_width(row)) / 2
        for i, item in enumerate(row):
            x[item] = left
            left += _width(item) + (_gap(item, row[i + 1]) if i + 1 < len(row) else 0)
    up, down = _links(chains)
    neighbours = {item: up.get(item, []) + down.get(item, []) for item in x}
    for _sweep in range(8):
        for row in rows:
            wanted = []
            for item in row:
                linked = neighbours.get(item, [])
                centre = (
                    sum(x[n] + _width(n) / 2 for n in linked) / len(linked)
                    if linked
                    else x[item] + _width(item) / 2
                )
                wanted.append(centre - _width(item) / 2)
            _spread(row, wanted, x, low=MARGIN, high=MARGIN + widest)
    return x


def _spread(
    row: list[str], wanted: list[float], x: dict[str, float], *, low: float, high: float
) -> None:
    """Each item as near its wanted place as the order, the gaps and the bounds allow."""
    placed = list(wanted)
    for i, item in enumerate(row):
        floor = low if i == 0 else placed[i - 1] + _width(row[i - 1]) + _gap(row[i - 1], item)
        placed[i] = max(placed[i], floor)
    for i in range(len(row) - 1, -1, -1):
        item = row[i]
        ceiling = (
            high - _width(item)
            if i == len(row) - 1
            else placed[i + 1] - _gap(item, row[i + 1]) - _width(item)
        )
        placed[i] = min(placed[i], ceiling)
    for item, left in zip(row, placed, strict=True):
        x[item] = left


# ---------------------------------------------------------------- arrows and labels


def _edges(
    script: Script,
    nodes: dict[str, FlowNode],
    chains: dict[tuple[str, str], list[str]],
    x: dict[str, float],
    back: set[tuple[str, str]],
    label: Callable[[Transition], str],
    tops: list[float],
    heights: list[float],
) -> list[FlowEdge]:
    outgoing = {n: _ports(n, nodes, chains, x, out=True) for n in nodes}
    incoming = {n: _ports(n, nodes, chains, x, out=False) for n in nodes}
    placed: list[tuple[float, float, float]] = []  # label centre x, y and width
    edges = []
    for source, state in script.states.items():
        if state.end is not None:
            continue
        drawn = [
            t.to for t in state.transitions if (source, t.to) in chains or (source, t.to) in back
        ]
        for target in dict.fromkeys(drawn):
            transitions = [t for t in state.transitions if t.to == target]
            full = " / ".join(label(t) for t in transitions)
            text = full if len(full) <= MAX_LABEL else full[: MAX_LABEL - 1] + "…"
            silence = all("silence" in t.on for t in transitions)
            if (source, target) in back:
                path, lx, ly = _loop(nodes[source], nodes[target])
            else:
                points = _points(
                    chains[(source, target)], nodes, x, outgoing, incoming, tops, heights
                )
                path = _curve(points)
                lx, ly = _label_spot(points, text, placed)
            width = text_width(text) + 8
            placed.append((lx, ly, width))
            edges.append(
                FlowEdge(
                    source=source,
                    target=target,
                    path=path,
                    label=text,
                    full=full,
                    label_x=round(lx, 1),
                    label_y=round(ly, 1),
                    label_width=round(width, 1),
                    back=(source, target) in back,
                    silence=silence,
                )
            )
    return edges


def _ports(
    name: str,
    nodes: dict[str, FlowNode],
    chains: dict[tuple[str, str], list[str]],
    x: dict[str, float],
    *,
    out: bool,
) -> dict[tuple[str, str], float]:
    """Where each arrow leaves (or enters) the box: spread along its edge, ordered by direction."""
    ends = [k for k in chains if (k[0] if out else k[1]) == name]
    # Sorted by the x of the next (or previous) item, so the arrows do not cross at the box.
    ends.sort(key=lambda k: x[chains[k][1]] if out else x[chains[k][-2]])
    node = nodes[name]
    if not ends:
        return {}
    step = (node.width - 32) / max(len(ends) - 1, 1)
    return {
        k: node.x + 16 + i * step if len(ends) > 1 else node.centre_x for i, k in enumerate(ends)
    }


def _points(
    chain: list[str],
    nodes: dict[str, FlowNode],
    x: dict[str, float],
    outgoing: dict[str, dict[tuple[str, str], float]],
    incoming: dict[str, dict[tuple[str, str], float]],
    tops: list[float],
    heights: list[float],
) -> list[tuple[float, float]]:
    source, target = chain[0], chain[-1]
    key = (source, target)
    points = [(outgoing[source][key], nodes[source].y + nodes[source].height)]
    for waypoint in chain[1:-1]:
        rank = int(waypoint.rsplit("\0", 1)[1])
        centre = x[waypoint] + DUMMY_WIDTH / 2
        points += [(centre, tops[rank]), (centre, tops[rank] + heights[rank])]
    points.append((incoming[target][key], nodes[target].y))
    return points


def _curve(points: list[tuple[float, float]]) -> str:
    """Vertical S-curves from point to point, a straight run through each waypoint."""
    (x0, y0), *rest = points
    d = [f"M{x0:.1f},{y0:.1f}"]
    for i, (x1, y1) in enumerate(rest):
        if i % 2 == 1:  # through a waypoint's band
            d.append(f"L{x1:.1f},{y1:.1f}")
        else:
            mid = (y0 + y1) / 2
            d.append(f"C{x0:.1f},{mid:.1f} {x1:.1f},{mid:.1f} {x1:.1f},{y1:.1f}")
        x0, y0 = x1, y1
    return " ".join(d)


def _label_spot(
    points: list[tuple[float, float]], text: str, placed: list[tuple[float, float, float]]
) -> tuple[float, float]:
    """A spot on the arrow for its label: on its first curve, else its last, clear of the labels
    already placed; when there is none, the spot that overlaps them least."""
    width = text_width(text) + 8
    curves = [(points[0], points[1])]
    if len(points) > 2:
        curves.append((points[-2], points[-1]))
    best: tuple[float, tuple[float, float]] | None = None
    for (x0, y0), (x1, y1) in curves:
        for t in (0.5, 0.35, 0.65, 0.2, 0.8):
            # The S-curve's x at t (its control points share the middle height).
            ease = 3 * t * t - 2 * t * t * t
            spot = (x0 + (x1 - x0) * ease, y0 + (y1 - y0) * t)
            overlap = sum(_overlap(spot, width, label) for label in placed)
            if overlap == 0:
                return spot
            if best is None or overlap < best[0]:
                best = (overlap, spot)
    return best[1] if best else points[0]


def _overlap(spot: tuple[float, float], width: float, label: tuple[float, float, float]) -> float:
    """The area two labels would share."""
    x, y, other = label
    across = (width + other) / 2 - abs(spot[0] - x)
    down = LABEL_HEIGHT + 2 - abs(spot[1] - y)
    return max(across, 0) * max(down, 0)


def _loop(source: FlowNode, target: FlowNode) -> tuple[str, float, float]:
    """A back arrow: out of the source's right side, up (or across), into the target's right."""
    sx, sy = source.x + source.width, source.y + source.height / 2
    tx, ty = target.x + target.width, target.y + target.height / 2
    reach = 40 + 12 * abs(source.rank - target.rank)
    right = max(sx, tx) + reach
    if source is target:
        sy, ty = source.y + 14, source.y + source.height - 14
    path = f"M{sx:.1f},{sy:.1f} C{right:.1f},{sy:.1f} {right:.1f},{ty:.1f} {tx:.1f},{ty:.1f}"
    return path, right - 10, (sy + ty) / 2
