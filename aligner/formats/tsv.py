"""Aligned units as a TSV table for review: zh, en, confidence, type, paragraph; one unit
a line, every cell on one line."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..model import ExportOptions, ExportResult, InputError, Unit
from ._io import one_line, read_text

HEADER = "zh\ten\tconfidence\ttype\tparagraph\n"


def write(units: list[Unit], out: TextIO, options: ExportOptions) -> ExportResult:
    out.write(HEADER)
    for u in units:
        out.write(f"{one_line(u.zh)}\t{one_line(u.en)}\t{u.confidence:.3f}\t{u.kind}\t{u.para}\n")
    return ExportResult(written=len(units))


def read(path: str | Path) -> list[Unit]:
    p = Path(path)
    lines = read_text(p).split("\n")  # not splitlines: U+2028 and friends may stand in a cell
    if not lines[0].lower().startswith("zh\ten"):
        raise InputError(f"{p}: not an aligner TSV (header zh, en, confidence, type, ...)")
    out = []
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            raise InputError(f"{p}:{n}: expected tab-separated zh and en")
        try:
            conf = float(cells[2]) if len(cells) > 2 and cells[2] else 1.0
            para = int(cells[4]) if len(cells) > 4 and cells[4] else -1
        except ValueError:
            raise InputError(f"{p}:{n}: bad confidence or paragraph number") from None
        kind = cells[3] if len(cells) > 3 and cells[3] else "1-1"
        out.append(Unit(cells[0], cells[1], conf, kind, para, p.stem))
    return out
