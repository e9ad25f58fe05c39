"""TMX (Translation Memory eXchange): write TMX 1.4b, read TMX 1.1-1.4, validate, merge.

One module for the format over the shared `Unit` model (`aligner.model`), as in
translate-toolkit's `translate/storage`. Our files carry four properties per `<tu>`:
`x-confidence`, `x-bead` (unit.kind), `x-document` and `x-paragraph`; a file from another
tool has none of them and its units get the `Unit` defaults.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TextIO

from lxml import etree

from .model import InputError, Unit

SEGTYPES = ("sentence", "paragraph")
DTD_RESOURCE = "tmx14.dtd"

# XML 1.0 `Char` excludes C0 controls other than tab, newline and carriage return, the
# surrogate range (lone surrogates in a Python str) and the noncharacters U+FFFE/U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Primary language subtags (ISO 639-1/2/3) read as Chinese and as English.
ZH_CODES = frozenset({"zh", "zho", "chi", "cmn"})
EN_CODES = frozenset({"en", "eng"})

# Inline codes whose content is native markup, not text: skipped when reading a <seg>.
# <sub> (a sub-flow inside a code) is skipped with its code; <hi> wraps real text.
CODE_TAGS = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})

PROPS = ("x-confidence", "x-bead", "x-document", "x-paragraph")


@dataclass
class TmxStats:
    """What `write_tmx` did."""

    written: int = 0  # <tu> elements written
    skipped_empty: int = 0  # units with an empty side (1-0, 0-1) left out
    skipped_low_confidence: int = 0  # units under min_confidence left out
    dropped_chars: int = 0  # characters XML 1.0 forbids, dropped from written units

    @property
    def skipped(self) -> int:
        return self.skipped_empty + self.skipped_low_confidence


# --- language codes ---------------------------------------------------------------------


def _primary(code: str) -> str:
    return re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()


def is_chinese(code: str | None) -> bool:
    """zh, zh-CN, zh-TW, zh-Hans, zh_Hant, ZH-CN, cmn, chi, zho ... (case-insensitive)."""
    return bool(code) and _primary(code) in ZH_CODES


def is_english(code: str | None) -> bool:
    """en, en-US, en-GB, EN-US, en_GB, eng ... (case-insensitive)."""
    return bool(code) and _primary(code) in EN_CODES


# --- writing ----------------------------------------------------------------------------


def _clean(text: str) -> tuple[str, int]:
    """`text` without the characters XML 1.0 forbids, and how many were dropped."""
    cleaned, n = FORBIDDEN.subn("", text)
    return cleaned, n


def _escape(text: str) -> str:
    """Escape for element content; a carriage return is written as a character reference
    because an XML parser would otherwise turn it into a newline."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attr(text: str) -> str:
    """Escape for a double-quoted attribute value (whitespace kept as references)."""
    text, _ = _clean(text)
    return _escape(text).replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")


def _is_empty(text: str) -> bool:
    return not text.strip()


def _creationdate() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _header(zh_lang: str, segtype: str, tool_version: str) -> str:
    attrs = {
        "creationtool": "aligner",
        "creationtoolversion": tool_version,
        "segtype": segtype,
        "o-tmf": "aligner",
        "adminlang": "en-US",
        "srclang": zh_lang,
        "datatype": "plaintext",
        "creationdate": _creationdate(),
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


def _tu(
    tuid: int, unit: Unit, zh: str, en: str, kind: str, doc: str, zh_lang: str, en_lang: str
) -> str:
    props = (
        ("x-confidence", repr(float(unit.confidence))),
        ("x-bead", kind),
        ("x-document", doc),
        ("x-paragraph", str(int(unit.para))),
    )
    lines = [f'    <tu tuid="{tuid}">']
    lines += [f'      <prop type="{t}">{_escape(v)}</prop>' for t, v in props]
    for lang, text in ((zh_lang, zh), (en_lang, en)):
        if not _is_empty(text):
            lines.append(f'      <tuv xml:lang="{_attr(lang)}"><seg>{_escape(text)}</seg></tuv>')
    lines.append("    </tu>\n")
    return "\n".join(lines)


def _check_options(zh_lang: str, en_lang: str, segtype: str) -> None:
    if not is_chinese(zh_lang):
        raise InputError(f"zh_lang {zh_lang!r} is not a Chinese language code (zh, zh-CN, ...)")
    if not is_english(en_lang):
        raise InputError(f"en_lang {en_lang!r} is not an English language code (en, en-US, ...)")
    if segtype not in SEGTYPES:
        raise InputError(f"segtype {segtype!r}: use one of {', '.join(SEGTYPES)}")


def _write(
    units: list[Unit],
    fh: TextIO,
    zh_lang: str,
    en_lang: str,
    segtype: str,
    keep_unaligned: bool,
    min_confidence: float,
    tool_version: str,
) -> TmxStats:
    stats = TmxStats()
    fh.write(_header(zh_lang, segtype, tool_version))
    for unit in units:
        zh, n_zh = _clean(unit.zh)
        en, n_en = _clean(unit.en)
        empty_zh, empty_en = _is_empty(zh), _is_empty(en)
        if (empty_zh and empty_en) or ((empty_zh or empty_en) and not keep_unaligned):
            stats.skipped_empty += 1
            continue
        if unit.confidence < min_confidence:
            stats.skipped_low_confidence += 1
            continue
        kind, n_kind = _clean(unit.kind)
        doc, n_doc = _clean(unit.doc)
        fh.write(_tu(stats.written + 1, unit, zh, en, kind, doc, zh_lang, en_lang))
        stats.written += 1
        stats.dropped_chars += n_zh + n_en + n_kind + n_doc
    fh.write(_FOOTER)
    return stats


def write_tmx(
    units: list[Unit],
    out: TextIO | str | os.PathLike[str],
    *,
    zh_lang: str = "zh-CN",
    en_lang: str = "en-US",
    segtype: str = "sentence",
    keep_unaligned: bool = False,
    min_confidence: float = 0.0,
    tool_version: str | None = None,
) -> TmxStats:
    """Write `units` as a TMX 1.4b file, UTF-8, valid against the TMX 1.4 DTD.

    One `<tu>` per unit: four `<prop>`s (x-confidence, x-bead, x-document, x-paragraph),
    then the Chinese `<tuv>` and the English `<tuv>`. Units with an empty side (1-0, 0-1)
    are left out unless `keep_unaligned`, which writes them with their one non-empty
    `<tuv>`; units under `min_confidence` are left out. Characters XML 1.0 forbids are
    dropped and counted. `out` is an open text stream (which should encode UTF-8, as the
    declaration says) or a path, written atomically. `tool_version` defaults to
    `aligner.__version__`.
    """
    _check_options(zh_lang, en_lang, segtype)
    if tool_version is None:
        from . import __version__

        tool_version = __version__
    args = (zh_lang, en_lang, segtype, keep_unaligned, min_confidence, tool_version)
    if isinstance(out, str | os.PathLike):
        # Imported here so that aligner.export may itself import this module.
        from .export import atomic_writer

        with atomic_writer(out) as fh:
            return _write(units, fh, *args)
    return _write(units, out, *args)


# --- reading ----------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    """No entity expansion, no network, no DTD loading (XXE and billion-laughs safe)."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False
    )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _parse(path: str | Path) -> etree._ElementTree:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory")
    try:
        return etree.parse(str(p), _parser())
    except etree.XMLSyntaxError as err:
        raise InputError(f"{p}: not well-formed XML: {_one_line(err.msg)}") from None
    except OSError as err:
        raise InputError(f"{p}: cannot read: {_one_line(err)}") from None


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):  # comment, processing instruction, entity
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _lang(tuv: etree._Element) -> str | None:
    """`xml:lang` (TMX 1.3+), else the deprecated `lang` (TMX 1.1, 1.2)."""
    plain = None
    for key, value in tuv.attrib.items():
        if key == "{http://www.w3.org/XML/1998/namespace}lang":
            return value
        if key.rsplit("}", 1)[-1].lower() == "lang":
            plain = value
    return plain


def _seg_text(el: etree._Element) -> str:
    """The text of a <seg> or <hi>: its text and its children's tails, <hi> content
    included, the native codes inside bpt/ept/ph/it/ut left out."""
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


def _float(text: str | None, default: float) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def _int(text: str | None, default: int) -> int:
    try:
        return int(text.strip()) if text is not None else default
    except ValueError:
        return default


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
            lang = _lang(child)
            if zh is None and is_chinese(lang):
                zh = _tuv_text(child)
            elif en is None and is_english(lang):
                en = _tuv_text(child)
    zh = zh if zh is not None and not _is_empty(zh) else ""
    en = en if en is not None and not _is_empty(en) else ""
    if not zh and not en:
        return None
    default_kind = "1-1" if zh and en else ("1-0" if zh else "0-1")
    return Unit(
        zh,
        en,
        confidence=_float(props.get("x-confidence"), 1.0),
        kind=props.get("x-bead") or default_kind,
        para=_int(props.get("x-paragraph"), -1),
        doc=props.get("x-document", ""),
    )


def read_tmx(path: str | Path) -> list[Unit]:
    """The Chinese-English units of a TMX 1.1-1.4 file (ours or another tool's).

    Languages are recognised by code, case-insensitively (zh, zh-TW, zh-Hans, cmn, chi,
    zho ...; en, en-GB, eng ...), in `xml:lang` or the TMX 1.1 `lang`. Inline codes
    (bpt, ept, ph, it, ut) are dropped, `<hi>` text kept. A `<tu>` with only one of the two
    languages gives a unit with an empty side; a file with no `<tu>` gives an empty list.
    Raises InputError for a missing file, bad XML, a non-TMX file, or a TMX file whose
    units contain no Chinese-English pair.
    """
    p = Path(path)
    root = _parse(p).getroot()
    if _local(root) != "tmx":
        raise InputError(f"{p}: not a TMX file (root element <{_local(root) or root.tag}>)")
    body = next((c for c in root if _local(c) == "body"), None)
    if body is None:
        raise InputError(f"{p}: not a TMX file (no <body>)")
    tus = [c for c in body if _local(c) == "tu"]
    out = [u for u in map(_unit, tus) if u is not None]
    if tus and not any(u.zh and u.en for u in out):
        langs = sorted({_lang(c) or "?" for tu in tus for c in tu if _local(c) == "tuv"})
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


def validate_tmx(path: str | Path) -> list[str]:
    """Validate against the TMX 1.4 DTD shipped in `aligner/data/tmx14.dtd`.

    Returns one message per error (`line N: message`), empty when the file is valid; a
    file that is not well-formed XML gives its syntax error. Raises InputError when the
    file is missing.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    try:
        tree = etree.parse(str(p), _parser())
    except etree.XMLSyntaxError as err:
        return [f"line {err.lineno}: {_one_line(err.msg)}"]
    except OSError as err:
        raise InputError(f"{p}: cannot read: {_one_line(err)}") from None
    dtd = _dtd()
    if dtd.validate(tree):
        return []
    return [f"line {e.line}: {_one_line(e.message)}" for e in dtd.error_log]


# --- merging ----------------------------------------------------------------------------


def _key(unit: Unit) -> tuple[str, str]:
    return " ".join(unit.zh.split()), " ".join(unit.en.split())


def merge_units(lists: list[list[Unit]]) -> list[Unit]:
    """Concatenate `lists`, keeping the first occurrence of each (zh, en) pair (compared
    after whitespace normalisation), with the highest confidence among its duplicates.
    The input units are not modified."""
    kept: dict[tuple[str, str], Unit] = {}
    for units in lists:
        for unit in units:
            key = _key(unit)
            first = kept.get(key)
            if first is None:
                kept[key] = unit
            elif unit.confidence > first.confidence:
                kept[key] = replace(first, confidence=unit.confidence)
    return list(kept.values())
