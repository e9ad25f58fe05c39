"""The dynamic-programming core: the cheapest path of beads through a band.

Nodes are (i, j): i Chinese and j English units of the sub-problem consumed. Row i of the
band holds the nodes j = lo[i] .. lo[i] + width. A bead (a, b) ends at (i, j), starts at
(i - a, j - b) and holds units i - a .. i - 1 and j - b .. j - 1. Costs come from a
callable, one block of rows at a time, so memory stays linear in the text length; every
step is a vectorised operation over a band row. The DP only reads the costs: it is the
same for any cost function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

# cost_fn(i0, i1) -> {bead type: array (i1 - i0, width + 1)} of the cost of the bead
# ending at each band node of rows i0 .. i1 - 1 (np.inf where the bead cannot end there)
CostFn = Callable[[int, int], dict[tuple[int, int], np.ndarray]]
PAD = 64


@dataclass(frozen=True, eq=False)
class Band:
    """The nodes of the sub-problem of Chinese units zr and English units er that a path
    may visit: row i holds j = lo[i] .. lo[i] + width, from (0, 0) to (n, m)."""

    zr: range
    er: range
    lo: np.ndarray  # n + 1 non-decreasing row starts
    width: int

    def __post_init__(self) -> None:
        n, m, lo = self.n, self.m, self.lo
        if n and m:
            assert len(lo) == n + 1 and lo[0] == 0, "the band must start at (0, 0)"
            assert lo[n] <= m <= lo[n] + self.width, "the band must contain (n, m)"
            assert (np.diff(lo) >= 0).all(), "band rows must not move left"

    @property
    def n(self) -> int:
        return len(self.zr)

    @property
    def m(self) -> int:
        return len(self.er)

    @property
    def compiled(self) -> bool:
        """Whether the band has nodes enough for compiled loops to pay for numba's
        start-up (COMPILED_MIN)."""
        return (self.n + 1) * (self.width + 1) >= COMPILED_MIN

    def units(self, i0: int, i1: int, types) -> tuple[range, range]:
        """The Chinese and English units (numbers of the whole text) that beads of these
        types ending in node rows i0 .. i1 - 1 may hold."""
        maxa = max(a for a, _ in types)
        maxb = max(b for _, b in types)
        r0, r1 = max(0, i0 - maxa), min(self.n, i1)
        c0 = max(0, int(self.lo[i0]) - maxb)
        c1 = min(self.m, int(self.lo[i1 - 1]) + self.width)
        z, e = self.zr.start, self.er.start
        return range(z + r0, z + r1), range(e + c0, e + c1)


def _shifted(row: np.ndarray, shift: int, width: int) -> np.ndarray:
    """out[k] = row[k + shift], inf outside the row."""
    out = np.full(width + 1, np.inf)
    lo, hi = max(0, -shift), min(width + 1, width + 1 - shift)
    if lo < hi:
        out[lo:hi] = row[lo + shift : hi + shift]
    return out


def _chain_min(row: np.ndarray, step: np.ndarray) -> np.ndarray:
    """best[k] = min over k' <= k of row[k'] + step[k'+1] + ... + step[k]."""
    best = row.copy()
    blocked = ~np.isfinite(step)
    blocked[0] = True
    starts = np.nonzero(blocked)[0]
    ends = np.append(starts[1:], len(row))
    for s0, s1 in zip(starts, ends, strict=True):
        # inside [s0, s1) every step from s0 + 1 on is finite
        cum = np.concatenate([[0.0], np.cumsum(step[s0 + 1 : s1])])
        best[s0:s1] = np.minimum.accumulate(row[s0:s1] - cum) + cum
    return best


def best_path(
    band: Band, cost_fn: CostFn, types: tuple[tuple[int, int], ...], block: int
) -> list[tuple[int, int, int, int]]:
    """The cheapest sequence of beads from (0, 0) to (n, m) as (i0, i1, j0, j1) spans,
    asking `cost_fn` for blocks of `block` rows in order."""
    n, m, lo, width = band.n, band.m, band.lo, band.width
    if n == 0 or m == 0:
        if n == 0 and m == 0:
            return []
        return [(i, i + 1, 0, 0) for i in range(n)] or [(0, 0, j, j + 1) for j in range(m)]
    # rows padded with inf on both sides, so that a shifted row is a view, not a copy
    dist_pad = np.full((n + 1, width + 1 + 2 * PAD), np.inf)
    dist = dist_pad[:, PAD : PAD + width + 1]
    back = np.full((n + 1, width + 1), -1, dtype=np.int8)
    k_all = np.arange(width + 1)
    dist[0, 0] = 0.0
    step_types = [(t, ab) for t, ab in enumerate(types) if ab[0] > 0]
    skip_en = types.index((0, 1)) if (0, 1) in types else -1
    costs: dict[tuple[int, int], np.ndarray] = {}
    c0 = 0
    rows = _compiled_rows() if band.compiled else None
    if rows is not None:
        ta = np.array([a for a, _ in types], dtype=np.int64)
        tb = np.array([b for _, b in types], dtype=np.int64)
        lo64 = np.ascontiguousarray(lo, dtype=np.int64)
        for i0 in range(0, n + 1, block):
            i1 = min(n + 1, i0 + block)
            block_costs = cost_fn(i0, i1)
            stacked = np.stack([block_costs[t] for t in types], axis=1)  # [row, type, k]
            del block_costs  # not alive beside the next block's: the peak memory of a run
            rows(dist, back, lo64, stacked, ta, tb, skip_en, i0, i1, m)
            del stacked
        return _trace(back, lo, types, n, m)
    for i in range(n + 1):
        if not costs or i - c0 >= block:
            c0 = i
            costs = cost_fn(i, min(n + 1, i + block))
        row = dist[i]
        brow = back[i]
        if i > 0:
            for t, (a, b) in step_types:
                if a > i:
                    continue
                shift = int(lo[i] - lo[i - a]) - b
                if -PAD <= shift <= PAD:
                    prev = dist_pad[i - a, PAD + shift : PAD + shift + width + 1]
                else:
                    prev = _shifted(dist[i - a], shift, width)
                cand = prev + costs[(a, b)][i - c0]
                better = cand < row
                row[better] = cand[better]
                brow[better] = t
        if skip_en >= 0:
            # (0, 1) beads chain along the row: a running minimum does them all at once,
            # one stretch at a time between nodes the bead cannot end at
            c = costs[(0, 1)][i - c0]
            best = _chain_min(row, c)
            improved = best < row - 1e-12
            row[improved] = best[improved]
            brow[improved] = skip_en
        js = lo[i] + k_all
        row[(js > m) | (js < 0)] = np.inf
    return _trace(back, lo, types, n, m)


def _trace(
    back: np.ndarray, lo: np.ndarray, types: tuple[tuple[int, int], ...], n: int, m: int
) -> list[tuple[int, int, int, int]]:
    """The beads of the cheapest path, read back from (n, m)."""
    beads = []
    i, k = n, m - int(lo[n])
    while i > 0 or lo[i] + k > 0:
        t = int(back[i, k])
        if t < 0:
            raise RuntimeError("no path through the band")
        a, b = types[t]
        j = int(lo[i]) + k
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
        k = j - int(lo[i])
    beads.reverse()
    return beads


# band nodes from which the compiled DP pays for its start-up (numba's import and
# cache read, about 0.3 s): below it, numpy's row operations are as fast
COMPILED_MIN = 2_000_000


def _compiled_rows():
    """The DP's rows as a compiled loop (numba), or None without numba. It computes
    exactly what the numpy loop of `best_path` computes, in the same order of floating
    point operations, so the two give the same path."""
    try:
        return _rows_kernel()
    except ImportError:
        return None


@cache
def _rows_kernel():
    import numba

    @numba.njit(cache=True, nogil=True)
    def rows(dist, back, lo, cost, ta, tb, skip_en, i0, i1, m):  # pragma: no cover - compiled
        width1 = dist.shape[1]
        for i in range(i0, i1):
            row = dist[i]
            if i > 0:
                for t in range(len(ta)):
                    a, b = ta[t], tb[t]
                    if a == 0 or a > i:
                        continue
                    shift = lo[i] - lo[i - a] - b
                    prev = dist[i - a]
                    for k in range(width1):
                        kk = k + shift
                        if kk < 0 or kk >= width1:
                            continue
                        cand = prev[kk] + cost[i - i0, t, k]
                        if cand < row[k]:
                            row[k] = cand
                            back[i, k] = t
            if skip_en >= 0:
                step = cost[i - i0, skip_en]
                best = row.copy()
                s0 = 0
                while s0 < width1:
                    s1 = s0 + 1
                    while s1 < width1 and np.isfinite(step[s1]):
                        s1 += 1
                    cum = 0.0
                    run = row[s0] - cum
                    best[s0] = run + cum
                    for k in range(s0 + 1, s1):
                        cum = cum + step[k]
                        v = row[k] - cum
                        if v < run:
                            run = v
                        best[k] = run + cum
                    s0 = s1
                for k in range(width1):
                    if best[k] < row[k] - 1e-12:
                        row[k] = best[k]
                        back[i, k] = skip_en
            for k in range(width1):
                j = lo[i] + k
                if j > m or j < 0:
                    row[k] = np.inf

    return rows
