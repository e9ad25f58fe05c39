"""A glossary as two columns, zh<TAB>en, no header: the file MT glossary features import."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..model import Entry, GlossaryOptions
from ._io import one_line, read_text
from ._table import read_table


def write(entries: list[Entry], out: TextIO, options: GlossaryOptions) -> None:
    """One line per Chinese term (the first entry of a term wins: MT glossary imports
    reject a source term given twice)."""
    seen: set[str] = set()
    for e in entries:
        zh, en = one_line(e.zh), one_line(e.en)
        if zh and en and zh not in seen:
            seen.add(zh)
            out.write(f"{zh}\t{en}\n")


def read(path: str | Path) -> list[Entry]:
    p = Path(path)
    return read_table(read_text(p), p, "\t", "text")
