"""Aligned units as JSON Lines: one object a line, every field of the unit, the sentence
numbers included (what `--gold` and `aligner check` need), the unit's status, the
segment-level units of a split bead after it (with `part`: "i/k"), and the `block` kind
and `section` of a unit of a structured document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from ..model import STATUSES, ExportOptions, ExportResult, InputError, Unit
from ._io import read_text


def write(units: list[Unit], out: TextIO, options: ExportOptions) -> ExportResult:
    for u in units:
        record = {"zh_ids": list(u.zh_ids), "en_ids": list(u.en_ids), "zh": u.zh, "en": u.en,
                  "confidence": u.confidence, "type": u.kind, "para": u.para,
                  "doc": u.doc, "status": u.status}  # fmt: skip
        if u.part:
            record["part"] = u.part
        if u.block:
            record["block"], record["section"] = u.block, u.section
        if u.time:
            record["time"] = u.time
        if u.page:
            record["page"] = u.page
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return ExportResult(written=len(units))


def _ids(record: dict, key: str, where: str) -> tuple[int, ...]:
    """The sentence numbers under `key`: a list of integers (none when absent)."""
    ids = record.get(key, [])
    if not isinstance(ids, list) or not all(type(i) is int for i in ids):
        raise InputError(f"{where}: {key} must be a list of sentence numbers, not {ids!r}")
    return tuple(ids)


def _status(record: dict, where: str) -> str:
    status = record.get("status", "auto")
    if status not in STATUSES:
        raise InputError(f"{where}: status must be one of {', '.join(STATUSES)}, not {status!r}")
    return status


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
                            str(r.get("doc", p.stem)), _ids(r, "zh_ids", f"{p}:{n}"),
                            _ids(r, "en_ids", f"{p}:{n}"), _status(r, f"{p}:{n}"),
                            str(r.get("part", "")), block=str(r.get("block", "")),
                            section=str(r.get("section", "")),
                            time=str(r.get("time", "")),
                            page=int(r.get("page", 0))))  # fmt: skip
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{p}:{n}: not an aligner JSONL record") from None
    return out
