"""What a unit (a sentence, or a paragraph or block of them) is matched on: its matching
words, its length and whether it closes a quotation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import regex
from scipy import sparse

from ..lexicon import archaic_form, derived_forms
from ..model import EN, Sentence
from ..names import name_forms
from ..numbers import numbers_in_chinese, roman_number
from ..tokenise import lemma

CUES = {"?": "#ask", "？": "#ask", "!": "#exclaim", "！": "#exclaim", "“": "#quote",
        "「": "#quote", "『": "#quote", "‘": "#quote", '"': "#quote"}  # fmt: skip
SINGLE_QUOTE_OPEN = regex.compile(r"(?:^|\s)'\w")
QUOTE_END = regex.compile(r"[”’」』\"']\W*$")
# where a sentence's clauses part (lemmas are NFKC: ，；： are , ; :); the enumeration
# comma 、 joins items of one clause
CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "--"})


def cues(text: str) -> list[str]:
    """Punctuation that survives translation (questions, exclamations, quotations),
    as pseudo-words that match their counterpart on the other side."""
    found = {CUES[c] for c in text if c in CUES}
    if "#quote" not in found and SINGLE_QUOTE_OPEN.search(text):
        found.add("#quote")  # English single quotes open speech in many translations
    return sorted(found)


def matching_words(
    sentence: Sentence, extras: list[tuple[str, ...]] | None = None
) -> list[str]:
    """The words a sentence is matched on: its lemmas, the parts of English hyphenated
    words (tax-collectors -> tax, collector), @-forms of capitalised words (names) and
    punctuation cues. `extras`: the English tokens' `en_extra_forms`, when the caller
    has them."""
    words = list(sentence.lemmas) + cues(sentence.text)
    if sentence.lang == EN:
        for forms in extras if extras is not None else map(en_extra_forms, sentence.tokens):
            words.extend(forms)
    else:
        words.extend(numbers_in_chinese(sentence.norm))
    return words


def edge_clauses(
    sentence: Sentence, extras: list[tuple[str, ...]] | None = None
) -> tuple[list[str], list[str]]:
    """The matching words of a sentence's first and last clause; both empty for a
    sentence of one clause (its clauses tell nothing its whole does not). `extras`: the
    English tokens' `en_extra_forms`, when the caller has them."""
    lemmas = sentence.lemmas
    # a break with no word before or after it (a trailing dash) parts no clauses; found
    # by list searches, not a Python loop over every word (the Bible has two million)
    inner = lemmas[1:-1]
    present = CLAUSE_BREAKS.intersection(inner)
    if not present:
        return [], []
    first_break = 1 + min(inner.index(w) for w in present)
    last_break = len(lemmas) - 2 - min(inner[::-1].index(w) for w in present)
    if sentence.lang == EN and extras is None:
        extras = [en_extra_forms(tok) for tok in sentence.tokens]
    first, last = slice(0, first_break), slice(last_break + 1, len(lemmas))
    return _clause_words(lemmas, extras, first), _clause_words(lemmas, extras, last)


def _clause_words(
    lemmas: list[str], extras: list[tuple[str, ...]] | None, part: slice
) -> list[str]:
    words = lemmas[part]
    for forms in extras[part] if extras is not None else ():
        words.extend(forms)
    return words


@lru_cache(maxsize=1 << 18)
def en_extra_forms(token: str) -> tuple[str, ...]:
    """The forms an English token is matched on besides its lemma: the parts of a
    hyphenated word, the @-forms of a name, a Roman numeral's value, a modern form, the
    word a derived or compound word is made from (laughter: laugh).
    Cached: a text uses each word many times (the Bible: 1.2 million calls, 16,000
    words)."""
    forms = [lemma(p) for p in token.split("-") if p] if "-" in token[1:-1] else []
    forms.extend(name_forms(token))
    if roman := roman_number(token):
        forms.append(roman)
    if archaic := archaic_form(token):
        forms.append(archaic)
    else:
        forms.extend(derived_forms(token))
    return tuple(forms)


@dataclass
class Units:
    """The units of one side (sentences, paragraphs or blocks), ready for scoring."""

    lemmas: list[list[str]]  # matching words per unit
    lengths: np.ndarray  # non-space characters per unit
    quote_ends: np.ndarray  # 1 where a unit closes a quotation
    # the matching words of each unit's first and last clause (empty for a unit of one
    # clause; no lists at all for joined units)
    first_clauses: list[list[str]] = field(default_factory=list)
    last_clauses: list[list[str]] = field(default_factory=list)
    _incidences: dict = field(default_factory=dict, repr=False, compare=False)

    def incidence(self, keep: Callable[[str], bool]) -> tuple[sparse.csr_matrix, list[str]]:
        """The binary unit-by-word matrix of the words `keep` accepts, and the words
        (kept: a second lexical model of the same text needs it again)."""
        if keep not in self._incidences:
            self._incidences[keep] = _incidence(self.lemmas, keep)
        return self._incidences[keep]

    def clause_incidence(self, keep: Callable[[str], bool]) -> sparse.csr_matrix | None:
        """The binary matrix of each unit's last (row 2k) and first (row 2k + 1) clause
        by the words of `incidence(keep)`; None for units without clause lists."""
        if not self.first_clauses:
            return None
        key = ("clauses", keep)
        if key not in self._incidences:
            _, words = self.incidence(keep)
            ids = {w: k for k, w in enumerate(words)}
            rows, cols = [], []
            for k, (first, last) in enumerate(zip(self.first_clauses, self.last_clauses,
                                                  strict=True)):  # fmt: skip
                for row, clause in ((2 * k, last), (2 * k + 1, first)):
                    for w in dict.fromkeys(clause):
                        col = ids.get(w)
                        if col is not None:
                            rows.append(row)
                            cols.append(col)
            data = np.ones(len(rows), dtype=np.float32)
            shape = (2 * len(self.lemmas), len(words))
            self._incidences[key] = sparse.csr_matrix((data, (rows, cols)), shape=shape)
        return self._incidences[key]

    def quoting(self) -> float:
        """The share of units that quote (open or close a quotation)."""
        if not self.lemmas:
            return 0.0
        ends = self.quote_ends
        quoted = [q > 0 or "#quote" in words for words, q in zip(self.lemmas, ends, strict=True)]
        return float(np.mean(quoted))

    def without_quotes(self) -> Units:
        """The units with no quotation cue (no #quote word, no quotation end)."""
        return Units(
            [[w for w in words if w != "#quote"] for words in self.lemmas],
            self.lengths,
            np.zeros_like(self.quote_ends),
            self.first_clauses,
            self.last_clauses,
        )

    def joined(self, groups: Sequence[range]) -> Units:
        """The units made by joining each group of consecutive units."""
        return Units(
            [[w for k in g for w in self.lemmas[k]] for g in groups],
            np.array([self.lengths[g.start : g.stop].sum() for g in groups]),
            self.quote_ends[[g.stop - 1 if g else 0 for g in groups]],
        )


def quoting_agrees(zh: Units, en: Units, ratio: float, least: float = 0.05) -> bool:
    """Whether the two sides quote alike: not when one side quotes in at least `least`
    of its units and the other in under `ratio` times as many (a translation that puts
    in quotation marks the original has not, or takes them out). Where they differ, the
    quotation cues would push every bead off by one."""
    qz, qe = zh.quoting(), en.quoting()
    high, low = max(qz, qe), min(qz, qe)
    return high < least or low >= ratio * high


def sentence_features(sentences: list[Sentence]) -> Units:
    """The units of tokenised sentences."""
    words, edges = [], []
    for s in sentences:  # an English token's extra forms looked up once for both
        extras = [en_extra_forms(tok) for tok in s.tokens] if s.lang == EN else None
        words.append(matching_words(s, extras))
        edges.append(edge_clauses(s, extras))
    return Units(
        words,
        np.array([len("".join(s.text.split())) for s in sentences], dtype=float),
        np.array([1.0 if QUOTE_END.search(s.text) else 0.0 for s in sentences]),
        [first for first, _ in edges],
        [last for _, last in edges],
    )


def _incidence(
    units: list[list[str]], keep: Callable[[str], bool]
) -> tuple[sparse.csr_matrix, list[str]]:
    """The binary unit-by-word matrix of the words `keep` accepts, and the words."""
    ids: dict[str, int] = {}
    kept: dict[str, bool] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, unit in enumerate(units):
        # first-seen order, not set order: word ids are matrix columns, and the order in
        # which float sums over columns run must not depend on the hash seed
        for w in dict.fromkeys(unit):
            ok = kept.get(w)
            if ok is None:
                ok = kept[w] = keep(w)
            if ok:
                rows.append(i)
                cols.append(ids.setdefault(w, len(ids)))
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(len(units), len(ids)))
    return matrix, list(ids)
