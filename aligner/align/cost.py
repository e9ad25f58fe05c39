"""The bead cost: one formula for the DP's band and for arbitrary spans.

A bead of a Chinese and b English units costs

    lexical_weight * (sum over its units of the unit's unexplained share)
    + (1 - lexical_weight) * (a + b) / 2 * length misfit
    + merge * (a + b - 2) + many_to_many (when a, b >= 2)
    + quote_end (when it closes a quotation on one side only)
    + cut (the clauses next to the cut after the bead: see `BeadCost.cut_costs`),
    [+ encoder_weight * (a + b) / 2 * (1 - cosine of the bead's sides), with an encoder],

where a unit's unexplained share is 1 - its weight matched on the other side of the bead
(capped at the weight), pulled towards the prior for units with little weight, and (of
paragraphs, `redundant`) raised for an edge unit whose matches the rest of the bead
makes too; a bead with an empty side costs the skip costs of its units (see `SkipCosts`).
The cut cost depends on the node the bead ends at only, so the DP charges each cut of a
path once.

Matched weights come from dense blocks of match weights (`LexicalModel.matches`), read
by one kernel: the band's costs and the costs of explicit spans are the same numbers.
The cost reads skip costs and never writes them: the skip evidence of a band is gathered
before the DP searches it (`SkipEvidence.gather`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from ..config import BeadTypes, Params
from .dp import Band, CostFn
from .encoder import RunEmbeddings
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

    def zh_matched(self, first, count, b) -> np.ndarray:
        """The English weight of the beads' b English units matched by `count`
        consecutive Chinese units from the one `first` units before the end (each form
        counted once among them)."""
        return self._matched("zh", first, count, b)

    def en_matched(self, first, count, a) -> np.ndarray:
        """The Chinese weight of the beads' a Chinese units matched by `count`
        consecutive English units from the one `first` units before the end."""
        return self._matched("en", first, count, a)

    def _matched(self, side: str, first, count, other) -> np.ndarray:
        li, lj = self.zend - self.zs.start, self.eend - self.es.start
        zh = side == "zh"
        own_end, other_end = (li, lj) if zh else (lj, li)
        own_n, other_n = (len(self.zs), len(self.es)) if zh else (len(self.es), len(self.zs))
        total = 0.0
        for k in range(int(np.max(other))):
            o = np.clip(other_end - other + k, 0, other_n - 1)
            for q in range(int(np.max(count))):
                u = np.clip(own_end - first + q, 0, own_n - 1)
                matched = self.me[q][u, o] if zh else self.mz[q][o, u]
                total = total + _within(k, other, _within(q, count, matched))
        return total


def _redundancy(matched, a, b, share) -> np.ndarray:
    """For beads of a units on one side (a >= 2 where it counts) and b on the other, the
    part of the first and the last unit's explained share that the rest of the bead
    explains as well: a unit whose matches add nothing to the other side's evidence
    beyond its neighbours' (`matched(first, count, b)`, see `_Tile.zh_matched`) is
    glued to the bead by words it shares with them, as an omitted sentence is."""
    total = matched(a, a, b)
    out = 0.0
    # the first unit (a units before the end; the rest: the a - 1 after it) and the last
    for first, rest in ((a, (a - 1, a - 1)), (1, (a, a - 1))):
        alone = matched(first, 1, b)
        own = total - matched(*rest, b)  # what only this unit explains
        redundant = np.where(alone > 0, 1.0 - np.minimum(own, alone) / np.maximum(alone, 1e-9), 0)
        out = out + redundant * (1.0 - share(first, b))
    return np.where(a >= 2, out, 0.0)


class BeadCost:
    """Bead costs, bead similarities and border margins of one text pair (or of its
    paragraphs, or of blocks of its sentences)."""

    def __init__(
        self,
        lex: LexicalModel,
        length: LengthModel,
        zh: Units,
        en: Units,
        p: Params,
        runs: RunEmbeddings | None = None,
    ):
        self.lex, self.length, self.zh, self.en, self.p = lex, length, zh, en, p
        # a sentence encoder's embeddings of the units (sentences only): None, the
        # default, leaves every cost as the words and lengths alone make it
        self.runs = runs

    @classmethod
    def build(
        cls,
        zh: Units,
        en: Units,
        p: Params,
        extra: dict[str, set[str]] | None = None,
        runs: RunEmbeddings | None = None,
    ) -> BeadCost:
        """The cost of a text pair from the dictionary (and `extra` translations) and
        the length ratio of the whole text (and a sentence encoder's `runs`)."""
        lex = build_lexical_model(zh, en, p, extra)
        return cls(lex, LengthModel.fit(zh.lengths, en.lengths, p), zh, en, p, runs)

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
            # a long text's band: its matches by a compiled loop over the band's stripe
            # only (the same numbers as the sparse products over whole blocks)
            needed = None
            if band.compiled:
                # unit row u is read by the beads ending in node rows u + 1 .. u + maxa,
                # and node row i reads columns lo[i] - maxb .. lo[i] + width - 1
                u = np.arange(zs.start, zs.stop) - band.zr.start
                first = band.lo[np.clip(u + 1, i0, i1 - 1)] - maxb
                last = band.lo[np.clip(u + maxa, i0, i1 - 1)] + band.width
                c0 = es.start - band.er.start
                needed = np.clip(first - c0, 0, len(es)), np.clip(last - c0, 0, len(es))
            tile = self._tile(zs, es, maxa, maxb, zend, eend, needed)
            cut = self.cut_costs(zend, eend)
            out: dict[tuple[int, int], np.ndarray] = {}
            for a, b in types:
                ok = (ii - a >= 0) & (jj - b >= 0) & (jj <= band.m)
                if a and b:
                    cost = self._kernel(tile, a, b)
                elif a:
                    cost = skip.zh[np.clip(zend - 1 - skip.zh_start, 0, len(skip.zh) - 1)]
                else:
                    cost = skip.en[np.clip(eend - 1 - skip.en_start, 0, len(skip.en) - 1)]
                out[(a, b)] = np.where(ok, cost + cut, np.inf)
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
        count = len(spans)
        z0 = np.fromiter((zr.start for zr, _ in spans), dtype=np.int64, count=count)
        z1 = np.fromiter((zr.stop for zr, _ in spans), dtype=np.int64, count=count)
        e0 = np.fromiter((er.start for _, er in spans), dtype=np.int64, count=count)
        e1 = np.fromiter((er.stop for _, er in spans), dtype=np.int64, count=count)
        return self._span_costs(z0, z1, e0, e1, skips)

    def _span_costs(self, z0, z1, e0, e1, skips: SkipCosts) -> np.ndarray:
        """`span_costs` of the beads of units z0[k] .. z1[k] - 1 and e0[k] .. e1[k] - 1."""
        a, b = z1 - z0, e1 - e0
        out = np.zeros(len(a))
        if len(a):  # cut costs by tiles of bead ends: their blocks of clause matches stay small
            tile = self.p.cost_tile
            keys = (z1 // tile) * (int(e1.max()) // tile + 1) + e1 // tile
            order = np.argsort(keys, kind="stable")
            for group in np.split(order, np.flatnonzero(np.diff(keys[order])) + 1):
                out[group] = self.cut_costs(z1[group], e1[group])
        for k in np.nonzero((a == 0) | (b == 0))[0]:
            zs, es = int(z0[k]) - skips.zh_start, int(e0[k]) - skips.en_start
            out[k] += skips.zh[zs : zs + int(a[k])].sum() + skips.en[es : es + int(b[k])].sum()
        full = np.nonzero((a > 0) & (b > 0))[0]
        if not len(full):
            return out
        zstop, estop = z1[full], e1[full]
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
            out[idx] += self._kernel(t, ga, gb)
        return out

    def cut_costs(self, i: np.ndarray, j: np.ndarray):
        """The cost of cutting between beads before Chinese unit i and English unit j
        (arrays of one shape, or broadcasting to one): for each clause next to the cut,
        how much more of it the unit across the cut matches than the unit on its own
        side. 0 at the text's edges, and for units without clauses."""
        clauses, p = self.lex.clauses, self.p
        if clauses is None or not p.cut:
            return 0.0
        n, m = len(self.zh.lengths), len(self.en.lengths)
        r0, r1 = max(int(np.min(i)) - 1, 0), min(int(np.max(i)) + 1, n)
        c0, c1 = max(int(np.min(j)) - 1, 0), min(int(np.max(j)) + 1, m)
        if r0 >= r1 or c0 >= c1:
            return 0.0
        # the match weight of unit r's last / first clause in unit c (rows r0.., columns
        # c0..): one product per language, the clause rows interleaved
        zh = (clauses.zh[2 * r0 : 2 * r1] @ self.lex.be[c0:c1].T).toarray()
        en = (self.lex.bz[r0:r1] @ clauses.en[2 * c0 : 2 * c1].T).toarray()
        zh_last, zh_first, en_last, en_first = zh[0::2], zh[1::2], en[:, 0::2], en[:, 1::2]
        wz_last, wz_first = clauses.wz[0::2], clauses.wz[1::2]
        we_last, we_first = clauses.we[0::2], clauses.we[1::2]

        def weight(totals: np.ndarray, unit) -> np.ndarray:
            return totals[np.clip(unit, 0, len(totals) - 1)]

        def share(matched: np.ndarray, w: np.ndarray, r, c) -> np.ndarray:
            rr, cc = np.clip(r - r0, 0, r1 - r0 - 1), np.clip(c - c0, 0, c1 - c0 - 1)
            return np.minimum(matched[rr, cc], w) / (w + p.cut_smoothing)

        def across(matched: np.ndarray, w: np.ndarray, own, other) -> np.ndarray:
            """The share of a clause (of weight w) matched across the cut less its share
            matched on its own side; `own` and `other`: (Chinese unit, English unit)."""
            return share(matched, w, *other) - share(matched, w, *own)

        # signed: a cut its clauses confirm costs less than one they say nothing of, so
        # that the cost does not favour paths with fewer cuts
        cost = (
            across(zh_last, weight(wz_last, i - 1), (i - 1, j - 1), (i - 1, j))
            + across(zh_first, weight(wz_first, i), (i, j), (i, j - 1))
            + across(en_last, weight(we_last, j - 1), (i - 1, j - 1), (i, j - 1))
            + across(en_first, weight(we_first, j), (i, j), (i - 1, j))
        )
        inside = (i > 0) & (i < n) & (j > 0) & (j < m)
        return p.cut * np.where(inside, cost, 0.0)

    def _tile(
        self, zs: range, es: range, zh_run: int, en_run: int, zend, eend, needed=None
    ) -> _Tile:
        zsl, esl = slice(zs.start, zs.stop), slice(es.start, es.stop)
        mz, me = self.lex.matches(zsl, esl, zh_run, en_run, needed)
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
        if p.redundant and np.max(a) >= 2:
            unexplained += p.redundant * _redundancy(tile.zh_matched, a, b, tile.zh_share)
        if p.redundant and np.max(b) >= 2:
            unexplained += p.redundant * _redundancy(tile.en_matched, b, a, tile.en_share)
        rows, cols = len(tile.zs), len(tile.es)
        li, lj = tile.zend - tile.zs.start, tile.eend - tile.es.start
        zlen = tile.lz[np.clip(li, 0, rows)] - tile.lz[np.clip(li - a, 0, rows)]
        elen = tile.le[np.clip(lj, 0, cols)] - tile.le[np.clip(lj - b, 0, cols)]
        cost = bead_cost(a, b, unexplained, self.length.score(zlen, elen), p)
        if p.quote_end:
            zlast = self.zh.quote_ends[np.clip(tile.zend - 1, tile.zs.start, tile.zs.stop - 1)]
            elast = self.en.quote_ends[np.clip(tile.eend - 1, tile.es.start, tile.es.stop - 1)]
            cost = cost + p.quote_end * (zlast != elast)
        if self.runs is not None and p.encoder_weight:
            # one more term, never instead of the others: per sentence, as the length
            # misfit, so that a bead's share does not depend on how finely it is cut
            cos = self._cosines(tile, a, b)
            cost = cost + p.encoder_weight * (a + b) / 2.0 * (1.0 - cos)
        return cost

    def _cosines(self, tile: _Tile, a, b) -> np.ndarray:
        """The encoder's cosine of the two sides of the tile's beads of a x b units."""
        runs = self.runs
        assert runs is not None
        z0, e0 = tile.zend - a, tile.eend - b
        if np.ndim(a) or np.ndim(b):  # explicit spans of mixed types: bead by bead
            z0, a, e0, b = np.broadcast_arrays(z0, a, e0, b)
            flat = runs.bead_cosines(z0.ravel(), a.ravel(), e0.ravel(), b.ravel())
            return flat.reshape(z0.shape)
        if not len(tile.zs) or not len(tile.es):
            return np.zeros(np.broadcast_shapes(np.shape(z0), np.shape(e0)))
        # the band: every run of the tile against every run, one product, then read off
        sims = runs.tile_cosines(tile.zs, tile.es, a, b)
        rows = np.clip(z0 - tile.zs.start, 0, len(tile.zs) - 1)
        cols = np.clip(e0 - tile.es.start, 0, len(tile.es) - 1)
        return sims[rows, cols]

    # ------------------------------------------------------------ margins, similarities

    def margins(self, spans: list[Span], skips: SkipCosts) -> np.ndarray:
        """How much cheaper each bead's borders are than the nearest other borders.

        For each bead, the borders with its neighbours are moved by one sentence on
        either side, in either language, or taken away (the bead joined to its
        neighbour); the margin is the least extra cost among these alternatives (0 when
        one is as good: the border is a coin toss).
        """
        n_beads = len(spans)
        margin = np.full(n_beads, 1.0)
        if n_beads < 2:
            return margin
        z0 = np.fromiter((zr.start for zr, _ in spans), dtype=np.int64, count=n_beads)
        z1 = np.fromiter((zr.stop for zr, _ in spans), dtype=np.int64, count=n_beads)
        e0 = np.fromiter((er.start for _, er in spans), dtype=np.int64, count=n_beads)
        e1 = np.fromiter((er.stop for _, er in spans), dtype=np.int64, count=n_beads)
        # the alternatives of every border at once, as arrays (a long text has hundreds
        # of thousands: as Python objects they set the peak memory of a run): the border
        # after bead f moved by dz / de sentences makes beads (A0..A1, B0..B1) and
        # (A1..A2, B1..B2) of beads f and f + 1
        f = np.arange(n_beads - 1)
        borders, spans_1, spans_2 = [], [], []
        for dz, de in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            a0, a1, a2 = z0[:-1], z1[:-1] + dz, z1[1:]
            b0, b1, b2 = e0[:-1], e1[:-1] + de, e1[1:]
            ok = (a0 <= a1) & (a1 <= a2) & (b0 <= b1) & (b1 <= b2)
            ok &= ((a1 > a0) | (b1 > b0)) & ((a2 > a1) | (b2 > b1))
            longest = np.maximum(np.maximum(a1 - a0, b1 - b0), np.maximum(a2 - a1, b2 - b1))
            ok &= longest <= 5
            borders.append(f[ok])
            spans_1.append(np.stack([a0[ok], a1[ok], b0[ok], b1[ok]]))
            spans_2.append(np.stack([a1[ok], a2[ok], b1[ok], b2[ok]]))
        border = np.concatenate(borders)
        # the border taken away: beads f and f + 1 as one bead (a crossing pair cut in
        # two has no better border to move to, only none); costed in the same call
        pair = f[np.maximum(z1[1:] - z0[:-1], e1[1:] - e0[:-1]) <= 3]
        joined = np.stack([z0[pair], z1[pair + 1], e0[pair], e1[pair + 1]])
        alt = np.concatenate([np.stack([z0, z1, e0, e1]), *spans_1, *spans_2, joined], axis=1)
        costs = self._span_costs(alt[0], alt[1], alt[2], alt[3], skips)
        moves = len(border)
        base, moved = costs[:n_beads], costs[n_beads : n_beads + 2 * moves]
        delta = np.concatenate([
            moved[:moves] + moved[moves:] - base[border] - base[border + 1],
            costs[n_beads + 2 * moves :] - base[pair] - base[pair + 1],
        ])  # fmt: skip
        border = np.concatenate([border, pair])
        # fmax, fmin: as Python's max(0.0, d) and min(m, d) would treat a NaN
        delta = np.fmax(0.0, delta)
        np.fmin.at(margin, border, delta)
        np.fmin.at(margin, border + 1, delta)
        return margin

    def length_fits(self, spans: Sequence[Span]) -> np.ndarray:
        """The length model's fit of each bead's two sides (0 for beads with an empty side)."""
        out = np.zeros(len(spans))
        full, gz, ge = self._full_beads(spans)
        if full:
            out[full] = self.length.score(gz @ self.zh.lengths, ge @ self.en.lengths)
        return out

    def _full_beads(
        self, spans: Sequence[Span]
    ) -> tuple[list[int], sparse.csr_matrix | None, sparse.csr_matrix | None]:
        """The beads with both sides (their numbers), and the matrices that sum the
        units of their Chinese and of their English sides."""
        full = [k for k, (zr, er) in enumerate(spans) if zr and er]
        if not full:
            return full, None, None
        gz = grouping([spans[k][0] for k in full], self.lex.xz.shape[0])
        ge = grouping([spans[k][1] for k in full], self.lex.be.shape[0])
        return full, gz, ge

    def similarities(self, spans: Sequence[Span], evidence: bool = False) -> np.ndarray:
        """Similarities of many beads at once (0 for beads with an empty side): the
        bead's matched share of its word weight, smoothed, beside its length fit; with
        `evidence`, the plain matched share instead."""
        out = np.zeros(len(spans))
        full, gz, ge = self._full_beads(spans)
        if not full:
            return out
        lex, p = self.lex, self.p
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
