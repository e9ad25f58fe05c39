"""Offline checks of TBX files for tests: the schemas in ``tests/fixtures/tbx/`` (see its
README) and, for TBX 2, the rules of an XCS file as TBXChecker (the TBX-Basic reference
validator, a Java program) applies them.

    from tbx_checks import dtd_errors, rng_errors, xcs_errors   # tests/ is on sys.path
    assert dtd_errors(path) == [] and xcs_errors(path, xcs) == []

`xcs_errors` follows TBXChecker's XCSDocument: every `admin`, `adminNote`, `descrip`,
`descripNote`, `ref`, `termCompList`, `termNote`, `transac`, `transacNote` and `xref` of a
term entry names (`type`) a data category the XCS declares for that element; its content
is of the declared datatype (a picklist value exactly, plain text without markup, basic
text with `hi` only, note text with inline markup); a `descrip` stands at a level its
category allows (term, langSet, termEntry); and every `xml:lang` in a term entry is a
language code the XCS declares, exactly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

TBX_DIR = Path(__file__).resolve().parent / "fixtures" / "tbx"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XCS_TAGS = frozenset(
    {"admin", "adminNote", "descrip", "descripNote", "ref", "termCompList", "termNote",
     "transac", "transacNote", "xref"}
)  # fmt: skip
NOTE_TEXT = frozenset({"hi", "foreign", "bpt", "ept", "it", "ph", "ut"})
LEVELS = {"tig": "term", "ntig": "term", "langSet": "langSet", "termEntry": "termEntry"}


def _messages(log: etree._ListErrorLog) -> list[str]:
    return [f"line {e.line}: {e.message}" for e in log.filter_from_errors()]


def dtd_errors(path: str | Path, dtd: str = "TBXcoreStructV02.dtd") -> list[str]:
    """The errors of a file against a DTD of ``TBX_DIR`` (none: valid). The file's own
    DOCTYPE is not followed: no network, no file beside it needed."""
    schema = etree.DTD(str(TBX_DIR / dtd))
    tree = etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True))
    return [] if schema.validate(tree) else _messages(schema.error_log)


@functools.cache
def _rng(name: str) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(TBX_DIR / name)))


def rng_errors(path: str | Path, rng: str = "TBXcoreStructV03.rng") -> list[str]:
    """The errors of a file against a RELAX NG schema of ``TBX_DIR`` (none: valid)."""
    schema = _rng(rng)
    tree = etree.parse(str(path), etree.XMLParser(no_network=True))
    return [] if schema.validate(tree) else _messages(schema.error_log)


@dataclass(frozen=True)
class Spec:
    """One data category of an XCS: its datatype, picklist values and levels."""

    datatype: str
    picklist: frozenset[str]
    levels: frozenset[str]


@dataclass(frozen=True)
class Xcs:
    languages: frozenset[str]
    specs: dict[tuple[str, str], Spec]  # (element, type) -> spec


def read_xcs(path: str | Path) -> Xcs:
    """The languages and data categories an XCS file declares."""
    root = etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True)).getroot()
    languages = frozenset((c.text or "").strip() for c in root.iter("langCode"))
    specs = {}
    for spec in root.find("datCatSet"):
        if not isinstance(spec.tag, str) or not spec.tag.endswith("Spec"):
            continue
        contents = spec.find("contents")
        datatype = contents.get("datatype") or "basicText"  # TBXChecker's default
        picklist = frozenset((contents.text or "").split()) if datatype == "picklist" else ()
        levels = frozenset((spec.findtext("levels") or "").split())
        specs[(spec.tag[: -len("Spec")], spec.get("name"))] = Spec(
            datatype, frozenset(picklist), levels or frozenset(LEVELS.values())
        )
    return Xcs(languages, specs)


def _content_error(el: etree._Element, spec: Spec) -> str | None:
    children = [c.tag for c in el if isinstance(c.tag, str)]
    if spec.datatype == "picklist":
        if children or (el.text or "") not in spec.picklist:
            return f"value {el.text!r} not in the picklist {sorted(spec.picklist)}"
    elif spec.datatype == "plainText" and children:
        return f"markup {children} in plain text"
    elif spec.datatype == "basicText" and set(children) - {"hi"}:
        return f"markup {children} in basic text"
    elif spec.datatype == "noteText" and set(children) - NOTE_TEXT:
        return f"markup {children} in note text"
    return None


def _level(el: etree._Element) -> str:
    parent = el.getparent()
    while parent is not None and parent.tag not in LEVELS:
        parent = parent.getparent()
    return LEVELS.get(parent.tag, "") if parent is not None else ""


def xcs_errors(path: str | Path, xcs_path: str | Path) -> list[str]:
    """What TBXChecker would reject in a TBX 2 file under the XCS file `xcs_path`."""
    xcs = read_xcs(xcs_path)
    root = etree.parse(str(path), etree.XMLParser(load_dtd=False, no_network=True)).getroot()
    errors = []
    if root.get(XML_LANG) not in xcs.languages:
        errors.append(f"martif: Invalid language for tag: {root.get(XML_LANG)}")
    for entry in root.iter("termEntry"):
        for el in entry.iter():
            if not isinstance(el.tag, str):
                continue
            where = f"line {el.sourceline}: <{el.tag}>"
            lang = el.get(XML_LANG)
            if lang is not None and lang not in xcs.languages:
                errors.append(f"{where}: Invalid language for tag: {lang}")
            if el.tag not in XCS_TAGS:
                continue
            spec = xcs.specs.get((el.tag, el.get("type")))
            if spec is None:
                errors.append(f"{where}: no data category {el.get('type')!r} in the XCS")
                continue
            problem = _content_error(el, spec)
            if problem:
                errors.append(f"{where} type={el.get('type')!r}: {problem}")
            if el.tag == "descrip" and _level(el) not in spec.levels:
                errors.append(f"{where} type={el.get('type')!r}: not allowed at {_level(el)}")
    return errors
