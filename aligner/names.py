"""Chinese names in English letters: pinyin and Wade-Giles.

Two uses, one home:

- the aligner matches a Han word to capitalised English words by @-forms: `romanisations`
  spells the word in pinyin (陈清扬 -> @chen @qing @yang @qingyang @chenqingyang),
  `name_forms` folds the English word (Ching-te -> @chingte @ching @te);
- the term extractor tests a whole name: `romanises` (赖清德, Lai Ching-te) reads each
  character by `syllable_spellings`, which know Wade-Giles and loose spellings too.

The two spell one character differently: `romanisations` gives the pinyin of the word in
context (重庆 -> chongqing, by pypinyin's phrases), `syllable_spellings` every reading of
the character alone in pinyin and Wade-Giles and their mixtures. So the aligner does not
yet match Wade-Giles names (Chiang, Ching-te) that the term extractor finds; giving it
`syllable_spellings` would change its matches, hence its outputs.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path

import regex

from .cache import Sharded, Table, cached_store, stamp
from .normalise import HAN, HAN_ONLY

NAME_PARTS = regex.compile(r"[-'’]")
MAX_NAME = 4  # Han characters: longer words are no personal or place names


def _plain(syllable: str) -> str:
    """A pinyin syllable in plain letters, as English writes names: lü, lv -> lu."""
    return syllable.replace("ü", "u").replace("v", "u")


# ---------------------------------------------------------------- @-forms (the aligner)

_ROMANISED: dict[str, frozenset[str]] = {}


def romanisations(word: str) -> frozenset[str]:
    """Pinyin spellings of a Han word as a name, marked with @ so that they only meet
    capitalised English words: 陈清扬 -> @chen @qing @yang @qingyang @chenqingyang."""
    if word not in _ROMANISED:
        romanise_all([word])
    return _ROMANISED[word]


def romanise_all(words: list[str]) -> None:
    """Romanise many words (kept: a word is spelt once per process)."""
    todo = [w for w in dict.fromkeys(words) if w not in _ROMANISED]
    # filled apart and published at once: a thread reading a word half-way through must
    # not take (and cache) an empty answer for a name
    found_all: dict[str, frozenset[str]] = dict.fromkeys(todo, frozenset())
    for w in todo:
        if not (HAN_ONLY.match(w) and len(w) <= MAX_NAME):
            continue
        found = [_plain(s) for s in syllables(w)]
        if len(found) == len(w) and all(found):
            forms = set(found) | {"".join(found), "".join(found[1:])}
            found_all[w] = frozenset("@" + f for f in forms if f)
    _ROMANISED.update(found_all)


# ---------------------------------------------------------------- pypinyin's readings
#
# pypinyin spells a word by cutting it into its phrases (greedy longest match, `mmseg`)
# and reading each phrase, or each character, as its tables say. Importing pypinyin and
# loading those tables costs 0.3 s CPU; a store (see cache.py) of the readings pypinyin
# itself gives, split by first character, costs milliseconds, and `syllables` walks it
# as pypinyin walks its own (scripts/tokenise_identity.py compares the two on corpora).

READINGS_VERSION = 1  # of the readings store: bump when its content or layout changes
NO_READING = ""  # the syllable of a character pypinyin has no reading for


def _pypinyin_files() -> tuple[Path, ...]:
    """The files of the installed pypinyin its readings come from (found without
    importing it)."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("pypinyin is not installed")
    root = Path(list(spec.submodule_search_locations)[0])
    return root / "__init__.py", root / "phrases_dict.json", root / "pinyin_dict.json"


def _lazy_pinyin(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [NO_READING] * len(chars))


def _build_readings() -> dict[str, object]:
    """pypinyin's readings, as `lazy_pinyin` gives them: {character: its syllable,
    phrase of up to MAX_NAME characters: its syllables, longer prefix of a phrase: ()};
    and the Han characters pypinyin does not take for Han (a word is read in pieces
    between them)."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS

    table: dict[str, str | tuple[str, ...]] = {}
    for code in PINYIN_DICT:
        table[chr(code)] = _lazy_pinyin(chr(code))[0]
    for phrase in PHRASES_DICT:
        table.setdefault(phrase[0], _lazy_pinyin(phrase[0])[0])
        for k in range(2, min(len(phrase), MAX_NAME + 1)):
            table.setdefault(phrase[:k], ())
        if len(phrase) <= MAX_NAME:
            table[phrase] = tuple(_lazy_pinyin(phrase))
    han = (chr(c) for c in range(0x110000) if HAN.match(chr(c)))
    breaks = frozenset(ch for ch in han if not RE_HANS.match(ch))
    return {"readings": Table(table), "breaks": breaks}


@cache
def _readings() -> tuple[Sharded, frozenset[str]]:
    name = f"pinyin-v{READINGS_VERSION}-{stamp(*_pypinyin_files())}.store"
    store = cached_store(name, _build_readings)
    return store.table("readings"), store["breaks"]


def syllables(word: str) -> list[str]:
    """pypinyin's `lazy_pinyin(word)` (plain syllables, "" for a character it cannot
    read) for a word of Han characters."""
    table, breaks = _readings()
    out: list[str] = []
    run = 0
    for i, ch in enumerate(word):
        if ch in breaks:
            out += _read_run(word[run:i], table)
            out.append(NO_READING)
            run = i + 1
    return out + _read_run(word[run:], table)


def _read_run(run: str, table: Mapping[str, str | tuple[str, ...]]) -> list[str]:
    out: list[str] = []
    for piece in _phrases(run, table):
        reading = table.get(piece, NO_READING)
        out += [reading] if len(piece) == 1 else reading
    return out


def _phrases(run: str, table: Mapping[str, str | tuple[str, ...]]) -> Iterator[str]:
    """pypinyin's phrase cut (`mmseg.seg.cut`): the longest phrase at each place, else one
    character; a rest that only begins phrases is read character by character."""
    remain = run
    while remain:
        valid = ""
        for index in range(len(remain)):
            word = remain[: index + 1]
            if word not in table:
                break
            if len(word) > 1 and table[word]:
                valid = word
        else:
            if not valid:
                yield from remain
                return
        piece = valid or remain[0]
        yield piece
        remain = remain[len(piece) :]


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


# ---------------------------------------------------------------- whole names (terms)

VOWELS = "aeiouüv"


@cache
def syllable_spellings(ch: str) -> frozenset[str]:
    """Romanisations of one character as a name syllable: pinyin, Wade-Giles (without
    apostrophes) and their mixtures (Wade-Giles initial with pinyin final and the other
    way round), with common loose forms (yi/i, -ian/-ien, -ong/-ung)."""
    from pypinyin import Style, pinyin

    spellings: set[str] = set()
    py = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    wg = pinyin(ch, style=Style.WADEGILES, heteronym=True, errors="ignore")
    pys = [_plain(s) for s in (py[0] if py else [])]
    wgs = [s.replace("'", "").replace("ü", "u") for s in (wg[0] if wg else [])]
    for p in pys + wgs:
        spellings.add(p)
    for p in pys:
        for w in wgs:
            po, pr = _onset(p)
            wo, wr = _onset(w)
            spellings.update({wo + pr, po + wr})
    for s in list(spellings):
        if s.startswith("y") and len(s) > 2 and s[1] in "iu":
            spellings.add(s[1:])
        spellings.add(s.replace("ian", "ien").replace("ong", "ung"))
        if s.endswith("e") and len(s) <= 3:
            spellings.add(s[:-1] + "o")
    return frozenset(s for s in spellings if s)


def _onset(s: str) -> tuple[str, str]:
    for i, c in enumerate(s):
        if c in VOWELS:
            return s[:i], s[i:]
    return s, ""


APOSTROPHES = regex.compile(r"[’']")
NAME_SHAPE = regex.compile(r"[a-z]+(?:[ \-][a-z]+)*")


@lru_cache(maxsize=1 << 16)
def _name_target(english: str) -> str:
    """The English name as syllables are matched against it (lowercase, no apostrophes),
    or "" when it is no romanised name's shape. Cached: the term extractor tries every
    name of a pair against every stretch of its Chinese."""
    target = APOSTROPHES.sub("", english.lower())
    return target if NAME_SHAPE.fullmatch(target) else ""


def romanises(han: str, english: str) -> bool:
    """Is `english` (a name: Lai Ching-te, Xi Jinping) a romanisation of `han` (赖清德)?
    Each character must spell one syllable, in order, covering the English exactly;
    a syllable may not cross a space or hyphen of the English."""
    if not (2 <= len(han) <= MAX_NAME) or not all(HAN.match(c) for c in han):
        return False
    target = _name_target(english)
    if not target:
        return False
    spell = [syllable_spellings(c) for c in han]
    if not any(target.startswith(s) for s in spell[0]):
        return False  # most characters tried against a name do not even start it

    def walk(k: int, pos: int) -> bool:
        if k == len(spell):
            return pos == len(target)
        if pos < len(target) and target[pos] in " -":
            pos += 1
        for s in spell[k]:
            if target.startswith(s, pos):
                nxt = pos + len(s)
                if nxt == len(target) or target[nxt] in " -" or k + 1 < len(spell):
                    if walk(k + 1, nxt):
                        return True
        return False

    return walk(0, 0)
