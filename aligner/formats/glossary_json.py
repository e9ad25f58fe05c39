"""A glossary as JSON: a list of objects with every field of `aligner.model.Entry`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from ..model import Entry, GlossaryOptions, InputError
from ._io import read_json


def _record(e: Entry) -> dict:
    return {
        "zh": e.zh,
        "zh_simplified": e.zh_simplified,
        "en": e.en,
        "variants": list(e.variants),
        "frequency": e.frequency,
        "documents": e.documents,
        "part_of_speech": e.part_of_speech,
        "term_type": e.term_type,
        "confidence": round(e.confidence, 4),
        "example": {"zh": e.example[0], "en": e.example[1]},
        "source": e.source,
        "attested": list(e.attested),
    }


def write(entries: list[Entry], out: TextIO, options: GlossaryOptions) -> None:
    json.dump([_record(e) for e in entries], out, ensure_ascii=False, indent=2)
    out.write("\n")


def _strings(record: dict, key: str, where: str) -> list[str]:
    """The texts under `key`: a list (none when absent)."""
    values = record.get(key, [])
    if not isinstance(values, list):
        raise InputError(f"{where}: {key} must be a list, not {values!r}")
    return [str(v) for v in values]


def read(path: str | Path) -> list[Entry]:
    """Entries of a list of objects (or of an object's `entries`), each with zh and en."""
    p = Path(path)
    data = read_json(p)
    if isinstance(data, dict):
        data = data.get("entries")
    if not isinstance(data, list):
        raise InputError(f"{p}: expected a list of glossary entries")
    out = []
    for n, r in enumerate(data, 1):
        try:
            example = r.get("example") or {}
            if isinstance(example, dict):
                example = (str(example.get("zh", "")), str(example.get("en", "")))
            else:
                example = (str(example[0]), str(example[1])) if len(example) == 2 else ("", "")
            zh, en = str(r["zh"]).strip(), str(r["en"]).strip()
            if not zh or not en:
                raise ValueError
            out.append(
                Entry(zh, str(r.get("zh_simplified") or ""), en,
                      _strings(r, "variants", f"{p}: entry {n}"), int(r.get("frequency", 0)),
                      float(r.get("confidence", 0.0)), example,
                      str(r.get("source", "text")), _strings(r, "attested", f"{p}: entry {n}"),
                      documents=int(r.get("documents", 1)),
                      part_of_speech=str(r.get("part_of_speech") or ""),
                      term_type=str(r.get("term_type") or ""))
            )  # fmt: skip
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):
            raise InputError(f"{p}: entry {n} is not a glossary entry (zh, en, ...)") from None
    return out
