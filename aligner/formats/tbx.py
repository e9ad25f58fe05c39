"""TBX (TermBase eXchange) for glossaries: write TBX-Basic in the TBX 2 `martif` form
(ISO 30042:2008, what CAT tools and translate-toolkit read) or in the TBX 3 form
(ISO 30042:2019, DCA style), and read either back.

One `termEntry` (TBX 3: `conceptEntry`) per glossary entry, a `langSet` (`langSec`) for
Chinese and one for English, a `tig` (`termSec`) per term: the Chinese as written (and
its simplified form when it differs), the preferred English (administrativeStatus
preferredTerm), the variants seen in the text (admittedTerm) and the renderings the
reference documents attest (admittedTerm, noted as attested). The example sentence pair
is each language's `descrip type="context"`; frequency, confidence and source go in the
entry's `note` as `key=value` pairs. The entry's part of speech is a `termNote
type="partOfSpeech"` on each term, its term type a `termNote type="termType"` on the Chinese
terms (written only when the entry has one), right after the term, where both the TBX 2
DTD (`tig`: term, termNote*, then descrip and note) and the TBX 3 core schema want them.

A TBX 2 header names our XCS file (`XCS_NAME`, in aligner/data), which declares the
TBX-Basic data categories and the languages Chinese and English: the stock
TBXBasicXCSV02.xcs declares en, fr and de only, so that a TBX checker rejects every
Chinese term. `save_glossary` writes it beside the TBX (see `companions`).
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import NamedTuple, TextIO

from lxml import etree

from ..model import Entry, GlossaryOptions, InputError
from ._xml import XML_LANG, is_chinese, is_english, local_name, parse, xml_cell, xml_lang

TBX3_NS = "urn:iso:std:iso:30042:ed-2"
# What a TBX-Basic file in DCA style names since TBX-Basic 1.2.1 (2023): the TBX core
# schema (the integrated TBX-Basic schema is gone) and the dialect's Schematron rules.
TBX3_SCHEMA = (
    "https://raw.githubusercontent.com/LTAC-Global/TBX_Core_RNG/master/TBXcoreStructV03.rng"
)
TBX3_SCHEMATRON = (
    "https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch"
)
TBX2_DTD = "TBXBasiccoreStructV02.dtd"  # the name TBX-Basic files and checkers use
XCS_NAME = "aligner-TBXBasic-zh-en.xcs"  # in aligner/data; written beside a TBX 2 file
XCS_MARK = "<!-- aligner: the TBX-Basic XCS"  # how a file of that name is known as ours
VERSIONS = (2, 3)
# The picklists of TBX-Basic: partOfSpeech (the TBX 3 dialect's rules have no properNoun,
# which is written `noun` there) and termType.
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "properNoun", "other")
TERM_TYPES = ("fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase")
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
ATTESTED_NOTE = "attested in reference documents"
IN_TEXT = "seen in the text"
SIMPLIFIED_NOTE = "simplified form"


def _entry_note(e: Entry) -> str:
    return (
        f"frequency={e.frequency}; documents={e.documents}; confidence={e.confidence:.3f}; "
        f"source={e.source}"
    )


def _document(version: int, title: str) -> tuple[etree._Element, etree._Element]:
    """The root of an empty TBX document (its header filled in) and its body."""
    v3 = version == 3
    ns = f"{{{TBX3_NS}}}" if v3 else ""
    if v3:
        root = etree.Element(
            ns + "tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"}, nsmap={None: TBX3_NS}
        )
        header = etree.SubElement(root, ns + "tbxHeader")
    else:
        root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: "en"})
        header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, ns + "fileDesc")
    title_stmt = etree.SubElement(file_desc, ns + "titleStmt")
    etree.SubElement(title_stmt, ns + "title").text = xml_cell(title)
    source_desc = etree.SubElement(file_desc, ns + "sourceDesc")
    etree.SubElement(source_desc, ns + "p").text = "Chinese-English glossary made by aligner"
    if not v3:
        encoding = etree.SubElement(header, "encodingDesc")
        etree.SubElement(encoding, "p", {"type": "XCSURI"}).text = XCS_NAME
    body = etree.SubElement(etree.SubElement(root, ns + "text"), ns + "body")
    return root, body


def _en_terms(e: Entry) -> list[tuple[str, str, str | None]]:
    """(term, status, note) of the English terms: the preferred one, the variants seen
    in the text, then the renderings only the references attest."""
    attested = set(e.attested)
    terms: list[tuple[str, str, str | None]] = [
        (e.en, PREFERRED, ATTESTED_NOTE if e.en in attested else None)
    ]
    for v in dict.fromkeys(e.variants):
        if v and v != e.en:
            terms.append((v, ADMITTED, f"{IN_TEXT}; {ATTESTED_NOTE}" if v in attested
                          else IN_TEXT))  # fmt: skip
    seen = {t for t, _, _ in terms}
    terms += [(a, ADMITTED, ATTESTED_NOTE) for a in e.attested if a and a not in seen]
    return terms


def picklist_value(value: str, allowed: tuple[str, ...]) -> str:
    """`value` as the picklist spells it (`Noun`, `propernoun` are `noun`, `properNoun`),
    or "" when the picklist has no such value."""
    return next((a for a in allowed if a.lower() == value.strip().lower()), "")


def _part_of_speech(e: Entry, v3: bool) -> str:
    """The entry's part of speech as TBX-Basic allows it: a value off the picklist is
    `other`, and TBX 3 (whose picklist has no properNoun) has `noun` for a proper noun."""
    if not e.part_of_speech.strip():
        return ""
    value = picklist_value(e.part_of_speech, PARTS_OF_SPEECH) or "other"
    return "noun" if v3 and value == "properNoun" else value


def _term_notes(tig: etree._Element, ns: str, notes: list[tuple[str, str]]) -> None:
    """The termNotes of a term, (type, value) in order, those without a value left out."""
    for type_, value in notes:
        if value:
            etree.SubElement(tig, ns + "termNote", type=type_).text = value


def _zh_lang_set(entry: etree._Element, e: Entry, ns: str, v3: bool) -> None:
    """The Chinese as written, and its simplified form when it differs."""
    terms = [(e.zh, None)]
    if e.zh_simplified and e.zh_simplified != e.zh:
        terms.append((e.zh_simplified, SIMPLIFIED_NOTE))
    # a term type off the picklist is left out (that picklist has no `other`)
    notes = [("partOfSpeech", _part_of_speech(e, v3)),
             ("termType", picklist_value(e.term_type, TERM_TYPES))]  # fmt: skip
    lang_set = etree.SubElement(entry, ns + ("langSec" if v3 else "langSet"), {XML_LANG: "zh"})
    for i, (term, note) in enumerate(terms):
        tig = etree.SubElement(lang_set, ns + ("termSec" if v3 else "tig"))
        etree.SubElement(tig, ns + "term").text = xml_cell(term)
        _term_notes(tig, ns, notes)
        if i == 0 and e.example[0]:
            _context(tig, ns, e.example[0])
        if note:
            etree.SubElement(tig, ns + "note").text = note


def _en_lang_set(entry: etree._Element, e: Entry, ns: str, v3: bool) -> None:
    lang_set = etree.SubElement(entry, ns + ("langSec" if v3 else "langSet"), {XML_LANG: "en"})
    part_of_speech = _part_of_speech(e, v3)
    for i, (term, status, note) in enumerate(_en_terms(e)):
        tig = etree.SubElement(lang_set, ns + ("termSec" if v3 else "tig"))
        etree.SubElement(tig, ns + "term").text = xml_cell(term)
        _term_notes(tig, ns, [("partOfSpeech", part_of_speech), ("administrativeStatus", status)])
        if i == 0 and e.example[1]:
            _context(tig, ns, e.example[1])
        if note:
            etree.SubElement(tig, ns + "note").text = note


def _build(entries: list[Entry], version: int, title: str) -> etree._Element:
    """The TBX document of the entries as an lxml element tree root."""
    v3 = version == 3
    ns = f"{{{TBX3_NS}}}" if v3 else ""
    root, body = _document(version, title)
    for k, e in enumerate(entries, 1):
        entry = etree.SubElement(body, ns + ("conceptEntry" if v3 else "termEntry"), id=f"c{k}")
        etree.SubElement(entry, ns + "note").text = _entry_note(e)
        _zh_lang_set(entry, e, ns, v3)
        _en_lang_set(entry, e, ns, v3)
    return root


def _context(parent: etree._Element, ns: str, text: str) -> None:
    etree.SubElement(parent, ns + "descrip", type="context").text = xml_cell(text)


def write(entries: list[Entry], out: TextIO, options: GlossaryOptions) -> None:
    if options.tbx_version not in VERSIONS:
        raise InputError(f"unknown TBX version {options.tbx_version!r}: use 2 or 3")
    root = _build(entries, options.tbx_version, options.title)
    tree = etree.ElementTree(root)
    if options.tbx_version == 3:
        for target, href in (
            ("xml-model", f'href="{TBX3_SCHEMA}" type="application/xml" '
             'schematypens="http://relaxng.org/ns/structure/1.0"'),
            ("xml-model", f'href="{TBX3_SCHEMATRON}" type="application/xml" '
             'schematypens="http://purl.oclc.org/dsdl/schematron"'),
        ):  # fmt: skip
            root.addprevious(etree.ProcessingInstruction(target, href))
        data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    else:
        data = etree.tostring(
            tree,
            xml_declaration=True,
            encoding="UTF-8",
            pretty_print=True,
            doctype=f'<!DOCTYPE martif SYSTEM "{TBX2_DTD}">',
        )
    out.write(data.decode("utf-8"))


def xcs_text() -> str:
    """Our TBX-Basic XCS (see `XCS_NAME`), as shipped in aligner/data."""
    return resources.files("aligner").joinpath("data", XCS_NAME).read_text(encoding="utf-8")


def companions(path: Path, options: GlossaryOptions) -> dict[Path, str]:
    """The files to write beside a TBX written to `path`: the XCS its header names, for
    TBX 2 unless `options.xcs` is off (TBX 3 names schemas by their address)."""
    if options.tbx_version != 2 or not options.xcs:
        return {}
    return {path.parent / XCS_NAME: xcs_text()}


def is_ours(text: str) -> bool:
    """Whether an existing companion file is one of ours (an XCS an aligner wrote, of
    this version or another), which may be replaced; any other file is the user's."""
    return XCS_MARK in text[:500]


# ---------------------------------------------------------------- reading


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if local_name(c.tag) == name]


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _parse_note(text: str, e: Entry) -> None:
    for part in text.split(";"):
        key, _, value = part.partition("=")
        key, value = key.strip(), value.strip()
        try:
            if key == "frequency":
                e.frequency = int(value)
            elif key == "documents":
                e.documents = int(value)
            elif key == "confidence":
                e.confidence = float(value)
            elif key == "source" and value in ("text", "user"):
                e.source = value
        except ValueError:
            continue


def _first_text(tig: etree._Element, name: str, type_: str) -> str:
    """The text of the first `name` element of type `type_` within a term's element."""
    return next(
        (_text(el) for el in tig.iter() if local_name(el.tag) == name and el.get("type") == type_),
        "",
    )


class Term(NamedTuple):
    """One term of an entry as read: its language, text and the notes on it."""

    lang: str | None
    term: str
    status: str
    note: str
    context: str
    part_of_speech: str
    term_type: str


def _terms(entry: etree._Element) -> Iterator[Term]:
    """The terms of an entry, in order."""
    for lang_set in entry:
        if local_name(lang_set.tag) not in ("langSet", "langSec"):
            continue
        lang = xml_lang(lang_set)
        for tig in lang_set:
            if local_name(tig.tag) not in ("tig", "ntig", "termSec"):
                continue
            term = _text(next((t for t in tig.iter() if local_name(t.tag) == "term"), None))
            if not term:
                continue
            yield Term(
                lang, term, _first_text(tig, "termNote", "administrativeStatus"),
                " ".join(_text(n) for n in tig.iter() if local_name(n.tag) == "note"),
                _first_text(tig, "descrip", "context"),
                _first_text(tig, "termNote", "partOfSpeech"),
                _first_text(tig, "termNote", "termType"),
            )  # fmt: skip


def _entry(entry: etree._Element) -> Entry | None:
    """The glossary entry of a termEntry (conceptEntry); None without both languages."""
    e = Entry("", "")
    for note in _children(entry, "note"):
        _parse_note(_text(note), e)
    zh_terms: list[tuple[str, str]] = []
    en_terms: list[tuple[str, str, str]] = []
    terms = list(_terms(entry))
    for t in terms:
        if is_chinese(t.lang):
            zh_terms.append((t.term, t.note))
            if t.context and not e.example[0]:
                e.example = (t.context, e.example[1])
        elif is_english(t.lang):
            en_terms.append((t.term, t.status, t.note))
            if t.context and not e.example[1]:
                e.example = (e.example[0], t.context)
    if not zh_terms or not en_terms:
        return None
    # the Chinese terms' own first, else any term's (another tool's file may put them
    # on the English terms only)
    chinese_first = sorted(terms, key=lambda t: not is_chinese(t.lang))
    e.part_of_speech = next((t.part_of_speech for t in chinese_first if t.part_of_speech), "")
    e.term_type = next((t.term_type for t in chinese_first if t.term_type), "")
    e.zh = zh_terms[0][0]
    simplified = next((t for t, n in zh_terms[1:] if SIMPLIFIED_NOTE in n), "")
    e.zh_simplified = simplified or e.zh
    preferred = next((t for t, s, _ in en_terms if s.startswith("preferred")), en_terms[0][0])
    e.en = preferred
    e.variants = [
        t for t, _, n in en_terms
        if t != preferred and (IN_TEXT in n or ATTESTED_NOTE not in n)
    ]  # fmt: skip
    e.attested = [t for t, _, n in en_terms if ATTESTED_NOTE in n]
    return e


def read(path: str | Path) -> list[Entry]:
    """Entries from a TBX file: TBX 2 (`martif`, ours or another tool's) or TBX 3."""
    p = Path(path)
    root = parse(p).getroot()
    if local_name(root.tag) not in ("martif", "tbx"):
        raise InputError(f"{p}: not a TBX file (root <{local_name(root.tag)}>)")
    entries = (
        _entry(el) for el in root.iter() if local_name(el.tag) in ("termEntry", "conceptEntry")
    )
    return [e for e in entries if e is not None]
