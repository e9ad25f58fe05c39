"""The checks, one function per flag code, registered in `CHECKS` (code -> function).

A check reads one measured pair and its `Context` and returns the reason to flag the pair
(for people: "confidence 0.31 below 0.5"), or None. A new check is one function here and
one row of the table; the table's order is the order of a pair's flags and of the
summary's counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from ..lexicon import readable_glosses
from ..model import Quantity
from ..normalise import fold
from ..numbers import numbers_en, numbers_zh
from .gloss import chrf
from .terms import inconsistent_reason, missing_reason

if TYPE_CHECKING:
    from .report import Norms, PairCheck
    from .terms import TermUse

LENGTH_TOLERANCE = 1.0  # |log(ratio / norm)| above this is flagged (e ≈ 2.7 times the norm)
SHORT_ZH, SHORT_EN = 8, 20  # pairs shorter than this on both sides are not judged on length
NEIGHBOURS = 3  # how many pairs either side may hold a better-matching English
BETTER_FACTOR, BETTER_MARGIN = 1.25, 2.0  # a neighbour matches better above own × F + M


@dataclass(frozen=True)
class Context:
    """What a check may read besides the pair itself."""

    pairs: list[PairCheck]  # every pair checked (a pair's neighbours among them)
    norms: Norms  # the norms of the pair's document
    view: str  # the Chinese side's matching form
    tokens: list[str]  # jieba's tokens of `view`
    low_confidence: float  # the confidence below which a pair is flagged
    terms: list[TermUse]  # the glossary's terms in the pair (none without a glossary)


Check = Callable[["PairCheck", Context], "str | None"]


# ---------------------------------------------------------------- the checks


def empty_side(p: PairCheck, ctx: Context) -> str | None:
    """A 1-0 or 0-1 bead: text on one side only."""
    if p.zh_chars and p.en_chars:
        return None
    if p.zh_chars:
        return f"no English side ({p.unit.kind}): Chinese only"
    if p.en_chars:
        return f"no Chinese side ({p.unit.kind}): English only"
    return "both sides empty"


def low_confidence(p: PairCheck, ctx: Context) -> str | None:
    """The aligner's confidence below the threshold."""
    if p.unit.confidence < ctx.low_confidence:
        return f"confidence {p.unit.confidence:.2f} below {ctx.low_confidence:g}"
    return None


def length_ratio(p: PairCheck, ctx: Context) -> str | None:
    """The English/Chinese length ratio far from the document's norm (titles and short
    pairs aside)."""
    norm = ctx.norms.length
    if not (
        not p.one_sided
        and p.unit.kind != "title"
        and norm
        and p.ratio
        and (p.zh_chars >= SHORT_ZH or p.en_chars >= SHORT_EN)
        and abs(math.log(p.ratio / norm)) > LENGTH_TOLERANCE
    ):
        return None
    times = p.ratio / norm
    side = "long" if times > 1 else "short"
    return (
        f"English {side} for the Chinese: {p.en_chars}/{p.zh_chars} characters, ratio "
        f"{p.ratio:.2f} is {_times(times)} the document's norm {norm:.2f}"
    )


def number_mismatch(p: PairCheck, ctx: Context) -> str | None:
    """Numbers (digits or Chinese numerals) on one side only."""
    if p.one_sided:
        return None
    zh = numbers_zh(ctx.view, readable_glosses(), ctx.tokens)
    en = numbers_en(p.unit.en)
    zh_only, en_only = zh.unmatched(en), en.unmatched(zh)
    if not zh_only and not en_only:
        return None
    parts = []
    if zh_only:
        parts.append("Chinese only: " + ", ".join(map(_fmt_quantity, zh_only)))
    if en_only:
        parts.append("English only: " + ", ".join(map(_fmt_quantity, en_only)))
    return "; ".join(parts)


def latin_mismatch(p: PairCheck, ctx: Context) -> str | None:
    """Latin-script tokens of the Chinese (APEC, G20, AI) missing in the English."""
    if p.one_sided:
        return None
    missing = missing_latin(p.unit.zh, p.unit.en)
    return "not in the English: " + ", ".join(missing) if missing else None


def identical(p: PairCheck, ctx: Context) -> str | None:
    """The same text on both sides."""
    if p.one_sided or fold(p.unit.zh) != fold(p.unit.en):
        return None
    return "the same text on both sides (untranslated?)"


def low_similarity(p: PairCheck, ctx: Context) -> str | None:
    """chrF far below the document's median (an identical pair is flagged as that)."""
    threshold, median = ctx.norms.chrf_threshold, ctx.norms.median_chrf
    if p.one_sided or fold(p.unit.zh) == fold(p.unit.en):
        return None
    if p.chrf is None or p.chrf >= threshold:
        return None
    return f"chrF {p.chrf:.1f} of the dictionary gloss below {threshold:.1f}" + (
        f" (document median {median:.1f})" if median else ""
    )


def better_match(p: PairCheck, ctx: Context) -> str | None:
    """The English of a nearby pair matches the Chinese much better (a shift)."""
    better = None if p.one_sided else _better_neighbour(ctx.pairs, p)
    if not better:
        return None
    j, score = better
    return (
        f"the English of pair #{j + 1} matches this Chinese better: chrF "
        f"{score:.1f} against {p.chrf or 0:.1f} here"
    )


def term_missing(p: PairCheck, ctx: Context) -> str | None:
    """A glossary term of the Chinese that the English does not render as the glossary
    says (and not in a way that differs from the rest of the document: that is
    term-inconsistent)."""
    return missing_reason(ctx.terms)


def term_inconsistent(p: PairCheck, ctx: Context) -> str | None:
    """A glossary term rendered here in a way the glossary does not give, while the
    document renders it differently elsewhere."""
    return inconsistent_reason(ctx.terms)


CHECKS: dict[str, Check] = {
    "empty-side": empty_side,
    "low-confidence": low_confidence,
    "length-ratio": length_ratio,
    "number-mismatch": number_mismatch,
    "latin-mismatch": latin_mismatch,
    "identical": identical,
    "low-similarity": low_similarity,
    "better-match": better_match,
    "term-missing": term_missing,
    "term-inconsistent": term_inconsistent,
}
FLAG_CODES = tuple(CHECKS)


# ---------------------------------------------------------------- helpers


def _times(x: float) -> str:
    return f"{x:.1f} times" if x >= 1 else f"1/{1 / x:.1f} of"


def _fmt_quantity(q: Quantity) -> str:
    """14, or 14-15 for a range."""
    if q.low == q.high:
        return _fmt_number(q.low)
    return f"{_fmt_number(q.low)}-{_fmt_number(q.high)}"


def _fmt_number(v: float) -> str:
    if float(v).is_integer():
        return f"{int(v):,}" if abs(v) >= 10000 else str(int(v))  # 30,000 but 2027
    return f"{v:.10g}"


def _better_neighbour(pairs: list[PairCheck], p: PairCheck) -> tuple[int, float] | None:
    """The nearby pair (of the same document) whose English the gloss of `p` matches
    much better than its own, with that chrF; None when there is none."""
    if not p.gloss:
        return None
    own = p.chrf or 0.0
    best: tuple[int, float] | None = None
    start = pairs[0].index  # the pairs checked may be a stretch of a longer list
    i = p.index - start
    for j in range(max(0, i - NEIGHBOURS), min(len(pairs), i + NEIGHBOURS + 1)):
        other = pairs[j].unit
        if j == i or other.doc != p.unit.doc or not other.en.strip():
            continue
        score = chrf(p.gloss, other.en) or 0.0
        if score > own * BETTER_FACTOR + BETTER_MARGIN and (best is None or score > best[1]):
            best = (start + j, score)
    return best


LATIN_TOKEN = regex.compile(
    r"[\p{Latin}\p{N}]*\p{Latin}[\p{Latin}\p{N}]*(?:[-.&][\p{Latin}\p{N}]+)*"
)
ACRONYM = regex.compile(r"^\p{Lu}{2,6}$")
UNITS = frozenset("km kg cm mm m g mg ml l kw kwh mw gw gb mb tb kb hz ghz mhz t".split())
MEASURE = regex.compile(r"^[0-9.]*(\p{L}+)$")  # 100km: a number and its unit
NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]")
ALNUM_RUN = regex.compile(r"[\p{L}\p{N}]+")
# an English word with its inner hyphens, points, ampersands and apostrophes: G-20, APEC's
EN_TOKEN = regex.compile(r"[\p{L}\p{N}]+(?:[-.&'’][\p{L}\p{N}]+)*")
LETTERS = regex.compile(r"\p{L}+")


def latin_tokens(text: str) -> list[str]:
    """Latin-script tokens of (Chinese) text: names, acronyms, model numbers."""
    out = []
    for tok in LATIN_TOKEN.findall(fold(text)):
        unit = MEASURE.match(tok)
        if not (unit and unit.group(1).lower() in UNITS):  # 100km: a measure, not a name
            out.append(tok)
    return out


def _key(token: str) -> str:
    return NOT_ALNUM.sub("", token).lower()


def missing_latin(zh: str, en: str) -> list[str]:
    """Latin tokens of the Chinese side that the English does not contain (case and
    punctuation aside: G-20 meets G20, APEC meets APEC's)."""
    en_text = fold(en)
    keys = {_key(t) for t in EN_TOKEN.findall(en_text)}
    keys |= {_key(p) for p in ALNUM_RUN.findall(en_text)}
    keys |= {k[:-1] for k in keys if k.endswith("s")}  # APECs, AIs
    squashed = _key(en_text)
    # initials of the content words (and capitalised ones): `confidence-building measures`
    # spells CBM, `United States of America` USA
    words = LETTERS.findall(en_text)
    initials = "".join(w[0] for w in words if len(w) > 3 or w[0].isupper()).lower()
    out = []
    for tok in latin_tokens(zh):
        k = _key(tok)
        if not k or k in keys or tok in out or len(k) >= 4 and k in squashed:
            continue
        if ACRONYM.match(tok) and tok.lower() in initials:
            continue  # spelt out: AI -> artificial intelligence
        out.append(tok)
    return out
