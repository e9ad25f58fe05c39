"""What the two XLIFF formats (1.2: `xliff`, 2.1: `xliff2`) share: how a unit is laid out
as segments, the metadata each unit carries, and how a person's status maps to XLIFF's
states.

An XLIFF file is a bilingual document: every bead is one unit (a `<trans-unit>`, a
`<unit>`), nothing is written twice. A bead split into sentence-level parts (see
`align/split.py`) is one unit of several segments, one per part, so that a CAT tool
segmenting the source sentence by sentence finds each sentence with its translation; the
text between the parts (the comma the cut fell on, the space between two sentences) is
kept between the segments (an `<ignorable>` in 2.1, text between the `<mrk mtype="seg">`
of 1.2), so the unit still holds the bead's whole text; a sentence the translator left
out is a segment with no target. A bead whose parts do not spell its text stays one
segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..model import Unit

if TYPE_CHECKING:
    from lxml import etree
from ._xml import FORBIDDEN, ids_text, local_name, unit_from

CONTENT = frozenset({"source", "seg-source", "target"})  # text elements: never indented
# A gap between two parts may hold punctuation and spaces only: a word there would be
# text no segment offers for translation.
_WORDY = re.compile(r"\w")


@dataclass(frozen=True)
class Run:
    """A stretch of a unit's text on both sides: a segment (its part, when the unit is
    split) or the text between two segments."""

    zh: str
    en: str
    part: Unit | None = None
    segment: bool = True


def _locate(pieces: list[str], whole: str) -> list[tuple[int, int]] | None:
    """Where each piece stands in `whole`, in order (None: not all found in order)."""
    spans, at = [], 0
    for piece in pieces:
        start = whole.find(piece, at) if piece else at  # no text: a sentence left out
        if start < 0:
            return None
        spans.append((start, start + len(piece)))
        at = start + len(piece)
    return spans


def _gaps(whole: str, spans: list[tuple[int, int]]) -> list[str] | None:
    """The text before, between and after the spans; None when any holds a word."""
    edges = [0] + [x for span in spans for x in span] + [len(whole)]
    gaps = [whole[edges[k] : edges[k + 1]] for k in range(0, len(edges), 2)]
    return None if any(_WORDY.search(g) for g in gaps) else gaps


def layout(unit: Unit) -> list[Run]:
    """The runs a unit is written as: its parts as segments with the text between them,
    when they spell the unit's text in order; else the unit as one segment."""
    whole = [Run(unit.zh, unit.en)]
    if not unit.parts or not all(p.zh for p in unit.parts):  # segments are Chinese sentences
        return whole
    zh = _locate([p.zh for p in unit.parts], unit.zh)
    en = _locate([p.en for p in unit.parts], unit.en)
    zh_gaps = _gaps(unit.zh, zh) if zh else None
    en_gaps = _gaps(unit.en, en) if en else None
    if zh_gaps is None or en_gaps is None:
        return whole
    runs: list[Run] = []
    for k, part in enumerate(unit.parts):
        if k == 0 and (zh_gaps[0] or en_gaps[0]):
            runs.append(Run(zh_gaps[0], en_gaps[0], segment=False))
        runs.append(Run(part.zh, part.en, part))
        if zh_gaps[k + 1] or en_gaps[k + 1]:
            runs.append(Run(zh_gaps[k + 1], en_gaps[k + 1], segment=False))
    return runs


def segments_written(runs: list[Run]) -> int:
    """How many of a unit's parts its runs give segments of their own (none: whole)."""
    return sum(1 for r in runs if r.part is not None)


def clean(text: str) -> tuple[str, int]:
    """The text without the characters XML 1.0 forbids, and how many there were."""
    return FORBIDDEN.subn("", text)


def unit_meta(unit: Unit) -> list[tuple[str, str]]:
    """The unit's fields as (type, value) pairs, empty ones left out (the document is
    the `<file>`'s `original`); a part's too."""
    items = [
        ("confidence", repr(float(unit.confidence))),
        ("bead", unit.kind),
        ("status", unit.status),
        ("paragraph", str(int(unit.para))),
        ("zh-ids", ids_text(unit.zh_ids)),
        ("en-ids", ids_text(unit.en_ids)),
        ("split", unit.part),
        ("context-pre", unit.context[0]),
        ("context-post", unit.context[1]),
        ("block", unit.block),
        ("section", unit.section),
        ("time", unit.time),
        ("page", str(unit.page) if unit.page else ""),
    ]
    return [(k, clean(v)[0]) for k, v in items if clean(v)[0]]


def note(unit: Unit) -> str:
    """What a translator reads of the unit in a CAT tool's comment pane."""
    what = "title" if unit.kind == "title" else f"{unit.kind} bead"
    return f"aligner: confidence {unit.confidence:.3f}, {what}"


def with_parts(unit: Unit, segments: list[tuple[str, str, dict[str, str]]]) -> Unit:
    """The unit read back with its segments (text and metadata) as parts, when it has
    more than one."""
    if len(segments) < 2:
        return unit
    parts = tuple(unit_from(meta, zh, en, unit.doc, unit.status) for zh, en, meta in segments)
    return replace(unit, parts=parts)


def date_time(stamp: str) -> str:
    """A TMX date (YYYYMMDDTHHMMSSZ) as an XML Schema dateTime."""
    d, t = stamp.rstrip("Z").split("T")
    return f"{d[:4]}-{d[4:6]}-{d[6:8]}T{t[:2]}:{t[2:4]}:{t[4:6]}Z"


def runs_of_documents(units: list[Unit]) -> list[tuple[str, list[Unit]]]:
    """The units grouped by document, in order (one XLIFF `<file>` a run of units of one
    document)."""
    out: list[tuple[str, list[Unit]]] = []
    for u in units:
        if out and out[-1][0] == u.doc:
            out[-1][1].append(u)
        else:
            out.append((u.doc, [u]))
    return out


def _cleaned(unit: Unit) -> tuple[Unit, int]:
    """The unit (and its parts) without the characters XML forbids, and how many."""
    zh, a = clean(unit.zh)
    en, b = clean(unit.en)
    parts = [_cleaned(p) for p in unit.parts]
    cleaned = replace(unit, zh=zh, en=en, parts=tuple(p for p, _ in parts))
    return cleaned, a + b + sum(n for _, n in parts)


def cleaned_units(units: list[Unit]) -> tuple[list[Unit], int]:
    """The units as XML can hold them, and how many characters were dropped."""
    pairs = [_cleaned(u) for u in units]
    return [u for u, _ in pairs], sum(n for _, n in pairs)


def text_of(el: etree._Element, codes: frozenset[str]) -> str:
    """An element's text: its text, the text of its inline elements (`<g>`, `<mrk>`,
    `<pc>`), their tails; the content of native codes left out."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and local_name(child.tag) not in codes:
            parts.append(text_of(child, codes))
        parts.append(child.tail or "")
    return "".join(parts)


def children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if local_name(c.tag) == name]


def first(el: etree._Element, name: str) -> etree._Element | None:
    return next(iter(children(el, name)), None)


def serialise(root: etree._Element) -> str:
    """The document indented for reading, the content of `<source>`, `<seg-source>` and
    `<target>` exactly as built (an indenter would add white space to a target made only
    of segment markers)."""
    from lxml import etree

    content = [el for el in root.iter() if local_name(el.tag) in CONTENT]
    kept = [(el.text, [child.tail for child in el]) for el in content]
    etree.indent(root, space="  ")
    for el, (text, tails) in zip(content, kept, strict=True):
        el.text = text
        for child, tail in zip(el, tails, strict=True):
            child.tail = tail
    return etree.tostring(root, encoding="unicode") + "\n"
