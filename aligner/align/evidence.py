"""The evidence a bead cost is made of: the lexical model (CC-CEDICT, names, numbers, a
learned translation table), the length model (Gale-Church-style, fitted to the text pair),
IBM Model 1 for learning a translation table, and the skip evidence.

The lexical signal is kept as two sparse matrices per text pair so that the match weight
of every sentence pair in a band comes from one sparse product:

* Xz[i, u]: weight of the Chinese words of unit i that may be rendered by English form u,
* Be[j, u]: 1 when English unit j contains form u;
  so (Xz Be^T)[i, j] is the Chinese weight of unit i matched in unit j (a word counted
  once per form of it found there: costs cap the sum at the unit's weight), and
* Bz[i, u]: 1 when some word of Chinese unit i may be rendered by u,
* We[j, u]: weight of form u in English unit j;
  so (Bz We^T)[i, j] is the English weight of unit j matched by unit i.

A bead of several units on one side matches each form once: a name in two Chinese
sentences explains the English sentence that holds it once, not twice (else beads that
join sentences sharing a word look better than they are). `fresh_forms` keeps, per unit,
the forms the units just before it lack, so the band sums stay sparse products.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import regex
from scipy import sparse

from ..config import BeadTypes, Params
from ..lexicon import STOP_LEMMAS, ZH_STOP, translations
from ..names import romanise_all
from .dp import Band
from .features import Units

CONTENT = regex.compile(r"[\p{L}\p{N}]|^[#@]")


def is_content_zh(w: str) -> bool:
    return bool(CONTENT.search(w)) and w not in ZH_STOP


def is_content_en(w: str) -> bool:
    return bool(CONTENT.search(w)) and w not in STOP_LEMMAS


# ---------------------------------------------------------------- lexical model


@dataclass
class ClauseModel:
    """The lexical rows of each unit's last (row 2k) and first (row 2k + 1) clause,
    weighted as the unit's words are (rows of units of one clause are empty): Chinese
    rows as `xz`, English ones as `we`, and each row's total weight."""

    zh: sparse.csr_matrix
    en: sparse.csr_matrix
    wz: np.ndarray
    we: np.ndarray


@dataclass
class LexicalModel:
    """The lexical evidence for one text pair."""

    xz: sparse.csr_matrix
    bz: sparse.csr_matrix
    be: sparse.csr_matrix
    we: sparse.csr_matrix
    wz_total: np.ndarray  # translatable Chinese weight per unit
    we_total: np.ndarray  # matchable English weight per unit
    wz_content: np.ndarray  # all content-word weight per unit, matchable or not
    we_content: np.ndarray
    clauses: ClauseModel | None = None  # of sentence units only
    # `fresh` by side ("zh", "en"), and `_by_form`'s copies ("by form")
    _fresh: dict[str, list[sparse.spmatrix]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # what the model was built from, so that a model of joined units can be built anew
    source: tuple[Units, Units, dict[str, set[str]], Params] | None = field(
        default=None, repr=False, compare=False
    )

    def group(self, zh_groups: Sequence[range], en_groups: Sequence[range]) -> LexicalModel:
        """The model of units made by joining consecutive units (paragraphs, blocks)."""
        gz, ge = grouping(zh_groups, self.xz.shape[0]), grouping(en_groups, self.be.shape[0])
        return LexicalModel(
            (gz @ self.xz).tocsr(),
            binary(gz @ self.bz),
            binary(ge @ self.be),
            (ge @ self.we).tocsr(),
            gz @ self.wz_total,
            ge @ self.we_total,
            gz @ self.wz_content,
            ge @ self.we_content,
        )

    def rebuilt(self, zh_groups: Sequence[range], en_groups: Sequence[range]) -> LexicalModel:
        """The model of joined units built anew from their words: unlike `group`, word
        weights and the chance of an accidental match are those of the joined units (a
        word in every block proves nothing, though it is rare among sentences)."""
        if self.source is None:
            return self.group(zh_groups, en_groups)
        zh, en, extra, params = self.source
        return build_lexical_model(zh.joined(zh_groups), en.joined(en_groups), params, extra)

    def fresh(self, side: str, runs: int) -> list[sparse.csr_matrix]:
        """`fresh_forms` of the Chinese ("zh") or English side, kept for the next band."""
        if len(self._fresh.get(side, ())) < runs:
            self._fresh[side] = fresh_forms(self.bz if side == "zh" else self.be, runs)
        return self._fresh[side]

    def matches(
        self,
        zh_rows: slice,
        en_cols: slice,
        zh_run: int = 1,
        en_run: int = 1,
        needed: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Dense match weights for a block of unit pairs, for beads of up to `zh_run`
        Chinese and `en_run` English units.

        mz[q][i, j] is the Chinese weight of unit i matched by forms of English unit j
        that none of the q units before j has; so the Chinese weight of unit i matched in
        English units j .. j+b-1 is the sum of mz[q][i, j+q] over q < b, each form counted
        once, however many units of the bead hold it. me[q] likewise for English units.

        `needed`, when given, is for each row of the block the first and the last + 1 of
        the block's columns that are read (a band's slanting stripe): only those are
        worked out, by a compiled loop, the others left 0. A band's block is mostly
        outside its stripe; sparse products cannot skip it.
        """
        zfresh, efresh = self.fresh("zh", zh_run), self.fresh("en", en_run)
        if needed is None:
            xz, we_t = self.xz[zh_rows], self.we[en_cols].T
            mz = [(xz @ efresh[q][en_cols].T).toarray() for q in range(en_run)]
            me = [(zfresh[q][zh_rows] @ we_t).toarray() for q in range(zh_run)]
            return mz, me
        rows, cols = zh_rows.stop - zh_rows.start, en_cols.stop - en_cols.start
        lo, hi = (np.ascontiguousarray(v, dtype=np.int64) for v in needed)
        by_form = self._by_form(en_run)
        product = _banded_product()

        def banded(a: sparse.csr_matrix, b: sparse.csc_matrix) -> np.ndarray:
            out = np.zeros((rows, cols), np.result_type(a.dtype, b.dtype))
            product(a.indptr, a.indices, a.data, zh_rows.start, b.indptr, b.indices, b.data,
                    en_cols.start, lo, hi, out)  # fmt: skip
            return out

        mz = [banded(self.xz, by_form[q]) for q in range(en_run)]
        me = [banded(zfresh[q], by_form[-1]) for q in range(zh_run)]
        return mz, me

    def _by_form(self, en_run: int) -> list[sparse.csc_matrix]:
        """The English fresh matrices (`fresh`) and, last, `we`, stored form by form."""
        have = self._fresh.get("by form", [])
        if len(have) < en_run + 1:
            fresh = self.fresh("en", en_run)
            have = [m.tocsc() for m in fresh[:en_run]] + [self.we.tocsc()]
            self._fresh["by form"] = have
        return have[:en_run] + have[-1:]


@cache
def _banded_product():
    """out[i, j] += A[r0 + i, f] * B[f, c0 + j] over forms f, for the columns lo[i] <= j <
    hi[i] of each row only; A by unit (CSR), B by form (a unit-by-form CSC). Each cell
    sums its terms in the order a sparse product does (A's row order), so the numbers are
    those of `A @ B.T` to the bit."""
    import numba

    @numba.njit(cache=True, nogil=True)
    def product(a_ptr, a_idx, a_val, r0, b_ptr, b_idx, b_val, c0, lo, hi, out):  # pragma: no cover
        # where each form's units were left at the row before: the stripe moves right
        # row by row, so a form's place is found by a few steps, not a search
        at = np.full(len(b_ptr) - 1, -1, np.int64)
        for i in range(out.shape[0]):
            j0, j1 = c0 + lo[i], c0 + hi[i]
            if j0 >= j1:
                continue
            for p in range(a_ptr[r0 + i], a_ptr[r0 + i + 1]):
                f, x = a_idx[p], a_val[p]
                s, e = b_ptr[f], b_ptr[f + 1]
                k = at[f]
                if k < 0 or (k > s and b_idx[k - 1] >= j0):
                    k = s + np.searchsorted(b_idx[s:e], j0)
                while k < e and b_idx[k] < j0:
                    k += 1
                at[f] = k
                while k < e and b_idx[k] < j1:
                    out[i, b_idx[k] - c0] += x * b_val[k]
                    k += 1

    return product


def expand(groups: Sequence[range]) -> tuple[np.ndarray, np.ndarray]:
    """(group number, member) for every member of every group, vectorised."""
    starts = np.fromiter((g.start for g in groups), dtype=np.int64, count=len(groups))
    sizes = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
    owner = np.repeat(np.arange(len(groups)), sizes)
    first = np.repeat(np.cumsum(sizes) - sizes, sizes)
    members = np.repeat(starts, sizes) + np.arange(int(sizes.sum())) - first
    return owner, members


def grouping(groups: Sequence[range], n: int) -> sparse.csr_matrix:
    """The matrix that sums the rows of each group."""
    rows, cols = expand(groups)
    data = np.ones(len(rows), dtype=np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(groups), n))


def fresh_forms(b: sparse.csr_matrix, runs: int) -> list[sparse.csr_matrix]:
    """For q < runs, the binary unit-by-form matrix `b` keeping only the forms that none
    of the q units before holds (q = 0: `b` itself)."""
    coo = b.tocoo()
    order = np.lexsort((coo.row, coo.col))
    rows, cols = coo.row[order], coo.col[order]
    gap = np.full(len(rows), np.iinfo(np.int64).max)
    same = cols[1:] == cols[:-1]
    gap[1:][same] = rows[1:][same] - rows[:-1][same]
    out = [b]
    for q in range(1, runs):
        keep = gap > q
        out.append(
            sparse.csr_matrix(
                (np.ones(int(keep.sum()), dtype=b.dtype), (rows[keep], cols[keep])), shape=b.shape
            )
        )
    return out


def binary(m: sparse.spmatrix) -> sparse.csr_matrix:
    m = m.tocsr(copy=True)
    m.data = np.ones_like(m.data)
    return m


def _idf(incidence: sparse.csr_matrix) -> np.ndarray:
    df = np.asarray(incidence.sum(axis=0)).ravel()
    return np.log(1.0 + max(incidence.shape[0], 1) / np.maximum(df, 1.0))


def build_lexical_model(
    zh: Units, en: Units, params: Params, extra: dict[str, set[str]] | None = None
) -> LexicalModel:
    """Build the sparse lexical matrices for a text pair.

    `extra` adds translations learned from the text pair itself (see `learn_table`).
    Words with no possible counterpart on the other side are left out of the weights:
    they carry no evidence either way.
    """
    extra = extra or {}
    pz, zh_words = zh.incidence(is_content_zh)
    pe, en_words = en.incidence(is_content_en)
    vocab = {w: k for k, w in enumerate(en_words)}
    n, m = max(len(zh.lemmas), 1), max(len(en.lemmas), 1)
    # d[t, u] = 1 when Chinese word t may be rendered by English form u
    d_rows, d_cols = [], []
    romanise_all(zh_words)
    for t, w in enumerate(zh_words):
        # sorted: the entries of d in set order would sum in an order set by the hash seed
        for f in sorted(translations(w) | extra.get(w, set())):
            u = vocab.get(f)
            if u is not None:
                d_rows.append(t)
                d_cols.append(u)
    d = sparse.csr_matrix(
        (np.ones(len(d_rows), np.float32), (d_rows, d_cols)), shape=(len(zh_words), len(vocab))
    )
    zh_df = np.asarray(pz.sum(axis=0)).ravel()
    en_df = np.asarray(pe.sum(axis=0)).ravel()
    # A word whose renderings turn up in most sentences of the other side proves little
    # when it matches: weights are scaled by the chance of a match by accident.
    zh_accident = np.minimum(params.accident_cap, d @ (en_df / m))
    en_accident = np.minimum(params.accident_cap, d.T @ (zh_df / n))
    zh_weight = _idf(pz) * (1.0 - zh_accident)
    en_weight = _idf(pe) * (1.0 - en_accident)
    translatable = np.asarray(d.sum(axis=1)).ravel() > 0
    reachable = np.asarray(d.sum(axis=0)).ravel() > 0

    # Xz[i, u]: the weight of unit i's heaviest word that may be rendered by u
    powered = pz @ sparse.diags((zh_weight * translatable) ** params.max_power)
    xz = (powered @ d).tocsr()
    xz.data = (xz.data ** (1.0 / params.max_power)).astype(np.float32)
    xz.eliminate_zeros()
    we = (pe @ sparse.diags((en_weight * reachable).astype(np.float32))).tocsr()
    we.eliminate_zeros()
    clauses = None
    cz, ce = zh.clause_incidence(is_content_zh), en.clause_incidence(is_content_en)
    if cz is not None and ce is not None:
        zh_rows = (cz @ sparse.diags((zh_weight * translatable) ** params.max_power) @ d).tocsr()
        zh_rows.data = (zh_rows.data ** (1.0 / params.max_power)).astype(np.float32)
        en_rows = (ce @ sparse.diags((en_weight * reachable).astype(np.float32))).tocsr()
        wz_rows = cz @ (zh_weight * translatable)
        clauses = ClauseModel(zh_rows, en_rows, wz_rows, np.asarray(en_rows.sum(axis=1)).ravel())
    return LexicalModel(
        xz,
        binary(xz),
        binary(we),
        we,
        pz @ (zh_weight * translatable),
        np.asarray(we.sum(axis=1)).ravel(),
        pz @ zh_weight,
        pe @ en_weight,
        clauses,
        source=(zh, en, extra, params),
    )


# ---------------------------------------------------------------- length model


@dataclass
class LengthModel:
    """English characters per Chinese character, fitted to the text pair itself, and the
    spread of the log ratio; short units are given a wider spread."""

    ratio: float
    sigma: float
    short: float  # characters at which the spread doubles

    @classmethod
    def fit(cls, zh_lengths: np.ndarray, en_lengths: np.ndarray, params: Params) -> LengthModel:
        z, e = float(zh_lengths.sum()), float(en_lengths.sum())
        # a text with whole passages untranslated has totals far off the real ratio;
        # English runs 1.5 to 6 letters per Chinese character
        ratio = min(6.0, max(1.5, e / z)) if z and e else 3.0
        return cls(ratio, params.length_sigma, params.length_short)

    def score(self, lz: np.ndarray, le: np.ndarray) -> np.ndarray:
        """exp(-r^2 / 2 s^2) for the log ratio r of English to expected length: 1 for a
        perfect fit, falling as lengths disagree."""
        expected = lz * self.ratio
        r = np.log((le + 1.0) / (expected + 1.0))
        scale = (expected + le) / 2.0 + 1.0
        var = self.sigma**2 * (1.0 + self.short * self.ratio / scale)
        return np.exp(-(r**2) / (2.0 * var))


# ---------------------------------------------------------------- learned translations


def _word_id(ids: dict[str, int], word: str, keep: Callable[[str], bool]) -> int:
    """The id of a content word (new ids in order of first sight); -1 for other words,
    remembered as such so that each word is judged once."""
    k = ids.get(word)
    if k is None:
        k = ids[word] = len(ids) if keep(word) else -1
    return k


def learn_table(pairs: list[tuple[list[str], list[str]]], params: Params) -> dict[str, set[str]]:
    """IBM Model 1 trained on confident sentence pairs of the text itself.

    Returns, for each Chinese word, the English forms whose translation probability
    passes `params.learn_threshold` and that co-occur with it in at least
    `params.learn_min_count` pairs: domain words and names the dictionary lacks start to
    count in the second pass.
    """
    if len(pairs) > params.learn_max_pairs:
        step = len(pairs) / params.learn_max_pairs
        pairs = [pairs[int(k * step)] for k in range(params.learn_max_pairs)]
    zh_ids: dict[str, int] = {}
    en_ids: dict[str, int] = {"<null>": 0}
    zlists: list[list[int]] = []
    elists: list[list[int]] = []
    for zs, es in pairs:
        # first-seen order (not set order) for ids that are the same whatever the hash seed
        zset = [_word_id(zh_ids, w, is_content_zh) for w in dict.fromkeys(zs)]
        eset = [_word_id(en_ids, w, is_content_en) for w in dict.fromkeys(es)]
        zset = [z for z in zset if z >= 0]
        eset = [e for e in eset if e >= 0]
        if zset and eset:
            zlists.append(zset)
            elists.append(eset)
    if not zlists:
        return {}
    # every English word of a pair may come from any Chinese word of it: one entry per
    # (English occurrence, Chinese word of its pair), built without a Python loop. The
    # entries run to millions on a long text: int32 where the sizes allow, and each
    # intermediate freed as soon as it is used (the peak memory of a whole run was here)
    nz = np.array([len(z) for z in zlists])
    ne = np.array([len(e) for e in elists])
    zflat = np.fromiter((z for zl in zlists for z in zl), dtype=np.int64, count=int(nz.sum()))
    eflat = np.fromiter((e for el in elists for e in el), dtype=np.int64, count=int(ne.sum()))
    zstart = np.cumsum(nz) - nz
    occ_pair = np.repeat(np.arange(len(zlists)), ne)  # the pair of each English occurrence
    reps = nz[occ_pair]
    entries = int(reps.sum())
    small = np.int32 if max(entries, len(eflat)) < 2**31 else np.int64
    occ = np.repeat(np.arange(len(eflat), dtype=small), reps)  # the English occurrence
    # entry k of occurrence o is Chinese word zstart[pair of o] + (k - first entry of o)
    offset = np.repeat(zstart[occ_pair] - (np.cumsum(reps) - reps), reps).astype(small)
    del occ_pair
    offset += np.arange(entries, dtype=small)
    key_type = np.int32 if len(zh_ids) * len(en_ids) < 2**31 else np.int64
    key = zflat[offset].astype(key_type) * key_type(len(en_ids))
    del offset
    key += eflat[occ].astype(key_type)
    uniq, inv = _unique_inverse(key, small)
    del key
    cooc = np.bincount(inv)
    t = np.full(len(uniq), 1.0)
    zu = uniq // len(en_ids)
    for _ in range(params.learn_iterations):
        post = t[inv]
        norm = np.bincount(occ, weights=post)
        post /= norm[occ]
        counts = np.bincount(inv, weights=post, minlength=len(uniq))
        del post
        totals = np.bincount(zu, weights=counts)
        t = counts / totals[zu]
    zh_words = {v: k for k, v in zh_ids.items()}
    en_words = {v: k for k, v in en_ids.items()}
    table: dict[str, set[str]] = {}
    eu = uniq % len(en_ids)
    keep = (t >= params.learn_threshold) & (cooc >= params.learn_min_count)
    for idx in np.nonzero(keep)[0]:
        table.setdefault(zh_words[int(zu[idx])], set()).add(en_words[int(eu[idx])])
    return table


def _unique_inverse(key: np.ndarray, index_type: type) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(key, return_inverse=True), the inverse as `index_type`: the same values,
    in about half the memory (np.unique copies the keys and keeps several int64 arrays
    of their length at once)."""
    perm = np.argsort(key)
    ordered = key[perm]
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    uniq = ordered[first]
    del ordered
    group = np.cumsum(first, dtype=index_type)
    del first
    group -= 1
    inv = np.empty(len(key), dtype=index_type)
    inv[perm] = group
    return uniq, inv


# ---------------------------------------------------------------- skip evidence


@dataclass(frozen=True)
class SkipCosts:
    """The cost of leaving each unit of a stretch unaligned: zh[k] is Chinese unit
    zh_start + k's, en[k] English unit en_start + k's."""

    zh_start: int
    zh: np.ndarray
    en_start: int
    en: np.ndarray


class SkipEvidence:
    """What leaving a unit unaligned costs: `Params.skip`, discounted for a unit with
    plenty of translatable words of which none is matched nearby (likely untranslated),
    or that a coarser pass found in a block without counterpart (a passage left out).

    "Nearby" is what the bands searched so far saw: `gather` raises each unit's best
    match with one unit of the other side, block by block, before a band is searched. A
    unit no band has seen (nor a coarser pass marked) costs the plain `Params.skip`.
    """

    def __init__(self, lex: LexicalModel, params: Params):
        self.lex, self.p = lex, params
        n, m = len(lex.wz_total), len(lex.we_total)
        self.best_z, self.best_e = np.zeros(n), np.zeros(m)
        self.seen_z, self.seen_e = np.zeros(n, dtype=bool), np.zeros(m, dtype=bool)
        # 1 for units a coarser pass found without counterpart
        self.omitted_z, self.omitted_e = np.zeros(n), np.zeros(m)

    def mark_omitted(self, zh: np.ndarray, en: np.ndarray) -> None:
        """Make leaving these units unaligned cheap: a coarser pass found whole blocks
        of them without counterpart. (In a text with a common vocabulary, a sentence of
        a left-out passage always matches something nearby a little, and a wrong pair
        would otherwise cost less than leaving both sentences out.)"""
        self.omitted_z[zh], self.omitted_e[en] = 1.0, 1.0

    def gather(self, band: Band, types: BeadTypes, block: int) -> list[SkipCosts]:
        """The evidence of a band, in blocks of `block` node rows in order: each block
        raises the best matches of the units its beads may hold (its rectangle), and
        its skip costs are those of its rectangle at that point."""
        out = []
        for i0 in range(0, band.n + 1, block):
            zh, en = band.units(i0, min(band.n + 1, i0 + block), types)
            zs, es = slice(zh.start, zh.stop), slice(en.start, en.stop)
            # the match weight of each unit with each single unit of the other side
            (mz,), (me,) = self.lex.matches(zs, es)
            zbest = mz.max(axis=1) / np.maximum(self.lex.wz_total[zs], 1e-9)
            ebest = me.max(axis=0) / np.maximum(self.lex.we_total[es], 1e-9)
            self.best_z[zs] = np.maximum(self.best_z[zs], zbest)
            self.best_e[es] = np.maximum(self.best_e[es], ebest)
            self.seen_z[zs], self.seen_e[es] = True, True
            out.append(self.skip_costs(zh, en))
        return out

    def skip_costs(self, zh: range | None = None, en: range | None = None) -> SkipCosts:
        """The skip costs of these units as of now (all units by default)."""
        zh = range(len(self.best_z)) if zh is None else zh
        en = range(len(self.best_e)) if en is None else en
        zs, es = slice(zh.start, zh.stop), slice(en.start, en.stop)
        lex = self.lex
        zh_skip = self._skip(zs, self.best_z, lex.wz_content, self.omitted_z, self.seen_z)
        en_skip = self._skip(es, self.best_e, lex.we_content, self.omitted_e, self.seen_e)
        return SkipCosts(zh.start, zh_skip, en.start, en_skip)

    def _skip(self, units: slice, best, weight, omitted, seen) -> np.ndarray:
        p = self.p
        best, weight, omitted, seen = best[units], weight[units], omitted[units], seen[units]
        evidence = np.minimum(1.0, weight / p.novel_weight)
        novelty = 1.0 - np.minimum(1.0, best / p.novel_match)
        cost = p.skip * (1.0 - p.novel_discount * np.maximum(evidence * novelty, omitted))
        return np.where(seen | (omitted > 0), cost, p.skip)
