"""TMX (Translation Memory eXchange): write TMX 1.4b, read TMX 1.1-1.4, validate.

Each `<tu>` of ours has the attributes CAT tools read (`tuid`, `creationdate`,
`creationid`, `changedate`, `changeid`) and these properties: `x-confidence`, `x-bead`
(the bead type), `x-status` (auto, confirmed, edited), `x-document`, `x-paragraph`,
`x-zh-ids` and `x-en-ids` (sentence numbers, 0-based, space-separated), `x-split` ("i/k"
on the segment-level units of a split bead), `x-context-pre`/`x-context-post` (the
Chinese sentences around the unit, as XTM and Trados use them), and for a unit of a
structured document `x-block` (the kind of block: heading, list_item, table_cell ...),
`x-section` (the heading it stands under), `x-page` (a PDF's page it begins on) and, for
subtitles, `x-time` (when the cues are on screen). A file from another tool
has none of them and its units get the `Unit` defaults.
"""

from __future__ import annotations

import html
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TextIO

from lxml import etree

from .. import __version__
from ..model import LEVELS, ExportOptions, ExportResult, InputError, Unit
from ._io import creationdate
from ._xml import (
    FORBIDDEN,
    NotWellFormed,
    blank,
    check_languages,
    ids_text,
    is_chinese,
    is_english,
    local_name,
    message_line,
    parse,
    unit_from,
    xml_lang,
)

DTD_RESOURCE = "tmx14.dtd"

PROPS = (
    "x-confidence", "x-bead", "x-status", "x-document", "x-paragraph", "x-zh-ids", "x-en-ids",
    "x-split", "x-context-pre", "x-context-post", "x-block", "x-section", "x-time", "x-page",
)  # fmt: skip


def _local(el: etree._Element) -> str:
    """The element's name, lower-cased: other tools' files are read case-insensitively."""
    return local_name(el.tag).lower()


# --- writing ----------------------------------------------------------------------------


def _escape(text: str) -> str:
    """Escape for element content; a carriage return is written as a character reference
    because an XML parser would otherwise turn it into a newline."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attr(text: str) -> str:
    """Escape for a double-quoted attribute value (whitespace kept as references)."""
    escaped = _escape(FORBIDDEN.sub("", text))
    return escaped.replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def _header(options: ExportOptions, date: str) -> str:
    attrs = {
        "creationtool": "aligner",
        "creationtoolversion": __version__,
        "segtype": options.segtype,
        "o-tmf": "aligner",
        "adminlang": "en-US",
        "srclang": options.zh_lang,
        "datatype": "plaintext",
        "creationdate": date,
    }
    text = " ".join(f'{k}="{_attr(v)}"' for k, v in attrs.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
        '<tmx version="1.4">\n'
        f"  <header {text}/>\n"
        "  <body>\n"
    )


_FOOTER = "  </body>\n</tmx>\n"


def _tu(tuid: int, unit: Unit, stamp: str, langs: tuple[str, str]) -> tuple[str, int]:
    """The <tu> of a unit (`stamp`: its date and user attributes; `langs`: the Chinese
    and English language codes), and how many
    characters XML forbids were dropped from it."""
    texts = {
        "zh": unit.zh, "en": unit.en, "x-bead": unit.kind, "x-status": unit.status,
        "x-document": unit.doc, "x-context-pre": unit.context[0],
        "x-context-post": unit.context[1], "x-block": unit.block, "x-section": unit.section,
        "x-time": unit.time,
    }  # fmt: skip
    dropped = 0
    for key, text in texts.items():  # the characters XML forbids are dropped, and counted
        texts[key], n = FORBIDDEN.subn("", text)
        dropped += n
    props = [
        ("x-confidence", repr(float(unit.confidence))),
        ("x-bead", texts["x-bead"]),
        ("x-status", texts["x-status"]),
        ("x-document", texts["x-document"]),
        ("x-paragraph", str(int(unit.para))),
    ]
    props += [("x-zh-ids", ids_text(unit.zh_ids)), ("x-en-ids", ids_text(unit.en_ids))]
    if unit.part:
        props.append(("x-split", unit.part))
    props += [(t, texts[t]) for t in ("x-context-pre", "x-context-post") if texts[t]]
    props += [(t, texts[t]) for t in ("x-block", "x-section", "x-time") if texts[t]]
    if unit.page:
        props.append(("x-page", str(int(unit.page))))
    lines = [f'    <tu tuid="{tuid}" {stamp}>']
    lines += [f'      <prop type="{t}">{_escape(v)}</prop>' for t, v in props if v]
    for lang, text in zip(langs, (texts["zh"], texts["en"]), strict=True):
        if not blank(text):
            lines.append(f'      <tuv xml:lang="{_attr(lang)}"><seg>{_escape(text)}</seg></tuv>')
    lines.append("    </tu>\n")
    return "\n".join(lines), dropped


def check_options(options: ExportOptions) -> None:
    check_languages(options.zh_lang, options.en_lang)
    if options.segtype not in LEVELS:
        raise InputError(f"segtype {options.segtype!r}: use one of {', '.join(LEVELS)}")


def write(units: list[Unit], out: TextIO, options: ExportOptions) -> ExportResult:
    """`units` as a TMX 1.4b file, UTF-8, valid against the TMX 1.4 DTD.

    One `<tu>` per unit: its `<prop>`s (see the module's docstring), then the Chinese
    `<tuv>` and the English `<tuv>`; a side that is empty has no `<tuv>`
    (the registry leaves such units out unless `keep_unaligned`). Characters XML 1.0
    forbids are dropped and counted. `out` should encode UTF-8, as the declaration says.
    """
    check_options(options)
    date = options.creationdate or creationdate()
    out.write(_header(options, date))
    user = _attr(options.user or f"aligner {__version__}")
    stamp = f'creationdate="{date}" creationid="{user}" changedate="{date}" changeid="{user}"'
    langs = (options.zh_lang, options.en_lang)
    dropped = 0
    for tuid, unit in enumerate(units, 1):
        text, n = _tu(tuid, unit, stamp, langs)
        out.write(text)
        dropped += n
    out.write(_FOOTER)
    return ExportResult(written=len(units), dropped_chars=dropped)


# --- reading ----------------------------------------------------------------------------


def _seg_text(el: etree._Element) -> str:
    """The text of a <seg> or <hi>: its text and its children's tails, <hi> content
    included, the native codes inside bpt/ept/ph/it/ut (and a <sub> within them) left
    out."""
    parts = [el.text or ""]
    for child in el:
        if child.tag is etree.Entity:  # an undeclared entity left unresolved
            parts.append(html.unescape(child.text or ""))
        elif _local(child) == "hi":
            parts.append(_seg_text(child))
        # comments, processing instructions and inline codes: content skipped
        parts.append(child.tail or "")
    return "".join(parts)


def _tuv_text(tuv: etree._Element) -> str | None:
    seg = next((c for c in tuv if _local(c) == "seg"), None)
    return None if seg is None else _seg_text(seg)


def _unit(tu: etree._Element) -> Unit | None:
    """The Chinese-English unit in a <tu> (first Chinese and first English <tuv>), or
    None when it has neither."""
    zh = en = None
    props: dict[str, str] = {}
    for child in tu:
        name = _local(child)
        if name == "prop":
            ptype = child.get("type", "")
            if ptype in PROPS and ptype not in props:
                props[ptype] = child.text or ""
        elif name == "tuv":
            lang = xml_lang(child)
            if zh is None and is_chinese(lang):
                zh = _tuv_text(child)
            elif en is None and is_english(lang):
                en = _tuv_text(child)
    zh = zh if zh is not None and not blank(zh) else ""
    en = en if en is not None and not blank(en) else ""
    if not zh and not en:
        return None
    fields = {key[2:]: value for key, value in props.items()}  # without their "x-"
    return unit_from(fields, zh, en, props.get("x-document", ""), "auto")


def read(path: str | Path) -> list[Unit]:
    """The Chinese-English units of a TMX 1.1-1.4 file (ours or another tool's).

    Languages are recognised by code, case-insensitively (zh, zh-TW, zh-Hans, cmn, chi,
    zho ...; en, en-GB, eng ...), in `xml:lang` or the TMX 1.1 `lang`. Inline codes
    (bpt, ept, ph, it, ut) are dropped, `<hi>` text kept. A `<tu>` with only one of the two
    languages gives a unit with an empty side; a file with no `<tu>` gives an empty list.
    Raises InputError for a missing file, bad XML, a non-TMX file, or a TMX file whose
    units contain no Chinese-English pair.
    """
    p = Path(path)
    root = parse(p).getroot()
    if _local(root) != "tmx":
        raise InputError(f"{p}: not a TMX file (root element <{_local(root) or root.tag}>)")
    body = next((c for c in root if _local(c) == "body"), None)
    if body is None:
        raise InputError(f"{p}: not a TMX file (no <body>)")
    tus = [c for c in body if _local(c) == "tu"]
    out = [u for u in map(_unit, tus) if u is not None]
    if tus and not any(u.zh and u.en for u in out):
        langs = sorted({xml_lang(c) or "?" for tu in tus for c in tu if _local(c) == "tuv"})
        raise InputError(
            f"{p}: no Chinese-English translation unit found "
            f"(languages: {', '.join(langs[:10]) or 'none'})"
        )
    return out


# --- validating -------------------------------------------------------------------------


@cache
def _dtd() -> etree.DTD:
    with resources.files("aligner").joinpath("data", DTD_RESOURCE).open("rb") as fh:
        return etree.DTD(fh)


def validate(path: str | Path) -> list[str]:
    """Validate against the TMX 1.4 DTD shipped in `aligner/data/tmx14.dtd`.

    Returns one message per error (`line N: message`), empty when the file is valid; a
    file that is not well-formed XML gives its syntax error. Raises InputError when the
    file is missing, a directory or unreadable.
    """
    try:
        tree = parse(path)
    except NotWellFormed as err:
        return [f"line {err.line}: {err.reason}"]
    dtd = _dtd()
    if dtd.validate(tree):
        return []
    return [f"line {e.line}: {message_line(e.message)}" for e in dtd.error_log]
