"""A reviewer's corrections of an alignment, each undoable: join, split, move, detach,
edit and confirm (see `Edit` in aligner.model), on a list of units.

An edit that changes what is paired needs a pair's sides as sentences. They are taken
from the document when the alignment was made here (its sentences, by the units'
sentence numbers), else cut from the unit's text by the sentence splitters (a TSV or
another tool's TMX has no sentence numbers to go by), and only when an edit needs them,
so that opening a long alignment costs nothing per pair. A pair no edit touches keeps
its unit as it was read, to the byte.

Every edit replaces a short stretch of the list (at most three pairs) by new pairs; the
stretch it replaced is kept, so undo and redo put stretches back, exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..model import EDIT_OPS, EN, SIDE_ENDS, ZH, Alignment, Edit, InputError, Unit


@dataclass(frozen=True)
class _Sentence:
    text: str
    ids: tuple[int, ...]  # its number in the document's side: none when not known, several
    # when the splitter could not cut the unit's text as its sentence numbers say
    para: int


_Side = tuple[_Sentence, ...]
_Sides = tuple[_Side, _Side]  # (Chinese, English)


@dataclass(frozen=True)
class _Change:
    """What an edit did: the pairs from `start` were `old` and became `new`."""

    edit: Edit
    start: int
    old: list[Unit]
    old_sides: list[_Sides | None]
    new: list[Unit]
    new_sides: list[_Sides | None]


def _count(side: _Side) -> int:
    """Sentences on a side, as a bead type counts them."""
    return sum(len(s.ids) or 1 for s in side)


def _texts(side: _Side, lang: str) -> str:
    """A side's text, its sentences joined as each language joins them."""
    return ("" if lang == ZH else " ").join(s.text for s in side)


class Review:
    """An alignment under review: its units (`units`, in order) and the edits made to them,
    which `undo` and `redo` take back and make again. `alignment`, when the units are
    `units_of` it, gives the sentences a pair is cut into."""

    def __init__(self, units: Iterable[Unit], alignment: Alignment | None = None) -> None:
        self.units: list[Unit] = list(units)
        self._sides: list[_Sides | None] = [None] * len(self.units)
        self._tables = _tables(alignment) if alignment is not None else None
        self._done: list[_Change] = []
        self._undone: list[_Change] = []
        self.version = 0  # changes with every edit, undo and redo

    def __len__(self) -> int:
        return len(self.units)

    @property
    def edits(self) -> list[Edit]:
        """The edits made and not undone, in order: what replaying reproduces."""
        return [c.edit for c in self._done]

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    def sentences(self, i: int) -> tuple[list[str], list[str]]:
        """The Chinese and English sentences of pair `i`."""
        zh, en = self._cut(i)
        return [s.text for s in zh], [s.text for s in en]

    # ------------------------------------------------------------ editing

    def apply(self, edit: Edit) -> range:
        """Make an edit; the positions of the pairs it made. InputError (nothing changed)
        when it does not apply: no such pair, no sentence to move, an empty pair ..."""
        _check(edit, len(self.units))
        start, count, new = self._plan(edit)
        old = self.units[start : start + count]
        old_sides = self._sides[start : start + count]
        units = _with_context(old, [u for u, _ in new], [s for _, s in new])
        change = _Change(edit, start, old, old_sides, units, [s for _, s in new])
        self._swap(start, count, change.new, change.new_sides)
        self._done.append(change)
        self._undone.clear()
        return range(start, start + len(units))

    def undo(self) -> tuple[Edit, range] | None:
        """Take back the last edit: it and the positions of the pairs it restored."""
        if not self._done:
            return None
        change = self._done.pop()
        self._swap(change.start, len(change.new), change.old, change.old_sides)
        self._undone.append(change)
        return change.edit, range(change.start, change.start + len(change.old))

    def redo(self) -> tuple[Edit, range] | None:
        """Make the last edit taken back again: it and the positions of its pairs."""
        if not self._undone:
            return None
        change = self._undone.pop()
        self._swap(change.start, len(change.old), change.new, change.new_sides)
        self._done.append(change)
        return change.edit, range(change.start, change.start + len(change.new))

    def _swap(self, start: int, count: int, units: list[Unit], sides: list[_Sides | None]) -> None:
        self.units[start : start + count] = units
        self._sides[start : start + count] = sides
        self.version += 1

    def _plan(self, e: Edit) -> tuple[int, int, list[tuple[Unit, _Sides]]]:
        """Where an edit applies (first pair, how many) and the pairs it makes there."""
        i, unit = e.bead, self.units[e.bead]
        if e.op == "confirm":
            if unit.status != "auto":
                raise InputError(f"pair #{i + 1} is already {unit.status}")
            return i, 1, [(replace(unit, status="confirmed"), self._cut(i))]
        if e.op == "edit":
            return i, 1, [self._edited(i, e)]
        if e.op == "join":
            self._neighbour(i, i + 1)
            (za, ea), (zb, eb) = self._cut(i), self._cut(i + 1)
            return i, 2, [_made(unit, za + zb, ea + eb)]
        zh, en = self._cut(i)
        if e.op == "split":
            k, m = e.cut
            if not (0 <= k <= len(zh) and 0 <= m <= len(en)):
                raise InputError(
                    f"pair #{i + 1} has {len(zh)} Chinese and {len(en)} English sentences: "
                    f"no cut after {k} and {m}"
                )
            if not (k or m) or (k == len(zh) and m == len(en)):
                raise InputError(f"pair #{i + 1}: the cut leaves one of the two pairs empty")
            return i, 1, [_made(unit, zh[:k], en[:m]), _made(unit, zh[k:], en[m:])]
        side, other = (zh, en) if e.side == ZH else (en, zh)
        if not side:
            raise InputError(f"pair #{i + 1} has no {_language(e.side)} sentence")
        moved = side[0] if e.end == "first" else side[-1]
        rest = side[1:] if e.end == "first" else side[:-1]
        if e.op == "detach":
            if not rest and not other:
                raise InputError(f"pair #{i + 1} already has nothing on the other side")
            alone = _made(unit, *_oriented(e.side, (moved,), ()))
            kept = _made(unit, *_oriented(e.side, rest, other))
            return i, 1, [alone, kept] if e.end == "first" else [kept, alone]
        # move: to the end of the previous pair's side, or the start of the next pair's
        j = i - 1 if e.end == "first" else i + 1
        self._neighbour(min(i, j), max(i, j))
        near_zh, near_en = self._cut(j)
        near_side, near_other = (near_zh, near_en) if e.side == ZH else (near_en, near_zh)
        near_side = near_side + (moved,) if e.end == "first" else (moved,) + near_side
        near = _made(self.units[j], *_oriented(e.side, near_side, near_other))
        left = [_made(unit, *_oriented(e.side, rest, other))] if rest or other else []
        return min(i, j), 2, [near, *left] if e.end == "first" else [*left, near]

    def _edited(self, i: int, e: Edit) -> tuple[Unit, _Sides]:
        sides = list(self._cut(i))
        for k, (lang, texts) in enumerate(((ZH, e.zh), (EN, e.en))):
            if texts is None:
                continue
            if len(texts) != len(sides[k]):
                raise InputError(
                    f"pair #{i + 1} has {len(sides[k])} {_language(lang)} sentences, not "
                    f"{len(texts)}"
                )
            if any(not t.strip() or "\n" in t for t in texts):
                raise InputError(f"pair #{i + 1}: a sentence's new text is empty or two lines")
            sides[k] = tuple(replace(s, text=t) for s, t in zip(sides[k], texts, strict=True))
        zh, en = sides
        if (zh, en) == self._cut(i):
            raise InputError(f"pair #{i + 1}: the new text is the text it has")
        unit = self.units[i]
        return _made(unit, zh, en, confidence=unit.confidence, kind=unit.kind)

    def _neighbour(self, i: int, j: int) -> None:
        """InputError unless pairs i and j (i < j) are both there, of one document."""
        if i < 0:
            raise InputError("pair #1 is the first: there is no pair before it")
        if j >= len(self.units):
            raise InputError(f"pair #{i + 1} is the last: there is no pair after it")
        if self.units[i].doc != self.units[j].doc:
            raise InputError(f"pairs #{i + 1} and #{j + 1} are of different documents")

    # ------------------------------------------------------------ sentences

    def _cut(self, i: int) -> _Sides:
        """Pair i's sides as sentences (cut once, when first needed)."""
        sides = self._sides[i]
        if sides is None:
            unit = self.units[i]
            sides = self._sides[i] = (self._side(unit, ZH), self._side(unit, EN))
        return sides

    def _side(self, unit: Unit, lang: str) -> _Side:
        text, ids = (unit.zh, unit.zh_ids) if lang == ZH else (unit.en, unit.en_ids)
        if not text.strip():
            return ()
        if self._tables is not None and ids and unit.kind != "title":
            table = self._tables[0 if lang == ZH else 1]
            if all(0 <= k < len(table) for k in ids):
                side = tuple(_Sentence(table[k][0], (k,), table[k][1]) for k in ids)
                if _texts(side, lang) == text:
                    return side
        from ..segment import split_sentences  # only a pair being edited is cut

        pieces = split_sentences(text, lang) or [text.strip()]
        if ids and len(pieces) != len(ids):
            return (_Sentence(text.strip(), ids, unit.para),)
        numbers = [(k,) for k in ids] if ids else [()] * len(pieces)
        return tuple(_Sentence(t, n, unit.para) for t, n in zip(pieces, numbers, strict=True))


def _tables(al: Alignment) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Each side's sentences (paragraphs, at paragraph level) as (text, paragraph)."""
    doc = al.document
    if al.level == "paragraph":
        return [(p.text, p.index) for p in doc.zh.paragraphs], [
            (p.text, p.index) for p in doc.en.paragraphs
        ]
    return (
        [(s.text, s.para) for s in al.sentences_of(doc.zh)],
        [(s.text, s.para) for s in al.sentences_of(doc.en)],
    )


def _language(lang: str) -> str:
    return "Chinese" if lang == ZH else "English"


def _oriented(lang: str, side: _Side, other: _Side) -> _Sides:
    """(Chinese, English) from a side of language `lang` and the other side."""
    return (side, other) if lang == ZH else (other, side)


def _made(
    base: Unit, zh: _Side, en: _Side, *, confidence: float = 1.0, kind: str = ""
) -> tuple[Unit, _Sides]:
    """A pair a person made from sentences: status edited, and (unless told) confidence
    1.0 (the pairing is a person's, not the aligner's guess); its other fields (document,
    block, section ...) those of `base`, its paragraph that of its first sentence. The
    segment-level parts of the old bead no longer apply."""
    first = zh or en
    unit = replace(
        base,
        zh=_texts(zh, ZH),
        en=_texts(en, EN),
        confidence=confidence,
        kind=kind or f"{_count(zh)}-{_count(en)}",
        para=first[0].para if first else base.para,
        zh_ids=tuple(k for s in zh for k in s.ids),
        en_ids=tuple(k for s in en for k in s.ids),
        status="edited",
        part="",
        parts=(),
    )
    return unit, (zh, en)


def _with_context(old: list[Unit], new: list[Unit], sides: list[_Sides | None]) -> list[Unit]:
    """The new pairs with the Chinese sentences just before and after each (a TMX's
    context), read off the pairs they replace and their own sentences; none when the old
    pairs had none (another tool's file)."""
    with_zh = [u for u in old if u.zh.strip()]
    if not any(any(u.context) for u in with_zh) or any(s is None for s in sides):
        return new
    before, after = with_zh[0].context[0], with_zh[-1].context[1]
    flat = [s.text for side in sides if side is not None for s in side[0]]
    out, at = [], 0
    for unit, side in zip(new, sides, strict=True):
        n = len(side[0]) if side is not None else 0
        if not n:
            out.append(replace(unit, context=("", "")))
            continue
        pre = flat[at - 1] if at else before
        post = flat[at + n] if at + n < len(flat) else after
        out.append(replace(unit, context=(pre, post)))
        at += n
    return out


def _check(e: Edit, n: int) -> None:
    """InputError unless the edit is well formed for a list of `n` pairs."""
    if e.op not in EDIT_OPS:
        raise InputError(f"unknown edit {e.op!r}: use one of {', '.join(EDIT_OPS)}")
    if not 0 <= e.bead < n:
        raise InputError(f"pair #{e.bead + 1}: no such pair (there are {n})")
    if e.op in ("move", "detach"):
        if e.side not in (ZH, EN) or e.end not in SIDE_ENDS:
            raise InputError(f"{e.op} needs a side (zh or en) and an end (first or last)")
    if e.op == "edit" and e.zh is None and e.en is None:
        raise InputError("edit needs the new text of a side (zh, en)")


def apply_edits(
    units: Sequence[Unit], edits: Iterable[Edit], alignment: Alignment | None = None
) -> list[Unit]:
    """The units after the edits, made in order (the units given are not changed).
    InputError naming the edit (1-based) that does not apply."""
    review = Review(units, alignment)
    for k, edit in enumerate(edits, 1):
        try:
            review.apply(edit)
        except InputError as err:
            raise InputError(f"edit {k} ({edit.op}): {err}") from None
    return review.units


# ---------------------------------------------------------------- as JSON


def edit_to_json(e: Edit) -> dict[str, object]:
    """An edit as a JSON object: its op and pair, and only the fields it uses."""
    out: dict[str, object] = {"op": e.op, "bead": e.bead}
    if e.op in ("move", "detach"):
        out["side"], out["end"] = e.side, e.end
    if e.op == "split":
        out["cut"] = list(e.cut)
    for lang, texts in ((ZH, e.zh), (EN, e.en)):
        if texts is not None:
            out[lang] = list(texts)
    return out


def edit_from_json(data: object, where: str) -> Edit:
    """An edit from its JSON object; InputError naming `where` when it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("op"), str):
        raise InputError(f"{where}: an edit is an object with an op ({', '.join(EDIT_OPS)})")
    bead = data.get("bead")
    if type(bead) is not int:
        raise InputError(f"{where}: bead must be a pair's position (0-based), not {bead!r}")
    cut = data.get("cut", [0, 0])
    if not (isinstance(cut, list) and len(cut) == 2 and all(type(k) is int for k in cut)):
        raise InputError(f"{where}: cut must be two numbers of sentences, not {cut!r}")
    texts: dict[str, tuple[str, ...] | None] = {}
    for lang in (ZH, EN):
        value = data.get(lang)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(t, str) for t in value)
        ):
            raise InputError(f"{where}: {lang} must be a list of sentence texts")
        texts[lang] = tuple(value) if value is not None else None
    edit = Edit(
        data["op"], bead, str(data.get("side", "")), str(data.get("end", "")),
        (cut[0], cut[1]), texts[ZH], texts[EN],
    )  # fmt: skip
    try:
        _check(edit, bead + 1)
    except InputError as err:
        raise InputError(f"{where}: {err}") from None
    return edit
