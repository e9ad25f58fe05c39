"""A glossary as OmegaT reads one: a line per entry, source term, target term and a comment,
tab-separated, UTF-8, no header (OmegaT would take a header for an entry, and reads lines
starting with `#` as comments). OmegaT reads `.utf8` files as UTF-8 and guesses the
encoding of `.tab` and `.txt` files; it ignores a `.tsv`.

The comment, which OmegaT shows beside the term, holds what else a translator needs, as
`key: value` parts joined by `; `: the other renderings (`also: A | B`), the part of speech,
the term type and the frequency. Reading it back fills those fields; a comment of another
tool is kept as nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import regex

from ..model import Entry, GlossaryOptions, InputError
from ._io import one_line, read_text
from ._table import LIST_SEP, _is_header, _rows, split_list

PART_SEP = "; "
ALSO, POS, TERM_TYPE, FREQUENCY = "also", "part of speech", "term type", "frequency"
# a part of our comment: one of its keys after the start or a separator
PART = regex.compile(rf"(?:^|{PART_SEP})({ALSO}|{POS}|{TERM_TYPE}|{FREQUENCY}): ")


def _comment(e: Entry) -> str:
    variants = [one_line(v) for v in dict.fromkeys(e.variants) if one_line(v) and v != e.en]
    parts = [
        (ALSO, LIST_SEP.join(variants)),
        (POS, one_line(e.part_of_speech)),
        (TERM_TYPE, one_line(e.term_type)),
        (FREQUENCY, str(e.frequency) if e.frequency else ""),
    ]
    return PART_SEP.join(f"{key}: {value}" for key, value in parts if value)


def write(entries: list[Entry], out: TextIO, options: GlossaryOptions) -> None:
    """One line per entry with both terms; no header."""
    for e in entries:
        zh, en = one_line(e.zh), one_line(e.en)
        if zh and en:
            out.write(f"{zh}\t{en}\t{_comment(e)}\n")


def _parse_comment(text: str, e: Entry) -> None:
    """The fields our comment holds, into `e`; any other text is left."""
    marks = list(PART.finditer(text))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        key, value = m.group(1), text[m.end() : end].strip()
        if key == ALSO:
            e.variants = split_list(value)
        elif key == POS:
            e.part_of_speech = value
        elif key == TERM_TYPE:
            e.term_type = value
        elif value.isdigit():
            e.frequency = int(value)


def read(path: str | Path) -> list[Entry]:
    """Entries from an OmegaT glossary (ours or another's): source and target in the first
    two columns; `#` lines, blank lines and a header row such as `zh en` skipped."""
    p = Path(path)
    rows = _rows(read_text(p), p, "\t")
    if rows and _is_header(rows[0][1]):
        rows = rows[1:]
    out = []
    for n, cells in rows:
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise InputError(f"{p}:{n}: expected a source term and its target (tab-separated)")
        e = Entry(cells[0], "", cells[1], [], 0, 1.0, ("", ""), "text")
        _parse_comment(" ".join(cells[2:]), e)
        out.append(e)
    return out
