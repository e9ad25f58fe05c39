"""The translation similarity of a pair: a word-by-word English gloss of the Chinese (from
the lexicon's readable glosses) and sacrebleu's chrF of that gloss against the English."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import regex

from ..lexicon import longest_parts, readable_glosses
from ..normalise import HAN_ONLY
from ..numbers import chinese_number

if TYPE_CHECKING:
    from sacrebleu.metrics import CHRF

GLOSS_LEAD = regex.compile(r"^(?:to|a|an|the|of|\s)+\b\s*", regex.I)
GLOSS_WORDS = 4  # a gloss keeps at most this many words

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


def short_gloss(definition: str) -> str:
    """The first sense of a cleaned definition, as a short phrase: `to expand` -> `expand`."""
    first = regex.split(r"[;,]", definition, maxsplit=1)[0]
    first = GLOSS_LEAD.sub("", first).strip()
    return " ".join(first.split()[:GLOSS_WORDS])


@cache
def gloss_token(token: str) -> str:
    """A readable English gloss of one Chinese token ('' when there is none): Latin and
    digits as themselves, dictionary words by their first sense, numerals as digits, other
    Han words by their longest dictionary parts."""
    if LATIN_OR_DIGITS.match(token):
        return token
    if not HAN_ONLY.match(token):
        return ""
    if token in COMMON:
        return COMMON[token]
    table = readable_glosses()
    if token in table:
        return short_gloss(table[token])
    number = chinese_number(token)
    if number is not None:
        return str(number)
    parts = [short_gloss(table[part]) for part in longest_parts(token, table)]
    return " ".join(p for p in parts if p)


def gloss_tokens(tokens: list[str]) -> str:
    return " ".join(g for g in map(gloss_token, tokens) if g)


@cache
def _chrf_metric() -> CHRF:
    from sacrebleu.metrics import CHRF

    return CHRF(lowercase=True)


def chrf(gloss: str, english: str) -> float | None:
    """sacrebleu's sentence chrF of a gloss against the English (None if either is empty)."""
    if not gloss.strip() or not english.strip():
        return None
    return _chrf_metric().sentence_score(gloss, [english]).score
