"""Geometry of the small server-rendered SVG charts (no JavaScript, no CDN: DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class Sparkline:
    """A line of totals (0–100) over attempts, in a `width` × `height` viewBox."""

    points: tuple[Point, ...]
    width: int
    height: int
    pass_y: float  # where the pass line (60) falls

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:g},{p.y:g}" for p in self.points)

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def trend(self) -> float | None:
        """Last total minus the first: positive when the student improved."""
        if len(self.points) < 2:
            return None
        return round(self.points[-1].value - self.points[0].value, 1)


def sparkline(
    totals: list[float], *, width: int = 120, height: int = 32, pass_mark: float = 60.0
) -> Sparkline:
    """Place totals evenly from left to right; 100 at the top, 0 at the bottom, 3 px margin."""
    margin = 3
    span_y = height - 2 * margin

    def y_of(value: float) -> float:
        return round(margin + span_y * (1 - max(0.0, min(100.0, value)) / 100), 1)

    if len(totals) == 1:
        xs = [width / 2]
    else:
        step = (width - 2 * margin) / max(1, len(totals) - 1)
        xs = [margin + i * step for i in range(len(totals))]
    points = tuple(
        Point(round(x, 1), y_of(value), value) for x, value in zip(xs, totals, strict=True)
    )
    return Sparkline(points, width, height, y_of(pass_mark))
