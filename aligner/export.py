"""Write alignments: `.align` (MAC style indices), `.tsv`, `.jsonl`; always atomically."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .align import Alignment
from .evaluate import format_align
from .model import InputError, Unit

FORMATS = ("align", "tsv", "jsonl")


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[TextIO]:
    """Write to a temporary file beside `path` and rename it into place on success, so
    that a failure never leaves a half-written output."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    if not target.parent.exists():
        raise InputError(f"{target.parent}: no such directory")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_for(path: str | Path, fmt: str | None = None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lstrip(".").lower()
    if suffix not in FORMATS:
        raise InputError(
            f"{path}: cannot tell the format from the suffix (use .align, .tsv or .jsonl)"
        )
    return suffix


def _cell(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def units(al: Alignment, include_title: bool = True) -> list[Unit]:
    """One unit per bead (the title pair first, when there is one)."""
    doc = al.document.name
    out: list[Unit] = []
    if include_title and al.titles and al.level == "sentence":
        zh, en = al.titles
        out.append(Unit(zh.text, en.text, 1.0, "title", -1, doc))
    for b in al.beads:
        zh, en = al.texts(b)
        out.append(Unit(zh, en, b.confidence, b.kind, b.para, doc, b.zh, b.en))
    return out


def write_units(items: list[Unit], out: TextIO, fmt: str) -> None:
    if fmt == "align":
        out.write(format_align([(u.zh_ids, u.en_ids) for u in items if u.kind != "title"]))
    elif fmt == "tsv":
        out.write("zh\ten\tconfidence\ttype\tparagraph\n")
        for u in items:
            out.write(f"{_cell(u.zh)}\t{_cell(u.en)}\t{u.confidence:.3f}\t{u.kind}\t{u.para}\n")
    elif fmt == "jsonl":
        for u in items:
            record = {"zh_ids": list(u.zh_ids), "en_ids": list(u.en_ids), "zh": u.zh,
                      "en": u.en, "confidence": u.confidence, "type": u.kind, "para": u.para,
                      "doc": u.doc}  # fmt: skip
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        raise InputError(f"unknown format {fmt!r}")


def write_alignment(al: Alignment, out: TextIO, fmt: str) -> None:
    write_units(units(al), out, fmt)


def save_alignment(al: Alignment, path: str | Path, fmt: str | None = None) -> Path:
    fmt = format_for(path, fmt)
    with atomic_writer(path) as fh:
        write_alignment(al, fh, fmt)
    return Path(path)
