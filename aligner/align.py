"""Align a document: paragraphs first (when both sides have them), then sentences inside
each paragraph group, with a second pass that learns a translation table from the text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import regex

from .dp import BEAD_TYPES, best_path
from .lexicon import STOP_LEMMAS, archaic_form
from .model import EN, Alignment, Document, Header, Sentence, SentenceBead
from .names import name_forms
from .normalise import matching_form
from .numbers import numbers_in_chinese, roman_number
from .score import (
    LengthModel,
    LexicalModel,
    Units,
    binary,
    build_lexical_model,
    expand,
    grouping,
    learn_table,
)
from .tokenise import add_words, lemma, tokenise_document, tokenise_en

COARSE_TYPES = ((1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1))
FIRST_PASS_TYPES = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 0), (0, 1))
PARAGRAPH_TYPES = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 0), (0, 1))


@dataclass(frozen=True)
class Params:
    """Scoring parameters, tuned on MAC-Dev (scripts/eval_mac.py)."""

    # -- bead cost: each sentence's unexplained share, the length misfit, the prior
    lexical_weight: float = 0.65  # share of the lexical signal against the length signal
    smoothing: float = 24.0  # pseudo-weight pulling a sentence's matched share to the prior
    prior: float = 0.5
    length_sigma: float = 0.8  # spread of the log length ratio of a true bead
    length_scale: float = 0.7  # weight of the length misfit (a negative log-likelihood) ...
    length_cap: float = 4.0  # ... capped here
    # Bag-of-words similarity never falls when beads grow (cross-sentence matches only add
    # to it), so each sentence a bead takes beyond one a side costs `merge`, and beads
    # with several sentences on both sides cost `many_to_many` more. Per sentence, so a
    # path's prior depends only on its number of beads: 1-2 + 1-3 costs as 1-1 + 1-4 and
    # the text decides between them.
    merge: float = 0.16
    many_to_many: float = 0.08
    quote_end: float = 0.15  # cost of a bead that closes a quotation on one side only
    # -- leaving a sentence unaligned costs `skip`, discounted by up to `novel_discount`
    # for a sentence with `novel_weight` of words of which no sentence nearby matches
    # `novel_match`
    skip: float = 0.8
    novel_discount: float = 0.8
    novel_weight: float = 15.0
    novel_match: float = 0.15
    # -- confidence = logistic(conf_sim * (similarity - conf_center)
    #                          + conf_margin * margin + conf_bias), capped by evidence
    conf_sim: float = 3.8
    conf_center: float = 0.6
    conf_margin: float = 4.2
    conf_bias: float = 0.43
    conf_evidence: float = 25.0  # steepness of the cap by matched evidence ...
    conf_floor: float = 0.6  # ... which leaves at least this share of the confidence
    # -- learning a translation table from the first pass
    learn_rounds: int = 1  # passes that learn a translation table from the one before
    learn_similarity: float = 0.45  # first-pass beads this similar train the table
    learn_threshold: float = 0.3  # translation probability a learned pair must reach
    learn_min_count: int = 3  # and the pairs it must co-occur in
    # -- search
    dense_limit: int = 4_000_000  # above n*m cells, a coarse pass sets a band first
    guide_width: int = 48  # band of the second pass around the first pass's path
    paragraph_merge: float = 0.4  # per paragraph beyond one on a side
    paragraph_unsure: float = 0.3  # below this similarity, sentences may cross the border


DEFAULT = Params()


# ---------------------------------------------------------------- bead costs


class BeadScorer:
    """Turns the lexical and length models into bead costs over a band, and similarities."""

    def __init__(
        self,
        lex: LexicalModel,
        length: LengthModel,
        zl: np.ndarray,
        el: np.ndarray,
        p: Params,
        zend: np.ndarray | None = None,
        eend: np.ndarray | None = None,
    ):
        self.lex, self.length, self.p = lex, length, p
        self.zl, self.el = zl.astype(float), el.astype(float)
        # 1 where a unit closes a quotation: a bead should close one on both sides or neither
        self.zend = np.zeros(len(zl)) if zend is None else zend
        self.eend = np.zeros(len(el)) if eend is None else eend
        self.best_z, self.best_e = np.zeros(len(zl)), np.zeros(len(el))
        self.skip_z, self.skip_e = np.full(len(zl), p.skip), np.full(len(el), p.skip)
        # 1 for units a coarser pass found without counterpart (a passage left out)
        self.omitted_z, self.omitted_e = np.zeros(len(zl)), np.zeros(len(el))

    def similarities(self, spans: list[tuple[range, range]], evidence: bool = False) -> np.ndarray:
        """Similarities of many beads at once (0 for beads with an empty side); with
        `evidence`, the plain share of the beads' word weight that is matched instead."""
        out = np.zeros(len(spans))
        full = [k for k, (zr, er) in enumerate(spans) if zr and er]
        if not full:
            return out
        zg = [spans[k][0] for k in full]
        eg = [spans[k][1] for k in full]
        gz, ge = grouping(zg, self.lex.xz.shape[0]), grouping(eg, self.lex.be.shape[0])
        # the block sums of the match matrices are dot products of summed rows
        sz = np.asarray((gz @ self.lex.xz).multiply(binary(ge @ self.lex.be)).sum(axis=1)).ravel()
        se = np.asarray(binary(gz @ self.lex.bz).multiply(ge @ self.lex.we).sum(axis=1)).ravel()
        wz, we = gz @ self.lex.wz_total, ge @ self.lex.we_total
        if evidence:
            out[full] = (np.minimum(sz, wz) + np.minimum(se, we)) / (wz + we + 1.0)
        else:
            out[full] = self._sim(sz, se, wz, we, gz @ self.zl, ge @ self.el)
        return out

    def _sim(self, sz, se, wz, we, lz, le):
        p = self.p
        lex = (np.minimum(sz, wz) + np.minimum(se, we) + p.smoothing * p.prior) / (
            wz + we + p.smoothing
        )
        return p.lexical_weight * lex + (1 - p.lexical_weight) * self.length.score(lz, le)

    def confidence(self, sim: float, margin: float, full: bool = True) -> float:
        """Probability that a bead is right, from its similarity and its margin over the
        nearest other borders (a logistic model fitted on MAC-Dev)."""
        p = self.p
        z = p.conf_margin * margin + (
            p.conf_sim * (sim - p.conf_center) + p.conf_bias if full else 0
        )
        return 1.0 / (1.0 + math.exp(-z))

    def _note_evidence(self, z0, e0, mz, me, wz, we) -> None:
        """Record each sentence's best match with one sentence of the other side in the
        band, and make leaving it unaligned cheap when it has plenty of translatable
        words and none of them is matched nearby: then it is likely untranslated."""
        rows, cols = mz.shape
        zbest = mz.max(axis=1) / np.maximum(wz[:rows], 1e-9)
        ebest = me.max(axis=0) / np.maximum(we[:cols], 1e-9)
        zs, es = slice(z0, z0 + rows), slice(e0, e0 + cols)
        self.best_z[zs] = np.maximum(self.best_z[zs], zbest)
        self.best_e[es] = np.maximum(self.best_e[es], ebest)
        self._update_skips(zs, es)

    def _update_skips(self, zs, es) -> None:
        """Recompute the skip costs of these units (slices or index arrays)."""
        self.skip_z[zs] = self._skip(self.best_z[zs], self.lex.wz_content[zs], self.omitted_z[zs])
        self.skip_e[es] = self._skip(self.best_e[es], self.lex.we_content[es], self.omitted_e[es])

    def _skip(self, best: np.ndarray, weight: np.ndarray, omitted: np.ndarray) -> np.ndarray:
        p = self.p
        evidence = np.minimum(1.0, weight / p.novel_weight)
        novelty = 1.0 - np.minimum(1.0, best / p.novel_match)
        return p.skip * (1.0 - p.novel_discount * np.maximum(evidence * novelty, omitted))

    def mark_omitted(self, zh: np.ndarray, en: np.ndarray) -> None:
        """Make leaving these units unaligned cheap: a coarser pass found whole blocks
        of them without counterpart. (In a text with a common vocabulary, a sentence of
        a left-out passage always matches something nearby a little, and a wrong pair
        would otherwise cost less than leaving both sentences out.)"""
        self.omitted_z[zh], self.omitted_e[en] = 1.0, 1.0
        self._update_skips(zh, en)

    def _unexplained(self, matched: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """1 - the share of one sentence's weight matched in the other side of its bead,
        pulled towards the prior for sentences with little evidence."""
        p = self.p
        return 1.0 - (np.minimum(matched, weight) + p.smoothing * p.prior) / (weight + p.smoothing)

    def _cost(self, a, b, unexplained, fit):
        """Bead cost: each sentence's unexplained share, the length misfit, the prior."""
        p = self.p
        penalty = p.merge * (a + b - 2) + np.where(np.minimum(a, b) >= 2, p.many_to_many, 0.0)
        # the length misfit as a log-likelihood, so that a wildly wrong length (a bead
        # swallowing unrelated sentences) costs far more than a slightly loose one
        misfit = p.length_scale * np.minimum(-np.log(np.maximum(fit, 1e-9)), p.length_cap)
        return (
            p.lexical_weight * unexplained
            + (1 - p.lexical_weight) * (a + b) / 2.0 * misfit
            + penalty
        )

    def bead_costs(self, spans: list[tuple[range, range]], chunk: int = 20_000) -> np.ndarray:
        """The DP's cost of each bead (as in `cost_fn`), for arbitrary spans."""
        if len(spans) > chunk:  # the sparse products grow with the spans: bound memory
            return np.concatenate(
                [self.bead_costs(spans[k : k + chunk], chunk) for k in range(0, len(spans), chunk)]
            )
        a = np.array([len(zr) for zr, _ in spans], dtype=float)
        b = np.array([len(er) for _, er in spans], dtype=float)
        out = np.zeros(len(spans))
        for k in np.nonzero((a == 0) | (b == 0))[0]:
            zr, er = spans[k]
            out[k] = self.skip_z[zr.start : zr.stop].sum() + self.skip_e[er.start : er.stop].sum()
        full = np.nonzero((a > 0) & (b > 0))[0]
        if not len(full):
            return out
        zg = [spans[k][0] for k in full]
        eg = [spans[k][1] for k in full]
        lex = self.lex
        gz, ge = grouping(zg, lex.xz.shape[0]), grouping(eg, lex.be.shape[0])
        # each form once per bead, however many of its units hold it
        en_bag, zh_bag = binary(ge @ lex.be), binary(gz @ lex.bz)
        zk, zi = expand(zg)
        ek, ej = expand(eg)
        sz = np.asarray(lex.xz[zi].multiply(en_bag[zk]).sum(axis=1)).ravel()
        se = np.asarray(zh_bag[ek].multiply(lex.we[ej]).sum(axis=1)).ravel()
        unexplained = np.bincount(
            zk, self._unexplained(sz, lex.wz_total[zi]), minlength=len(full)
        ) + np.bincount(ek, self._unexplained(se, lex.we_total[ej]), minlength=len(full))
        fit = self.length.score(gz @ self.zl, ge @ self.el)
        out[full] = self._cost(a[full], b[full], unexplained, fit)
        if self.p.quote_end:
            zlast = self.zend[[zg[k].stop - 1 for k in range(len(full))]]
            elast = self.eend[[eg[k].stop - 1 for k in range(len(full))]]
            out[full] += self.p.quote_end * (zlast != elast)
        return out

    def margins(self, spans: list[tuple[range, range]]) -> np.ndarray:
        """How much cheaper each bead's borders are than the nearest other borders.

        For each bead, the borders with its neighbours are moved by one sentence on
        either side, in either language; the margin is the least extra cost among these
        alternatives (0 when one is as good: the border is a coin toss).
        """
        n_beads = len(spans)
        alts: list[tuple[range, range]] = []
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
                    a1, a2 = range(z1.start, nz), range(nz, z2.stop)
                    b1, b2 = range(e1.start, ne), range(ne, e2.stop)
                    if (not a1 and not b1) or (not a2 and not b2):
                        continue
                    if max(len(a1), len(b1), len(a2), len(b2)) > 5:
                        continue
                    alts.extend([(a1, b1), (a2, b2)])
                    owners.append((k, first))
                    base_pairs.append(second)
        margin = np.full(n_beads, 1.0)
        if not alts:
            return margin
        base = self.bead_costs(spans)
        alt_cost = self.bead_costs(alts)
        for t, (k, first) in enumerate(owners):
            second = base_pairs[t]
            delta = alt_cost[2 * t] + alt_cost[2 * t + 1] - base[first] - base[second]
            margin[k] = min(margin[k], max(0.0, delta))
        return margin

    def cost_fn(self, zr: range, er: range, lo: np.ndarray, width: int, types):
        """Costs of beads over the band of the sub-problem zr x er (local coordinates)."""
        n, m = len(zr), len(er)
        maxa = max(a for a, _ in types)
        maxb = max(b for _, b in types)

        def costs(i0: int, i1: int) -> dict[tuple[int, int], np.ndarray]:
            r0 = max(0, i0 - maxa)  # unit rows that beads ending in i0..i1 may use
            r1 = min(n, i1)
            c0 = max(0, int(lo[i0]) - maxb)
            c1 = min(m, int(lo[i1 - 1]) + width)
            rows, cols = r1 - r0, c1 - c0
            # match weights of each Chinese row with each English column, per position of
            # the column in its bead and the other way round (see LexicalModel.matches);
            # a dummy row/column keeps shapes valid
            rows_p, cols_p = max(rows, 1), max(cols, 1)
            if rows > 0 and cols > 0:
                mz, me = self.lex.matches(
                    slice(zr.start + r0, zr.start + r1),
                    slice(er.start + c0, er.start + c1),
                    maxa,
                    maxb,
                )
            else:
                mz = [np.zeros((rows_p, cols_p))] * maxb
                me = [np.zeros((rows_p, cols_p))] * maxa
            wz_row = np.zeros(rows_p)
            wz_row[:rows] = self.lex.wz_total[zr.start + r0 : zr.start + r1]
            we_col = np.zeros(cols_p)
            we_col[:cols] = self.lex.we_total[er.start + c0 : er.start + c1]
            if rows > 0 and cols > 0:
                self._note_evidence(zr.start + r0, er.start + c0, mz[0], me[0], wz_row, we_col)
            lz = _cum1(self.zl[zr.start + r0 : zr.start + r1])
            le = _cum1(self.el[er.start + c0 : er.start + c1])
            ii = np.arange(i0, i1)[:, None]
            jj = lo[i0:i1, None] + np.arange(width + 1)[None, :]
            li = ii - r0  # local row of node i in the cumulative arrays
            out: dict[tuple[int, int], np.ndarray] = {}
            for a, b in types:
                ok = (ii - a >= 0) & (jj - b >= 0) & (jj <= m) & (ii <= n)
                ok &= (ii - a >= r0) & (jj - b >= c0) & (jj <= c1)
                if a == 0 or b == 0:
                    if a:
                        skip = self.skip_z[zr.start + r0 + np.clip(li - 1, 0, rows_p - 1)]
                    else:
                        skip = self.skip_e[er.start + c0 + np.clip(jj - 1 - c0, 0, cols_p - 1)]
                    out[(a, b)] = np.where(ok, skip, np.inf)
                    continue
                # the bead holds rows li-a .. li-1 and columns jj-b .. jj-1 (local)
                zrows = [np.clip(li - a + q, 0, rows_p - 1) for q in range(a)]
                ecols = [np.clip(jj - b + q - c0, 0, cols_p - 1) for q in range(b)]
                unexplained = np.zeros(jj.shape)
                for r in zrows:
                    matched = sum(mz[q][r, c] for q, c in enumerate(ecols))
                    unexplained += self._unexplained(matched, wz_row[r])
                for c in ecols:
                    matched = sum(me[q][r, c] for q, r in enumerate(zrows))
                    unexplained += self._unexplained(matched, we_col[c])
                x1, x0 = np.clip(jj - c0, 0, cols), np.clip(jj - b - c0, 0, cols)
                y1, y0 = np.clip(li, 0, rows), np.clip(li - a, 0, rows)
                zlen = lz[y1] - lz[y0]
                elen = le[x1] - le[x0]
                fit = self.length.score(zlen, elen)
                cost = self._cost(a, b, unexplained, fit)
                if self.p.quote_end:
                    zlast = self.zend[zr.start + np.clip(ii - 1, 0, n - 1)]
                    elast = self.eend[er.start + np.clip(jj - 1, 0, m - 1)]
                    cost = cost + self.p.quote_end * (zlast != elast)
                out[(a, b)] = np.where(ok, cost, np.inf)
            return out

        return costs


def _cum1(v: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(v, dtype=float)])


# ---------------------------------------------------------------- search


def _band(n: int, m: int, centre: np.ndarray, width: int) -> np.ndarray:
    lo = np.clip(np.round(centre).astype(int) - width // 2, 0, max(0, m - width))
    lo = np.maximum.accumulate(lo)
    lo[0] = 0
    lo[n] = max(0, m - width)
    return np.minimum.accumulate(lo[::-1])[::-1]


def align_units(
    scorer: BeadScorer,
    zr: range,
    er: range,
    types=BEAD_TYPES,
    guide: np.ndarray | None = None,
) -> list[tuple[range, range]]:
    """Best bead path for Chinese units zr against English units er.

    Small problems are searched in full. Large ones in a band: around `guide` (for each
    Chinese unit, the English unit an earlier pass put beside it) when given, else around
    the path of a coarse pass over blocks of units.
    """
    n, m = len(zr), len(er)
    if n == 0 or m == 0:
        return [(range(i, i + 1), range(er.start, er.start)) for i in zr] + [
            (range(zr.stop, zr.stop), range(j, j + 1)) for j in er
        ]
    if n * m <= scorer.p.dense_limit:
        lo, width = np.zeros(n + 1, dtype=int), m
    else:
        if guide is not None:
            centre, width = guide[zr.start : zr.stop + 1] - er.start, scorer.p.guide_width
        else:
            centre, width = _coarse_centre(scorer, zr, er)
        width = min(width, m)
        lo = _band(n, m, centre, width)
        # a path crosses from row to row only where their bands overlap: where the
        # centre leaps (many units of one side with no counterpart, a side with far more
        # paragraphs than the other), the band widens to follow
        while width < m and int(np.diff(lo).max()) > width:
            width = min(m, width + int(np.diff(lo).max()))
            lo = _band(n, m, centre, width)
    path = best_path(n, m, lo, width, scorer.cost_fn(zr, er, lo, width, types), types)
    return [
        (range(zr.start + i0, zr.start + i1), range(er.start + j0, er.start + j1))
        for i0, i1, j0, j1 in path
    ]


def _coarse_centre(scorer: BeadScorer, zr: range, er: range) -> tuple[np.ndarray, int]:
    """Align blocks of sentences first; the sentence band follows the block path."""
    n, m = len(zr), len(er)
    blocks = max(2, int(math.sqrt(scorer.p.dense_limit)))
    gz = max(1, math.ceil(n / blocks))
    ge = max(1, math.ceil(m / blocks))
    zb = [range(zr.start + s, zr.start + min(n, s + gz)) for s in range(0, n, gz)]
    eb = [range(er.start + s, er.start + min(m, s + ge)) for s in range(0, m, ge)]
    coarse_lex = scorer.lex.rebuilt(zb, eb)
    zl = np.array([scorer.zl[r.start : r.stop].sum() for r in zb])
    el = np.array([scorer.el[r.start : r.stop].sum() for r in eb])
    zend = scorer.zend[[r.stop - 1 for r in zb]]
    eend = scorer.eend[[r.stop - 1 for r in eb]]
    coarse = BeadScorer(coarse_lex, scorer.length, zl, el, scorer.p, zend, eend)
    path = align_units(coarse, range(len(zb)), range(len(eb)), COARSE_TYPES)
    centre = np.zeros(n + 1)
    omitted_z, omitted_e = [], []
    for zbr, ebr in path:
        if not zbr or not ebr:
            blocks = [zb[k] for k in zbr] or [eb[k] for k in ebr]
            (omitted_z if zbr else omitted_e).extend(i for r in blocks for i in r)
        if not zbr:
            continue
        s0, s1 = zb[zbr.start].start - zr.start, zb[zbr.stop - 1].stop - zr.start
        if ebr:
            e0, e1 = eb[ebr.start].start - er.start, eb[ebr.stop - 1].stop - er.start
        else:
            e0 = e1 = (eb[ebr.start].start if ebr.start < len(eb) else er.stop) - er.start
        idx = np.arange(s0, s1 + 1)
        centre[idx] = e0 + (idx - s0) * (e1 - e0) / max(1, s1 - s0)
    scorer.mark_omitted(np.array(omitted_z, dtype=int), np.array(omitted_e, dtype=int))
    width = int(2 * (gz + ge) + 40)
    return centre, width


# ---------------------------------------------------------------- documents


CUES = {"?": "#ask", "？": "#ask", "!": "#exclaim", "！": "#exclaim", "“": "#quote",
        "「": "#quote", "『": "#quote", "‘": "#quote", '"': "#quote"}  # fmt: skip


SINGLE_QUOTE_OPEN = regex.compile(r"(?:^|\s)'\w")


def _cues(text: str) -> list[str]:
    """Punctuation that survives translation (questions, exclamations, quotations),
    as pseudo-words that match their counterpart on the other side."""
    found = {CUES[c] for c in text if c in CUES}
    if "#quote" not in found and SINGLE_QUOTE_OPEN.search(text):
        found.add("#quote")  # English single quotes open speech in many translations
    return sorted(found)


def _matching_words(sentence: Sentence) -> list[str]:
    """The words a sentence is matched on: its lemmas, the parts of English hyphenated
    words (tax-collectors -> tax, collector), @-forms of capitalised words (names) and
    punctuation cues."""
    words = list(sentence.lemmas) + _cues(sentence.text)
    if sentence.lang == EN:
        for tok in sentence.tokens:
            if "-" in tok[1:-1]:
                words.extend(lemma(p) for p in tok.split("-") if p)
            words.extend(name_forms(tok))
            if roman := roman_number(tok):
                words.append(roman)
            if archaic := archaic_form(tok):
                words.append(archaic)
    else:
        words.extend(numbers_in_chinese(sentence.norm))
    return words


QUOTE_END = regex.compile(r"[”’」』\"']\W*$")


def _quote_ends(sentences: list[Sentence]) -> np.ndarray:
    """1 for sentences that close a quotation (the speech ends with them)."""
    return np.array([1.0 if QUOTE_END.search(s.text) else 0.0 for s in sentences])


def _units(sentences: list[Sentence]) -> tuple[list[list[str]], np.ndarray]:
    lemmas = [_matching_words(s) for s in sentences]
    lengths = np.array([len("".join(s.text.split())) for s in sentences], dtype=float)
    return lemmas, lengths


def align_document(
    doc: Document,
    level: str = "sentence",
    params: Params = DEFAULT,
    anchors: dict[str, str] | None = None,
) -> Alignment:
    """Align a segmented document: paragraphs, then sentences, then again with a
    translation table learned from the confident pairs of the first pass.

    `anchors` maps Chinese terms to their English (a user's glossary): the terms are kept
    whole by the tokenizer and count as translations of each other.
    """
    known: dict[str, set[str]] = {}
    if anchors:
        add_words(list(anchors))
        for zh, en in anchors.items():
            forms = {lemma(t) for t in tokenise_en(en) if t[:1].isalnum()}
            known.setdefault(matching_form(zh), set()).update(forms - STOP_LEMMAS)
        tokenise_document(doc)  # again: the terms must stand whole
    if not doc.zh.sentences or not doc.zh.sentences[0].lemmas:
        tokenise_document(doc)
    zs, es = doc.zh.sentences, doc.en.sentences
    zlem, zl = _units(zs)
    elem, el = _units(es)
    length = LengthModel.fit(zl, el, params.length_sigma)
    zunits, eunits = Units(zlem, zl), Units(elem, el)
    lex = build_lexical_model(zunits, eunits, known)
    ends = _quote_ends(zs), _quote_ends(es)
    scorer = BeadScorer(lex, length, zl, el, params, *ends)
    rounds = params.learn_rounds if level == "sentence" else 0
    # a pass that only feeds learning and guides the next one may leave out the rarer
    # bead types: the next pass, in a band around it, has them all
    spans = _align_pass(doc, scorer, level, types=FIRST_PASS_TYPES if rounds else BEAD_TYPES)
    final = not rounds
    for _ in range(rounds):
        sims = scorer.similarities(spans)
        sure = [
            (zr, er)
            for (zr, er), sim in zip(spans, sims, strict=True)
            if zr and er and sim >= params.learn_similarity
        ]
        if len(sure) < 4:
            break
        pairs = [
            ([w for i in zr for w in zlem[i]], [w for j in er for w in elem[j]]) for zr, er in sure
        ]
        table = learn_table(
            pairs, threshold=params.learn_threshold, min_count=params.learn_min_count
        )
        if len(sure) >= 10:
            # the length ratio of the text pair, now from pairs rather than from totals
            zsum = sum(zl[zr.start : zr.stop].sum() for zr, _ in sure)
            esum = sum(el[er.start : er.stop].sum() for _, er in sure)
            length = LengthModel.fit(np.array([zsum]), np.array([esum]), params.length_sigma)
        for zh, forms in known.items():
            table.setdefault(zh, set()).update(forms)
        lex = build_lexical_model(zunits, eunits, table)
        omitted = np.nonzero(scorer.omitted_z)[0], np.nonzero(scorer.omitted_e)[0]
        scorer = BeadScorer(lex, length, zl, el, params, *ends)
        scorer.mark_omitted(*omitted)
        spans = _align_pass(doc, scorer, level, _guide(spans, len(zs)))
        final = True
    if not final:  # too little to learn from: the first pass again, with every bead type
        spans = _align_pass(doc, scorer, level, _guide(spans, len(zs)))
    if level == "paragraph":
        para = _paragraph_scorer(doc, scorer)
        beads = _beads(para, spans, [zr.start if zr else -1 for zr, _ in spans])
    else:
        paras = [zs[zr.start].para if zr else (es[er.start].para if er else -1) for zr, er in spans]
        beads = _beads(scorer, spans, paras)
    return Alignment(doc, beads, level, _title_pair(doc))


def _beads(scorer: BeadScorer, spans: list[tuple[range, range]], paras: list[int]):
    sims, margins = scorer.similarities(spans), scorer.margins(spans)
    evidence = scorer.similarities(spans, evidence=True)
    beads = []
    for (zr, er), sim, mg, ev, p in zip(spans, sims, margins, evidence, paras, strict=True):
        conf = scorer.confidence(sim, mg, bool(zr and er))
        if zr and er:
            # a bead between two good ones may have firm borders and still pair sentences
            # that share no word: little matched evidence caps the confidence, though not
            # to nothing (in MAC-Dev most such beads are free renderings, and right); the
            # floor is the highest that keeps an unrelated pair below one half
            cap = 1.0 / (1.0 + math.exp(-scorer.p.conf_evidence * (ev - 0.1)))
            conf *= scorer.p.conf_floor + (1.0 - scorer.p.conf_floor) * cap
        beads.append(SentenceBead(tuple(zr), tuple(er), round(conf, 4), p))
    return beads


def _para_ranges(side) -> list[range]:
    out, k = [], 0
    for p in side.paragraphs:
        out.append(range(k, k + len(p.sentences)))
        k += len(p.sentences)
    return out


def _paragraph_scorer(doc: Document, scorer: BeadScorer) -> BeadScorer:
    """A scorer whose units are the paragraphs, with its own bead priors."""
    zp, ep = _para_ranges(doc.zh), _para_ranges(doc.en)
    para_lex = scorer.lex.group(zp, ep)
    zl = np.array([scorer.zl[r.start : r.stop].sum() for r in zp])
    el = np.array([scorer.el[r.start : r.stop].sum() for r in ep])
    para_params = replace(scorer.p, merge=scorer.p.paragraph_merge, many_to_many=0.0)
    zend = scorer.zend[[r.stop - 1 if r else 0 for r in zp]]
    eend = scorer.eend[[r.stop - 1 if r else 0 for r in ep]]
    return BeadScorer(para_lex, scorer.length, zl, el, para_params, zend, eend)


def _guide(spans: list[tuple[range, range]], n: int) -> np.ndarray:
    """For each Chinese position 0..n, the English position the spans put beside it."""
    guide = np.zeros(n + 1)
    for zr, er in spans:
        idx = np.arange(zr.start, zr.stop + 1)
        guide[idx] = er.start + (idx - zr.start) * len(er) / max(1, len(zr))
    return guide


def _align_pass(
    doc: Document,
    scorer: BeadScorer,
    level: str,
    guide: np.ndarray | None = None,
    types=BEAD_TYPES,
) -> list[tuple[range, range]]:
    """Sentence spans (or paragraph spans at level=paragraph), as (zh range, en range)."""
    zp, ep = _para_ranges(doc.zh), _para_ranges(doc.en)
    n, m = len(doc.zh.sentences), len(doc.en.sentences)
    if len(zp) <= 1 or len(ep) <= 1:
        if level == "paragraph":
            return [(range(len(zp)), range(len(ep)))]
        return align_units(scorer, range(n), range(m), types, guide=guide)
    para = _paragraph_scorer(doc, scorer)
    groups = align_units(para, range(len(zp)), range(len(ep)), PARAGRAPH_TYPES)
    if level == "paragraph":
        return groups
    # an unsure paragraph bead is merged with its neighbours, so that the sentence pass
    # may cross the paragraph border there
    merged: list[tuple[range, range]] = []
    unsure_prev = False
    for (pz, pe), sim in zip(groups, para.similarities(groups), strict=True):
        unsure = not pz or not pe or sim < scorer.p.paragraph_unsure
        if merged and (unsure or unsure_prev):
            qz, qe = merged[-1]
            merged[-1] = (range(qz.start, pz.stop), range(qe.start, pe.stop))
        else:
            merged.append((pz, pe))
        unsure_prev = unsure
    spans: list[tuple[range, range]] = []
    for pz, pe in merged:
        spans.extend(align_units(scorer, _span(zp, pz, n), _span(ep, pe, m), types, guide=guide))
    return spans


def _span(ranges: list[range], r: range, total: int) -> range:
    """The sentence range of the paragraph range r."""
    if r:
        return range(ranges[r.start].start, ranges[r.stop - 1].stop)
    start = ranges[r.start].start if r.start < len(ranges) else total
    return range(start, start)


def _title_pair(doc: Document) -> tuple[Header, Header] | None:
    en_title = doc.en.header("title")
    zh_title = doc.zh.header("title") or doc.en.header("parallel_title")
    if en_title and zh_title:
        return zh_title, en_title
    zh_title, en_title = doc.zh.header("title"), doc.zh.header("parallel_title")
    if zh_title and en_title and en_title.lang == "en":
        return zh_title, en_title
    return None
