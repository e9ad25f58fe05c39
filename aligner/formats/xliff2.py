"""XLIFF 2.1: a bilingual file of the aligned document in the OASIS core with the
Metadata module; read back (and XLIFF 2.0/2.1 files of other tools).

One `<file>` per document (`original`: its name), one `<unit>` per bead, a `<segment>`
per sentence-level part of a split bead with `<ignorable>`s for the text between them
(see `_xliff.layout`), else one `<segment>`: Chinese `<source>`, English `<target>` (none
when the bead has no English: state `initial`). The segment's `state` is `translated`
for the aligner's pairs, `reviewed` for those a person edited, `final` for those a person
confirmed, and `subState` says which (`aligner:auto` ...). The unit's fields are
`<mda:meta>` of an `<mda:metaGroup category="aligner">` (confidence, bead, status,
paragraph, sentence numbers, split, context; a document's block kind, section, page or
cue time), a part's in the group `aligner-segment-N`;
a `<note>` says the confidence and bead type to the translator.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from lxml import etree

from ..model import ExportOptions, ExportResult, InputError, Unit
from . import _xliff
from ._xml import XML_SPACE, blank, is_chinese, is_english, local_name, parse
from ._xml import check_language_options as check_options

NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
VERSION = "2.1"
GROUP = "aligner"  # the metaGroup of a unit's fields; its parts': GROUP-segment-N
STATE = {"auto": "translated", "confirmed": "final", "edited": "reviewed"}
CODES = frozenset({"ph", "sc", "ec", "cp", "originalData"})  # no text of the document


def _el(parent: etree._Element, tag: str, text: str | None = None, ns: str = NS, **attrs: str):
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    el.text = text
    return el


def _meta_group(metadata: etree._Element, category: str, meta: list[tuple[str, str]]) -> None:
    group = _el(metadata, "metaGroup", ns=MDA, category=category)
    for key, value in meta:
        _el(group, "meta", value, ns=MDA, type=key)


def _unit(file: etree._Element, n: int, unit: Unit) -> int:
    """Write the unit; how many segments of its parts it holds."""
    el = _el(file, "unit", id=f"u{n}")
    runs = _xliff.layout(unit)
    metadata = _el(el, "metadata", ns=MDA)
    _meta_group(metadata, GROUP, _xliff.unit_meta(unit))
    segments = [r for r in runs if r.segment]
    for k, run in enumerate(segments, 1):
        if run.part is not None:
            _meta_group(metadata, f"{GROUP}-segment-{k}", _xliff.unit_meta(run.part))
    _el(_el(el, "notes"), "note", _xliff.note(unit), category="aligner")
    k = 0
    for run in runs:
        if run.segment:
            k += 1
            translated = not blank(run.en)
            state = STATE[unit.status] if translated else "initial"
            seg = _el(el, "segment", id=f"s{k}", state=state, subState=f"aligner:{unit.status}")
            _el(seg, "source", run.zh)
            if translated:
                _el(seg, "target", run.en)
        else:
            gap = _el(el, "ignorable")
            _el(gap, "source", run.zh)
            _el(gap, "target", run.en)
    return _xliff.segments_written(runs)


def write(units: list[Unit], out: TextIO, options: ExportOptions) -> ExportResult:
    """`units` as an XLIFF 2.1 file, valid against the XLIFF 2 core and Metadata schemas."""
    check_options(options)
    units, dropped = _xliff.cleaned_units(units)
    root = etree.Element(
        f"{{{NS}}}xliff", version=VERSION, srcLang=options.zh_lang, trgLang=options.en_lang,
        nsmap={None: NS, "mda": MDA},
    )  # fmt: skip
    n = split = 0
    for k, (doc, run) in enumerate(_xliff.runs_of_documents(units), 1):
        file = _el(root, "file", id=f"f{k}", original=doc, **{XML_SPACE: "preserve"})
        for unit in run:
            n += 1
            split += _unit(file, n, unit)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(_xliff.serialise(root))
    return ExportResult(written=len(units), dropped_chars=dropped, split_units=split)


# --- reading ----------------------------------------------------------------------------


def _metas(unit: etree._Element) -> dict[str, dict[str, str]]:
    """Our metaGroups of a unit, by category: their `<mda:meta>`, by type."""
    out: dict[str, dict[str, str]] = {}
    for metadata in _xliff.children(unit, "metadata"):
        for group in _xliff.children(metadata, "metaGroup"):
            category = group.get("category", "")
            if category == GROUP or category.startswith(f"{GROUP}-segment-"):
                out[category] = {
                    m.get("type", ""): m.text or "" for m in _xliff.children(group, "meta")
                }
    return out


def _side(el: etree._Element, name: str) -> str:
    found = _xliff.first(el, name)
    return _xliff.text_of(found, CODES) if found is not None else ""


def _read_unit(el: etree._Element, doc: str, swap: bool) -> Unit:
    runs = [r for r in el if local_name(r.tag) in ("segment", "ignorable")]
    texts = [(_side(r, "source"), _side(r, "target")) for r in runs]
    zh, en = "".join(t[0] for t in texts), "".join(t[1] for t in texts)
    if swap:
        zh, en = en, zh
    segments = [r for r in runs if local_name(r.tag) == "segment"]
    ours = [r.get("subState", "") for r in segments if r.get("subState", "").startswith("aligner:")]
    if ours:
        status = ours[0].split(":", 1)[1]
    else:  # another tool's: confirmed when every segment is reviewed or final
        states = [r.get("state", "") for r in segments]
        done = bool(states) and all(s in ("final", "reviewed") for s in states)
        status = "confirmed" if done else "auto"
    metas = _metas(el)
    unit = _xliff.unit_from(metas.get(GROUP, {}), zh, en, doc, status)
    if swap:
        return unit
    segments = [t for r, t in zip(runs, texts, strict=True) if local_name(r.tag) == "segment"]
    return _xliff.with_parts(
        unit,
        [(zh, en, metas.get(f"{GROUP}-segment-{k}", {})) for k, (zh, en) in enumerate(segments, 1)],
    )


def read_tree(root: etree._Element, p: Path) -> list[Unit]:
    """The units of a parsed XLIFF 2 document (see `xliff.read`)."""
    source, target = root.get("srcLang"), root.get("trgLang")
    if is_chinese(source) and (target is None or is_english(target)):
        swap = False
    elif is_english(source) and is_chinese(target):
        swap = True
    else:
        raise InputError(
            f"{p}: not a Chinese-English XLIFF file (srcLang {source!r}, trgLang {target!r})"
        )
    out: list[Unit] = []
    for file in _xliff.children(root, "file"):
        doc = file.get("original", "")
        out += [_read_unit(u, doc, swap) for u in file.iter() if local_name(u.tag) == "unit"]
    return out


def read(path: str | Path) -> list[Unit]:
    """The units of an XLIFF 2 file (see `xliff.read`, which reads both versions)."""
    p = Path(path)
    root = parse(p).getroot()
    if local_name(root.tag) != "xliff" or not root.get("version", "").startswith("2"):
        raise InputError(f"{p}: not an XLIFF 2 file")
    return read_tree(root, p)
