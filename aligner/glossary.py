"""Glossary files: write and read `.tbx`, `.csv`, `.tsv` and `.json`, and read a user's
known glossary (TSV or CSV: zh, en[, more columns]).

- `.tbx`: TBX-Basic, TBX 2 (`martif`) by default or TBX 3 (see `aligner.tbx`);
- `.csv`: one row per entry: zh, en, variants (joined by `|`), frequency, confidence,
  example_zh, example_en, zh_simplified, source, attested (joined by `|`), with a header;
- `.tsv`: two columns, zh<TAB>en, no header: the file MT glossary features import;
- `.json`: a list of objects with every field of `aligner.terms.Entry`.

Writing is atomic (a temporary file renamed into place). Bad input raises
`aligner.model.InputError` with a one-line message naming the file (and the line).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TextIO

import regex

from .export import atomic_writer
from .model import Entry, InputError

FORMATS = ("tbx", "csv", "tsv", "json")
CSV_COLUMNS = (
    "zh", "en", "variants", "frequency", "confidence", "example_zh", "example_en",
    "zh_simplified", "source", "attested",
)  # fmt: skip
LIST_SEP = " | "
HEADER_WORDS = frozenset(
    {"zh", "en", "chinese", "english", "source", "target", "term", "translation", "zh-cn",
     "zh-tw", "zh-hans", "zh-hant", "en-us", "en-gb", "src", "tgt"}
)  # fmt: skip
CONTROL = regex.compile(r"[\p{Cc}--[\t\n\r]]", regex.V1)


def glossary_format(path: str | Path, fmt: str | None = None) -> str:
    """The format to write or read: `fmt` when given, else the file's suffix."""
    if fmt:
        fmt = fmt.lower().lstrip(".")
        if fmt not in FORMATS:
            raise InputError(f"unknown glossary format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lstrip(".").lower()
    if suffix not in FORMATS:
        raise InputError(
            f"{path}: cannot tell the glossary format from the suffix (use .tbx, .csv, .tsv "
            "or .json)"
        )
    return suffix


def _cell(text: object) -> str:
    """One line of text: control characters dropped, whitespace runs made one space."""
    return " ".join(CONTROL.sub("", str(text)).split())


# ---------------------------------------------------------------- writing


def write_csv(entries: list[Entry], out: TextIO) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for e in entries:
        w.writerow(
            [_cell(e.zh), _cell(e.en), LIST_SEP.join(_cell(v) for v in e.variants), e.frequency,
             f"{e.confidence:.3f}", _cell(e.example[0]), _cell(e.example[1]),
             _cell(e.zh_simplified), e.source, LIST_SEP.join(_cell(a) for a in e.attested)]
        )  # fmt: skip


def write_tsv(entries: list[Entry], out: TextIO) -> None:
    """zh<TAB>en, one line per Chinese term (the first entry of a term wins: MT glossary
    imports reject a source term given twice)."""
    seen: set[str] = set()
    for e in entries:
        zh, en = _cell(e.zh), _cell(e.en)
        if zh and en and zh not in seen:
            seen.add(zh)
            out.write(f"{zh}\t{en}\n")


def entry_record(e: Entry) -> dict:
    return {
        "zh": e.zh,
        "zh_simplified": e.zh_simplified,
        "en": e.en,
        "variants": list(e.variants),
        "frequency": e.frequency,
        "confidence": round(e.confidence, 4),
        "example": {"zh": e.example[0], "en": e.example[1]},
        "source": e.source,
        "attested": list(e.attested),
    }


def write_json(entries: list[Entry], out: TextIO) -> None:
    json.dump([entry_record(e) for e in entries], out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_glossary(
    entries: list[Entry], out: TextIO, fmt: str, tbx_version: int = 2, title: str = "Glossary"
) -> None:
    if fmt == "tbx":
        from .tbx import write_tbx

        write_tbx(entries, out, tbx_version, title)
    elif fmt == "csv":
        write_csv(entries, out)
    elif fmt == "tsv":
        write_tsv(entries, out)
    elif fmt == "json":
        write_json(entries, out)
    else:
        raise InputError(f"unknown glossary format {fmt!r}: use one of {', '.join(FORMATS)}")


def save_glossary(
    entries: list[Entry], path: str | Path, fmt: str | None = None, tbx_version: int = 2
) -> Path:
    """Write the entries to `path` in `fmt` (from the suffix when not given), atomically."""
    fmt = glossary_format(path, fmt)
    if fmt == "tbx" and tbx_version not in (2, 3):
        raise InputError(f"unknown TBX version {tbx_version!r}: use 2 or 3")
    path = Path(path)
    with atomic_writer(path) as fh:
        write_glossary(entries, fh, fmt, tbx_version, title=path.stem or "Glossary")
    return path


# ---------------------------------------------------------------- reading


def _read_text(p: Path) -> str:
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    try:
        return p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{p}: not a UTF-8 text file") from None
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror})") from None


def _split_list(text: str) -> list[str]:
    return [x.strip() for x in text.split("|") if x.strip()]


def read_glossary(path: str | Path, fmt: str | None = None) -> list[Entry]:
    """Entries back from a glossary file this module wrote (or a TBX of another tool)."""
    p = Path(path)
    fmt = glossary_format(p, fmt)
    if fmt == "tbx":
        from .tbx import read_tbx

        return read_tbx(p)
    if fmt == "json":
        return _read_json(_read_text(p), p)
    return _read_table(_read_text(p), p, "\t" if fmt == "tsv" else ",", "text")


def _read_json(text: str, p: Path) -> list[Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{p}:{err.lineno}: not valid JSON ({err.msg})") from None
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
                      [str(v) for v in r.get("variants", [])], int(r.get("frequency", 0)),
                      float(r.get("confidence", 0.0)), example,
                      str(r.get("source", "text")), [str(a) for a in r.get("attested", [])])
            )  # fmt: skip
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):
            raise InputError(f"{p}: entry {n} is not a glossary entry (zh, en, ...)") from None
    return out


def _rows(text: str, p: Path, delimiter: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of the non-empty, non-comment rows of a CSV or TSV file."""
    if "\x00" in text:
        raise InputError(f"{p}: not a text file")
    out = []
    if delimiter == "\t":
        for n, line in enumerate(text.split("\n"), 1):
            line = line.rstrip("\r")
            if line.strip() and not line.lstrip().startswith("#"):
                out.append((n, [c.strip() for c in line.split("\t")]))
        return out
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for cells in reader:
            n = reader.line_num
            if cells and any(c.strip() for c in cells) and not cells[0].lstrip().startswith("#"):
                out.append((n, [c.strip() for c in cells]))
    except csv.Error as err:
        raise InputError(f"{p}:{reader.line_num}: bad CSV ({err})") from None
    return out


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and all(c.lower() in HEADER_WORDS for c in cells[:2] if c)


def _read_table(text: str, p: Path, delimiter: str, source: str) -> list[Entry]:
    rows = _rows(text, p, delimiter)
    if not rows:
        return []
    columns = None
    if _is_header(rows[0][1]):
        columns = [c.lower() for c in rows[0][1]]
        rows = rows[1:]
    out = []
    for n, cells in rows:
        if len(cells) < 2 or not cells[0] or not cells[1]:
            sep = "tab" if delimiter == "\t" else "comma"
            raise InputError(f"{p}:{n}: expected a Chinese term and its English ({sep}-separated)")
        if columns and columns[:2] == ["zh", "en"] and "frequency" in columns:
            out.append(_from_columns(dict(zip(columns, cells, strict=False)), p, n, source))
            continue
        zh, en = (cells[1], cells[0]) if columns and columns[0].startswith("en") else cells[:2]
        variants = [v for c in cells[2:] for v in _split_list(c)] if delimiter == "\t" else []
        out.append(Entry(zh, "", en, variants, 0, 1.0, ("", ""), source))
    return out


def _from_columns(row: dict, p: Path, n: int, source: str) -> Entry:
    try:
        frequency = int(row.get("frequency") or 0)
        confidence = float(row.get("confidence") or 0.0)
    except ValueError:
        raise InputError(f"{p}:{n}: bad frequency or confidence") from None
    return Entry(
        row["zh"], row.get("zh_simplified", ""), row["en"], _split_list(row.get("variants", "")),
        frequency, confidence, (row.get("example_zh", ""), row.get("example_en", "")),
        row.get("source") if row.get("source") in ("text", "user") else source,
        _split_list(row.get("attested", "")),
    )  # fmt: skip


def read_known_glossary(path: str | Path) -> list[Entry]:
    """A user's glossary: TSV or CSV rows `zh, en[, more]` (a header row such as `zh en`
    or `source target` is skipped; `en zh` swaps the columns; `#` starts a comment), or
    one of our .json/.tbx glossaries. Every entry comes back with source `user`."""
    p = Path(path)
    suffix = p.suffix.lstrip(".").lower()
    if suffix in ("tbx", "json"):
        entries = read_glossary(p)
    else:
        text = _read_text(p)
        if suffix == "csv":
            delimiter = ","
        elif suffix in ("tsv", "tab", "txt"):
            delimiter = "\t"
        else:
            first = next((line for line in text.split("\n") if line.strip()), "")
            delimiter = "\t" if "\t" in first else ","
        entries = _read_table(text, p, delimiter, "user")
    for e in entries:
        e.source = "user"
        e.confidence = 1.0
        if not regex.search(r"\p{Han}", e.zh):
            raise InputError(f"{p}: {e.zh!r} is not a Chinese term (expected zh, en columns)")
    return entries


__all__ = [
    "FORMATS",
    "glossary_format",
    "read_glossary",
    "read_known_glossary",
    "save_glossary",
    "write_glossary",
]
