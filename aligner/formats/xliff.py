"""XLIFF 1.2: a bilingual file of the aligned document, as CAT tools (OmegaT, memoQ,
Trados) and translate-toolkit read it; read back (an XLIFF 2 file given under the same
suffixes is read by `xliff2`).

One `<file>` per document (`original`: its name), one `<trans-unit>` per bead, Chinese
`<source>`, English `<target>` (none when the bead has no English). A bead split into
sentence-level parts has a `<seg-source>` whose `<mrk mtype="seg">` are its Chinese
segments, and the same `<mrk>` in its `<target>` (see `_xliff.layout`; a sentence with no
English has none there). The target's
`state` is `translated` for the aligner's pairs (not `approved`: translate-toolkit counts
them as fuzzy, to be reviewed), `signed-off` and `approved="yes"` for those a person
confirmed or edited. The unit's fields are a `<context-group name="aligner-ID">` of `x-`
contexts (confidence, bead, status, paragraph, sentence numbers, split, context, and a
document's block kind, section, page or cue time), a
part's in `<context-group name="aligner-ID-segment-N">`, and a `<note>` says the
confidence and bead type to the translator.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from lxml import etree

from .. import __version__
from ..model import ExportOptions, ExportResult, InputError, Unit
from . import _xliff
from ._io import creationdate
from ._xml import XML_SPACE, blank, is_chinese, is_english, local_name, parse
from ._xml import check_language_options as check_options

NS = "urn:oasis:names:tc:xliff:document:1.2"
# the context-group of a unit's fields is named GROUP-ID (ID: its trans-unit's), its parts'
# GROUP-ID-segment-N: the strict schema wants the names unique within a <file>
GROUP = "aligner"
STATE = {"auto": "translated", "confirmed": "signed-off", "edited": "signed-off"}
# inline elements whose content is native code, not text
CODES = frozenset({"x", "bx", "ex", "ph", "bpt", "ept", "it", "sub"})


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str):
    el = etree.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    el.text = text
    return el


def _segmented(parent: etree._Element, runs: list[_xliff.Run], side: str) -> None:
    """The runs of one side inside `parent`: segments as `<mrk mtype="seg">`, the text
    between them as text."""
    last: etree._Element | None = None
    mid = 0
    for run in runs:
        text = getattr(run, side)
        if run.segment:
            mid += 1
            if not text:  # a sentence with no translation: no marker in the target
                continue
            last = _el(parent, "mrk", text, mtype="seg", mid=str(mid))
        elif last is None:
            parent.text = (parent.text or "") + text
        else:
            last.tail = (last.tail or "") + text


def _context_group(parent: etree._Element, name: str, meta: list[tuple[str, str]]) -> None:
    group = _el(parent, "context-group", name=name, purpose="information")
    for key, value in meta:
        _el(group, "context", value, **{"context-type": f"x-{key}"})


def _trans_unit(body: etree._Element, n: int, unit: Unit) -> int:
    """Write the unit's trans-unit; how many segments of its parts it holds."""
    approved = unit.status != "auto"
    attrs = {"id": str(n), XML_SPACE: "preserve"} | ({"approved": "yes"} if approved else {})
    tu = _el(body, "trans-unit", **attrs)
    runs = _xliff.layout(unit)
    _el(tu, "source", unit.zh)
    if len(runs) > 1:
        _segmented(_el(tu, "seg-source"), runs, "zh")
    if not blank(unit.en):
        target = _el(tu, "target", state=STATE[unit.status])
        if len(runs) > 1:
            _segmented(target, runs, "en")
        else:
            target.text = unit.en
    _context_group(tu, f"{GROUP}-{n}", _xliff.unit_meta(unit))
    for mid, run in enumerate((r for r in runs if r.segment), 1):
        if run.part is not None:
            _context_group(tu, f"{GROUP}-{n}-segment-{mid}", _xliff.unit_meta(run.part))
    _el(tu, "note", _xliff.note(unit), **{"from": "aligner"})
    return _xliff.segments_written(runs)


def write(units: list[Unit], out: TextIO, options: ExportOptions) -> ExportResult:
    """`units` as an XLIFF 1.2 file, valid against the XLIFF 1.2 strict schema."""
    check_options(options)
    units, dropped = _xliff.cleaned_units(units)
    date = _xliff.date_time(options.creationdate or creationdate())
    root = etree.Element(f"{{{NS}}}xliff", version="1.2", nsmap={None: NS})
    n = split = 0
    for doc, run in _xliff.runs_of_documents(units):
        file = _el(
            root, "file", original=doc, datatype="plaintext", date=date,
            **{"source-language": options.zh_lang, "target-language": options.en_lang},
        )  # fmt: skip
        header = _el(file, "header")
        _el(header, "tool", **{"tool-id": "aligner", "tool-name": "aligner",
                               "tool-version": __version__})  # fmt: skip
        body = _el(file, "body")
        for unit in run:
            n += 1
            split += _trans_unit(body, n, unit)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(_xliff.serialise(root))
    return ExportResult(written=len(units), dropped_chars=dropped, split_units=split)


# --- reading ----------------------------------------------------------------------------


def _segments(el: etree._Element | None) -> dict[str, str]:
    """The `<mrk mtype="seg">` of a `<seg-source>` or `<target>`, by their `mid`."""
    if el is None:
        return {}
    return {
        m.get("mid", ""): _xliff.text_of(m, CODES)
        for m in el.iter()
        if local_name(m.tag) == "mrk" and m.get("mtype") == "seg"
    }


def _metas(tu: etree._Element) -> dict[str, dict[str, str]]:
    """Our context groups of a trans-unit, by name less the unit's prefix ("" for the
    unit's, "segment-N" for its parts'): their `x-` contexts, by type."""
    out: dict[str, dict[str, str]] = {}
    prefix = f"{GROUP}-{tu.get('id', '')}"
    for group in _xliff.children(tu, "context-group"):
        name = group.get("name", "")
        if name == prefix or name.startswith(f"{prefix}-segment-"):
            out[name[len(prefix) + 1 :]] = {
                c.get("context-type", "")[2:]: c.text or ""
                for c in _xliff.children(group, "context")
                if c.get("context-type", "").startswith("x-")
            }
    return out


def _unit(tu: etree._Element, doc: str, swap: bool) -> Unit:
    source, target = _xliff.first(tu, "source"), _xliff.first(tu, "target")
    zh = _xliff.text_of(source, CODES) if source is not None else ""
    en = _xliff.text_of(target, CODES) if target is not None else ""
    if swap:
        zh, en = en, zh
    state = target.get("state", "") if target is not None else ""
    confirmed = tu.get("approved") == "yes" or state in ("final", "signed-off")
    metas = _metas(tu)
    unit = _xliff.unit_from(metas.get("", {}), zh, en, doc, "confirmed" if confirmed else "auto")
    zh_segments, en_segments = _segments(_xliff.first(tu, "seg-source")), _segments(target)
    if swap or len(zh_segments) < 2 or not set(en_segments) <= set(zh_segments):
        return unit
    return _xliff.with_parts(
        unit,
        [(zh_segments[m], en_segments.get(m, ""), metas.get(f"segment-{m}", {}))
         for m in zh_segments],
    )  # fmt: skip


def _sides(file: etree._Element, p: Path) -> bool:
    """Whether a `<file>`'s source is the English (its units are read swapped); an
    InputError unless its languages are Chinese and English."""
    source, target = file.get("source-language"), file.get("target-language")
    if is_chinese(source) and (target is None or is_english(target)):
        return False
    if is_english(source) and is_chinese(target):
        return True
    raise InputError(
        f"{p}: not a Chinese-English XLIFF file (source-language {source!r}, "
        f"target-language {target!r})"
    )


def read(path: str | Path) -> list[Unit]:
    """The units of an XLIFF 1.2 file (ours or another tool's; an XLIFF 2 file too).

    Chinese-English or English-Chinese; units inside `<group>`s are read; inline codes
    are dropped, the text of `<g>` and `<mrk>` kept. A trans-unit with no target gives a
    unit with an empty English side. Raises InputError for a missing file, bad XML, a
    file that is not XLIFF, or one whose languages are not Chinese and English.
    """
    p = Path(path)
    root = parse(p).getroot()
    if local_name(root.tag) != "xliff":
        raise InputError(f"{p}: not an XLIFF file (root element <{local_name(root.tag)}>)")
    if root.get("version", "").startswith("2"):
        from . import xliff2

        return xliff2.read_tree(root, p)
    out: list[Unit] = []
    for file in _xliff.children(root, "file"):
        swap = _sides(file, p)
        doc = file.get("original", "")
        units = [tu for tu in file.iter() if local_name(tu.tag) == "trans-unit"]  # any 1.x
        out += [_unit(tu, doc, swap) for tu in units]
    if not out:
        raise InputError(f"{p}: no translation units in this XLIFF file")
    return out
