"""The `.align` format of MAC and Bertalign: one bead a line, `[zh ids]:[en ids]`, the
sentence numbers 0-based within each side (`[0,1]:[0]`, `[2]:[]`)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

import regex

from ..model import ExportOptions, ExportResult, InputError, Unit
from ._io import read_text

Bead = tuple[tuple[int, ...], tuple[int, ...]]
LINE = regex.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def parse_align(text: str, name: str = "<align>", swap: bool = False) -> list[Bead]:
    """The beads of an alignment file's text; `swap` for files written English first."""
    beads: list[Bead] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        m = LINE.match(line)
        if not m:
            raise InputError(f"{name}:{n}: not an alignment line: {line.strip()[:60]!r}")
        src = tuple(int(x) for x in m.group(1).replace(" ", "").split(",") if x)
        tgt = tuple(int(x) for x in m.group(2).replace(" ", "").split(",") if x)
        beads.append((tgt, src) if swap else (src, tgt))
    return beads


def read_align(path: str | Path, swap: bool = False) -> list[Bead]:
    p = Path(path)
    return parse_align(read_text(p), str(p), swap)


def format_align(beads: list[Bead]) -> str:
    return "".join(f"[{','.join(map(str, z))}]:[{','.join(map(str, e))}]\n" for z, e in beads)


def write(units: list[Unit], out: TextIO, options: ExportOptions) -> ExportResult:
    """The sentence numbers of every unit but the title (which has none)."""
    beads = [(u.zh_ids, u.en_ids) for u in units if u.kind != "title"]
    out.write(format_align(beads))
    return ExportResult(written=len(beads))
