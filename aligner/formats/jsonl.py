"""Aligned units as JSON Lines: one object a line, every field of the unit, the sentence
numbers included (what `--gold` and `aligner check` need)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from ..model import ExportOptions, ExportResult, InputError, Unit
from ._io import read_text


def write(units: list[Unit], out: TextIO, options: ExportOptions) -> ExportResult:
    for u in units:
        record = {"zh_ids": list(u.zh_ids), "en_ids": list(u.en_ids), "zh": u.zh, "en": u.en,
                  "confidence": u.confidence, "type": u.kind, "para": u.para,
                  "doc": u.doc}  # fmt: skip
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return ExportResult(written=len(units))


def read(path: str | Path) -> list[Unit]:
    p = Path(path)
    out = []
    for n, line in enumerate(read_text(p).split("\n"), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            out.append(Unit(str(r["zh"]), str(r["en"]), float(r.get("confidence", 1.0)),
                            str(r.get("type", "1-1")), int(r.get("para", -1)),
                            str(r.get("doc", p.stem)), tuple(r.get("zh_ids", ())),
                            tuple(r.get("en_ids", ()))))  # fmt: skip
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{p}:{n}: not an aligner JSONL record") from None
    return out
