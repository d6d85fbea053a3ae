"""Names beside the points of a scatter plot, none over another name, a point or the axes' other texts.

Greedy placement among candidate positions, restarted in a few orders (Christensen, Marks & Shieber 1995, "An
empirical study of algorithms for point-feature label placement", ACM Transactions on Graphics 14(3)): one name
after another takes the first of the sixteen boxes next to its point, in a fixed order of preference, or else the
nearest of the boxes on rings further out (see :meth:`_Layout.choose`), that lies inside the axes and clear of
the names and lines already placed, of every point and of the axes' other texts and legend; a name set apart from
its point is joined to it by a thin line. Of the placements in the orders of :func:`_orders` the one with the
shortest lines (and fewest boxes that had to break a rule) is drawn. The names' sizes are measured once on the
laid-out figure and everything else is arithmetic on boxes in display pixels: no iteration to convergence, no
randomness, the same figure on every run.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

RINGS = 12
"""Rings of candidate positions beyond the sixteen next to the point, each a name's height further out."""
GAP = 1.5
"""Clear space around a name, in points."""
PENALTY = 10
"""Cost of a box that breaks one of the rules of :meth:`_Layout.choose` (per rule level), in names' heights of
line."""
NEAR = ((1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1),
        (1, 0.5), (0.5, 1), (-0.5, 1), (-1, 0.5), (-1, -0.5), (-0.5, -1), (0.5, -1), (1, -0.5))  # fmt: skip
"""The sixteen boxes next to a point in order of preference: right, then counter-clockwise the other seven of
the compass, then the eight between them. A box's centre is offset from the point by this times (half its width,
half its height) plus the marker's radius and the gap."""
AROUND = ((1, 0), (1, 0.5), (1, 1), (0.5, 1), (0, 1), (-0.5, 1), (-1, 1), (-1, 0.5),
          (-1, 0), (-1, -0.5), (-1, -1), (-0.5, -1), (0, -1), (0.5, -1), (1, -1), (1, -0.5))  # fmt: skip
"""The sixteen directions of the outer rings, around the square counter-clockwise from the right: the offset of a
box's centre is this times (half its width, half its height) plus the marker's radius, the gap and the ring's
distance."""


def _candidates(width: float, height: float, reach: float, step: float, outward: np.ndarray) -> np.ndarray:
    """Centre offsets (n × 2) of a ``width`` × ``height`` box around a point, in order of preference: the sixteen
    next to it (box edge ``reach`` from the point) in :data:`NEAR`'s order, then :data:`RINGS` rings of sixteen,
    ``step`` further each, each ring from the direction nearest to ``outward`` (a vector away from the points
    around) on, so that the lines of a crowd's names fan out instead of crossing."""
    around = np.array(AROUND, float)
    turn = np.angle(complex(*outward)) if np.any(outward) else 0.0
    around = around[
        np.argsort(np.abs(np.angle(np.exp(1j * (np.arctan2(around[:, 1], around[:, 0]) - turn)))), kind="stable")
    ]
    directions = np.vstack([np.array(NEAR, float)] + [around] * RINGS)
    extra = np.repeat(np.arange(RINGS + 1) * step, [len(NEAR)] + [len(AROUND)] * RINGS)
    return directions * (np.array([width / 2 + reach, height / 2 + reach]) + extra[:, None])


def _overlaps(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Whether each of ``boxes`` (n × 4: x0, y0, x1, y1) overlaps any of ``others`` (m × 4)."""
    return np.any(
        (boxes[:, None, 0] < others[None, :, 2])
        & (others[None, :, 0] < boxes[:, None, 2])
        & (boxes[:, None, 1] < others[None, :, 3])
        & (others[None, :, 1] < boxes[:, None, 3]),
        axis=1,
    )


def _distances(boxes: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Distance (n × m) from each of ``boxes`` (n × 4) to each of ``points`` (m × 2); 0 for a point inside."""
    dx = np.maximum(boxes[:, None, 0] - points[None, :, 0], 0) + np.maximum(points[None, :, 0] - boxes[:, None, 2], 0)
    dy = np.maximum(boxes[:, None, 1] - points[None, :, 1], 0) + np.maximum(points[None, :, 1] - boxes[:, None, 3], 0)
    return np.hypot(dx, dy)


def _through(starts: np.ndarray, ends: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Whether each segment (``starts`` → ``ends``, n × 2) passes through each of ``boxes`` (n × m): the
    Liang–Barsky clipping of the segment to the box leaves a piece (t0 ≤ t1)."""
    step = (ends - starts)[:, None, :]
    low, high = np.zeros((len(starts), len(boxes))), np.ones((len(starts), len(boxes)))
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis in (0, 1):
            near = (boxes[None, :, axis] - starts[:, None, axis]) / step[..., axis]
            far = (boxes[None, :, axis + 2] - starts[:, None, axis]) / step[..., axis]
            parallel = step[..., axis] == 0
            outside = parallel & (
                (starts[:, None, axis] < boxes[None, :, axis]) | (starts[:, None, axis] > boxes[None, :, axis + 2])
            )
            low = np.where(parallel, np.where(outside, np.inf, low), np.maximum(low, np.minimum(near, far)))
            high = np.where(parallel, high, np.minimum(high, np.maximum(near, far)))
    return low <= high


def _crosses(starts: np.ndarray, ends: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Whether each segment (n × 2 ``starts`` → ``ends``) crosses any of ``others`` (m × 4: x0, y0, x1, y1): the
    end points of each lie on opposite sides of the other's line (cross products of opposite signs)."""

    def side(a, b, c):  # sign of the cross product (b − a) × (c − a)
        return np.sign(
            (b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) - (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0])
        )

    a, b = starts[:, None, :], ends[:, None, :]
    c, d = others[None, :, :2], others[None, :, 2:]
    return np.any((side(a, b, c) * side(a, b, d) < 0) & (side(c, d, a) * side(c, d, b) < 0), axis=1)


class _Layout:
    """The boxes taken so far (names, points, the axes' other texts and legend) and the lines drawn, in display
    pixels, and the choice of a box for one name."""

    def __init__(self, points: np.ndarray, sizes: np.ndarray, radius: float, gap: float, frame, fixed) -> None:
        self.points, self.sizes, self.radius, self.gap, self.frame = points, sizes, radius, gap, frame
        self.dots = np.hstack([points - radius, points + radius])
        self.placed = np.asarray(fixed, float).reshape(-1, 4)
        self.leaders = np.empty((0, 4))

    def boxes(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Candidate centres (n × 2) and boxes with their gap (n × 4) of name ``i``."""
        width, height = self.sizes[i]
        nearby = np.linalg.norm(self.points - self.points[i], axis=1) < 3 * width
        outward = self.points[i] - self.points[nearby].mean(axis=0)
        centres = self.points[i] + _candidates(width, height, self.radius + self.gap, height, outward)
        half = np.array([width / 2 + self.gap, height / 2 + self.gap])
        return centres, np.hstack([centres - half, centres + half])

    def choose(self, i: int) -> tuple[int, np.ndarray, float]:
        """Name ``i``'s box: its candidate index, centre and cost (the length of its line, plus a penalty for each
        rule broken). Of the candidates that lie inside the axes, over no box taken and crossed by no line, whose
        own line (from the point to its centre, for a box away from the point) crosses no box, no point and no
        line, and that are nearer to their own point than to any other (a box away from its point: at least a
        name's height from any other), the first next to the point or else the one away from it nearest to it;
        failing that, the same of those that keep all but the last rule; failing that, of those inside the axes
        and over no box; failing that, of all."""
        centres, boxes = self.boxes(i)
        start = np.broadcast_to(self.points[i], centres.shape)
        others = np.delete(np.arange(len(self.points)), i)
        away = np.arange(len(boxes)) >= len(NEAR)
        frame = self.frame
        inside = np.all((boxes[:, :2] >= (frame.x0, frame.y0)) & (boxes[:, 2:] <= (frame.x1, frame.y1)), axis=1)
        free = ~_overlaps(boxes, np.vstack([self.placed, self.dots]))
        free &= ~_through(self.leaders[:, :2], self.leaders[:, 2:], boxes).any(axis=0)
        halos = self.dots[others] + np.array([-self.gap, -self.gap, self.gap, self.gap])  # lines pass points wider
        line_free = ~_through(start, centres, np.vstack([self.placed, halos])).any(axis=1)
        line_free &= ~_crosses(start, centres, self.leaders)
        own = _distances(boxes, self.points[[i]])[:, 0]
        nearest = _distances(boxes, self.points[others]).min(axis=1, initial=np.inf)
        mine = np.where(away, nearest > self.sizes[i][1] + self.radius, nearest > own)
        clear = inside & free & (~away | line_free)
        levels = (clear & mine, clear, inside & free, np.ones(len(boxes), bool))
        penalty = next(level for level, allowed in enumerate(levels) if allowed.any())
        allowed = levels[penalty]
        if allowed[~away].any():  # the first of the boxes next to the point
            choice = int(np.argmax(allowed & ~away))
        else:  # the box away from the point nearest to it (the first of equals)
            choice = int(np.argmin(np.where(allowed, own, np.inf)))
        length = float(np.linalg.norm(centres[choice] - self.points[i])) if away[choice] else 0.0
        self.placed = np.vstack([self.placed, boxes[choice]])
        if away[choice]:
            self.leaders = np.vstack([self.leaders, np.concatenate([self.points[i], centres[choice]])])
        return choice, centres[choice], length + PENALTY * penalty * self.sizes[i][1]


def _orders(points: np.ndarray, room: np.ndarray) -> list[list[int]]:
    """The orders in which the names are placed, each tried: the names with the fewest free places next to their
    point first (ties in the order given, and reversed), then from each side of the plot inwards."""
    n = range(len(points))
    return [
        sorted(n, key=lambda i: room[i]),
        sorted(reversed(n), key=lambda i: room[i]),
        *(list(np.argsort(sign * points[:, axis], kind="stable")) for axis in (0, 1) for sign in (1, -1)),
    ]


def label_points(
    fig: Figure,
    ax,
    labels: list[str],
    x: np.ndarray,
    y: np.ndarray,
    marker_size: float,
    fontsize: float = 7,
    line: dict[str, object] | None = None,
) -> None:
    """Name the points (``x``, ``y``, data coordinates; markers of ``marker_size`` points², as ``scatter``'s
    ``s``) of ``ax`` with ``labels``, placed as the module says; a name away from its point gets a line drawn
    with ``line`` (``FancyArrowPatch`` properties). Lays the figure out first and keeps that layout (its layout
    engine is removed), since the names are placed in its display coordinates."""
    engine = fig.get_layout_engine()
    if engine is not None:  # the layout alone (measuring, no drawing), then kept
        engine.execute(fig)
    fig.set_layout_engine("none")
    renderer = FigureCanvasAgg(fig).get_renderer()
    texts = [ax.text(px, py, label, fontsize=fontsize, ha="center", va="center") for label, px, py in
             zip(labels, x, y, strict=True)]  # fmt: skip
    if not texts:
        return
    points = ax.transData.transform(np.column_stack([x, y]))
    sizes = np.array([t.get_window_extent(renderer).size for t in texts])
    fixed = [t.get_window_extent(renderer).extents for t in ax.texts if t not in texts]
    fixed += [ax.get_legend().get_window_extent(renderer).extents] if ax.get_legend() else []
    radius, gap, frame = np.sqrt(marker_size) / 2 * fig.dpi / 72, GAP * fig.dpi / 72, ax.get_window_extent(renderer)
    empty = _Layout(points, sizes, radius, gap, frame, fixed)
    room = np.array([np.sum(~_overlaps(empty.boxes(i)[1][: len(NEAR)], empty.dots)) for i in range(len(texts))])
    best = None
    for order in _orders(points, room):
        layout = _Layout(points, sizes, radius, gap, frame, fixed)
        placed = {i: layout.choose(i) for i in order}
        cost = sum(cost for _, _, cost in placed.values())
        if best is None or cost < best[0]:
            best = (cost, placed)
    for i, (choice, centre, _) in best[1].items():
        texts[i].set_position(ax.transData.inverted().transform(centre))
        if choice >= len(NEAR):  # added as an artist: the lines do not change the axes' limits
            ax.add_artist(FancyArrowPatch(texts[i].get_position(), (x[i], y[i]), patchA=texts[i], **(line or {})))
