"""Plain parallel files for MT training: PATH.zh and PATH.en, one segment a line, line N
of one the translation of line N of the other."""

from __future__ import annotations

from typing import TextIO

from ..model import ExportOptions, ExportResult, Unit
from ._io import one_line


def write(
    units: list[Unit], zh_out: TextIO, en_out: TextIO, options: ExportOptions
) -> ExportResult:
    for u in units:
        zh_out.write(one_line(u.zh) + "\n")
        en_out.write(one_line(u.en) + "\n")
    return ExportResult(written=len(units))
