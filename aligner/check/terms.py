"""Term QA: a glossary's terms in each pair's Chinese, and whether the English renders them.

A term is found in a pair's Chinese (its simplified matching form) where it starts and ends
on a word boundary of jieba's cut (the glossary's terms added to its dictionary), so that
发展 is not found in 发展中国家; the longest term first, so that a term inside a longer one
(战略稳定 in 建设性战略稳定关系) is left to the longer one there.

The English renders a term when the content words of one of its renderings (the preferred
English, the variants, the attested renderings) stand together in it, within one clause, in
any order and with up to two other content words among them (`US-China relations` and
`relations between China and the United States` render `China-U.S. relations`): lemmatised
(plural folded), case aside, forms of one stem as one (diplomacy, diplomatic), a hyphenated
word taken as its parts (`military-to-military` meets `military to military`), U.S., US,
USA, America, American and United States as one word.

Where the English has no rendering of the glossary's, the term aligner (`aligner.terms`)
says what English of the pair it aligns with the term, if any. The term is then
- `term-missing`: the reason says what the term aligner sees instead, if anything (`not
  rendered`, `rendered as "area"`);
- `term-inconsistent`, instead, when the term aligner sees a rendering and the document
  renders the term another way elsewhere (as the glossary says, or another way again): one
  term rendered two ways, one of them not the glossary's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import regex

from ..lexicon import EN_STOP
from ..model import Entry, Unit
from ..terms import TextPair, align_terms, tokens_en
from ..terms.inpair import MIN_RECALL
from ..terms.matching import forms_match
from ..tokenise import lemma, tokenise_zh

MAX_INSERTED = 2  # content words the English may add inside a rendering (China-U.S. ...)
SHOWN_RENDERINGS = 3  # renderings a reason names

UNITED_STATES = regex.compile(r"\bUnited\s+States(?:\s+of\s+America)?\b", regex.I)
# U.S., AI, G20, APEC (a longer word in capitals is a word: RELATIONS)
ACRONYM = regex.compile(r"^(?:\p{Lu}\.){2,}$|^(?=.*\p{Lu})[\p{Lu}\p{N}]{2,5}$")
HYPHENS = regex.compile(r"[-‐‑–/]")
US = frozenset({"us", "usa", "america", "american"})


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class Term:
    """A glossary entry as the check reads it."""

    zh: str  # the matching form (simplified) of the Chinese term
    renderings: tuple[str, ...]  # the English, the preferred first
    words: tuple[tuple[str, ...], ...]  # per rendering: the word keys it is found by

    def label(self) -> str:
        """`战略稳定 (strategic stability)`: the term and the renderings the glossary gives."""
        shown = " / ".join(self.renderings[:SHOWN_RENDERINGS])
        more = " / …" if len(self.renderings) > SHOWN_RENDERINGS else ""
        return f"{self.zh} ({shown}{more})"


@dataclass
class TermUse:
    """A glossary term in one pair's Chinese and how the pair's English renders it."""

    term: Term
    pair: int  # the index of the pair in the checked list
    found: str = ""  # the glossary's rendering the English has ("" when none)
    seen: str = ""  # else the English the term aligner gives the term here ("" when none)
    # the other ways the document renders the term: (English, first pair index, whether
    # the glossary gives it); filled for a use rendered another way (`seen`)
    elsewhere: list[tuple[str, int, bool]] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return not self.found and not self.elsewhere

    @property
    def inconsistent(self) -> bool:
        return bool(self.seen and self.elsewhere)


@dataclass(frozen=True)
class TermCounts:
    """What term QA found over the pairs checked."""

    terms: int  # terms in the glossary
    uses: int  # (pair, term) occurrences in the Chinese
    pairs: int  # pairs with a glossary term
    rendered: int  # uses rendered as the glossary says
    other: int  # uses rendered another way (what the term aligner found)
    unrendered: int  # uses with no rendering found at all


# ---------------------------------------------------------------- the glossary


def glossary_terms(entries: Sequence[Entry]) -> list[Term]:
    """The entries as terms, one per Chinese term (the first entry wins, as in a user's
    glossary), longest first; entries without English are left out."""
    out: dict[str, Term] = {}
    for e in entries:
        zh = e.zh_simplified.strip()
        if not zh or zh in out:
            continue
        renderings = dict.fromkeys(r.strip() for r in [e.en, *e.variants, *e.attested])
        found_by = {r: rendering_words(r) for r in renderings if r}
        found_by = {r: words for r, words in found_by.items() if words}
        if found_by:
            out[zh] = Term(zh, tuple(found_by), tuple(found_by.values()))
    return sorted(out.values(), key=lambda t: -len(t.zh))


# ---------------------------------------------------------------- English


@dataclass(frozen=True)
class Word:
    key: str  # the matching form: lemma, acronym letters, `us` for the United States
    stop: bool
    clause: int


def en_words(text: str) -> list[Word]:
    """The English as word keys: hyphenated words as their parts, U.S. and its synonyms as
    one key, stop words marked (the pronoun `us` is one, `US` is not)."""
    out = []
    for t in tokens_en(UNITED_STATES.sub("U.S.", text)):
        if not t.word:
            continue
        parts = [t.text] if ACRONYM.match(t.text) else HYPHENS.split(t.text)
        for part in parts:
            if not part:
                continue
            if ACRONYM.match(part):
                key, stop = part.replace(".", "").lower(), False
            else:
                key, stop = lemma(part), part.lower() in EN_STOP
            out.append(Word("us" if key in US else key, stop, t.clause))
    return out


def rendering_words(rendering: str) -> tuple[str, ...]:
    """The words a rendering is found by: its content words (none for a rendering of
    function words only, which tells nothing)."""
    return tuple(w.key for w in en_words(rendering) if not w.stop)


@cache
def same_word(a: str, b: str) -> bool:
    """Two word keys of one word: the same, or forms of one stem as the term aligner
    takes them (diplomacy/diplomatic, strategy/strategic)."""
    return a == b or forms_match(frozenset({a}), frozenset({b}))


def renders(english: list[Word], words: tuple[str, ...]) -> bool:
    """Are the rendering's `words` among the English's content words, in one clause, in
    any order (US-China relations, relations between China and the U.S.), with at most
    MAX_INSERTED other content words among them?"""
    if not words:
        return False
    seq = [w for w in english if not w.stop]
    width = len(words) + MAX_INSERTED
    for i, first in enumerate(seq):
        if not any(same_word(first.key, w) for w in words):
            continue
        window = [w.key for w in seq[i : i + width] if w.clause == first.clause]
        if _covers(window, words):
            return True
    return False


def glossary_rendering(term: Term, english: list[Word]) -> str:
    """The first of the term's renderings the English has ("" when none)."""
    pairs = zip(term.renderings, term.words, strict=True)
    return next((r for r, words in pairs if renders(english, words)), "")


def _covers(window: list[str], words: tuple[str, ...]) -> bool:
    """Does each of `words` meet a word of its own in `window`?"""
    free = list(window)
    for w in words:
        k = next((k for k, x in enumerate(free) if same_word(x, w)), None)
        if k is None:
            return False
        del free[k]
    return True


# ---------------------------------------------------------------- Chinese


def word_bounds(view: str, cuts: list[list[str]]) -> set[int]:
    """The offsets in `view` where a token of one of the `cuts` starts or ends."""
    bounds = {0, len(view)}
    for tokens in cuts:
        at = 0
        for tok in tokens:
            start = view.find(tok, at)
            if start < 0:
                continue
            bounds |= {start, start + len(tok)}
            at = start + len(tok)
    return bounds


def find_terms(view: str, terms: list[Term], bounds: set[int], rendered: set[str]) -> list[Term]:
    """The terms in the Chinese `view`, each once, in order of first occurrence: on word
    bounds, the longest first, not overlapping one taken before. Of two terms of one
    length that overlap (战略安全 and 安全领域 in 战略安全领域), the one the English renders
    goes first (`rendered`: the terms the English renders): the translator's reading."""
    found = []
    for order, term in enumerate(terms):
        at = view.find(term.zh)
        while at >= 0:
            end = at + len(term.zh)
            if at in bounds and end in bounds:
                found.append((-len(term.zh), term.zh not in rendered, at, order, end, term))
            at = view.find(term.zh, at + 1)
    taken: list[tuple[int, int]] = []
    first: dict[str, int] = {}
    out: list[Term] = []
    for *_, at, _, end, term in sorted(found, key=lambda f: f[:4]):
        if all(end <= s or at >= e for s, e in taken):
            taken.append((at, end))
            if term.zh not in first:
                first[term.zh] = at
                out.append(term)
    return sorted(out, key=lambda t: first[t.zh])


# ---------------------------------------------------------------- the uses


def term_uses(
    units: Sequence[Unit], views: Sequence[str], terms: list[Term]
) -> list[list[TermUse]]:
    """Per pair, the glossary terms of its Chinese (`views`: the matching forms) and how its
    English renders them; a pair with one side empty has none."""
    if not terms:
        return [[] for _ in units]
    words = tuple(t.zh for t in terms)
    out: list[list[TermUse]] = []
    for k, (unit, view) in enumerate(zip(units, views, strict=True)):
        if not view.strip() or not unit.en.strip():
            out.append([])
            continue
        # jieba's cut as it is and with the terms in its dictionary: a term is a word of one
        bounds = word_bounds(view, [tokenise_zh(view), tokenise_zh(view, words)])
        english = en_words(unit.en)
        present = [t for t in terms if t.zh in view]
        found = {t.zh: glossary_rendering(t, english) for t in present}
        rendered = {zh for zh, r in found.items() if r}
        uses = [TermUse(t, k, found[t.zh]) for t in find_terms(view, present, bounds, rendered)]
        _see_other_renderings(unit, view, uses)
        out.append(uses)
    _compare_within_documents(units, out)
    return out


def _see_other_renderings(unit: Unit, view: str, uses: list[TermUse]) -> None:
    """For the terms a pair does not render as the glossary says: the English the term
    aligner aligns with each (its best span), when it is a translation of the term and
    not the rendering of another term of the pair."""
    missing = [u for u in uses if not u.found]
    if not missing:
        return
    taken = [set(rendering_words(u.found)) for u in uses if u.found]
    anchors: dict[str, list[tuple[frozenset[str], int]]] = {u.term.zh: [] for u in missing}
    occurrences, _ = align_terms([TextPair(view, view, unit.en)], anchors)
    best: dict[str, tuple[float, str]] = {}
    for o in occurrences:
        if o.key not in anchors or not o.en or o.recall < MIN_RECALL:
            continue
        words = set(rendering_words(o.en))
        if words and not any(words <= t for t in taken) and o.score > best.get(o.key, (0, ""))[0]:
            best[o.key] = (o.score, o.en)
    for u in missing:
        u.seen = best.get(u.term.zh, (0.0, ""))[1]


def _compare_within_documents(units: Sequence[Unit], uses: list[list[TermUse]]) -> None:
    """Fill `elsewhere` of each use rendered another way: the other ways its document
    renders the term (the glossary's renderings it uses and the other ways seen)."""
    ways: dict[tuple[str, str], dict[tuple[str, ...], tuple[str, int, bool]]] = {}
    for unit, pair_uses in zip(units, uses, strict=True):
        for u in pair_uses:
            text, glossary = (u.found, True) if u.found else (u.seen, False)
            if text:
                doc = ways.setdefault((unit.doc, u.term.zh), {})
                doc.setdefault(rendering_words(text), (text, u.pair, glossary))
    for unit, pair_uses in zip(units, uses, strict=True):
        for u in pair_uses:
            if u.seen and not u.found:
                own = rendering_words(u.seen)
                doc = ways[unit.doc, u.term.zh]
                u.elsewhere = [way for key, way in doc.items() if key != own]


def count_terms(terms: list[Term], uses: list[list[TermUse]]) -> TermCounts:
    flat = [u for pair_uses in uses for u in pair_uses]
    return TermCounts(
        terms=len(terms),
        uses=len(flat),
        pairs=sum(1 for pair_uses in uses if pair_uses),
        rendered=sum(1 for u in flat if u.found),
        other=sum(1 for u in flat if not u.found and u.seen),
        unrendered=sum(1 for u in flat if not u.found and not u.seen),
    )


# ---------------------------------------------------------------- reasons


def missing_reason(uses: list[TermUse]) -> str | None:
    """`term 战略稳定 (strategic stability) not rendered`, or `term 问题 (issue) rendered
    as "question"` when the term aligner sees another rendering; None when nothing is
    missing."""
    parts = []
    for u in uses:
        if u.missing:
            how = f'rendered as "{u.seen}"' if u.seen else "not rendered"
            parts.append(f"term {u.term.label()} {how}")
    return "; ".join(parts) or None


def inconsistent_reason(uses: list[TermUse]) -> str | None:
    """`term 问题 rendered as "question" here, as "issue" in #5 (glossary)`."""
    parts = []
    for u in uses:
        if u.inconsistent:
            others = ", ".join(
                f'as "{text}" in #{pair + 1}' + (" (glossary)" if glossary else "")
                for text, pair, glossary in u.elsewhere
            )
            parts.append(f'term {u.term.zh} rendered as "{u.seen}" here, {others}')
    return "; ".join(parts) or None
