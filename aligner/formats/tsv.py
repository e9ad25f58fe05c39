"""Aligned units as a TSV table for review: zh, en, confidence, type, paragraph and status
(auto, confirmed, edited: what a person did with the pair); one unit a line, every cell on
one line. A table without the status column (an older one, or a person's) reads as auto."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from ..model import STATUSES, ExportOptions, ExportResult, InputError, Unit
from ._io import one_line, read_text

HEADER = "zh\ten\tconfidence\ttype\tparagraph\tstatus\n"


def write(units: list[Unit], out: TextIO, options: ExportOptions) -> ExportResult:
    out.write(HEADER)
    for u in units:
        out.write(
            f"{one_line(u.zh)}\t{one_line(u.en)}\t{u.confidence:.3f}\t{u.kind}\t{u.para}"
            f"\t{u.status}\n"
        )
    return ExportResult(written=len(units))


def read(path: str | Path) -> list[Unit]:
    p = Path(path)
    lines = read_text(p).split("\n")  # not splitlines: U+2028 and friends may stand in a cell
    if not lines[0].lower().startswith("zh\ten"):
        raise InputError(f"{p}: not an aligner TSV (header zh, en, confidence, type, ...)")
    names = [c.strip() for c in lines[0].lower().split("\t")]
    status_at = names.index("status") if "status" in names else None  # (a column of ours)
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
        status = "auto"
        if status_at is not None and len(cells) > status_at and cells[status_at].strip():
            status = cells[status_at].strip()
        if status not in STATUSES:
            known = ", ".join(STATUSES)
            raise InputError(f"{p}:{n}: status must be one of {known}, not {status!r}")
        out.append(Unit(cells[0], cells[1], conf, kind, para, p.stem, status=status))
    return out
