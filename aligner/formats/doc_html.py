"""HTML and XHTML pages in: the blocks of the body text, in reading order.

Headings (`h1`-`h6`), paragraphs, list items, definition terms and descriptions, table
cells, captions and block quotes are blocks; `<pre>` is one code block. Left out: scripts,
styles, navigation (`nav`, `header`, `footer`, `aside`, elements whose class names a
navigation bar or a table of contents), forms, and images. The character set is the one
the page declares (`<meta charset>`, the XML declaration), else the one the text reads as
(see `read.decode_bytes`).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Block, InputError
from ..normalise import WIDE
from ._io import existing_file

HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCKS = {
    "p": "paragraph", "li": "list_item", "dt": "paragraph", "dd": "paragraph",
    "td": "table_cell", "th": "table_cell", "caption": "caption", "figcaption": "caption",
    "blockquote": "quote", "pre": "code", "div": "paragraph", "section": "paragraph",
    "article": "paragraph", "main": "paragraph", "body": "paragraph", "address": "paragraph",
    "table": "paragraph", "thead": "paragraph", "tbody": "paragraph", "tfoot": "paragraph",
    "tr": "paragraph", "ul": "paragraph", "ol": "paragraph",
    "dl": "paragraph", "figure": "paragraph", "center": "paragraph",
} | dict.fromkeys(HEADINGS, "heading")  # fmt: skip
SKIP = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer",
                  "aside", "form", "button", "select", "textarea", "head", "title", "iframe",
                  "svg", "math", "object", "img"})  # fmt: skip
# class or id words of navigation bars and tables of contents
NAVIGATION = re.compile(r"\b(nav|navbar|navheader|navfooter|navigation|toc|breadcrumbs?|"
                        r"menu|sidebar)\b", re.IGNORECASE)  # fmt: skip
CHARSET = re.compile(
    rb"""\A\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)"""  # the XML declaration
    rb"""|<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""",
    re.IGNORECASE,
)
SPACE = re.compile(r"\s+")
# a line break in the source between two wide (CJK) characters is no space (as browsers
# render it: CSS Text's segment break transformation)
CJK_BREAK = re.compile(f"(?<=[{WIDE}])[ \\t\\r]*\\n\\s*(?=[{WIDE}])")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


# elements whose class says what they are, not where they stand (a table's "header" row)
NAMED_BY_CLASS = frozenset({"div", "section", "ul", "ol", "dl", "p", "span", "table"})


# the blocks inside which a paragraph is what they are (a <p> in a list item is an item)
CONTAINERS = frozenset({"list_item", "table_cell", "quote", "caption"})
# where a <header> or <footer> is an article's own (its title), not the site's
CONTENT = frozenset({"article", "main", "section"})


def _skipped(el) -> bool:
    name = _local(el.tag)
    if name in ("header", "footer"):
        return not any(_local(a.tag) in CONTENT for a in el.iterancestors())
    if name in SKIP:
        return True
    if name not in NAMED_BY_CLASS:
        return False
    words = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
    return bool(NAVIGATION.search(words.replace("-", " ").replace("_", " ")))


class _Collector:
    """Walks the tree: the text of a block element goes to a block of its own, minus the
    blocks nested in it (a list inside a list item), which follow it."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def flush(self, parts: list[str], kind: str, level: int) -> None:
        text = SPACE.sub(" ", CJK_BREAK.sub("", "".join(parts))).strip()
        if text:
            self.blocks.append(Block(text, kind, level))
        parts.clear()

    def block(self, el, inside: str = "") -> None:
        name = _local(el.tag)
        kind, level = BLOCKS.get(name, "paragraph"), HEADINGS.get(name, 0)
        if kind == "paragraph" and inside in CONTAINERS:
            kind = inside
        inner = kind if kind in CONTAINERS else inside
        if name == "pre":
            self.flush(list(el.itertext()), "code", 0)
            return
        parts: list[str] = [el.text or ""]
        for child in el:
            if not isinstance(child.tag, str):  # a comment or processing instruction
                parts.append(child.tail or "")
                continue
            if _skipped(child):
                parts.append(child.tail or "")
                continue
            if _local(child.tag) in BLOCKS:
                self.flush(parts, kind, level)
                self.block(child, inner)
            elif _local(child.tag) == "br":
                parts.append(" ")
            else:
                parts.append(self.inline(child))
            parts.append(child.tail or "")
        self.flush(parts, kind, level)

    def inline(self, el) -> str:
        """The text of an inline element; a block nested in it (bad HTML) is a block."""
        parts = [el.text or ""]
        for child in el:
            if isinstance(child.tag, str) and not _skipped(child):
                if _local(child.tag) in BLOCKS:
                    self.block(child)
                else:
                    parts.append(self.inline(child))
            parts.append(child.tail or "")
        return "".join(parts)


def _declared_charset(data: bytes) -> str | None:
    found = CHARSET.search(data[:4096])
    if not found:
        return None
    name = (found.group(1) or found.group(2)).decode("ascii", "replace")
    try:
        import codecs

        info = codecs.lookup(name)
    except LookupError:
        return None
    if not info._is_text_encoding:  # "hex", "zip": no page's character set
        return None
    # a page that says UTF-16 in a meta element is ASCII-compatible: read as UTF-8 (HTML)
    return "utf-8" if info.name.startswith("utf-16") else info.name


def blocks_of(data: bytes, name: str) -> list[Block]:
    """The blocks of an HTML or XHTML page given as bytes (`name` for messages)."""
    import lxml.html

    charset = _declared_charset(data)
    if charset is None:
        from ..read import decode_bytes

        text = decode_bytes(data, name)
    else:
        try:
            text = data.decode(charset)
        except UnicodeDecodeError:
            raise InputError(f"{name}: not {charset} text, as the page declares") from None
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a declaration in a str
    if not text.strip():
        raise InputError(f"{name}: empty HTML page")
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as err:  # lxml's parser errors have no common base
        raise InputError(f"{name}: cannot parse HTML ({err})") from None
    body = next((el for el in root.iter() if _local(el.tag) == "body"), root)
    collector = _Collector()
    collector.block(body)
    return collector.blocks


def read_blocks(path: str | Path) -> list[Block]:
    """The blocks of an HTML page (see the module's docstring)."""
    p = existing_file(path)
    try:
        data = p.read_bytes()
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror})") from None
    return blocks_of(data, str(p))
