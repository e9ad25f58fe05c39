"""Word documents (DOCX) in: the blocks of the body, in order (python-docx).

A paragraph styled Title or Heading N is a heading (level N; Title is level 1), one styled
as a list or with list numbering is a list item, a table gives one block per cell
paragraph; empty paragraphs are left out. The page headers and footers of the document
are not body text and are left out with it; footnotes are not read.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..model import Block, InputError
from ._io import existing_file

HEADING = re.compile(r"^(?:heading|标题)\s*(\d)", re.IGNORECASE)
SPACE = re.compile(r"\s+")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(paragraph) -> str:
    """A paragraph's text, tracked insertions included (python-docx's `text` leaves out
    the runs inside <w:ins>); deleted text is <w:delText>, not read."""
    parts = []
    for el in paragraph._p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        parts.append(el.text or "" if el.tag == f"{W}t" else " ")
    return "".join(parts)


def _paragraph_block(paragraph, kind: str = "paragraph") -> Block | None:
    text = SPACE.sub(" ", _text(paragraph)).strip()
    if not text:
        return None
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.lower() == "title":
        return Block(text, "heading", 1)
    heading = HEADING.match(style)
    if heading:
        return Block(text, "heading", int(heading.group(1)))
    numbered = paragraph._p.find(f"{W}pPr/{W}numPr") is not None
    if kind == "paragraph" and (numbered or style.lower().startswith("list")):
        return Block(text, "list_item")
    if kind == "paragraph" and style.lower() in ("caption",):
        return Block(text, "caption")
    return Block(text, kind)


def read_blocks(path: str | Path) -> list[Block]:
    """The blocks of a DOCX file (see the module's docstring)."""
    p = existing_file(path)
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - a dependency of the package
        raise InputError(f"{p}: reading DOCX needs python-docx (pip install python-docx)") from None
    try:
        document = docx.Document(str(p))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise InputError(f"{p}: not a DOCX file ({err or type(err).__name__})") from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            found = _paragraph_block(item)
            blocks += [found] if found else []
        elif isinstance(item, Table):
            seen: set = set()  # a merged cell is given once per row it spans
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    for paragraph in cell.paragraphs:
                        found = _paragraph_block(paragraph, "table_cell")
                        blocks += [found] if found else []
    return blocks
