"""What the XML formats (TMX, TBX, XLIFF) and the other bilingual files share: a safe
parser, the characters XML 1.0 forbids, element names without their namespace,
`xml:lang`, the language codes read as Chinese and as English, and how sentence numbers
and numbers are written in their properties and read back."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import STATUSES, ExportOptions, InputError, Unit
from ._io import existing_file

if TYPE_CHECKING:
    from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# XML 1.0 `Char` excludes C0 controls other than tab, newline and carriage return, the
# surrogate range (lone surrogates in a Python str) and the noncharacters U+FFFE/U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def blank(text: str) -> bool:
    """Nothing but whitespace once the characters XML forbids are dropped: a side that
    no translation-memory output can hold."""
    return not FORBIDDEN.sub("", text).strip()


# Primary language subtags (ISO 639-1/2/3) read as Chinese and as English.
ZH_CODES = frozenset({"zh", "zho", "chi", "cmn"})
EN_CODES = frozenset({"en", "eng"})


def parser() -> etree.XMLParser:
    """No entity expansion, no network, no DTD loading (XXE and billion-laughs safe)."""
    from lxml import etree  # here: the registry needs the characters above, not lxml

    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False
    )


def message_line(text: object) -> str:
    """A parser's message on one line (its whitespace runs made one space)."""
    return " ".join(str(text).split())


def xml_cell(text: object) -> str:
    """A text for an XML element on one line: the characters XML forbids dropped,
    whitespace runs made one space."""
    return " ".join(FORBIDDEN.sub("", str(text)).split())


class NotWellFormed(InputError):
    """A file that is not well-formed XML; `line` and `reason` say where and why."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path}: not well-formed XML: {reason}")
        self.line = line
        self.reason = reason


def parse(path: str | Path) -> etree._ElementTree:
    """The file parsed with `parser()`, or InputError naming it (missing, a directory,
    unreadable; NotWellFormed when it is not well-formed)."""
    from lxml import etree

    p = existing_file(path)
    try:
        return etree.parse(str(p), parser())
    except etree.XMLSyntaxError as err:
        raise NotWellFormed(p, err.lineno, message_line(err.msg)) from None
    except OSError as err:
        raise InputError(f"{p}: cannot read: {message_line(err)}") from None


def local_name(tag: object) -> str:
    """An element's tag without its namespace; "" for a comment, a processing instruction
    or an entity (whose tag is not a string)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def xml_lang(el: etree._Element) -> str | None:
    """`xml:lang`, else a plain `lang` attribute (TMX 1.1 and 1.2 use one)."""
    plain = None
    for key, value in el.attrib.items():
        if key == XML_LANG:
            return value
        if local_name(key).lower() == "lang":
            plain = value
    return plain


def _primary(code: str) -> str:
    return re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()


def is_chinese(code: str | None) -> bool:
    """zh, zh-CN, zh-TW, zh-Hans, zh_Hant, ZH-CN, cmn, chi, zho ... (case-insensitive)."""
    return bool(code) and _primary(code) in ZH_CODES


def is_english(code: str | None) -> bool:
    """en, en-US, en-GB, EN-US, en_GB, eng ... (case-insensitive)."""
    return bool(code) and _primary(code) in EN_CODES


def check_language_options(options: ExportOptions) -> None:
    """What a bilingual file (XLIFF, PO) needs of the export options: Chinese and
    English language codes (see `check_languages`)."""
    check_languages(options.zh_lang, options.en_lang)


def check_languages(zh_lang: str, en_lang: str) -> None:
    """InputError unless `zh_lang` is a Chinese and `en_lang` an English language code;
    the message names the option that sets each (`--zh-lang`, `--en-lang`)."""
    if not is_chinese(zh_lang):
        raise InputError(f"--zh-lang {zh_lang!r} is not a Chinese language code (zh, zh-CN, ...)")
    if not is_english(en_lang):
        raise InputError(f"--en-lang {en_lang!r} is not an English language code (en, en-US, ...)")


def ids_text(ids: tuple[int, ...]) -> str:
    """Sentence numbers as an attribute or property value: space-separated."""
    return " ".join(str(int(i)) for i in ids)


def id_list(text: str | None) -> tuple[int, ...]:
    """Sentence numbers written by `ids_text`; none when absent or not numbers."""
    words = (text or "").split()
    return tuple(int(w) for w in words) if all(w.isdigit() for w in words) else ()


def float_or(text: str | None, default: float) -> float:
    """A number read from a file, or `default` when absent or not a number."""
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def int_or(text: str | None, default: int) -> int:
    """A whole number read from a file, or `default` when absent or not one."""
    try:
        return int(text.strip()) if text is not None else default
    except ValueError:
        return default


def _default_kind(zh: str, en: str) -> str:
    return "1-1" if zh.strip() and en.strip() else ("1-0" if zh.strip() else "0-1")


def unit_from(meta: dict[str, str], zh: str, en: str, doc: str, status: str) -> Unit:
    """A unit from its text and its fields as named properties, as the TMX (`x-` props)
    and XLIFF (context-groups, metadata) writers give them: confidence, bead, status,
    paragraph, zh-ids, en-ids, split, context-pre/post, block, section, time, page. A
    file of another tool has none: its units get the defaults, and `status`."""
    status = meta.get("status", status)
    return Unit(
        zh,
        en,
        confidence=float_or(meta.get("confidence"), 1.0),
        kind=meta.get("bead") or _default_kind(zh, en),
        para=int_or(meta.get("paragraph"), -1),
        doc=doc,
        zh_ids=id_list(meta.get("zh-ids")),
        en_ids=id_list(meta.get("en-ids")),
        status=status if status in STATUSES else "auto",
        part=meta.get("split", ""),
        context=(meta.get("context-pre", ""), meta.get("context-post", "")),
        block=meta.get("block", ""),
        section=meta.get("section", ""),
        time=meta.get("time", ""),
        page=int_or(meta.get("page"), 0),
    )
