"""Segment-level parts of the beads that join sentences on a side.

A CAT tool segments its source sentence by sentence, so a unit that joins two Chinese
sentences matches neither of them. For such a bead (2-1, 3-1, 2-2 ...: the Chinese side
has several sentences; or 1-2, 1-3 ...: the English side has) the other side's text is
cut into one piece per sentence at clause boundaries (commas, semicolons, colons, dashes,
the sentence ends inside the bead, and English clause words: as, which, because ...),
choosing the cuts by the same evidence the aligner uses: a word of a sentence is
explained when a translation of it lies in the sentence's piece, a word of a piece when
it renders a word of its sentence, and the lengths must fit the text's length ratio.
Only the words whose counterparts are in one sentence of the bead count: they are what
tells where the cut falls. A sentence may get an empty piece (the translator left it
out), at a cost. A split is never kept when lengths alone would place a cut.

The split is kept when the best cuts beat every other choice of cuts by a clear margin:
its certainty is a logistic function of that margin (fitted on MAC-Dev beads made by
joining two consecutive gold pairs, `scripts/split_check.py`), and a part's confidence is
the bead's times that certainty. A bead stays whole when the certainty is below
`Params.split_min`, or when it has too many clauses to try every cut.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations_with_replacement

import numpy as np

from ..config import Params
from ..lexicon import CONNECTIVES_EN, CONNECTIVES_ZH, translations
from ..model import BeadPart, Sentence, SentenceBead
from ..tokenise import lemma, tokenise_en_spans
from .cost import BeadCost, bead_cost, unexplained_share
from .evidence import is_content_en, is_content_zh
from .features import en_extra_forms

# tokens after which a sentence may be cut: clause punctuation, full- and half-width
CLAUSE_MARKS = frozenset("，,；;：:—–─…")
# English words before which a clause may begin without a comma ("... Yu said as he
# stepped aside"); a cut there costs Params.split_word_cut
CLAUSE_WORDS = frozenset(
    "as while when where which who whom whose because although though until before after "
    "since unless whereas but so then".split()
)
# a quotation that ends with its own sentence end inside a sentence ("... toll!' the man
# bellowed"): a clause ends after its closing quote, which stays with the quotation
QUOTE_ENDS = frozenset("!?.")
CLOSING_QUOTES = frozenset("'\"’”")
MAX_CHOICES = 20_000  # choices of cuts a bead may have at most to be tried


@dataclass
class _Tokens:
    """The tokens of one side of a bead, in order across its sentences."""

    sentence: np.ndarray  # the bead's sentence (0-based within the bead) of each token
    start: list[int]  # character offsets in that sentence's text
    end: list[int]
    forms: list[frozenset[str]]  # what a token is matched on (content words only)
    weight: np.ndarray  # its evidence weight (idf), 0 for other tokens
    length: np.ndarray  # its characters, spaces not counted
    cut_after: np.ndarray  # bool: a clause ends after this token
    cut_before: np.ndarray  # bool: a clause may begin at this word (CLAUSE_WORDS)


# what a token brings to a split whatever bead it stands in: its forms and evidence weight
TokenInfo = tuple[frozenset[str], float]


def _zh_tokens(
    sentences: list[Sentence], info: Callable[[str], TokenInfo]
) -> _Tokens | None:
    """The Chinese tokens of sentences (tokens are slices of the text); the forms of a
    token are the English forms it may be rendered by. None when the tokens do not
    spell the text (the offsets would be wrong)."""
    rows: list[tuple[int, int, int, frozenset[str], float, bool, int, bool]] = []
    for k, s in enumerate(sentences):
        if "".join(s.tokens) != s.text or len(s.lemmas) != len(s.tokens):
            return None
        at = 0
        for tok, lem in zip(s.tokens, s.lemmas, strict=True):
            forms, weight = info(lem)
            cut = bool(tok.strip()) and set(tok.strip()) <= CLAUSE_MARKS
            rows.append((k, at, at + len(tok), forms, weight, cut, _chars(tok), False))
            at += len(tok)
    return _table(rows)


def _en_tokens(sentences: list[Sentence], info: Callable[[str], TokenInfo]) -> _Tokens:
    """The English tokens of sentences; the forms of a token are its lemma and the
    forms `en_extra_forms` gives (names, hyphen parts ...)."""
    rows = []
    for k, s in enumerate(sentences):
        before = ""
        for tok, start, end in tokenise_en_spans(s.text):
            forms, weight = info(tok)
            cut = tok in CLAUSE_MARKS or (tok in CLOSING_QUOTES and before in QUOTE_ENDS)
            rows.append((k, start, end, forms, weight, cut, _chars(tok),
                         tok.lower() in CLAUSE_WORDS))  # fmt: skip
            before = tok
    return _table(rows)


def _chars(token: str) -> int:
    return len("".join(token.split()))


def _table(rows) -> _Tokens:
    return _Tokens(
        np.array([r[0] for r in rows], dtype=np.int64),
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        np.array([r[4] for r in rows], dtype=float),
        np.array([r[6] for r in rows], dtype=float),
        np.array([r[5] for r in rows], dtype=bool),
        np.array([r[7] for r in rows], dtype=bool),
    )


def _clauses(tokens: _Tokens) -> tuple[np.ndarray, np.ndarray]:
    """The clause of each token (a new one after clause punctuation, at each sentence
    start and at a clause word not after punctuation), and for each clause whether it
    begins at such a word."""
    n = len(tokens.weight)
    strong = np.zeros(n, dtype=bool)
    strong[1:] = tokens.cut_after[:-1] | (tokens.sentence[1:] != tokens.sentence[:-1])
    weak = np.zeros(n, dtype=bool)
    weak[1:] = tokens.cut_before[1:] & ~strong[1:]
    clause = np.cumsum(strong | weak)
    starts = np.zeros(int(clause[-1]) + 1 if n else 0, dtype=bool)
    starts[clause[weak]] = True
    return clause, starts


def _links(zh: _Tokens, en: _Tokens) -> np.ndarray:
    """links[t, u]: Chinese token t may be rendered by English token u."""
    out = np.zeros((len(zh.forms), len(en.forms)), dtype=bool)
    holders: dict[str, list[int]] = {}  # an English form: the tokens that have it
    for u, forms in enumerate(en.forms):
        for f in forms:
            holders.setdefault(f, []).append(u)
    for t, forms in enumerate(zh.forms):
        for f in forms & holders.keys() if forms else ():
            out[t, holders[f]] = True
    return out


@dataclass(frozen=True)
class Split:
    """The best cuts of a bead: for each sentence of the joined side, the clause range
    of the other side that renders it (empty: none), and how sure the cuts are."""

    pieces: tuple[tuple[int, int], ...]
    certainty: float
    margin: float
    purity: float = 1.0  # share of the matched evidence that falls inside the pairs


@lru_cache(maxsize=8)
def _split_params(p: Params) -> Params:
    """The parameters with the split's smoothing (made once, not once a bead)."""
    return replace(p, smoothing=p.split_smoothing)


def best_split(
    many: _Tokens, other: _Tokens, links: np.ndarray, k: int, zh_many: bool,
    length_ratio_fit, p: Params,
) -> Split | None:  # fmt: skip
    """Cut `other` (whose token t links to token u of `many` when links[t, u]) into k
    clause runs, one per sentence of `many`. None when there is nothing to choose or
    too much."""
    clause, weak = _clauses(other)
    c = int(clause[-1]) + 1 if len(clause) else 0
    if c < 1 or math.comb(c + k - 1, k - 1) > MAX_CHOICES:
        return None
    owner = np.zeros((len(many.weight), k))
    owner[np.arange(len(many.weight)), many.sentence] = 1.0
    # only words with a counterpart somewhere in the bead tell where a cut falls, and
    # only those whose counterparts are in one sentence: a word that renders words of
    # two sentences (a name both mention) could go with either
    hit = (links.astype(float) @ owner) > 0  # [t, i]: other token t renders a word of i
    sure = hit.sum(axis=1) == 1
    w_many = many.weight * (links & sure[:, None]).any(axis=0)
    w_other = other.weight * sure
    # many side: the weight of sentence i's words rendered in clauses [a, b)
    per_clause = np.zeros((c, len(many.weight)))
    np.add.at(per_clause, clause, links.astype(float))
    reach = np.vstack([np.zeros(len(many.weight)), np.cumsum(per_clause > 0, axis=0)])
    rendered = (reach[None, :, :] - reach[:, None, :]) > 0  # [a, b, token]
    many_matched = rendered @ (owner * w_many[:, None])  # [a, b, i]
    # other side: the weight of clauses [a, b) rendering words of sentence i
    other_clause = np.zeros((c, k))
    np.add.at(other_clause, clause, hit * w_other[:, None])
    other_prefix = np.vstack([np.zeros(k), np.cumsum(other_clause, axis=0)])
    other_matched = other_prefix[None, :, :] - other_prefix[:, None, :]
    weight_prefix = np.concatenate([[0.0], np.cumsum(np.bincount(clause, w_other, c))])
    length_prefix = np.concatenate([[0.0], np.cumsum(np.bincount(clause, other.length, c))])
    other_weight = weight_prefix[None, :] - weight_prefix[:, None]  # [a, b]
    other_length = np.maximum(length_prefix[None, :] - length_prefix[:, None], 0.0)
    many_weight = owner.T @ w_many  # [i]
    many_length = owner.T @ many.length
    sp = _split_params(p)
    unexplained = unexplained_share(many_matched, many_weight[None, None, :], sp) + (
        unexplained_share(other_matched, other_weight[:, :, None], sp)
    )
    lz, le = (many_length[None, None, :], other_length[:, :, None])
    fit = length_ratio_fit(lz, le) if zh_many else length_ratio_fit(le, lz)
    table = bead_cost(1, 1, unexplained, fit, p)  # [a, b, i]
    empty = p.lexical_weight * unexplained_share(0.0, many_weight, sp) + p.split_skip
    idx = np.arange(c + 1)
    table[idx, idx, :] = empty[None, :]
    cuts = np.array(list(combinations_with_replacement(range(c + 1), k - 1)), dtype=np.int64)
    bounds = np.hstack([np.zeros((len(cuts), 1), np.int64), cuts.reshape(len(cuts), k - 1),
                        np.full((len(cuts), 1), c, np.int64)])  # fmt: skip
    starts, stops = bounds[:, :-1], bounds[:, 1:]
    ok = (starts == stops).sum(axis=1) <= 1  # at most one sentence without counterpart
    if not ok.any():
        return None
    costs = table[starts, stops, np.arange(k)[None, :]].sum(axis=1)
    # a cut at a clause word rather than at punctuation
    word_cut = np.append(weak, False)
    costs = costs + p.split_word_cut * (word_cut[cuts] & (cuts > 0)).sum(axis=1)
    costs = np.where(ok, costs, np.inf)
    order = np.argsort(costs, kind="stable")
    best = int(order[0])
    margin = float(costs[order[1]] - costs[best]) if len(order) > 1 else p.split_margin_cap
    margin = min(margin, p.split_margin_cap)
    certainty = 1.0 / (1.0 + math.exp(-(p.split_slope * margin + p.split_bias)))
    pieces = tuple((int(a), int(b)) for a, b in zip(starts[best], stops[best], strict=True))
    # lengths alone do not place a cut: each sentence given a piece must share a word
    # with it that no other sentence of the bead has ...
    # and a sentence is given no piece only when words of it have counterparts in the
    # bead (which went elsewhere), not for want of any evidence; and not when words of
    # the other side that render it alone stand in another piece: then it is rendered,
    # only not apart from its neighbour (a clause glued on without a comma)
    linked = links.any(axis=0) @ owner > 0  # [i]
    for i, (a, b) in enumerate(pieces):
        if a < b and many_matched[a, b, i] + other_matched[a, b, i] <= 0:
            certainty = 0.0
        if a == b and not linked[i]:
            certainty = 0.0
        if a == b and other_matched[0, c, i] > p.split_rendered_elsewhere:
            certainty = 0.0
    # the evidence the cuts leave across them: words of a piece that render another
    # sentence, words of a sentence rendered in another piece
    a, b = starts[best], stops[best]
    within = float(sum(many_matched[a[i], b[i], i] + other_matched[a[i], b[i], i]
                       for i in range(k)))  # fmt: skip
    total = float(sum(many_matched[a[j], b[j], i] + other_matched[a[j], b[j], i]
                      for i in range(k) for j in range(k)))  # fmt: skip
    purity = within / total if total > 0 else 0.0
    return Split(pieces, certainty, margin, purity)


def _piece_text(tokens: _Tokens, chosen: np.ndarray, sentences: list[Sentence], sep: str) -> str:
    """The text of the chosen tokens, each sentence's run as written, a clause mark at
    the piece's end left out unless the bead ends there."""
    keep = np.nonzero(chosen)[0]
    if not len(keep):
        return ""
    last = int(keep[-1])
    if tokens.cut_after[last] and last != len(chosen) - 1 and _is_mark(tokens, sentences, last):
        keep = keep[:-1]
    runs = []
    for k in dict.fromkeys(int(tokens.sentence[t]) for t in keep):
        ts = [int(t) for t in keep if tokens.sentence[t] == k]
        runs.append(sentences[k].text[tokens.start[ts[0]] : tokens.end[ts[-1]]].strip())
    return sep.join(r for r in runs if r)


def _is_mark(tokens: _Tokens, sentences: list[Sentence], t: int) -> bool:
    """Whether token t is clause punctuation (left out at a piece's end), not a closing
    quote (which the quotation keeps)."""
    text = sentences[int(tokens.sentence[t])].text[tokens.start[t] : tokens.end[t]]
    return text.strip() in CLAUSE_MARKS


class Splitter:
    """Splits the joined beads of one aligned text pair, with its word weights, its
    learned translations and its length model."""

    def __init__(self, cost: BeadCost, zs: list[Sentence], es: list[Sentence]):
        self.cost, self.zs, self.es, self.p = cost, zs, es, cost.p
        source = cost.lex.source
        self.extra = source[2] if source else {}
        self.zh_idf = _idf_of(cost.zh.incidence(is_content_zh), len(zs))
        self.en_idf = _idf_of(cost.en.incidence(is_content_en), len(es))
        # a text uses each word many times: its forms and weight are worked out once
        self._zh_info: dict[str, TokenInfo] = {}
        self._en_info: dict[str, TokenInfo] = {}

    def zh_info(self, lem: str) -> TokenInfo:
        """The English forms a Chinese lemma may be rendered by, and its weight."""
        found = self._zh_info.get(lem)
        if found is None:
            forms: frozenset[str] = frozenset()
            if is_content_zh(lem):
                forms = frozenset(translations(lem) | self.extra.get(lem, set()))
            weight = self.zh_idf(lem) if forms else 0.0
            if lem in CONNECTIVES_ZH:
                forms, weight = frozenset(CONNECTIVES_ZH[lem]), self.p.split_connective
            found = self._zh_info[lem] = (forms, weight)
        return found

    def en_info(self, tok: str) -> TokenInfo:
        """The matching forms of an English token, and its weight."""
        found = self._en_info.get(tok)
        if found is None:
            lem = lemma(tok)
            forms = frozenset(f for f in (lem, *en_extra_forms(tok)) if is_content_en(f))
            weight = max((self.en_idf(f) for f in forms), default=0.0)
            if lem in CONNECTIVES_EN:
                forms, weight = frozenset({CONNECTIVES_EN[lem]}), self.p.split_connective
            found = self._en_info[tok] = (forms, weight)
        return found

    def split(self, bead: SentenceBead) -> SentenceBead:
        """The bead with its parts, when it joins sentences and a split is sure enough."""
        if not bead.zh or not bead.en or (len(bead.zh) == 1 and len(bead.en) == 1):
            return bead
        found = self.pieces([self.zs[i] for i in bead.zh], [self.es[j] for j in bead.en])
        if found is None or found[0].certainty < self.p.split_min:
            return bead
        conf = round(bead.confidence * found[0].certainty, 4)
        parts = tuple(
            BeadPart(zh, en, conf, tuple(bead.zh[i] for i in zi), tuple(bead.en[j] for j in ej))
            for zh, en, zi, ej in found[1]
        )
        return replace(bead, parts=parts)

    def pieces(
        self, zs: list[Sentence], es: list[Sentence]
    ) -> tuple[Split, list[tuple[str, str, tuple[int, ...], tuple[int, ...]]]] | None:
        """The best split of the bead of these sentences (several on one side at least),
        and its parts: (Chinese, English, Chinese sentences, English sentences), the
        sentences numbered within the bead. None when there is no split to choose."""
        zt = _zh_tokens(zs, self.zh_info)
        if zt is None:
            return None
        et = _en_tokens(es, self.en_info)
        links = _links(zt, et)
        zh_many = len(zs) > 1
        if zh_many:
            many, other, k, link = zt, et, len(zs), links.T
        else:
            many, other, k, link = et, zt, len(es), links
        found = best_split(many, other, link, k, zh_many, self.cost.length.score, self.p)
        if found is None:
            return None
        clause, _ = _clauses(other)
        parts = []
        for i, (a, b) in enumerate(found.pieces):
            chosen = (clause >= a) & (clause < b)
            touched = tuple(sorted({int(s) for s in other.sentence[chosen]}))
            if zh_many:
                parts.append((zs[i].text, _piece_text(other, chosen, es, " "), (i,), touched))
            else:
                parts.append((_piece_text(other, chosen, zs, ""), es[i].text, touched, (i,)))
        return found, parts


def _idf_of(incidence, n: int):
    matrix, words = incidence
    df = dict(zip(words, np.asarray(matrix.sum(axis=0)).ravel().tolist(), strict=True))
    n = max(n, 1)
    return lambda w: math.log(1.0 + n / max(df.get(w, 1.0), 1.0))


def split_beads(beads: list[SentenceBead], cost: BeadCost, zs, es) -> list[SentenceBead]:
    """Every bead, the joined ones with their parts where a split is sure enough."""
    splitter = None
    out = []
    for b in beads:
        if len(b.zh) > 1 or len(b.en) > 1:
            splitter = splitter or Splitter(cost, zs, es)
            b = splitter.split(b)
        out.append(b)
    return out
