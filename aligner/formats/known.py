"""A user's glossary, whose terms the aligner and the term extractor take as given: TSV or
CSV rows `zh, en[, more]`, or any glossary format of ours."""

from __future__ import annotations

from pathlib import Path

import regex

from ..model import Entry, InputError
from ._io import read_text
from ._table import read_table


def read(path: str | Path) -> list[Entry]:
    """The entries of a user's glossary, each with source `user` and confidence 1.

    A file with a glossary suffix (.tbx, .csv, .tsv, .json, OmegaT's .utf8 and .tab) is
    read as that format; a .txt file as TSV; any other as TSV when its first line has a
    tab, else CSV.
    In a table, a header row such as `zh en` or `source target` is skipped, `en zh` swaps
    the columns and `#` starts a comment.
    """
    from . import glossary_suffixes, read_glossary

    p = Path(path)
    suffix = p.suffix.lstrip(".").lower()
    if suffix in glossary_suffixes():
        entries = read_glossary(p)
    else:
        text = read_text(p)
        first = next((line for line in text.split("\n") if line.strip()), "")
        tabs = suffix == "txt" or "\t" in first
        entries = read_table(text, p, "\t" if tabs else ",", "user")
    for e in entries:
        e.source = "user"
        e.confidence = 1.0
        if not regex.search(r"\p{Han}", e.zh):
            raise InputError(f"{p}: {e.zh!r} is not a Chinese term (expected zh, en columns)")
    return entries
