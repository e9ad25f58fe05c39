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
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations_with_replacement

import numpy as np
from scipy import sparse

from ..config import Params
from ..lexicon import CONNECTIVES_EN, CONNECTIVES_ZH, translations
from ..model import BeadPart, Sentence, SentenceBead
from ..tokenise import lemma
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
CHUNK = 512  # beads whose costs are worked out together


@dataclass
class _Tokens:
    """The tokens of one side of a bead, in order across its sentences."""

    sentence: np.ndarray  # the bead's sentence (0-based within the bead) of each token
    ids: np.ndarray  # its number in the text's vocabulary of this side
    weight: np.ndarray  # its evidence weight (idf), 0 for other tokens
    length: np.ndarray  # its characters, spaces not counted
    cut_after: np.ndarray  # bool: a clause ends after this token
    cut_before: np.ndarray  # bool: a clause may begin at this word (CLAUSE_WORDS)


@dataclass(frozen=True)
class _TokenInfo:
    """What a token brings to a split whatever bead it stands in."""

    forms: frozenset[str]  # what it is matched on (content words only)
    weight: float
    length: float  # characters, spaces not counted
    mark: bool = False  # clause punctuation: a clause ends after it
    clause_word: bool = False  # a clause may begin at it (CLAUSE_WORDS)
    closing_quote: bool = False  # a clause ends after it when it follows a QUOTE_ENDS
    quote_end: bool = False

    @property
    def matched(self) -> bool:
        return bool(self.forms)


class _Vocabulary:
    """The distinct tokens of one side of a text, numbered, each described once (a text
    uses each word many times: the Bible's joined beads hold 634,000 tokens of 16,800
    Chinese and 9,100 English kinds), and their descriptions as columns to gather a
    bead's tokens from."""

    def __init__(self, describe: Callable[[Hashable], _TokenInfo]):
        self.describe = describe
        self.ids: dict[Hashable, int] = {}
        self.infos: list[_TokenInfo] = []
        self._columns: dict[str, np.ndarray] = {}

    def number(self, key: Hashable) -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.infos)
            self.infos.append(self.describe(key))
        return found

    def column(self, name: str) -> np.ndarray:
        """One field of every token described so far, as an array."""
        found = self._columns.get(name)
        if found is None or len(found) != len(self.infos):
            dtype = float if name in ("weight", "length") else bool
            values = [getattr(i, name) for i in self.infos]
            found = self._columns[name] = np.array(values, dtype=dtype)
        return found

    def tokens(self, counts: list[int], ids: list[int]) -> _Tokens:
        """The tokens of a bead from their vocabulary numbers (`counts`: how many each
        of its sentences has)."""
        sentence = np.repeat(np.arange(len(counts)), counts)
        at = np.array(ids, dtype=np.int64)
        cut = self.column("mark")[at]
        # a closing quote after a sentence end inside the sentence ends a clause
        after_end = np.zeros(len(at), dtype=bool)
        after_end[1:] = self.column("quote_end")[at[:-1]] & (sentence[1:] == sentence[:-1])
        cut |= self.column("closing_quote")[at] & after_end
        return _Tokens(
            sentence, at,
            self.column("weight")[at], self.column("length")[at],
            cut, self.column("clause_word")[at],
        )  # fmt: skip


def _chars(token: str) -> int:
    return len("".join(token.split()))


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


class _Links:
    """Which Chinese token may be rendered by which English token (they share a form),
    for every pair of the two vocabularies at once: the pairs that do, as sorted keys
    (Chinese number x English count + English number), remade when a vocabulary grew."""

    def __init__(self, zh: _Vocabulary, en: _Vocabulary):
        self.zh, self.en = zh, en
        self.sizes = (-1, -1)
        self.keys = np.zeros(0, dtype=np.int64)

    def _make(self) -> None:
        nz, ne = self.sizes = (len(self.zh.infos), len(self.en.infos))
        numbers: dict[str, int] = {}  # an English form: its column
        en_rows, en_cols = [], []
        for u, info in enumerate(self.en.infos):
            for f in info.forms:
                en_rows.append(u)
                en_cols.append(numbers.setdefault(f, len(numbers)))
        zh_rows, zh_cols = [], []
        for t, info in enumerate(self.zh.infos):
            for f in info.forms:
                if (col := numbers.get(f)) is not None:
                    zh_rows.append(t)
                    zh_cols.append(col)
        shape = len(numbers)
        zf = sparse.csr_matrix((np.ones(len(zh_rows)), (zh_rows, zh_cols)), shape=(nz, shape))
        ef = sparse.csr_matrix((np.ones(len(en_rows)), (en_rows, en_cols)), shape=(ne, shape))
        shared = (zf @ ef.T).tocoo()
        self.keys = np.sort(shared.row.astype(np.int64) * ne + shared.col)

    def __call__(self, zh: _Tokens, en: _Tokens) -> np.ndarray:
        """links[t, u]: Chinese token t of a bead may be rendered by its English token u."""
        if self.sizes != (len(self.zh.infos), len(self.en.infos)):
            self._make()
        out = np.zeros((len(zh.ids), len(en.ids)), dtype=bool)
        # only tokens with forms can link; asked in the keys' order, the search is faster
        rows, cols = (_by_number(t, v.column("matched")) for t, v in ((zh, self.zh), (en, self.en)))
        if not len(self.keys) or not len(rows) or not len(cols):
            return out
        wanted = zh.ids[rows][:, None] * self.sizes[1] + en.ids[cols][None, :]
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        out[np.ix_(rows, cols)] = self.keys[at] == wanted
        return out


def _by_number(tokens: _Tokens, matched: np.ndarray) -> np.ndarray:
    """The tokens that have forms to match, in the order of their vocabulary numbers."""
    having = np.flatnonzero(matched[tokens.ids])
    return having[np.argsort(tokens.ids[having], kind="stable")]


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


@dataclass
class _Evidence:
    """What the cuts of one bead are chosen by, for each clause range [a, b) of its cut
    side (the other side) and each sentence i of its joined side (the many side)."""

    many_matched: np.ndarray  # [a, b, i]: weight of sentence i's words rendered in [a, b)
    other_matched: np.ndarray  # [a, b, i]: weight of [a, b)'s words rendering sentence i
    other_weight: np.ndarray  # [a, b]
    other_length: np.ndarray  # [a, b]
    many_weight: np.ndarray  # [i]
    many_length: np.ndarray  # [i]
    linked: np.ndarray  # [i]: words of sentence i have counterparts in the bead
    weak: np.ndarray  # [clause]: it begins at a clause word, not after punctuation
    zh_many: bool  # the joined side is the Chinese one


def _evidence(
    many: _Tokens, other: _Tokens, links: np.ndarray, k: int, zh_many: bool,
    clauses: tuple[np.ndarray, np.ndarray],
) -> _Evidence | None:  # fmt: skip
    """The evidence for cutting `other` (whose token t links to token u of `many` when
    links[t, u]) into k clause runs, one per sentence of `many`. None when there is
    nothing to choose or too much."""
    clause, weak = clauses
    c = int(clause[-1]) + 1 if len(clause) else 0
    if c < 1 or math.comb(c + k - 1, k - 1) > MAX_CHOICES:
        return None
    owner = np.zeros((len(many.weight), k))
    owner[np.arange(len(many.weight)), many.sentence] = 1.0
    # only words with a counterpart somewhere in the bead tell where a cut falls, and
    # only those whose counterparts are in one sentence: a word that renders words of
    # two sentences (a name both mention) could go with either
    weights = links.astype(float)
    hit = (weights @ owner) > 0  # [t, i]: other token t renders a word of i
    sure = hit.sum(axis=1) == 1
    w_many = many.weight * (links & sure[:, None]).any(axis=0)
    w_other = other.weight * sure
    # many side: the weight of sentence i's words rendered in clauses [a, b)
    firsts = np.flatnonzero(np.diff(clause, prepend=-1))  # each clause's first token
    reach = np.zeros((c + 1, len(many.weight)))
    np.cumsum(np.logical_or.reduceat(links, firsts, axis=0), axis=0, out=reach[1:])
    rendered = (reach[None, :, :] - reach[:, None, :]) > 0  # [a, b, token]
    many_matched = rendered @ (owner * w_many[:, None])  # [a, b, i]
    # other side: the weight of clauses [a, b) rendering words of sentence i
    # summed token by token as before (a reduceat sums in another order: the last bit of
    # a margin could differ)
    other_clause = np.zeros((c, k))
    np.add.at(other_clause, clause, hit * w_other[:, None])
    other_prefix = np.zeros((c + 1, k))
    np.cumsum(other_clause, axis=0, out=other_prefix[1:])
    other_matched = other_prefix[None, :, :] - other_prefix[:, None, :]
    weight_prefix = np.concatenate([[0.0], np.cumsum(np.bincount(clause, w_other, c))])
    length_prefix = np.concatenate([[0.0], np.cumsum(np.bincount(clause, other.length, c))])
    return _Evidence(
        many_matched, other_matched,
        weight_prefix[None, :] - weight_prefix[:, None],
        np.maximum(length_prefix[None, :] - length_prefix[:, None], 0.0),
        owner.T @ w_many, owner.T @ many.length,
        links.any(axis=0) @ owner > 0, weak, zh_many,
    )  # fmt: skip


def _tables(found: list[_Evidence], length_ratio_fit, p: Params) -> list[np.ndarray]:
    """The cost of pairing each sentence i with each clause range [a, b), [a, b, i], of
    many beads at once: the same numbers bead by bead, in a few array operations in
    place of a few dozen for each bead."""
    if not found:
        return []
    shapes = [e.many_matched.shape for e in found]
    # each cell [a, b, i] of each bead, and where its bead's [a, b] and [i] values stand
    # in the beads' values laid end to end
    sizes = np.array([int(np.prod(shape)) for shape in shapes])
    ks = np.array([shape[2] for shape in shapes])
    bead = np.repeat(np.arange(len(found)), sizes)
    cell = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    at_i = (np.cumsum(ks) - ks)[bead] + cell % ks[bead]
    at_ab = (np.cumsum(sizes // ks) - sizes // ks)[bead] + cell // ks[bead]

    def flat(per_bead) -> np.ndarray:
        return np.concatenate([x.ravel() for x in per_bead])

    many_weight = flat(e.many_weight for e in found)[at_i]
    many_length = flat(e.many_length for e in found)[at_i]
    other_weight = flat(e.other_weight for e in found)[at_ab]
    other_length = flat(e.other_length for e in found)[at_ab]
    zh_many = np.array([e.zh_many for e in found])[bead]
    sp = _split_params(p)
    unexplained = unexplained_share(flat(e.many_matched for e in found), many_weight, sp) + (
        unexplained_share(flat(e.other_matched for e in found), other_weight, sp)
    )
    lz = np.where(zh_many, many_length, other_length)
    le = np.where(zh_many, other_length, many_length)
    table = bead_cost(1, 1, unexplained, length_ratio_fit(lz, le), p)
    # a sentence given an empty range: its words unexplained, at a cost
    empty = p.lexical_weight * unexplained_share(
        0.0, flat(e.many_weight for e in found), sp
    ) + p.split_skip
    tables = np.split(table, np.cumsum(sizes)[:-1])
    empties = np.split(empty, np.cumsum(ks)[:-1])
    out = []
    for t, e, shape in zip(tables, empties, shapes, strict=True):
        t = t.reshape(shape)
        idx = np.arange(shape[0])
        t[idx, idx, :] = e[None, :]
        out.append(t)
    return out


@lru_cache(maxsize=256)
def _choices(c: int, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every choice of k - 1 cuts among c clauses: the cuts, each sentence's range
    (starts, stops), and whether the choice leaves at most one sentence without a
    counterpart."""
    cuts = np.array(list(combinations_with_replacement(range(c + 1), k - 1)), dtype=np.int64)
    bounds = np.hstack([np.zeros((len(cuts), 1), np.int64), cuts.reshape(len(cuts), k - 1),
                        np.full((len(cuts), 1), c, np.int64)])  # fmt: skip
    starts, stops = bounds[:, :-1], bounds[:, 1:]
    return cuts.reshape(len(cuts), k - 1), starts, stops, (starts == stops).sum(axis=1) <= 1


def _choose(e: _Evidence, table: np.ndarray, p: Params) -> Split | None:
    """The best cuts by a bead's cost table, and how sure they are. None when no
    choice is allowed."""
    c, k = table.shape[0] - 1, table.shape[2]
    cuts, starts, stops, ok = _choices(c, k)
    if not ok.any():
        return None
    many_matched, other_matched = e.many_matched, e.other_matched
    costs = table[starts, stops, np.arange(k)[None, :]].sum(axis=1)
    # a cut at a clause word rather than at punctuation
    word_cut = np.append(e.weak, False)
    costs = costs + p.split_word_cut * (word_cut[cuts] & (cuts > 0)).sum(axis=1)
    costs = np.where(ok, costs, np.inf)
    order = np.argsort(costs, kind="stable")
    best = int(order[0])
    margin = float(costs[order[1]] - costs[best]) if len(order) > 1 else p.split_margin_cap
    margin = min(margin, p.split_margin_cap)
    certainty = 1.0 / (1.0 + math.exp(-(p.split_slope * margin + p.split_bias)))
    pieces = tuple(zip(starts[best].tolist(), stops[best].tolist(), strict=True))
    # lengths alone do not place a cut: each sentence given a piece must share a word
    # with it that no other sentence of the bead has ...
    # and a sentence is given no piece only when words of it have counterparts in the
    # bead (which went elsewhere), not for want of any evidence; and not when words of
    # the other side that render it alone stand in another piece: then it is rendered,
    # only not apart from its neighbour (a clause glued on without a comma)
    for i, (a, b) in enumerate(pieces):
        if a < b and many_matched[a, b, i] + other_matched[a, b, i] <= 0:
            certainty = 0.0
        if a == b and not e.linked[i]:
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


def _piece_text(tokens: _Tokens, chosen: np.ndarray, sentences: list[Sentence], zh: bool) -> str:
    """The text of the chosen tokens, each sentence's run as written, a clause mark at
    the piece's end left out unless the bead ends there."""
    keep = np.nonzero(chosen)[0]
    if not len(keep):
        return ""
    last = int(keep[-1])
    if tokens.cut_after[last] and last != len(chosen) - 1 and _is_mark(tokens, sentences, last):
        keep = keep[:-1]
    runs = []
    for k in dict.fromkeys(tokens.sentence[keep].tolist()):
        ts = keep[tokens.sentence[keep] == k]
        starts = _offsets(sentences[k])
        first, final = _position(tokens, int(ts[0])), _position(tokens, int(ts[-1]))
        end = starts[final] + len(sentences[k].tokens[final])
        runs.append(sentences[k].text[starts[first] : end].strip())
    return ("" if zh else " ").join(r for r in runs if r)


def _offsets(sentence: Sentence) -> list[int]:
    """Where each token of a sentence starts in its text. Tokens hold no spaces and
    every other character is in one (a Chinese sentence's tokens spell its text; an
    English one's are `tokenise_en`'s), so each is the first match after the last."""
    starts, at, text = [], 0, sentence.text
    for tok in sentence.tokens:
        at = text.find(tok, at)
        starts.append(at)
        at += len(tok)
    return starts


def _position(tokens: _Tokens, t: int) -> int:
    """Token t's number among its sentence's tokens."""
    return t - int(np.searchsorted(tokens.sentence, tokens.sentence[t]))


def _is_mark(tokens: _Tokens, sentences: list[Sentence], t: int) -> bool:
    """Whether token t is clause punctuation (left out at a piece's end), not a closing
    quote (which the quotation keeps)."""
    token = sentences[int(tokens.sentence[t])].tokens[_position(tokens, t)]
    return token.strip() in CLAUSE_MARKS


class Splitter:
    """Splits the joined beads of one aligned text pair, with its word weights, its
    learned translations and its length model."""

    def __init__(self, cost: BeadCost, zs: list[Sentence], es: list[Sentence]):
        self.cost, self.zs, self.es, self.p = cost, zs, es, cost.p
        source = cost.lex.source
        self.extra = source[2] if source else {}
        self.zh_idf = _idf_of(cost.zh.incidence(is_content_zh), len(zs))
        self.en_idf = _idf_of(cost.en.incidence(is_content_en), len(es))
        self.zh_words = _Vocabulary(self._describe_zh)
        self.en_words = _Vocabulary(self._describe_en)
        self.links = _Links(self.zh_words, self.en_words)

    def _describe_zh(self, key: tuple[str, str]) -> _TokenInfo:
        """A Chinese token (its text, its lemma): the English forms it may be rendered
        by, its weight, whether it is clause punctuation."""
        tok, lem = key
        forms: frozenset[str] = frozenset()
        if is_content_zh(lem):
            forms = frozenset(translations(lem) | self.extra.get(lem, set()))
        weight = self.zh_idf(lem) if forms else 0.0
        if lem in CONNECTIVES_ZH:
            forms, weight = frozenset(CONNECTIVES_ZH[lem]), self.p.split_connective
        mark = bool(tok.strip()) and set(tok.strip()) <= CLAUSE_MARKS
        return _TokenInfo(forms, float(weight), float(_chars(tok)), mark)

    def _describe_en(self, tok: str) -> _TokenInfo:
        """An English token: its matching forms (its lemma and the forms
        `en_extra_forms` gives: names, hyphen parts ...), its weight, the clause
        boundaries it may make."""
        lem = lemma(tok)
        forms = frozenset(f for f in (lem, *en_extra_forms(tok)) if is_content_en(f))
        weight = max((self.en_idf(f) for f in forms), default=0.0)
        if lem in CONNECTIVES_EN:
            forms, weight = frozenset({CONNECTIVES_EN[lem]}), self.p.split_connective
        return _TokenInfo(
            forms, float(weight), float(_chars(tok)), tok in CLAUSE_MARKS,
            tok.lower() in CLAUSE_WORDS, tok in CLOSING_QUOTES, tok in QUOTE_ENDS,
        )  # fmt: skip

    def number(self, zs: list[Sentence], es: list[Sentence]) -> tuple[list[int], list[int]] | None:
        """The vocabulary numbers of the tokens of a bead of these sentences, Chinese and
        English. None when the Chinese tokens do not spell their text (their offsets
        would be wrong)."""
        for s in zs:
            if "".join(s.tokens) != s.text or len(s.lemmas) != len(s.tokens):
                return None
        zh, en = self.zh_words.number, self.en_words.number
        return (
            [zh(key) for s in zs for key in zip(s.tokens, s.lemmas, strict=True)],
            [en(tok) for s in es for tok in s.tokens],
        )

    def split(
        self, bead: SentenceBead, numbers: tuple[list[int], list[int]] | None = None
    ) -> SentenceBead:
        """The bead with its parts, when it joins sentences and a split is sure enough
        (`numbers`: its tokens' from `number`, when they were numbered before)."""
        return self.split_all([bead], [numbers])[0]

    def split_all(
        self, beads: list[SentenceBead], numbers: list[tuple[list[int], list[int]] | None]
    ) -> list[SentenceBead]:
        """`split` of many beads, their costs worked out a chunk of beads at a time."""
        out = list(beads)
        for first in range(0, len(beads), CHUNK):
            found = {}
            for n in range(first, min(first + CHUNK, len(beads))):
                b = beads[n]
                if not _joined(b):
                    continue
                zs, es = [self.zs[i] for i in b.zh], [self.es[j] for j in b.en]
                evidence = self._evidence(zs, es, numbers[n] or self.number(zs, es))
                if evidence is not None:
                    found[n] = (evidence, zs, es)
            tables = _tables([f[0][0] for f in found.values()], self.cost.length.score, self.p)
            for (n, ((evidence, other, clause), zs, es)), table in zip(
                found.items(), tables, strict=True
            ):
                split = _choose(evidence, table, self.p)
                if split is None or split.certainty < self.p.split_min:
                    continue
                b = beads[n]
                conf = round(b.confidence * split.certainty, 4)
                out[n] = replace(b, parts=tuple(
                    BeadPart(zh, en, conf, tuple(b.zh[i] for i in zi), tuple(b.en[j] for j in ej))
                    for zh, en, zi, ej in _parts(split, other, clause, zs, es)
                ))  # fmt: skip
        return out

    def pieces(
        self, zs: list[Sentence], es: list[Sentence]
    ) -> tuple[Split, list[tuple[str, str, tuple[int, ...], tuple[int, ...]]]] | None:
        """The best split of the bead of these sentences (several on one side at least),
        and its parts: (Chinese, English, Chinese sentences, English sentences), the
        sentences numbered within the bead. None when there is no split to choose."""
        found = self._evidence(zs, es, self.number(zs, es))
        if found is None:
            return None
        split = _choose(found[0], _tables([found[0]], self.cost.length.score, self.p)[0], self.p)
        return None if split is None else (split, _parts(split, *found[1:], zs, es))

    def _evidence(
        self, zs: list[Sentence], es: list[Sentence], numbers: tuple[list[int], list[int]] | None
    ) -> tuple[_Evidence, _Tokens, np.ndarray] | None:
        """The evidence for splitting a bead, the tokens of its cut side and their
        clauses."""
        if numbers is None:
            return None
        zt = self.zh_words.tokens([len(s.tokens) for s in zs], numbers[0])
        et = self.en_words.tokens([len(s.tokens) for s in es], numbers[1])
        links = self.links(zt, et)
        zh_many = len(zs) > 1
        if zh_many:
            many, other, k, link = zt, et, len(zs), links.T
        else:
            many, other, k, link = et, zt, len(es), links
        clauses = _clauses(other)
        found = _evidence(many, other, link, k, zh_many, clauses)
        return None if found is None else (found, other, clauses[0])


def _parts(
    found: Split, other: _Tokens, clause: np.ndarray, zs: list[Sentence], es: list[Sentence]
) -> list[tuple[str, str, tuple[int, ...], tuple[int, ...]]]:
    """The parts of a split bead: (Chinese, English, Chinese sentences, English
    sentences), the sentences numbered within the bead."""
    parts = []
    for i, (a, b) in enumerate(found.pieces):
        chosen = (clause >= a) & (clause < b)
        touched = tuple(sorted(set(other.sentence[chosen].tolist())))
        if len(zs) > 1:
            parts.append((zs[i].text, _piece_text(other, chosen, es, False), (i,), touched))
        else:
            parts.append((_piece_text(other, chosen, zs, True), es[i].text, touched, (i,)))
    return parts


def _idf_of(incidence, n: int):
    matrix, words = incidence
    df = dict(zip(words, np.asarray(matrix.sum(axis=0)).ravel().tolist(), strict=True))
    n = max(n, 1)
    return lambda w: math.log(1.0 + n / max(df.get(w, 1.0), 1.0))


def _joined(bead: SentenceBead) -> bool:
    """Whether a bead joins sentences on a side (and has both sides): one to split."""
    return bool(bead.zh and bead.en) and (len(bead.zh) > 1 or len(bead.en) > 1)


def split_beads(beads: list[SentenceBead], cost: BeadCost, zs, es) -> list[SentenceBead]:
    """Every bead, the joined ones with their parts where a split is sure enough."""
    if not any(_joined(b) for b in beads):
        return list(beads)
    splitter = Splitter(cost, zs, es)
    # every token numbered first, so that the vocabularies' links are made once
    numbers = [
        splitter.number([zs[i] for i in b.zh], [es[j] for j in b.en]) if _joined(b) else None
        for b in beads
    ]
    return splitter.split_all(beads, numbers)
