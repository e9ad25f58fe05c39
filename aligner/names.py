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

from functools import cache

import regex

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
    """Romanise many words in one pypinyin call (its per-call cost dwarfs the work)."""
    todo = [w for w in dict.fromkeys(words) if w not in _ROMANISED]
    names = [w for w in todo if HAN_ONLY.match(w) and len(w) <= MAX_NAME]
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
        found = [_plain(s) for s in syllables[k : k + len(w)]]
        k += len(w) + 1
        if all(found):
            forms = set(found) | {"".join(found), "".join(found[1:])}
            found_all[w] = frozenset("@" + f for f in forms if f)
    _ROMANISED.update(found_all)


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


def romanises(han: str, english: str) -> bool:
    """Is `english` (a name: Lai Ching-te, Xi Jinping) a romanisation of `han` (赖清德)?
    Each character must spell one syllable, in order, covering the English exactly;
    a syllable may not cross a space or hyphen of the English."""
    if not (2 <= len(han) <= MAX_NAME) or not all(HAN.match(c) for c in han):
        return False
    target = regex.sub(r"[’']", "", english.lower())
    if not regex.fullmatch(r"[a-z]+(?:[ \-][a-z]+)*", target):
        return False
    spell = [syllable_spellings(c) for c in han]

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
