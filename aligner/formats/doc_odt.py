"""OpenDocument text (ODT, LibreOffice's own format) in: the blocks of the body, in order,
read from the package's content.xml with the standard library's zipfile and lxml.

`text:h` is a heading (its outline level), and so is a `text:p` of a heading or title
style; `text:p` is otherwise a paragraph (of a preformatted style: code), a paragraph inside a
list item a list item, inside a table cell a table cell; notes, tracked deletions and
annotations are left out; spaces (`text:s`), tabs and line breaks are read as white
space.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..model import Block, InputError
from ._io import existing_file
from ._xml import local_name

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
SKIP = frozenset({"note", "tracked-changes", "annotation", "bookmark-ref", "sequence-decls"})
SPACE = re.compile(r"\s+")


def _text(el) -> str:
    """An element's text, its spans and links followed, notes left out."""
    parts = [el.text or ""]
    for child in el:
        name = local_name(child.tag)
        if name == "s":
            parts.append(" " * int(child.get(f"{{{TEXT}}}c", "1")))
        elif name in ("tab", "line-break"):
            parts.append(" ")
        elif name not in SKIP:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _styles(root) -> dict[str, str]:
    """The paragraph style each automatic style stands for (its parent), by name, as
    shown ("Heading_20_1" -> "Heading 1")."""
    out = {}
    for style in root.iter(f"{{{STYLE}}}style"):
        name, parent = style.get(f"{{{STYLE}}}name"), style.get(f"{{{STYLE}}}parent-style-name")
        if name and parent:
            out[name] = parent.replace("_20_", " ")
    return out


def _block(el, text: str, inside: str, styles: dict[str, str]) -> Block:
    if local_name(el.tag) == "h":
        return Block(text, "heading", int(el.get(f"{{{TEXT}}}outline-level", "1")))
    raw = el.get(f"{{{TEXT}}}style-name", "")
    style = styles.get(raw, raw.replace("_20_", " "))
    heading = HEADING_STYLE.match(style)
    if heading or style.lower() == "title":
        return Block(text, "heading", int(heading.group(1)) if heading else 1)
    if inside == "paragraph" and style.lower().startswith("preformatted"):
        return Block(text, "code")
    return Block(text, inside)


def _blocks(el, inside: str, styles: dict[str, str], out: list[Block]) -> None:
    for child in el:
        name = local_name(child.tag)
        if name in ("h", "p"):
            text = SPACE.sub(" ", _text(child)).strip()
            if text:
                out.append(_block(child, text, inside, styles))
        elif name == "list-item":
            _blocks(child, "list_item", styles, out)
        elif name == "table-cell":
            _blocks(child, "table_cell", styles, out)
        elif name not in SKIP:
            _blocks(child, inside, styles, out)


def read_blocks(path: str | Path) -> list[Block]:
    from lxml import etree

    from ._xml import parser

    p = existing_file(path)
    try:
        with zipfile.ZipFile(p) as package:
            content = package.read("content.xml")
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError(f"{p}: not an ODT file ({err})") from None
    except KeyError:
        raise InputError(f"{p}: not an ODT file (no content.xml)") from None
    try:
        root = etree.fromstring(content, parser())
    except etree.XMLSyntaxError as err:
        raise InputError(f"{p}: not an ODT file (content.xml: {err.msg})") from None
    body = next((el for el in root.iter() if local_name(el.tag) == "text"), None)
    out: list[Block] = []
    if body is not None:
        _blocks(body, "paragraph", _styles(root), out)
    return out
