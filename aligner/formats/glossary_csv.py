"""A glossary as CSV: one row per entry with a header: zh, en, variants (joined by ` | `),
frequency, confidence, example_zh, example_en, zh_simplified, source, attested, documents
(the documents of a corpus the term occurs in), part_of_speech, term_type (TBX-Basic's
values)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from ..model import Entry, GlossaryOptions
from ._io import one_line, read_text
from ._table import LIST_SEP, read_table

COLUMNS = (
    "zh", "en", "variants", "frequency", "confidence", "example_zh", "example_en",
    "zh_simplified", "source", "attested", "documents", "part_of_speech", "term_type",
)  # fmt: skip


def write(entries: list[Entry], out: TextIO, options: GlossaryOptions) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for e in entries:
        w.writerow(
            [one_line(e.zh), one_line(e.en), LIST_SEP.join(one_line(v) for v in e.variants),
             e.frequency, f"{e.confidence:.3f}", one_line(e.example[0]), one_line(e.example[1]),
             one_line(e.zh_simplified), e.source, LIST_SEP.join(one_line(a) for a in e.attested),
             e.documents, e.part_of_speech, e.term_type]
        )  # fmt: skip


def read(path: str | Path) -> list[Entry]:
    p = Path(path)
    return read_table(read_text(p), p, ",", "text")
