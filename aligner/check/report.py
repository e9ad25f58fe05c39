"""The check report: what each pair measured (chrF, length ratio) and was flagged for,
the document norms the flags compare with, and the summary. `check_units` measures the
pairs and runs the checks of `CHECKS` on each."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import EN, ZH, Entry, Unit
from ..normalise import matching_forms
from ..tokenise import tokenise_zh
from .checks import CHECKS, FLAG_CODES, Context
from .gloss import chrf, gloss_tokens
from .terms import TermCounts, TermUse, count_terms, glossary_terms, term_uses

CHRF_FLOOR = 5.0  # chrF below this is always low ...
CHRF_SHARE = 0.35  # ... and so is chrF below this share of the document's median
CONFIDENCE_BINS = ("0.0-0.2", "0.2-0.4", "0.4-0.6", "0.6-0.8", "0.8-1.0")


def chars(text: str) -> int:
    """Characters that are not white space: the length the checks compare."""
    return sum(1 for c in text if not c.isspace())


# ---------------------------------------------------------------- records


@dataclass
class Flag:
    code: str  # one of FLAG_CODES
    reason: str  # for people: "confidence 0.31 below 0.5"


@dataclass
class PairCheck:
    index: int  # position of the unit in the checked list (from check_units' start), 0-based
    unit: Unit
    chrf: float | None  # None when a side or the gloss is empty
    ratio: float | None  # English/Chinese characters; None when a side is empty
    gloss: str = ""  # the word-by-word English gloss of the Chinese the chrF compares
    flags: list[Flag] = field(default_factory=list)
    terms: list[TermUse] = field(default_factory=list)  # the glossary's terms in the pair

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.flags]

    @property
    def zh_chars(self) -> int:
        return chars(self.unit.zh)

    @property
    def en_chars(self) -> int:
        return chars(self.unit.en)

    @property
    def one_sided(self) -> bool:
        """A side without text: nothing to compare the other with."""
        return not self.zh_chars or not self.en_chars


@dataclass(frozen=True)
class Norms:
    """A document's norms, over its pairs with both sides (titles left out unless there
    is nothing else)."""

    length: float | None  # the median English/Chinese length ratio
    median_chrf: float | None
    chrf_threshold: float  # chrF below this is low


@dataclass
class Summary:
    pairs: int
    beads: dict[str, int]  # bead type -> count ("1-1", "2-1", "title", ...)
    confidence_bins: dict[str, int]  # CONFIDENCE_BINS label -> count
    unaligned_share: dict[str, float]  # zh/en -> share of characters in one-sided units
    flagged: int
    flag_counts: dict[str, int]  # flag code -> pairs with that flag
    norms: Norms  # over all the pairs checked
    low_confidence: float
    terms: TermCounts | None = None  # term QA, when a glossary was given


@dataclass
class CheckReport:
    summary: Summary
    pairs: list[PairCheck]
    # each document's norms: what a later check of a few of its pairs judges them by (a
    # reviewer's correction is rechecked against the whole document, not against itself)
    norms: dict[str, Norms] = field(default_factory=dict)

    @property
    def flagged(self) -> list[PairCheck]:
        return [p for p in self.pairs if p.flags]


def flag_share(report: CheckReport) -> float:
    """Flagged pairs / pairs (0.0 for an empty alignment): the figure `--fail-under` tests."""
    s = report.summary
    return s.flagged / s.pairs if s.pairs else 0.0


# ---------------------------------------------------------------- norms and summary


def document_norms(pairs: list[PairCheck]) -> Norms:
    body = [p for p in pairs if p.ratio is not None and p.unit.kind != "title"]
    body = body or [p for p in pairs if p.ratio is not None]
    norm = math.exp(statistics.median(math.log(p.ratio) for p in body)) if body else None
    scored = [p.chrf for p in body if p.chrf is not None]
    median_chrf = statistics.median(scored) if scored else None
    threshold = max(CHRF_FLOOR, CHRF_SHARE * median_chrf) if median_chrf else CHRF_FLOOR
    return Norms(norm, median_chrf, threshold)


def _bin(confidence: float) -> str:
    c = 0.0 if math.isnan(confidence) else min(max(confidence, 0.0), 1.0)
    return CONFIDENCE_BINS[min(int(c * 5 + 1e-9), 4)]


def summarise_pairs(pairs: list[PairCheck], norms: Norms, low_confidence: float) -> Summary:
    beads = Counter(p.unit.kind for p in pairs)
    bins = dict.fromkeys(CONFIDENCE_BINS, 0)
    for p in pairs:
        bins[_bin(p.unit.confidence)] += 1
    total = {ZH: 0, EN: 0}
    alone = {ZH: 0, EN: 0}
    for p in pairs:
        zh, en = p.zh_chars, p.en_chars
        total[ZH] += zh
        total[EN] += en
        if not zh or not en:
            alone[ZH] += zh
            alone[EN] += en
    unaligned = {k: (alone[k] / total[k] if total[k] else 0.0) for k in (ZH, EN)}
    counts = Counter(code for p in pairs for code in dict.fromkeys(p.codes))
    return Summary(
        pairs=len(pairs),
        beads=dict(sorted(beads.items(), key=lambda kv: (-kv[1], kv[0]))),
        confidence_bins=bins,
        unaligned_share=unaligned,
        flagged=sum(1 for p in pairs if p.flags),
        flag_counts={c: counts[c] for c in FLAG_CODES if counts[c]},
        norms=norms,
        low_confidence=low_confidence,
    )


# ---------------------------------------------------------------- checking


def _measure(index: int, unit: Unit, tokens: list[str]) -> PairCheck:
    """A pair's gloss, chrF and length ratio, before any check."""
    zh_n, en_n = chars(unit.zh), chars(unit.en)
    gloss = gloss_tokens(tokens)
    return PairCheck(
        index=index,
        unit=unit,
        chrf=chrf(gloss, unit.en) if zh_n and en_n else None,
        ratio=en_n / zh_n if zh_n and en_n else None,
        gloss=gloss,
    )


def check_units(
    units: list[Unit],
    *,
    low_confidence: float = 0.5,
    glossary: Sequence[Entry] | None = None,
    norms: dict[str, Norms] | None = None,
    start: int = 0,
) -> CheckReport:
    """Check an alignment and flag the pairs a reviewer should look at; with a `glossary`,
    also the pairs that do not render its terms as it says (term QA).

    A few pairs of a longer alignment (those around a reviewer's correction) are checked
    with `norms`, the documents' norms of an earlier report, and `start`, the position of
    `units[0]` in the whole list (pair numbers in reasons count from it)."""
    views = matching_forms([u.zh for u in units])
    tokens = [tokenise_zh(view) if view.strip() else [] for view in views]
    pairs = [
        _measure(start + i, u, toks) for i, (u, toks) in enumerate(zip(units, tokens, strict=True))
    ]
    terms = glossary_terms(glossary or [])
    for p, uses in zip(pairs, term_uses(units, views, terms), strict=True):
        p.terms = uses

    # the norms are the document's: each document of a mixed list gets its own
    by_doc: dict[str, list[PairCheck]] = {}
    for p in pairs:
        by_doc.setdefault(p.unit.doc, []).append(p)
    doc_norms = {
        doc: (norms or {}).get(doc) or document_norms(group) for doc, group in by_doc.items()
    }

    for p, view, toks in zip(pairs, views, tokens, strict=True):
        context = Context(pairs, doc_norms[p.unit.doc], view, toks, low_confidence, p.terms)
        for code, check in CHECKS.items():
            reason = check(p, context)
            if reason:
                p.flags.append(Flag(code, reason))

    summary = summarise_pairs(pairs, document_norms(pairs), low_confidence)
    if glossary is not None:
        summary.terms = count_terms(terms, [p.terms for p in pairs])
    return CheckReport(summary=summary, pairs=pairs, norms=doc_norms)
