"""Does a Chinese word match an English word? Dictionary composition (CC-CEDICT's matching
forms and first readable sense, a compound's parts and characters), shared word stems,
romanised names and acronyms' initials."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import regex

from ..lexicon import EN_STOP, readable_glosses, translations
from ..names import romanises
from ..normalise import HAN
from ..numbers import ZH_ONE_TO_TEN, numbers_in_chinese
from ..tokenise import lemma, tokenise_en
from .candidates import WORD_CHAR, EnToken, unaccented

# ---------------------------------------------------------------- dictionary composition


@cache
def _readable_forms(word: str) -> frozenset[str]:
    """Content-word lemmas of the word's first readable CC-CEDICT sense (措施 -> measure,
    which the matching lexicon leaves out as a classifier gloss).

    Not `lexicon.gloss_lemmas`, on purpose: that one drops the lexicographers' words
    (measure, classifier, kind, sort) as lemmas, one-letter and digit-first words, which
    are what these forms add; here only the function words that bound a term (EN_STOP, as
    written) are left out."""
    gloss = readable_glosses().get(word, "")
    return frozenset(
        lemma(t) for t in tokenise_en(gloss) if WORD_CHAR.match(t) and t.lower() not in EN_STOP
    )


NAME_GLOSS = regex.compile(r"^((?:[A-Z][\w'\-]*\s?){1,4})\s*,\s")


@cache
def char_forms(word: str) -> frozenset[str]:
    """The forms of a compound's characters, for a word whose own glosses match nothing
    in a pair (建立 `establish` in confidence-building: 建 `build`)."""
    out: set[str] = set()
    for ch in word:
        out |= {f for f in translations(ch) if not f.startswith("@")} | _readable_forms(ch)
    return frozenset(out)


@cache
def zh_forms(word: str) -> frozenset[str]:
    """English matching forms of a Chinese token: CC-CEDICT (whole word, else its parts),
    its first readable sense, numbers as digits, hyphenated glosses also by their parts."""
    name = NAME_GLOSS.match(readable_glosses().get(word, ""))
    if name:  # 王毅 `Wang Yi , PRC foreign minister ...`: the name, not the description
        forms = {lemma(t) for t in tokenise_en(name.group(1)) if WORD_CHAR.match(t)}
    else:
        forms = {f for f in translations(word) if not f.startswith("@")}
        forms |= _readable_forms(word)
    if HAN.match(word):
        forms.update(numbers_in_chinese(word))
        if len(word) <= 3:  # 二轨 -> 2, two; 一中 -> 1, one
            for ch in word:
                if ch in ZH_ONE_TO_TEN:
                    forms.update(ZH_ONE_TO_TEN[ch])
    for f in list(forms):
        if "-" in f:  # china-usa -> china, usa
            forms.update(p for p in f.split("-") if len(p) > 1)
    if not HAN.match(word):
        forms.add(word.lower())
        forms.add(lemma(word))
    return frozenset(unaccented(f) for f in forms)


PREFIX = 5  # forms of one word share at least this many first letters


@cache
def _prefix_index(forms: frozenset[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = defaultdict(list)
    for f in forms:
        if len(f) >= PREFIX:
            index[f[:PREFIX]].append(f)
    return {k: tuple(v) for k, v in index.items()}


def _same_word(a: str, b: str) -> bool:
    """Two matching forms of one word: a common prefix of five letters or more that
    leaves at most two letters of the shorter (strategy/strategic, relation/relationship,
    proliferat/proliferation)."""
    n = min(len(a), len(b))
    k = 0
    while k < n and a[k] == b[k]:
        k += 1
    return k >= PREFIX and k >= n - 2


def forms_match(zh: frozenset[str], en: frozenset[str]) -> bool:
    if zh & en:
        return True
    index = _prefix_index(zh)
    for g in en:
        if len(g) >= PREFIX:
            for f in index.get(g[:PREFIX], ()):
                if _same_word(f, g):
                    return True
    return False


# ---------------------------------------------------------------- names and acronyms


def acronym_matches(acronym: str, toks: list[EnToken]) -> list[tuple[int, int]]:
    """English spans whose initials spell a Latin acronym (AI -> artificial intelligence,
    CBM -> confidence-building measures)."""
    letters = acronym.lower()
    if not (2 <= len(letters) <= 6) or not acronym.isupper() or not letters.isalpha():
        return []
    initials: list[tuple[int, str]] = []  # (token index, initial) for words and parts
    for j, t in enumerate(toks):
        if t.content:
            for part in regex.split(r"-", t.lower):
                if part:
                    initials.append((j, part[0]))
    out = []
    for k in range(len(initials) - len(letters) + 1):
        if "".join(c for _, c in initials[k : k + len(letters)]) == letters:
            s, e = initials[k][0], initials[k + len(letters) - 1][0]
            if all(toks[x].word for x in range(s, e + 1)) and toks[s].clause == toks[e].clause:
                out.append((s, e))
    return out


def name_matches(norm: str, et: list[EnToken]) -> list[tuple[int, int, int, int]]:
    """Romanised names: runs of capitalised English words matched to Han substrings."""
    out = []
    j = 0
    while j < len(et):
        if not (et[j].cap and et[j].word and et[j].text.replace("-", "").isalpha()):
            j += 1
            continue
        k = j
        while (
            k + 1 < len(et)
            and et[k + 1].cap
            and et[k + 1].word
            and et[k + 1].clause == et[j].clause
        ):
            k += 1
        done: list[tuple[int, int]] = []
        for width in range(min(k - j, 2), -1, -1):  # the longest first: Xi Jinping, not Jinping
            for s in range(j, k - width + 1):
                e = s + width
                if any(ds <= s and e <= de for ds, de in done):
                    continue
                name = " ".join(t.text for t in et[s : e + 1])
                if len(name.replace(" ", "").replace("-", "")) < 4 or et[s].stop:
                    continue
                for size in (2, 3, 4):
                    for zs in range(len(norm) - size + 1):
                        if romanises(norm[zs : zs + size], name):
                            out.append((zs, zs + size, s, e))
                            done.append((s, e))
        j = k + 1
    return out


# ---------------------------------------------------------------- one token in a pair


def token_hits(text: str, han: bool, content: list[int], et: list[EnToken]) -> set[int]:
    """The English tokens (of the `content` ones) a Chinese token or piece matches."""
    forms = zh_forms(text)
    hits = {j for j in content if forms_match(forms, et[j].forms)}
    if not hits and han and len(text) > 1:
        # the characters' glosses, but only against the parts of English compounds
        # (建立 in confidence-building by 建 `build`): against whole words they match
        # too much
        forms = char_forms(text)
        hits = {
            j for j in content
            if "-" in et[j].text and forms_match(forms, et[j].forms - {et[j].forms_whole})
        }  # fmt: skip
    if not han:
        for s, e in acronym_matches(text, et):
            hits.update(range(s, e + 1))
    return hits
