"""EPUB e-books in: the blocks of the chapters in reading order (the package's spine),
each chapter read by the HTML reader; the navigation document and items the spine marks
non-linear are left out. Read with the standard library's zipfile: an EPUB is a zip of
XHTML pages and an OPF package file that lists them.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote

from ..model import Block, InputError
from . import doc_html
from ._io import existing_file
from ._xml import local_name


def _xml(book: zipfile.ZipFile, name: str, p: Path):
    from lxml import etree

    from ._xml import parser

    try:
        return etree.fromstring(book.read(name), parser())
    except KeyError:
        raise InputError(f"{p}: not an EPUB file (no {name})") from None
    except etree.XMLSyntaxError as err:
        raise InputError(f"{p}: not an EPUB file ({name}: {err.msg})") from None


def _utf8_name(info: zipfile.ZipInfo) -> str:
    """An entry's name; a UTF-8 name stored without the zip's UTF-8 flag (which Python
    reads as CP437) read as UTF-8."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _children(el, name: str) -> list:
    return [c for c in el.iter() if local_name(c.tag) == name]


def read_blocks(path: str | Path) -> list[Block]:
    p = existing_file(path)
    try:
        book = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError(f"{p}: not an EPUB file ({err})") from None
    with book:
        container = _xml(book, "META-INF/container.xml", p)
        rootfile = next((r.get("full-path") for r in _children(container, "rootfile")), None)
        if not rootfile:
            raise InputError(f"{p}: not an EPUB file (no package file named)")
        package = _xml(book, rootfile, p)
        base = posixpath.dirname(rootfile)
        items = {
            i.get("id"): i for i in _children(package, "item") if i.get("id") and i.get("href")
        }
        entries = {_utf8_name(info): info for info in book.infolist()}
        blocks: list[Block] = []
        for ref in _children(package, "itemref"):
            item = items.get(ref.get("idref"))
            if item is None or ref.get("linear") == "no":
                continue
            if "nav" in (item.get("properties") or "").split():
                continue
            href = unquote(item.get("href").split("#", 1)[0])  # "第一章.xhtml" as %E7...
            name = posixpath.normpath(posixpath.join(base, href))
            info = entries.get(name)
            if info is None:
                raise InputError(f"{p}: not an EPUB file (no {name})")
            data = book.read(info)
            blocks += doc_html.blocks_of(data, f"{p}:{name}")
    return blocks
