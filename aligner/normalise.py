"""Script detection and the matching view of text (NFKC, simplified Chinese, spaces)."""

from __future__ import annotations

import unicodedata
from functools import cache

import regex

from .model import EN, ZH, InputError

HAN = regex.compile(r"\p{Han}")
HAN_ONLY = regex.compile(r"^\p{Han}+$")  # a word of Han characters only
LATIN = regex.compile(r"\p{Latin}")
SPACES = regex.compile(r"\s+")
# the characters set full width, between which a text has no spaces: CJK ideographs
# (the supplementary planes' too), radicals, CJK punctuation, full-width forms
WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff"
CONVERSIONS = ("t2s", "s2t")


def script_counts(text: str) -> tuple[int, int]:
    """Han characters and Latin letters in text."""
    return len(HAN.findall(text)), len(LATIN.findall(text))


def detect_lang(text: str) -> str | None:
    """zh, en or None (no letters at all), told by script.

    A Han character carries about as much text as three Latin letters, so the counts are
    weighted before they are compared: `Tuosheng Zhang (张沱生)` is English.
    """
    han, latin = script_counts(text)
    if han == 0 and latin == 0:
        return None
    return ZH if han * 3 >= latin else EN


@cache
def _opencc(mode: str):
    import opencc  # imported lazily: start-up of the CLI stays quick

    return opencc.OpenCC(mode)


def convert_script(text: str, mode: str) -> str:
    """Convert Chinese script: t2s (traditional to simplified) or s2t."""
    if mode not in CONVERSIONS:
        raise InputError(f"unknown conversion {mode!r}: use t2s or s2t")
    return _opencc(mode).convert(text)


def convert_many(texts: list[str], mode: str) -> list[str]:
    """Convert many strings in one OpenCC call (much faster than one call each)."""
    if not texts:
        return []
    joined = "\n".join(t.replace("\n", " ") for t in texts)
    out = convert_script(joined, mode).split("\n")
    if len(out) != len(texts):  # OpenCC never merges lines, but be safe
        return [convert_script(t, mode) for t in texts]
    return out


def fold(text: str) -> str:
    """NFKC fold and whitespace normalisation, no script conversion."""
    return SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def matching_form(text: str) -> str:
    """The view later stages match on: NFKC, simplified, whitespace normalised."""
    folded = fold(text)
    return convert_script(folded, "t2s") if HAN.search(folded) else folded


def simplified(text: str) -> str:
    """The matching form of a term, or the text itself where OpenCC fails on it."""
    try:
        return matching_form(text)
    except Exception:  # noqa: BLE001 - OpenCC missing or failing: keep the text
        return text


def matching_forms(texts: list[str]) -> list[str]:
    folded = [fold(t) for t in texts]
    return convert_many(folded, "t2s") if any(HAN.search(t) for t in folded) else folded


__all__ = [
    "EN",
    "ZH",
    "convert_script",
    "convert_many",
    "detect_lang",
    "fold",
    "matching_form",
    "matching_forms",
    "script_counts",
]
