"""Glossary tables read back: rows of CSV or TSV, an optional header row naming the
columns, `#` comments; what our CSV and TSV files and a user's glossary share."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..model import Entry, InputError

LIST_SEP = " | "  # between the variants (and the attested renderings) of one cell we write
USER_LIST_SEP = "|"  # between the variants of a user's cell, spaced or not
HEADER_WORDS = frozenset(
    {"zh", "en", "chinese", "english", "source", "target", "term", "translation", "zh-cn",
     "zh-tw", "zh-hans", "zh-hant", "en-us", "en-gb", "src", "tgt"}
)  # fmt: skip


def split_list(text: str, sep: str = LIST_SEP) -> list[str]:
    """The items of a cell joined by `sep`; our own cells split on the spaced LIST_SEP,
    so that an item holding a bare "|" (`A|B`) reads back as it was written."""
    return [x.strip() for x in text.split(sep) if x.strip()]


def _rows(text: str, p: Path, delimiter: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the non-empty, non-comment rows of a CSV or TSV file."""
    if "\x00" in text:
        raise InputError(f"{p}: not a text file")
    out = []
    if delimiter == "\t":
        for n, line in enumerate(text.split("\n"), 1):
            line = line.rstrip("\r")
            if line.strip() and not line.lstrip().startswith("#"):
                out.append((n, [c.strip() for c in line.split("\t")]))
        return out
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for cells in reader:
            n = reader.line_num
            if cells and any(c.strip() for c in cells) and not cells[0].lstrip().startswith("#"):
                out.append((n, [c.strip() for c in cells]))
    except csv.Error as err:
        raise InputError(f"{p}:{reader.line_num}: bad CSV ({err})") from None
    return out


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and all(c.lower() in HEADER_WORDS for c in cells[:2] if c)


def read_table(text: str, p: Path, delimiter: str, source: str) -> list[Entry]:
    """The entries of a glossary table: every column of our CSV when its header names
    them, else zh and en (the first two columns, swapped under an `en, zh` header) and,
    in a TSV, variants in the columns after them. `source` is the entries' source."""
    rows = _rows(text, p, delimiter)
    if not rows:
        return []
    columns = None
    if _is_header(rows[0][1]):
        columns = [c.lower() for c in rows[0][1]]
        rows = rows[1:]
    out = []
    for n, cells in rows:
        if len(cells) < 2 or not cells[0] or not cells[1]:
            sep = "tab" if delimiter == "\t" else "comma"
            raise InputError(f"{p}:{n}: expected a Chinese term and its English ({sep}-separated)")
        if columns and columns[:2] == ["zh", "en"] and "frequency" in columns:
            out.append(_from_columns(dict(zip(columns, cells, strict=False)), p, n, source))
            continue
        zh, en = (cells[1], cells[0]) if columns and columns[0].startswith("en") else cells[:2]
        variants = (
            [v for c in cells[2:] for v in split_list(c, USER_LIST_SEP)]
            if delimiter == "\t"
            else []
        )
        out.append(Entry(zh, "", en, variants, 0, 1.0, ("", ""), source))
    return out


def _from_columns(row: dict, p: Path, n: int, source: str) -> Entry:
    try:
        frequency = int(row.get("frequency") or 0)
        confidence = float(row.get("confidence") or 0.0)
        documents = int(row.get("documents") or 1)  # absent from files before corpora
    except ValueError:
        raise InputError(f"{p}:{n}: bad frequency, confidence or documents") from None
    return Entry(
        row["zh"], row.get("zh_simplified", ""), row["en"], split_list(row.get("variants", "")),
        frequency, confidence, (row.get("example_zh", ""), row.get("example_en", "")),
        row.get("source") if row.get("source") in ("text", "user") else source,
        split_list(row.get("attested", "")), documents=documents,
        part_of_speech=row.get("part_of_speech", ""), term_type=row.get("term_type", ""),
    )  # fmt: skip
