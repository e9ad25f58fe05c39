"""Markdown in: the blocks of a Markdown file (CommonMark with tables), by way of the HTML
it renders to (markdown-it, which rich already needs) and the HTML reader: headings with
their level, paragraphs (a line break inside one is a space, none between Chinese
characters), list items, table cells, block quotes, and each code block as one block.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Block
from . import doc_html
from ._io import existing_file


def read_blocks(path: str | Path) -> list[Block]:
    from markdown_it import MarkdownIt

    from ..read import read_text

    p = existing_file(path)
    html = MarkdownIt("commonmark").enable("table").render(read_text(p))
    page = f'<html><head><meta charset="utf-8"></head><body>{html}</body></html>'
    return doc_html.blocks_of(page.encode("utf-8"), str(p))
