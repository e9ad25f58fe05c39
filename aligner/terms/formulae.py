"""Set formulae: lists of parallel phrases, the way Chinese policy texts state principles
(合作为主、竞争有度、分歧可控、和平可期, four phrases of four characters). Each phrase is a
termbase entry, and its English is found by position, not by the dictionary: the list's
enumeration commas 、 and the English list's commas (and its final `and`) pair the items
in order. A phrase such as 和平可期 `an expectation of peace` shares too few words with its
English for dictionary composition to find it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from ..model import Occurrence
from ..tokenise import lemma
from .candidates import EnToken, segment_zh
from .inpair import PairView, written_form

MIN_ITEMS = 3  # a list of two is a coordination (X和Y), not a formula
ITEM_CHARS = (3, 8)  # the length of a formula's phrases, in characters
FORMULA_SCORE = 0.8  # an item paired by position: sure of the list, less of each cut
ENUMERATION = regex.compile(rf"\p{{Han}}+(?:、\p{{Han}}+){{{MIN_ITEMS - 1},}}")
LIST_END = frozenset({"and", "or"})
ARTICLES = frozenset({"a", "an", "the"})


@dataclass
class _Item:
    start: int  # offsets in the pair's Chinese (zh) or English token indices (en)
    end: int


def chinese_lists(norm: str) -> Iterator[list[_Item]]:
    """The formula lists of a Chinese text: three or more phrases of one length joined by
    、 (the phrases inside are bounded by 、; the first and the last are cut to that
    length, since the text around them runs on: 两国关系“合作为主、…、和平可期”的…)."""
    for m in ENUMERATION.finditer(norm):
        pieces = m.group(0).split("、")
        inner = {len(p) for p in pieces[1:-1]}
        if len(inner) != 1:
            continue
        size = inner.pop()
        if not ITEM_CHARS[0] <= size <= ITEM_CHARS[1]:
            continue
        if len(pieces[0]) < size or len(pieces[-1]) < size:
            continue
        items, pos = [], m.start()
        for i, p in enumerate(pieces):
            if i == 0:
                items.append(_Item(pos + len(p) - size, pos + len(p)))
            else:
                items.append(_Item(pos, pos + size))
            pos += len(p) + 1
        if _phrases(norm, items):
            yield items


NAME_POS = frozenset({"nr", "nrfg", "nrt", "ns", "nt"})


def _phrases(norm: str, items: list[_Item]) -> bool:
    """Are the items phrases of a formula: cut at word boundaries (not 论了经济 out of
    讨论了经济), each of two words or a four-character set phrase (a list of nouns is a
    list, not a formula) and no name among them (俄罗斯、新加坡、阿根廷)?"""
    words = segment_zh(norm)
    starts = {w.start for w in words}
    ends = {w.end for w in words}
    for item in items:
        if item.start not in starts or item.end not in ends:
            return False
        inside = [w for w in words if item.start <= w.start and w.end <= item.end]
        if any(w.pos in NAME_POS for w in inside):
            return False
        if len(inside) < 2 and item.end - item.start < 4:
            return False  # 经济学、社会学、…: a list of words; 公平正义 is a set phrase
    return True


def _chunks(et: list[EnToken]) -> list[tuple[int, int]]:
    """Runs of English word tokens between clause punctuation: (first, last) indices."""
    out: list[tuple[int, int]] = []
    start = 0
    for j in range(1, len(et) + 1):
        if j == len(et) or et[j].clause != et[j - 1].clause:
            out.append((start, j - 1))
            start = j
    return out


def english_lists(et: list[EnToken], n: int) -> Iterator[list[_Item]]:
    """The English lists of n items: comma-separated clauses of which the last is joined
    by `and` or `or` (with or without a comma before it); the first item is cut from its
    clause later, by the words the Chinese explains."""
    chunks = _chunks(et)
    for last in range(len(chunks)):
        s, e = chunks[last]
        if et[s].lower in LIST_END:  # `…, and an expectation of peace` (a serial comma)
            first = last - n + 1
            tail = [_Item(s + 1, e)]
        else:  # `…, manageable differences and an expectation of peace`
            joins = [j for j in range(s + 1, e) if et[j].lower in LIST_END]
            if not joins:
                continue  # the last join is the list's (fairness and justice and peace)
            first = last - n + 2
            tail = [_Item(s, joins[-1] - 1), _Item(joins[-1] + 1, e)]
        if first < 0:
            continue
        items = [_Item(*chunks[i]) for i in range(first, last)] + tail
        if len(items) == n and all(i.start <= i.end for i in items):
            yield items


def formula_occurrences(views: list[PairView]) -> list[Occurrence]:
    """The phrases of every formula list, each with the English item in its place."""
    out: list[Occurrence] = []
    for k, view in enumerate(views):
        for zh_items in chinese_lists(view.pair.zh_norm):
            best = max(
                english_lists(view.et, len(zh_items)),
                key=lambda en: _support(view, zh_items, en),
                default=None,
            )
            if best is None or _support(view, zh_items, best) * 2 < len(zh_items):
                continue  # fewer than half the items share a word: not this list
            best[0] = _first_item(view, zh_items[0], best[0], best[1:])
            best[-1] = _last_item(view, zh_items[-1], best[-1], best[:-1])
            for z, e in zip(zh_items, best, strict=True):
                out.append(_occurrence(view, k, z, e))
    return out


def _hits(view: PairView, z: _Item) -> set[int]:
    """The English tokens the Chinese words inside the item match."""
    hits: set[int] = set()
    for t, match in zip(view.zt, view.match, strict=True):
        if z.start <= t.start and t.end <= z.end:
            hits |= match
    return hits


def _support(view: PairView, zh: list[_Item], en: list[_Item]) -> int:
    """How many items share a word with the English item in their place."""
    return sum(
        1 for z, e in zip(zh, en, strict=True) if any(e.start <= j <= e.end for j in _hits(view, z))
    )


def _first_item(view: PairView, z: _Item, e: _Item, rest: list[_Item]) -> _Item:
    """The first English item cut out of its clause (`… characterized by | cooperation as
    the mainstay`): from the first word the Chinese item explains, else as many words as
    the other items have at most."""
    hits = sorted(j for j in _hits(view, z) if e.start <= j <= e.end)
    if hits:
        return _Item(hits[0], e.end)
    longest = max(r.end - r.start + 1 for r in rest)
    return _Item(max(e.start, e.end - longest + 1), e.end)


def _last_item(view: PairView, z: _Item, e: _Item, rest: list[_Item]) -> _Item:
    """The last English item cut out of its clause (`peaceful development | as their
    ideas`): to the last word the Chinese item explains, else as many words as the other
    items have at most."""
    hits = sorted(j for j in _hits(view, z) if e.start <= j <= e.end)
    if hits:
        return _Item(e.start, hits[-1])
    longest = max(r.end - r.start + 1 for r in rest)
    return _Item(e.start, min(e.end, e.start + longest - 1))


def _occurrence(view: PairView, k: int, z: _Item, e: _Item) -> Occurrence:
    et = view.et
    s = e.start
    while s < e.end and et[s].lower in ARTICLES:
        s += 1
    text = " ".join(view.pair.en_text[et[s].start : et[e.end].end].split())
    key = view.pair.zh_norm[z.start : z.end]
    words = [t for t in segment_zh(key) if t.han]
    return Occurrence(
        key, written_form(view, z.start, z.end), k, en=text,
        en_key=tuple(lemma(t.lower) for t in et[s : e.end + 1] if t.word),
        score=FORMULA_SCORE, recall=1.0, covered=frozenset(range(z.end - z.start)),
        tokens=max(2, len(words)), first_pos=words[0].pos if words else "", formula=True,
    )  # fmt: skip
