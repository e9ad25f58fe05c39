"""The search for the best bead path of a sub-problem: in full when it is small, else in
a band around a guide (an earlier pass's path) or around the path of a coarse pass over
blocks of units. Each band's skip evidence is gathered first, then the DP searches it."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..config import BeadTypes
from .cost import BeadCost, Span
from .dp import Band, CostFn, best_path
from .evidence import SkipEvidence


def band(n: int, m: int, centre: np.ndarray, width: int) -> np.ndarray:
    """The row starts of a band of `width` around `centre` (for each Chinese position
    0..n, an English position), from (0, 0) to (n, m), never moving left."""
    lo = np.clip(np.round(centre).astype(int) - width // 2, 0, max(0, m - width))
    lo = np.maximum.accumulate(lo)
    lo[0] = 0
    lo[n] = max(0, m - width)
    return np.minimum.accumulate(lo[::-1])[::-1]


def align_units(
    cost: BeadCost,
    evidence: SkipEvidence,
    zr: range,
    er: range,
    types: BeadTypes,
    guide: np.ndarray | None = None,
    reached: Callable[[int], None] | None = None,
) -> list[Span]:
    """Best bead path for Chinese units zr against English units er.

    Small problems are searched in full. Large ones in a band: around `guide` (for each
    Chinese unit, the English unit an earlier pass put beside it) when given, else around
    the path of a coarse pass over blocks of units. `reached` is told the Chinese unit
    (a number of the whole text) the search has come to, every `cost_block` rows and at
    the end.
    """
    n, m = len(zr), len(er)
    if n == 0 or m == 0:
        if reached is not None:
            reached(zr.stop)
        return [(range(i, i + 1), range(er.start, er.start)) for i in zr] + [
            (range(zr.stop, zr.stop), range(j, j + 1)) for j in er
        ]
    p = cost.p
    if n * m <= p.dense_limit:
        lo, width = np.zeros(n + 1, dtype=int), m
    else:
        if guide is not None:
            centre, width = guide[zr.start : zr.stop + 1] - er.start, p.guide_width
        else:
            centre, width = coarse_centre(cost, evidence, zr, er)
        width = min(width, m)
        lo = band(n, m, centre, width)
        # a path crosses from row to row only where their bands overlap: where the
        # centre leaps (many units of one side with no counterpart, a side with far more
        # paragraphs than the other), the band widens to follow
        while width < m and int(np.diff(lo).max()) > width:
            width = min(m, width + int(np.diff(lo).max()))
            lo = band(n, m, centre, width)
    nodes = Band(zr, er, lo, width)
    skips = evidence.gather(nodes, types, p.evidence_block)
    costs = cost.band_costs(nodes, types, skips, p.evidence_block)
    if reached is not None:
        costs = _reporting(costs, reached, zr.start)
    path = best_path(nodes, costs, types, p.cost_block)
    if reached is not None:
        reached(zr.stop)
    return [
        (range(zr.start + i0, zr.start + i1), range(er.start + j0, er.start + j1))
        for i0, i1, j0, j1 in path
    ]


def _reporting(costs: CostFn, reached: Callable[[int], None], start: int) -> CostFn:
    """`costs`, telling `reached` the unit each block of rows begins at when the DP asks
    for the block's costs (it asks in order, a block at a time)."""

    def asked(i0: int, i1: int) -> dict[tuple[int, int], np.ndarray]:
        reached(start + i0)
        return costs(i0, i1)

    return asked


def coarse_centre(
    cost: BeadCost, evidence: SkipEvidence, zr: range, er: range
) -> tuple[np.ndarray, int]:
    """Align blocks of sentences first; the sentence band follows the block path, and
    the units of blocks left without counterpart are marked omitted in `evidence`."""
    n, m = len(zr), len(er)
    blocks = max(2, int(math.sqrt(cost.p.dense_limit)))
    gz = max(1, math.ceil(n / blocks))
    ge = max(1, math.ceil(m / blocks))
    zb = [range(zr.start + s, zr.start + min(n, s + gz)) for s in range(0, n, gz)]
    eb = [range(er.start + s, er.start + min(m, s + ge)) for s in range(0, m, ge)]
    lex = cost.lex.rebuilt(zb, eb)
    coarse = BeadCost(lex, cost.length, cost.zh.joined(zb), cost.en.joined(eb), cost.p)
    coarse_evidence = SkipEvidence(lex, cost.p)
    path = align_units(coarse, coarse_evidence, range(len(zb)), range(len(eb)), cost.p.coarse_types)
    centre = np.zeros(n + 1)
    omitted_z, omitted_e = [], []
    for zbr, ebr in path:
        if not zbr or not ebr:
            blocks_left = [zb[k] for k in zbr] or [eb[k] for k in ebr]
            (omitted_z if zbr else omitted_e).extend(i for r in blocks_left for i in r)
        if not zbr:
            continue
        s0, s1 = zb[zbr.start].start - zr.start, zb[zbr.stop - 1].stop - zr.start
        if ebr:
            e0, e1 = eb[ebr.start].start - er.start, eb[ebr.stop - 1].stop - er.start
        else:
            e0 = e1 = (eb[ebr.start].start if ebr.start < len(eb) else er.stop) - er.start
        idx = np.arange(s0, s1 + 1)
        centre[idx] = e0 + (idx - s0) * (e1 - e0) / max(1, s1 - s0)
    evidence.mark_omitted(np.array(omitted_z, dtype=int), np.array(omitted_e, dtype=int))
    width = int(2 * (gz + ge) + 40)
    return centre, width


def path_guide(spans: list[Span], n: int) -> np.ndarray:
    """For each Chinese position 0..n, the English position the spans put beside it."""
    guide = np.zeros(n + 1)
    for zr, er in spans:
        idx = np.arange(zr.start, zr.stop + 1)
        guide[idx] = er.start + (idx - zr.start) * len(er) / max(1, len(zr))
    return guide
