"""Check an alignment: flag the pairs a reviewer should look at.

Every pair gets a translation-similarity score (chrF between a word-by-word dictionary
gloss of the Chinese and the English) and a length ratio, and is tested for a handful of
problems, each reported as a `Flag` with a code and a human reason:

- ``empty-side``: a 1-0 or 0-1 bead, text on one side only;
- ``low-confidence``: the aligner's confidence below a threshold;
- ``length-ratio``: the English/Chinese length ratio far from the document's norm;
- ``number-mismatch``: numbers (digits or Chinese numerals) on one side only;
- ``latin-mismatch``: Latin-script tokens of the Chinese (APEC, G20, AI) missing in the English;
- ``identical``: the same text on both sides;
- ``low-similarity``: chrF far below the document's median;
- ``better-match``: the English of a nearby pair matches the Chinese much better (a shift).

`render_table` shows a report in the terminal, `render_html` as a self-contained page.
"""

from __future__ import annotations

import gzip
import html
import math
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import regex

from .model import EN, ZH, Unit

FORMAT_VERSION = 1  # of the readable-gloss cache: bump when compile_glosses changes

LENGTH_TOLERANCE = 1.0  # |log(ratio / norm)| above this is flagged (e ≈ 2.7 times the norm)
CHRF_FLOOR = 5.0  # chrF below this is always low ...
CHRF_SHARE = 0.35  # ... and so is chrF below this share of the document's median
NEIGHBOURS = 3  # how many pairs either side may hold a better-matching English
BETTER_FACTOR, BETTER_MARGIN = 1.25, 2.0  # a neighbour matches better above own × F + M
SHORT_ZH, SHORT_EN = 8, 20  # pairs shorter than this on both sides are not judged on length

CONFIDENCE_BINS = ("0.0-0.2", "0.2-0.4", "0.4-0.6", "0.6-0.8", "0.8-1.0")

FLAG_CODES = (
    "empty-side",
    "low-confidence",
    "length-ratio",
    "number-mismatch",
    "latin-mismatch",
    "identical",
    "low-similarity",
    "better-match",
)


# ---------------------------------------------------------------- results


@dataclass
class Flag:
    code: str  # one of FLAG_CODES
    reason: str  # for people: "confidence 0.31 below 0.5"


@dataclass
class PairCheck:
    index: int  # position of the unit in the checked list, 0-based
    unit: Unit
    chrf: float | None  # None when a side or the gloss is empty
    ratio: float | None  # English/Chinese characters; None when a side is empty
    gloss: str = ""  # the word-by-word English gloss of the Chinese the chrF compares
    flags: list[Flag] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.flags]


@dataclass
class Summary:
    pairs: int
    beads: dict[str, int]  # bead type -> count ("1-1", "2-1", "title", ...)
    confidence_bins: dict[str, int]  # CONFIDENCE_BINS label -> count
    unaligned_share: dict[str, float]  # zh/en -> share of characters in one-sided units
    flagged: int
    flag_counts: dict[str, int]  # flag code -> pairs with that flag
    length_norm: float | None  # the document's median English/Chinese length ratio
    median_chrf: float | None
    chrf_threshold: float
    low_confidence: float

    @property
    def flagged_share(self) -> float:
        return self.flagged / self.pairs if self.pairs else 0.0


@dataclass
class CheckReport:
    summary: Summary
    pairs: list[PairCheck]

    @property
    def flagged(self) -> list[PairCheck]:
        return [p for p in self.pairs if p.flags]


def flag_share(report: CheckReport) -> float:
    """Flagged pairs / pairs (0.0 for an empty alignment): the figure `--fail-under` tests."""
    return report.summary.flagged_share


# ---------------------------------------------------------------- readable glosses

GLOSS_SKIP = regex.compile(
    r"^(?:(?:old |archaic |japanese |unofficial |erhua )?variant of|see |cl:|surname |"
    r"used in|also written|also pr\.|abbr\. for|pr\. |taiwan pr\.|(?:old )?name of|"
    r"[\p{Han}\[\]])",
    regex.I,
)
GLOSS_NOISE = regex.compile(
    r"\([^()]*\)|\[[^\]]*\]|\p{Han}+(?:\|\p{Han}+)?|\bCL:.*$|\b(?:lit|fig|esp|usu)\.\s*|"
    r"\b(?:sb|sth)(?:'s)?\b|~"
)
GLOSS_LEAD = regex.compile(r"^(?:to|a|an|the|of|\s)+\b\s*", regex.I)
ENTRY = regex.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
GLOSS_WORDS = 4  # a gloss keeps at most this many words


def clean_definition(definition: str) -> str:
    """A CC-CEDICT definition without notes: `(of sb) to be (located) at` -> `to be at`."""
    text = definition
    for _ in range(3):  # nested parentheses
        stripped = GLOSS_NOISE.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    text = regex.sub(r"\s+", " ", text).strip(" ,;:")
    return regex.sub(r"\s*;\s*(?:;\s*)*", "; ", text).strip("; ")


def short_gloss(definition: str) -> str:
    """The first sense of a cleaned definition, as a short phrase: `to expand` -> `expand`."""
    first = regex.split(r"[;,]", definition, maxsplit=1)[0]
    first = GLOSS_LEAD.sub("", first).strip()
    return " ".join(first.split()[:GLOSS_WORDS])


def compile_glosses(path) -> dict[str, str]:
    """{simplified headword: its first usable CC-CEDICT definition, cleaned}. Surnames,
    variants and cross-references are passed over; a definition that is only a note, like
    `(completed action marker)`, leaves the empty string (the word glosses as nothing)."""
    table: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = ENTRY.match(line)
            if not m or m.group(2) in table:
                continue
            for d in m.group(4).split("/"):
                d = d.strip()
                if d and not GLOSS_SKIP.match(d):
                    table[m.group(2)] = clean_definition(d)
                    break
    return table


@cache
def readable_glosses() -> dict[str, str]:
    """The readable gloss table, built on first use and cached next to the lexicon."""
    from .lexicon import cedict_path
    from .tokenise import cached_pickle

    src = cedict_path()
    stat = src.stat()
    name = f"glosses-v{FORMAT_VERSION}-{stat.st_size}-{int(stat.st_mtime)}.pickle"
    return cached_pickle(name, lambda: compile_glosses(src))


# Function words whose first CC-CEDICT sense is a rare one (在 `to exist`, 于 `to go`)
COMMON = {"在": "in", "于": "in", "是": "is", "对": "to", "与": "and", "及": "and",
          "并": "and", "而": "and", "从": "from", "把": "", "被": "by", "让": "let",
          "向": "to", "为": "for", "以": "with", "将": "will", "会": "will", "要": "will",
          "也": "also", "都": "all", "就": "then", "但": "but", "着": "", "过": "",
          "之": "of", "其": "its", "该": "this", "此": "this", "等": "etc", "上": "on",
          "中": "in", "里": "in", "后": "after", "前": "before", "时": "when",
          "吧": "", "呢": "", "吗": "", "啊": "", "呀": "", "嘛": "", "个": "", "们": "",
          "地": "", "得": "", "所": "", "月": "month", "日": "day", "号": "number",
          "年": "year", "至": "to", "华": "China", "下": "under", "来": "come",
          "去": "go"}  # fmt: skip
LATIN_OR_DIGITS = regex.compile(r"^[\p{Latin}\p{N}][\p{Latin}\p{N}.,\-'%]*$")
HAN_WORD = regex.compile(r"^\p{Han}+$")


@cache
def gloss_token(token: str) -> str:
    """A readable English gloss of one Chinese token ('' when there is none): Latin and
    digits as themselves, dictionary words by their first sense, numerals as digits, other
    Han words by their longest dictionary parts."""
    from .lexicon import chinese_number

    if LATIN_OR_DIGITS.match(token):
        return token
    if not HAN_WORD.match(token):
        return ""
    if token in COMMON:
        return COMMON[token]
    table = readable_glosses()
    if token in table:
        return short_gloss(table[token])
    number = chinese_number(token)
    if number is not None:
        return str(number)
    parts, i = [], 0
    while i < len(token):
        for j in range(min(len(token), i + 4), i, -1):
            if token[i:j] in table:
                parts.append(short_gloss(table[token[i:j]]))
                i = j
                break
        else:
            i += 1
    return " ".join(p for p in parts if p)


def gloss_tokens(tokens: list[str]) -> str:
    return " ".join(g for g in map(gloss_token, tokens) if g)


def gloss_zh(text: str) -> str:
    """A word-by-word English gloss of Chinese text: 中国经济增长 -> `China economy growth`."""
    from .normalise import matching_form
    from .tokenise import tokenize_zh

    return gloss_tokens(tokenize_zh(matching_form(text)))


@cache
def _chrf_metric():
    from sacrebleu.metrics import CHRF

    return CHRF(lowercase=True)


def chrf(gloss: str, english: str) -> float | None:
    """sacrebleu's sentence chrF of a gloss against the English (None if either is empty)."""
    if not gloss.strip() or not english.strip():
        return None
    return _chrf_metric().sentence_score(gloss, [english]).score


# ---------------------------------------------------------------- numbers

NUMBER_WORDS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
          "trillion": 10**12}  # fmt: skip
# words that may render a number without naming it: they match but do not demand a match
# (ordinals too: `Second,` often renders 其次, not 第二)
WEAK_WORDS = {
    "one": 1, "first": 1, "a": 1, "an": 1, "once": 1, "single": 1, "both": 2, "twice": 2,
    "double": 2, "pair": 2, "bilateral": 2, "dual": 2, "twin": 2, "half": 0.5, "dozen": 12,
    "dozens": 12, "decade": 10, "decades": 10, "century": 100, "centuries": 100,
    "hundreds": 100, "thousands": 1000, "millions": 10**6, "billions": 10**9, "triple": 3,
    "trilateral": 3, "tripartite": 3, "quarter": 4, "second": 2, "third": 3, "fourth": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "eleventh": 11, "twelfth": 12, "twentieth": 20, "thirtieth": 30, "fiftieth": 50,
    "hundredth": 100, "thousandth": 1000, "january": 1, "february": 2, "march": 3,
    "april": 4, "may": 5, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10,
    "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12, "monday": 1,
    "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
    "ii": 2, "iii": 3, "iv": 4, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
}  # fmt: skip
EN_NUMBER = regex.compile(
    r"(?<![\p{Latin}0-9.,]|\p{Latin}-)([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)"
    r"(?:\s*-?\s*(hundred|thousand|million|billion|trillion)s?\b)?",
)
EN_WORD = regex.compile(r"[\p{L}]+")
ZH_DIGITS_NUMBER = regex.compile(
    r"(?<![\p{Latin}0-9.,]|\p{Latin}-)([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)\s*([万亿千百]*)"
)
ZH_SCALES = {"百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
ZH_NUMERAL = regex.compile(
    r"第?([零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?)"
)
MONTH_OR_DAY = regex.compile(r"^(?:[一二三四五六七八九十]+月|(?:星期|礼拜|周)[一二三四五六日天])$")
NUMBER_MENTION = regex.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|"
    r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundred|thousand|million|billion|"
    r"first|second|third|(?:four|fif|six|seven|eigh|nin|ten)th|\d)",
    regex.I,
)


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _scaled(value: float, scales: str) -> float:
    for c in scales:
        value *= ZH_SCALES.get(c, 1)
    return value


def _zh_numeral(word: str) -> float | None:
    """三千五百 -> 3500, 三亿五千万 -> 350000000, 三点五 -> 3.5."""
    from .lexicon import ZH_DIGITS, chinese_number

    whole, _, frac = word.partition("点")
    parts = whole.split("亿")
    total: float = 0
    for k, part in enumerate(reversed(parts)):
        if part:
            v = chinese_number(part)
            if v is None:
                return None
            total += v * 10 ** (8 * k)
    if len(parts) > 1 and not parts[0]:
        total += 10 ** (8 * (len(parts) - 1))  # 亿 alone: one hundred million
    if frac:
        if any(ZH_DIGITS.get(c, 10) >= 10 for c in frac):
            return None
        total = float(f"{total}.{''.join(str(ZH_DIGITS[c]) for c in frac)}")
    return total


def numbers_en(text: str) -> tuple[set[float], set[float]]:
    """(numbers the English states, numbers it may only imply): `3.5 billion` -> 3.5e9,
    `five` -> 5, `both` -> 2 (implied). Digits inside names (G20, COVID-19) are left to the
    Latin-token check."""
    strong: set[float] = set()
    weak: set[float] = set()
    for m in EN_NUMBER.finditer(text):
        v = _value(m.group(1))
        if m.group(2):
            strong.add(v * SCALES[m.group(2).lower()])
            weak.add(v)
        else:
            strong.add(v)
    taken = [m.span() for m in EN_NUMBER.finditer(text) if m.group(2)]
    words = [w for w in EN_WORD.finditer(text) if not any(a <= w.start() < b for a, b in taken)]
    i = 0
    while i < len(words):
        w = words[i].group(0).lower()
        if w in NUMBER_WORDS or w in SCALES:
            # a run of number words joined by spaces, hyphens or `and`: twenty-five,
            # two thousand and nineteen
            value, current, j, end = 0, 0, i, i
            while j < len(words):
                x = words[j].group(0).lower()
                if j > i and text[words[j - 1].end() : words[j].start()].strip(" -"):
                    break
                if x == "and" and j > i and words[j - 1].group(0).lower() in SCALES:
                    j += 1
                    continue
                if x in NUMBER_WORDS:
                    current += NUMBER_WORDS[x]
                elif x in SCALES:
                    current = (current or 1) * SCALES[x]
                    if SCALES[x] >= 1000:
                        value, current = value + current, 0
                else:
                    break
                j += 1
                end = j
            if value + current:
                strong.add(value + current)
            i = end
            continue
        if w in WEAK_WORDS:
            weak.add(WEAK_WORDS[w])
        i += 1
    return strong, weak


def _spans(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for tok in tokens:
        start = text.find(tok, pos)
        if start < 0:
            return []
        out.append((start, start + len(tok)))
        pos = start + len(tok)
    return out


def numbers_zh(text: str, tokens: list[str] | None = None) -> tuple[set[float], set[float]]:
    """(numbers the Chinese states, numbers it may only imply): 30亿 -> 3e9, 百分之五 -> 5,
    三家 -> 3, 三亿五千万 -> 3.5e8. A lone 一, months and weekdays, numerals inside a word
    (统一 `unify`) and in words CC-CEDICT glosses without a number (十分 `very`, 万一 `just
    in case`) are only implied. `tokens` are jieba's tokens of `text` (its matching form)."""
    from .normalise import matching_form
    from .tokenise import tokenize_zh

    text = matching_form(text)
    if tokens is None or not _spans(text, tokens):
        tokens = tokenize_zh(text)
    spans = _spans(text, tokens)
    strong: set[float] = set()
    weak: set[float] = set()
    for m in ZH_DIGITS_NUMBER.finditer(text):
        v = _value(m.group(1))
        strong.add(_scaled(v, m.group(2)) if m.group(2) else v)
        if m.group(2):
            weak.add(v)
    if "双" in text or "俩" in text:
        weak.add(2)  # 双方 `the two sides`, 双边 `bilateral`
    table = readable_glosses()
    for m in ZH_NUMERAL.finditer(text):
        run = m.group(1)
        value = _zh_numeral(run)
        if value is None:
            continue
        if m.start() > 0 and text[m.start() - 1].isdigit():
            continue  # the scale of a number in digits: 30亿
        inside = [(a, b) for a, b in spans if a < m.end(1) and b > m.start(1)]
        first, last = (inside[0][0], inside[-1][1]) if inside else (m.start(), m.end())
        # the words the numeral may be part of: its tokens, and the token from the numeral
        # on (两岸关系 holds 两岸 `both shores`)
        words = {text[a:b] for a, b in inside} | {run}
        words |= {text[m.start(1) : k] for k in range(m.end(1) + 1, last + 1)}
        prefix = text[first : m.start()]
        if (
            run == "一"
            or not regex.search(r"[零〇一二两三四五六七八九十]", run)  # 千万 (by all means)
            or any(MONTH_OR_DAY.match(w) for w in words)
            or len(inside) == 1
            and any(w in table and not NUMBER_MENTION.search(table[w]) for w in words)
            or prefix not in ("", "百分之", "千分之")  # 统一 (unify), 唯一 (only)
        ):
            weak.add(value)
        else:
            strong.add(value)
    return strong, weak


def _fmt_number(v: float) -> str:
    if float(v).is_integer():
        return f"{int(v):,}" if abs(v) >= 10000 else str(int(v))  # 30,000 but 2027
    return f"{v:.10g}"


# ---------------------------------------------------------------- Latin tokens

LATIN_TOKEN = regex.compile(
    r"[\p{Latin}\p{N}]*\p{Latin}[\p{Latin}\p{N}]*(?:[-.&][\p{Latin}\p{N}]+)*"
)
ACRONYM = regex.compile(r"^\p{Lu}{2,6}$")
UNITS = frozenset("km kg cm mm m g mg ml l kw kwh mw gw gb mb tb kb hz ghz mhz t".split())


def latin_tokens(text: str) -> list[str]:
    """Latin-script tokens of (Chinese) text: names, acronyms, model numbers."""
    from .normalise import fold

    out = []
    for tok in LATIN_TOKEN.findall(fold(text)):
        unit = regex.match(r"^[0-9.]*(\p{L}+)$", tok)
        if not (unit and unit.group(1).lower() in UNITS):  # 100km: a measure, not a name
            out.append(tok)
    return out


def _key(token: str) -> str:
    return regex.sub(r"[^\p{L}\p{N}]", "", token).lower()


def missing_latin(zh: str, en: str) -> list[str]:
    """Latin tokens of the Chinese side that the English does not contain (case and
    punctuation aside: G-20 meets G20, APEC meets APEC's)."""
    from .normalise import fold

    en_text = fold(en)
    keys = {_key(t) for t in regex.findall(r"[\p{L}\p{N}]+(?:[-.&'’][\p{L}\p{N}]+)*", en_text)}
    keys |= {_key(p) for p in regex.findall(r"[\p{L}\p{N}]+", en_text)}
    keys |= {k[:-1] for k in keys if k.endswith("s")}  # APECs, AIs
    squashed = _key(en_text)
    # initials of the content words (and capitalised ones): `confidence-building measures`
    # spells CBM, `United States of America` USA
    words = regex.findall(r"\p{L}+", en_text)
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


# ---------------------------------------------------------------- checking


def _chars(text: str) -> int:
    """Characters that are not white space: the length the checks compare."""
    return sum(1 for c in text if not c.isspace())


def _bin(confidence: float) -> str:
    c = 0.0 if math.isnan(confidence) else min(max(confidence, 0.0), 1.0)
    return CONFIDENCE_BINS[min(int(c * 5 + 1e-9), 4)]


def _times(x: float) -> str:
    return f"{x:.1f} times" if x >= 1 else f"1/{1 / x:.1f} of"


def summarise(pairs: list[PairCheck], norm, median_chrf, threshold, low) -> Summary:
    beads = Counter(p.unit.kind for p in pairs)
    bins = dict.fromkeys(CONFIDENCE_BINS, 0)
    for p in pairs:
        bins[_bin(p.unit.confidence)] += 1
    total = {ZH: 0, EN: 0}
    alone = {ZH: 0, EN: 0}
    for p in pairs:
        zh, en = _chars(p.unit.zh), _chars(p.unit.en)
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
        length_norm=norm,
        median_chrf=median_chrf,
        chrf_threshold=threshold,
        low_confidence=low,
    )


def _by_doc(pairs: list[PairCheck]) -> dict[str, list[PairCheck]]:
    groups: dict[str, list[PairCheck]] = {}
    for p in pairs:
        groups.setdefault(p.unit.doc, []).append(p)
    return groups


def _norms(pairs: list[PairCheck]) -> tuple[float | None, float | None, float]:
    """(median English/Chinese length ratio, median chrF, the low-chrF threshold) over the
    pairs with both sides (titles left out unless there is nothing else)."""
    body = [p for p in pairs if p.ratio is not None and p.unit.kind != "title"]
    body = body or [p for p in pairs if p.ratio is not None]
    norm = math.exp(statistics.median(math.log(p.ratio) for p in body)) if body else None
    scored = [p.chrf for p in body if p.chrf is not None]
    median_chrf = statistics.median(scored) if scored else None
    threshold = max(CHRF_FLOOR, CHRF_SHARE * median_chrf) if median_chrf else CHRF_FLOOR
    return norm, median_chrf, threshold


def _better_neighbour(pairs: list[PairCheck], p: PairCheck) -> tuple[int, float] | None:
    """The nearby pair (of the same document) whose English the gloss of `p` matches
    much better than its own, with that chrF; None when there is none."""
    if not p.gloss:
        return None
    own = p.chrf or 0.0
    best: tuple[int, float] | None = None
    i = p.index
    for j in range(max(0, i - NEIGHBOURS), min(len(pairs), i + NEIGHBOURS + 1)):
        other = pairs[j].unit
        if j == i or other.doc != p.unit.doc or not other.en.strip():
            continue
        score = chrf(p.gloss, other.en) or 0.0
        if score > own * BETTER_FACTOR + BETTER_MARGIN and (best is None or score > best[1]):
            best = (j, score)
    return best


def check_units(units: list[Unit], *, low_confidence: float = 0.5) -> CheckReport:
    """Check an alignment and flag the pairs a reviewer should look at."""
    from .normalise import fold, matching_forms
    from .tokenise import tokenize_zh

    views = matching_forms([u.zh for u in units])
    pairs: list[PairCheck] = []
    tokens: list[list[str]] = []
    for i, (u, view) in enumerate(zip(units, views, strict=True)):
        toks = tokenize_zh(view) if view.strip() else []
        tokens.append(toks)
        zh_n, en_n = _chars(u.zh), _chars(u.en)
        gloss = gloss_tokens(toks)
        pairs.append(
            PairCheck(
                index=i,
                unit=u,
                chrf=chrf(gloss, u.en) if zh_n and en_n else None,
                ratio=en_n / zh_n if zh_n and en_n else None,
                gloss=gloss,
            )
        )

    # the norms are the document's: each document of a mixed list gets its own
    norms = {doc: _norms(group) for doc, group in _by_doc(pairs).items()}

    for p, view, toks in zip(pairs, views, tokens, strict=True):
        u = p.unit
        norm, median_chrf, threshold = norms[u.doc]
        zh_n, en_n = _chars(u.zh), _chars(u.en)
        flags = p.flags
        if not zh_n or not en_n:
            if zh_n:
                flags.append(Flag("empty-side", f"no English side ({u.kind}): Chinese only"))
            elif en_n:
                flags.append(Flag("empty-side", f"no Chinese side ({u.kind}): English only"))
            else:
                flags.append(Flag("empty-side", "both sides empty"))
        if u.confidence < low_confidence:
            flags.append(
                Flag("low-confidence", f"confidence {u.confidence:.2f} below {low_confidence:g}")
            )
        if not zh_n or not en_n:
            continue
        if (
            u.kind != "title"
            and norm
            and p.ratio
            and (zh_n >= SHORT_ZH or en_n >= SHORT_EN)
            and abs(math.log(p.ratio / norm)) > LENGTH_TOLERANCE
        ):
            times = p.ratio / norm
            side = "long" if times > 1 else "short"
            flags.append(
                Flag(
                    "length-ratio",
                    f"English {side} for the Chinese: {en_n}/{zh_n} characters, ratio "
                    f"{p.ratio:.2f} is {_times(times)} the document's norm {norm:.2f}",
                )
            )
        zh_strong, zh_weak = numbers_zh(view, toks)
        en_strong, en_weak = numbers_en(u.en)
        zh_only = sorted(zh_strong - en_strong - en_weak)
        en_only = sorted(en_strong - zh_strong - zh_weak)
        if zh_only or en_only:
            parts = []
            if zh_only:
                parts.append("Chinese only: " + ", ".join(map(_fmt_number, zh_only)))
            if en_only:
                parts.append("English only: " + ", ".join(map(_fmt_number, en_only)))
            flags.append(Flag("number-mismatch", "; ".join(parts)))
        missing = missing_latin(u.zh, u.en)
        if missing:
            flags.append(Flag("latin-mismatch", "not in the English: " + ", ".join(missing)))
        if fold(u.zh) == fold(u.en):
            flags.append(Flag("identical", "the same text on both sides (untranslated?)"))
        elif p.chrf is not None and p.chrf < threshold:
            flags.append(
                Flag(
                    "low-similarity",
                    f"chrF {p.chrf:.1f} of the dictionary gloss below {threshold:.1f}"
                    + (f" (document median {median_chrf:.1f})" if median_chrf else ""),
                )
            )

        better = _better_neighbour(pairs, p)
        if better:
            j, score = better
            flags.append(
                Flag(
                    "better-match",
                    f"the English of pair #{j + 1} matches this Chinese better: chrF "
                    f"{score:.1f} against {p.chrf or 0:.1f} here",
                )
            )

    norm, median_chrf, threshold = _norms(pairs)
    summary = summarise(pairs, norm, median_chrf, threshold, low_confidence)
    return CheckReport(summary=summary, pairs=pairs)


# ---------------------------------------------------------------- terminal


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Wrap text to `width` terminal columns (Han characters take two), breaking English
    between words; at most `max_lines` lines, the last ending in … when cut."""
    text = " ".join(text.split())
    lines: list[str] = []
    pos = 0
    while pos < len(text) and len(lines) < max_lines:
        w, end, brk = 0, pos, -1
        while end < len(text):
            cw = _width(text[end])
            if w + cw > width:
                break
            if text[end] == " ":
                brk = end
            w += cw
            end += 1
        if end < len(text) and brk > pos and not regex.match(r"\p{Han}", text[end]):
            end = brk
        lines.append(text[pos:end].rstrip())
        pos = end
        while pos < len(text) and text[pos] == " ":
            pos += 1
    if pos < len(text) and lines:
        last = lines[-1]
        while last and _width(last) + 1 > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines or [""]


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def render_summary(summary: Summary) -> str:
    s = summary
    beads = ", ".join(f"{k} {v}" for k, v in s.beads.items()) or "none"
    bins = "  ".join(f"[{k}] {v}" for k, v in s.confidence_bins.items())
    flags = ", ".join(f"{k} {v}" for k, v in s.flag_counts.items()) or "none"
    norm = f"{s.length_norm:.2f}" if s.length_norm else "-"
    med = f"{s.median_chrf:.1f}" if s.median_chrf is not None else "-"
    return "\n".join(
        [
            f"pairs: {s.pairs}   flagged: {s.flagged} ({_pct(s.flagged_share)})",
            f"bead types: {beads}",
            f"confidence: {bins}",
            f"unaligned text: zh {_pct(s.unaligned_share[ZH])}, en {_pct(s.unaligned_share[EN])}",
            f"length norm (en/zh characters): {norm}   median chrF: {med}"
            f"   low chrF below: {s.chrf_threshold:.1f}",
            f"flags: {flags}",
        ]
    )


def render_table(
    report: CheckReport,
    only_flagged: bool = True,
    *,
    width: int = 100,
    max_lines: int = 4,
    summary: bool = True,
) -> str:
    """The report as plain text: the summary, then per pair a header line (index, bead
    type, confidence, chrF), the flags with their reasons, and the Chinese and English side
    by side, wrapped to `width` columns and cut after `max_lines` lines."""
    out = [render_summary(report.summary), ""] if summary else []
    shown = report.flagged if only_flagged else report.pairs
    if not shown:
        out.append("no flagged pairs" if only_flagged else "no pairs")
        return "\n".join(out) + "\n"
    zh_w = max(10, (width - 3) * 2 // 5)
    en_w = max(10, width - 3 - zh_w)
    rule = "-" * width
    for p in shown:
        u = p.unit
        chrf_text = f"{p.chrf:5.1f}" if p.chrf is not None else "    -"
        codes = ", ".join(p.codes) if p.flags else "ok"
        out.append(rule)
        out.append(
            f"#{p.index + 1:<4} {u.kind:<6} conf {u.confidence:.2f}  chrF {chrf_text}  {codes}"
        )
        for f in p.flags:
            out.extend(
                ("  ! " if k == 0 else "    ") + line
                for k, line in enumerate(wrap(f"{f.code}: {f.reason}", width - 4, 3))
            )
        zh_lines = wrap(u.zh, zh_w, max_lines) if u.zh.strip() else ["(none)"]
        en_lines = wrap(u.en, en_w, max_lines) if u.en.strip() else ["(none)"]
        for k in range(max(len(zh_lines), len(en_lines))):
            left = zh_lines[k] if k < len(zh_lines) else ""
            right = en_lines[k] if k < len(en_lines) else ""
            out.append(f"{_pad(left, zh_w)} | {right}".rstrip())
    out.append(rule)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- HTML

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC",
  "Microsoft YaHei", sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.35em 0.5em; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
table.summary { width: auto; margin-bottom: 1.5em; }
table.summary th { width: 14em; }
tr.flagged td { background: #fff3cd; }
tr.flagged td.index { border-left: 4px solid #d9534f; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.zh, td.en { width: 32%; }
td.empty { color: #999; font-style: italic; }
.gloss { color: #777; font-size: 0.85em; margin-top: 0.3em; }
ul.flags { margin: 0; padding-left: 1.1em; }
.code { font-family: ui-monospace, monospace; font-weight: bold; color: #a94442; }
.ok { color: #3c763d; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _summary_html(s: Summary) -> str:
    rows = [
        ("Pairs", str(s.pairs)),
        ("Flagged pairs", f"{s.flagged} ({_pct(s.flagged_share)})"),
        ("Bead types", ", ".join(f"{k}: {v}" for k, v in s.beads.items()) or "none"),
        ("Confidence", ", ".join(f"[{k}]: {v}" for k, v in s.confidence_bins.items())),
        (
            "Unaligned text",
            f"zh {_pct(s.unaligned_share[ZH])}, en {_pct(s.unaligned_share[EN])}",
        ),
        ("Length norm (en/zh characters)", f"{s.length_norm:.2f}" if s.length_norm else "-"),
        ("Median chrF", f"{s.median_chrf:.1f}" if s.median_chrf is not None else "-"),
        ("Low chrF below", f"{s.chrf_threshold:.1f}"),
        ("Low confidence below", f"{s.low_confidence:g}"),
        ("Flags", ", ".join(f"{k}: {v}" for k, v in s.flag_counts.items()) or "none"),
    ]
    body = "\n".join(
        f'<tr data-key="{_e(k)}"><th>{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows
    )
    return f'<table class="summary" id="summary">\n{body}\n</table>'


def _text_cell(lang: str, text: str, extra: str = "") -> str:
    if not text.strip():
        return f'<td class="{lang} empty">(none)</td>'
    return f'<td class="{lang}"><div class="text" lang="{lang}">{_e(text)}</div>{extra}</td>'


def render_html(report: CheckReport, title: str = "Alignment check") -> str:
    """A self-contained HTML page: the summary, then every pair side by side; flagged rows
    have the class `flagged` (and their codes in `data-flags`) and list their reasons."""
    rows = []
    for p in report.pairs:
        u = p.unit
        cls = "pair flagged" if p.flags else "pair"
        if p.flags:
            items = "".join(
                f'<li><span class="code">{_e(f.code)}</span>: {_e(f.reason)}</li>' for f in p.flags
            )
            flags = f'<ul class="flags">{items}</ul>'
        else:
            flags = '<span class="ok">ok</span>'
        gloss = f'<div class="gloss" lang="en">gloss: {_e(p.gloss)}</div>' if p.gloss else ""
        rows.append(
            f'<tr class="{cls}" id="pair-{p.index + 1}" data-flags="{_e(" ".join(p.codes))}">'
            f'<td class="index num">{p.index + 1}</td>'
            f'<td class="kind">{_e(u.kind)}</td>'
            f'<td class="confidence num">{u.confidence:.2f}</td>'
            f'<td class="chrf num">{"-" if p.chrf is None else f"{p.chrf:.1f}"}</td>'
            f'<td class="ratio num">{"-" if p.ratio is None else f"{p.ratio:.2f}"}</td>'
            + _text_cell(ZH, u.zh, gloss)
            + _text_cell(EN, u.en)
            + f'<td class="flags">{flags}</td></tr>'
        )
    head = (
        "<tr><th>#</th><th>Bead</th><th>Conf.</th><th>chrF</th><th>en/zh</th>"
        "<th>Chinese</th><th>English</th><th>Flags</th></tr>"
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{_e(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            f"<h1>{_e(title)}</h1>",
            _summary_html(report.summary),
            '<table class="pairs" id="pairs">',
            f"<thead>{head}</thead>",
            "<tbody>",
            *rows,
            "</tbody>",
            "</table>",
            "</body>",
            "</html>",
            "",
        ]
    )
