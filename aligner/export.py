"""Write and read aligned units: `.align` (MAC-style indices), `.tsv`, `.jsonl`, `.tmx`
and plain parallel files; writing is always atomic (a temporary file, then a rename)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import regex

from .evaluate import format_align
from .model import Alignment, InputError, Unit

FORMATS = ("align", "tsv", "jsonl", "tmx", "parallel")
READABLE = ("tsv", "jsonl", "tmx")


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
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
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
    if suffix not in FORMATS or suffix == "parallel":
        raise InputError(
            f"{path}: cannot tell the format from the suffix "
            "(use .tmx, .tsv, .jsonl or .align, or --format parallel)"
        )
    return suffix


CONTROL = regex.compile(r"[\p{Cc}--[\t\n\r\x0b\x0c]]", regex.V1)


def _cell(text: str) -> str:
    """A text on one line: control characters dropped, whitespace runs (tabs, line
    breaks) made one space."""
    return " ".join(CONTROL.sub("", text).split())


def units(al: Alignment) -> list[Unit]:
    """One unit per bead (the title pair first, when there is one)."""
    doc = al.document.name
    out: list[Unit] = []
    if al.titles and al.level == "sentence":
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


@dataclass
class ExportOptions:
    """What the translation-memory outputs (TMX, parallel files) keep and how they label
    it; the review formats (TSV, JSONL, .align) keep every bead."""

    zh_lang: str = "zh-CN"
    en_lang: str = "en-US"
    keep_unaligned: bool = False
    min_confidence: float = 0.0
    segtype: str = "sentence"


@dataclass
class ExportResult:
    paths: list[Path]
    written: int
    skipped_unaligned: int = 0
    skipped_low_confidence: int = 0
    dropped_chars: int = 0


def _kept(items: list[Unit], options: ExportOptions) -> tuple[list[Unit], int, int]:
    empty = [u for u in items if not u.zh.strip() or not u.en.strip()]
    low = [u for u in items if u.confidence < options.min_confidence]
    kept = [
        u
        for u in items
        if (options.keep_unaligned or (u.zh.strip() and u.en.strip()))
        and u.confidence >= options.min_confidence
    ]
    return kept, 0 if options.keep_unaligned else len(empty), len(low)


def save_units(
    items: list[Unit],
    path: str | Path,
    fmt: str | None = None,
    options: ExportOptions | None = None,
) -> ExportResult:
    """Write units to `path` in `fmt` (from the suffix when not given). `parallel` writes
    PATH.zh and PATH.en, one segment per line, for MT training."""
    from .tmx import write_tmx

    options = options or ExportOptions()
    fmt = format_for(path, fmt)
    path = Path(path)
    if fmt == "tmx":
        stats = write_tmx(
            items, path, zh_lang=options.zh_lang, en_lang=options.en_lang,
            segtype=options.segtype, keep_unaligned=options.keep_unaligned,
            min_confidence=options.min_confidence,
        )  # fmt: skip
        return ExportResult([path], stats.written, stats.skipped_empty,
                            stats.skipped_low_confidence, stats.dropped_chars)  # fmt: skip
    if fmt == "parallel":
        kept, empty, low = _kept(items, options)
        zh_path, en_path = Path(f"{path}.zh"), Path(f"{path}.en")
        with atomic_writer(zh_path) as zh_out, atomic_writer(en_path) as en_out:
            for u in kept:
                zh_out.write(_cell(u.zh) + "\n")
                en_out.write(_cell(u.en) + "\n")
        return ExportResult([zh_path, en_path], len(kept), empty, low)
    with atomic_writer(path) as fh:
        write_units(items, fh, fmt)
    return ExportResult([path], len(items))


def read_units(path: str | Path) -> list[Unit]:
    """Read units back from a .tmx, .tsv or .jsonl file (ours, or another tool's TMX)."""
    from .tmx import read_tmx

    p = Path(path)
    fmt = p.suffix.lstrip(".").lower()
    if fmt not in READABLE:
        raise InputError(f"{p}: cannot read this format (use .tmx, .tsv or .jsonl)")
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    if fmt == "tmx":
        return read_tmx(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError):
        raise InputError(f"{p}: not a readable UTF-8 file") from None
    return _read_tsv(text, p) if fmt == "tsv" else _read_jsonl(text, p)


def _read_tsv(text: str, p: Path) -> list[Unit]:
    lines = text.split("\n")  # not splitlines: U+2028 and friends may stand in a cell
    if not lines or not lines[0].lower().startswith("zh\ten"):
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


def _read_jsonl(text: str, p: Path) -> list[Unit]:
    out = []
    for n, line in enumerate(text.split("\n"), 1):
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


def save_alignment(al: Alignment, path: str | Path, fmt: str | None = None) -> Path:
    fmt = format_for(path, fmt)
    options = ExportOptions(segtype=al.level)
    return save_units(units(al), path, fmt, options).paths[0]
