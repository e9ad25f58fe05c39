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
from .model import InputError

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


def rows(al: Alignment, include_title: bool = True) -> Iterator[dict]:
    """One record per bead (the title pair first, when there is one)."""
    if include_title and al.titles and al.level == "sentence":
        zh, en = al.titles
        yield {"zh_ids": [], "en_ids": [], "zh": zh.text, "en": en.text, "confidence": 1.0,
               "type": "title", "para": -1}  # fmt: skip
    for b in al.beads:
        zh, en = al.texts(b)
        yield {"zh_ids": list(b.zh), "en_ids": list(b.en), "zh": zh, "en": en,
               "confidence": b.confidence, "type": b.kind, "para": b.para}  # fmt: skip


def write_alignment(al: Alignment, out: TextIO, fmt: str) -> None:
    if fmt == "align":
        out.write(format_align([(b.zh, b.en) for b in al.beads]))
    elif fmt == "tsv":
        out.write("zh\ten\tconfidence\ttype\tparagraph\n")
        for r in rows(al):
            out.write(
                f"{_cell(r['zh'])}\t{_cell(r['en'])}\t{r['confidence']:.3f}\t{r['type']}\t"
                f"{r['para']}\n"
            )
    elif fmt == "jsonl":
        for r in rows(al):
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        raise InputError(f"unknown format {fmt!r}")


def save_alignment(al: Alignment, path: str | Path, fmt: str | None = None) -> Path:
    fmt = format_for(path, fmt)
    with atomic_writer(path) as fh:
        write_alignment(al, fh, fmt)
    return Path(path)
