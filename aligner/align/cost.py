"""The bead cost: one formula for the DP's band and for arbitrary spans.

A bead of a Chinese and b English units costs

    lexical_weight * (sum over its units of the unit's unexplained share)
    + (1 - lexical_weight) * (a + b) / 2 * length misfit
    + merge * (a + b - 2) + many_to_many (when a, b >= 2)
    + quote_end (when it closes a quotation on one side only),

where a unit's unexplained share is 1 - its weight matched on the other side of the bead
(capped at the weight), pulled towards the prior for units with little weight; a bead
with an empty side costs the skip costs of its units (see `SkipCosts`).

Matched weights come from dense blocks of match weights (`LexicalModel.matches`), read
by one kernel: the band's costs and the costs of explicit spans are the same numbers.
The cost reads skip costs and never writes them: the skip evidence of a band is gathered
before the DP searches it (`SkipEvidence.gather`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..config import BeadTypes, Params
from .dp import Band, CostFn
from .evidence import LengthModel, LexicalModel, SkipCosts, binary, build_lexical_model, grouping
from .features import Units

Span = tuple[range, range]


def unexplained_share(matched: np.ndarray, weight: np.ndarray, p: Params) -> np.ndarray:
    """1 - the share of one unit's weight matched in the other side of its bead (matches
    beyond the weight count as the weight), pulled towards the prior for units with
    little evidence."""
    return 1.0 - (np.minimum(matched, weight) + p.smoothing * p.prior) / (weight + p.smoothing)


def bead_cost(a, b, unexplained: np.ndarray, fit: np.ndarray, p: Params) -> np.ndarray:
    """The cost of beads of a x b units from their summed unexplained shares and their
    length fit (a and b: ints, or arrays of beads of mixed types)."""
    penalty = p.merge * (a + b - 2) + np.where(np.minimum(a, b) >= 2, p.many_to_many, 0.0)
    # the length misfit as a log-likelihood, so that a wildly wrong length (a bead
    # swallowing unrelated sentences) costs far more than a slightly loose one
    misfit = p.length_scale * np.minimum(-np.log(np.maximum(fit, 1e-9)), p.length_cap)
    return (
        p.lexical_weight * unexplained + (1 - p.lexical_weight) * (a + b) / 2.0 * misfit + penalty
    )


def _within(position: int, count, value: np.ndarray) -> np.ndarray:
    """`value` where `position` is inside a bead of `count` units, else 0: beads of mixed
    types are summed over the longest one's positions, and the exact zeros added for
    the others leave their sums as a bead of their own type alone would make them."""
    if np.ndim(count) == 0:
        return value
    return np.where(position < count, value, 0)


def _cum1(v: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(v, dtype=float)])


@dataclass
class _Tile:
    """The dense match weights of the units zs x es (whole-text numbers) and the unit
    shares of the beads ending before units zend and eend (arrays of one shape, or
    broadcasting to one), as the kernel reads them."""

    zs: range
    es: range
    mz: list[np.ndarray]  # LexicalModel.matches
    me: list[np.ndarray]
    wz: np.ndarray  # weight of each Chinese unit of the tile
    we: np.ndarray
    lz: np.ndarray  # cumulative lengths, 0 first
    le: np.ndarray
    zend: np.ndarray
    eend: np.ndarray
    p: Params
    # shares of beads of one type serve all the types that hold the same unit at the
    # same place and as many units on the other side
    _shares: dict = field(default_factory=dict, repr=False)

    def zh_share(self, d, b) -> np.ndarray:
        """The unexplained share of the Chinese unit d units before the end of beads
        with b English units (ints, or arrays of beads of mixed types)."""
        key = ("zh", d, b) if np.ndim(d) == np.ndim(b) == 0 else None
        if key in self._shares:
            return self._shares[key]
        li, lj = self.zend - self.zs.start, self.eend - self.es.start
        r = np.clip(li - d, 0, len(self.zs) - 1)
        cols = [np.clip(lj - b + q, 0, len(self.es) - 1) for q in range(int(np.max(b)))]
        matched = sum(_within(q, b, self.mz[q][r, c]) for q, c in enumerate(cols))
        share = unexplained_share(matched, self.wz[r], self.p)
        if key:
            self._shares[key] = share
        return share

    def en_share(self, e, a) -> np.ndarray:
        """The unexplained share of the English unit e units before the end of beads
        with a Chinese units."""
        key = ("en", e, a) if np.ndim(e) == np.ndim(a) == 0 else None
        if key in self._shares:
            return self._shares[key]
        li, lj = self.zend - self.zs.start, self.eend - self.es.start
        c = np.clip(lj - e, 0, len(self.es) - 1)
        rows = [np.clip(li - a + q, 0, len(self.zs) - 1) for q in range(int(np.max(a)))]
        matched = sum(_within(q, a, self.me[q][r, c]) for q, r in enumerate(rows))
        share = unexplained_share(matched, self.we[c], self.p)
        if key:
            self._shares[key] = share
        return share


class BeadCost:
    """Bead costs, bead similarities and border margins of one text pair (or of its
    paragraphs, or of blocks of its sentences)."""

    def __init__(self, lex: LexicalModel, length: LengthModel, zh: Units, en: Units, p: Params):
        self.lex, self.length, self.zh, self.en, self.p = lex, length, zh, en, p

    @classmethod
    def build(
        cls, zh: Units, en: Units, p: Params, extra: dict[str, set[str]] | None = None
    ) -> BeadCost:
        """The cost of a text pair from the dictionary (and `extra` translations) and
        the length ratio of the whole text."""
        lex = build_lexical_model(zh, en, p, extra)
        return cls(lex, LengthModel.fit(zh.lengths, en.lengths, p), zh, en, p)

    # ------------------------------------------------------------ costs

    def band_costs(
        self, band: Band, types: BeadTypes, skips: Sequence[SkipCosts], block: int
    ) -> CostFn:
        """The DP's cost function over `band`: the costs of the beads ending at its nodes.
        skips[k] holds the skip costs of node rows k * block .. (k + 1) * block - 1 (see
        `SkipEvidence.gather`)."""
        maxa = max(a for a, _ in types)
        maxb = max(b for _, b in types)

        def piece(i0: int, i1: int) -> dict[tuple[int, int], np.ndarray]:
            skip = skips[i0 // block]
            zs, es = band.units(i0, i1, types)
            ii = np.arange(i0, i1)[:, None]
            jj = band.lo[i0:i1, None] + np.arange(band.width + 1)[None, :]
            zend, eend = band.zr.start + ii, band.er.start + jj  # whole-text unit numbers
            tile = self._tile(zs, es, maxa, maxb, zend, eend)
            out: dict[tuple[int, int], np.ndarray] = {}
            for a, b in types:
                ok = (ii - a >= 0) & (jj - b >= 0) & (jj <= band.m)
                if a and b:
                    cost = self._kernel(tile, a, b)
                elif a:
                    cost = skip.zh[np.clip(zend - 1 - skip.zh_start, 0, len(skip.zh) - 1)]
                else:
                    cost = skip.en[np.clip(eend - 1 - skip.en_start, 0, len(skip.en) - 1)]
                out[(a, b)] = np.where(ok, cost, np.inf)
            return out

        def costs(i0: int, i1: int) -> dict[tuple[int, int], np.ndarray]:
            cuts = [i0, *range((i0 // block + 1) * block, i1, block), i1]
            parts = [piece(s0, s1) for s0, s1 in zip(cuts, cuts[1:], strict=False)]
            if len(parts) == 1:
                return parts[0]
            return {t: np.concatenate([part[t] for part in parts]) for t in types}

        return costs

    def span_costs(self, spans: Sequence[Span], skips: SkipCosts) -> np.ndarray:
        """The cost of each bead (zh units, en units), as the DP's band would cost it."""
        a = np.fromiter((len(zr) for zr, _ in spans), dtype=np.int64, count=len(spans))
        b = np.fromiter((len(er) for _, er in spans), dtype=np.int64, count=len(spans))
        out = np.zeros(len(spans))
        for k in np.nonzero((a == 0) | (b == 0))[0]:
            zr, er = spans[k]
            z0, e0 = zr.start - skips.zh_start, er.start - skips.en_start
            out[k] = skips.zh[z0 : z0 + len(zr)].sum() + skips.en[e0 : e0 + len(er)].sum()
        full = np.nonzero((a > 0) & (b > 0))[0]
        if not len(full):
            return out
        zstop = np.fromiter((spans[k][0].stop for k in full), dtype=np.int64, count=len(full))
        estop = np.fromiter((spans[k][1].stop for k in full), dtype=np.int64, count=len(full))
        # beads ending near each other share a tile of dense match weights
        tile = self.p.cost_tile
        keys = (zstop // tile) * (int(estop.max()) // tile + 1) + estop // tile
        order = np.argsort(keys, kind="stable")
        bounds = np.flatnonzero(np.diff(keys[order])) + 1
        for group in np.split(order, bounds):
            idx = full[group]
            ga, gb, gz, ge = a[idx], b[idx], zstop[group], estop[group]
            zs = range(int((gz - ga).min()), int(gz.max()))
            es = range(int((ge - gb).min()), int(ge.max()))
            t = self._tile(zs, es, int(ga.max()), int(gb.max()), gz, ge)
            out[idx] = self._kernel(t, ga, gb)
        return out

    def _tile(self, zs: range, es: range, zh_run: int, en_run: int, zend, eend) -> _Tile:
        zsl, esl = slice(zs.start, zs.stop), slice(es.start, es.stop)
        mz, me = self.lex.matches(zsl, esl, zh_run, en_run)
        lex, zh, en = self.lex, self.zh, self.en
        return _Tile(
            zs, es, mz, me, lex.wz_total[zsl], lex.we_total[esl],
            _cum1(zh.lengths[zsl]), _cum1(en.lengths[esl]), zend, eend, self.p,
        )  # fmt: skip

    def _kernel(self, tile: _Tile, a, b) -> np.ndarray:
        """The cost of the tile's beads of a Chinese and b English units (a, b > 0)."""
        p = self.p
        unexplained = np.zeros(np.broadcast_shapes(np.shape(tile.zend), np.shape(tile.eend)))
        for k in range(int(np.max(a))):
            unexplained += _within(k, a, tile.zh_share(a - k, b))
        for k in range(int(np.max(b))):
            unexplained += _within(k, b, tile.en_share(b - k, a))
        rows, cols = len(tile.zs), len(tile.es)
        li, lj = tile.zend - tile.zs.start, tile.eend - tile.es.start
        zlen = tile.lz[np.clip(li, 0, rows)] - tile.lz[np.clip(li - a, 0, rows)]
        elen = tile.le[np.clip(lj, 0, cols)] - tile.le[np.clip(lj - b, 0, cols)]
        cost = bead_cost(a, b, unexplained, self.length.score(zlen, elen), p)
        if p.quote_end:
            zlast = self.zh.quote_ends[np.clip(tile.zend - 1, tile.zs.start, tile.zs.stop - 1)]
            elast = self.en.quote_ends[np.clip(tile.eend - 1, tile.es.start, tile.es.stop - 1)]
            cost = cost + p.quote_end * (zlast != elast)
        return cost

    # ------------------------------------------------------------ margins, similarities

    def margins(self, spans: list[Span], skips: SkipCosts) -> np.ndarray:
        """How much cheaper each bead's borders are than the nearest other borders.

        For each bead, the borders with its neighbours are moved by one sentence on
        either side, in either language; the margin is the least extra cost among these
        alternatives (0 when one is as good: the border is a coin toss).
        """
        n_beads = len(spans)
        # spans as (z0, z1, e0, e1): a long text has some 700,000 alternatives, and as
        # ints they take a fraction of the memory of pairs of ranges
        alts: list[tuple[int, int, int, int]] = []
        owners: list[tuple[int, int]] = []  # (bead, alternative number)
        base_pairs: list[int] = []
        for k in range(n_beads):
            for nb in (k - 1, k + 1):
                if not 0 <= nb < n_beads:
                    continue
                first, second = (nb, k) if nb < k else (k, nb)
                (z1, e1), (z2, e2) = spans[first], spans[second]
                for dz, de in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                    # move the border between `first` and `second` by dz / de sentences
                    nz = z1.stop + dz
                    ne = e1.stop + de
                    if not (z1.start <= nz <= z2.stop and e1.start <= ne <= e2.stop):
                        continue
                    la1, la2 = nz - z1.start, z2.stop - nz
                    lb1, lb2 = ne - e1.start, e2.stop - ne
                    if (not la1 and not lb1) or (not la2 and not lb2):
                        continue
                    if max(la1, lb1, la2, lb2) > 5:
                        continue
                    alts.append((z1.start, nz, e1.start, ne))
                    alts.append((nz, z2.stop, ne, e2.stop))
                    owners.append((k, first))
                    base_pairs.append(second)
        margin = np.full(n_beads, 1.0)
        if not alts:
            return margin
        # each border's alternatives come up for the beads on both sides of it: cost
        # every span once
        number: dict[tuple[int, int, int, int], int] = {}
        index = [
            number.setdefault((zr.start, zr.stop, er.start, er.stop), len(number))
            for zr, er in spans
        ]
        index += [number.setdefault(alt, len(number)) for alt in alts]
        del alts
        unique = [(range(z0, z1), range(e0, e1)) for z0, z1, e0, e1 in number]
        del number
        costs = self.span_costs(unique, skips)
        base, alt_cost = costs[index[:n_beads]], costs[index[n_beads:]]
        for t, (k, first) in enumerate(owners):
            second = base_pairs[t]
            delta = alt_cost[2 * t] + alt_cost[2 * t + 1] - base[first] - base[second]
            margin[k] = min(margin[k], max(0.0, delta))
        return margin

    def similarities(self, spans: Sequence[Span], evidence: bool = False) -> np.ndarray:
        """Similarities of many beads at once (0 for beads with an empty side): the
        bead's matched share of its word weight, smoothed, beside its length fit; with
        `evidence`, the plain matched share instead."""
        out = np.zeros(len(spans))
        full = [k for k, (zr, er) in enumerate(spans) if zr and er]
        if not full:
            return out
        zg = [spans[k][0] for k in full]
        eg = [spans[k][1] for k in full]
        lex, p = self.lex, self.p
        gz, ge = grouping(zg, lex.xz.shape[0]), grouping(eg, lex.be.shape[0])
        # the block sums of the match matrices are dot products of summed rows
        sz = np.asarray((gz @ lex.xz).multiply(binary(ge @ lex.be)).sum(axis=1)).ravel()
        se = np.asarray(binary(gz @ lex.bz).multiply(ge @ lex.we).sum(axis=1)).ravel()
        wz, we = gz @ lex.wz_total, ge @ lex.we_total
        if evidence:
            out[full] = (np.minimum(sz, wz) + np.minimum(se, we)) / (wz + we + 1.0)
            return out
        share = (np.minimum(sz, wz) + np.minimum(se, we) + p.smoothing * p.prior) / (
            wz + we + p.smoothing
        )
        fit = self.length.score(gz @ self.zh.lengths, ge @ self.en.lengths)
        out[full] = p.lexical_weight * share + (1 - p.lexical_weight) * fit
        return out
