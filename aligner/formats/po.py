"""Gettext PO: one entry per unit, the Chinese as `msgid` and the English as `msgstr`;
read back, and PO files of other tools read (Chinese source or Chinese translation).

Each entry has a `msgctxt` (its unit number: a PO file may not hold one `msgid` twice) and
an extracted comment `#. aligner {...}` with the unit's fields as JSON (confidence, bead,
paragraph, sentence numbers, status ...). The header names the languages. Characters a
PO file cannot hold (C0 controls but tab, newline and carriage return) are dropped and
counted.

In a file of another tool, the header's `Language` tells which side is Chinese (else the
script of the `msgid`s does); a translated entry is a unit a person confirmed, a fuzzy or
untranslated one an unconfirmed unit (an untranslated one has no English); obsolete
entries (`#~`) are left out.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TextIO

from .. import __version__
from ..model import ExportOptions, ExportResult, InputError, Unit
from ..normalise import HAN
from ._io import creationdate, read_text
from ._xml import FORBIDDEN, is_chinese
from ._xml import check_language_options as check_options

ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
UNESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
             "f": "\f", "v": "\v"}  # fmt: skip
META = "aligner "  # the extracted comment that holds a unit's fields


def _quote(text: str) -> str:
    return '"' + "".join(ESCAPES.get(c, c) for c in text) + '"'


def _fields(unit: Unit) -> dict:
    return {
        "confidence": unit.confidence, "bead": unit.kind, "status": unit.status,
        "para": unit.para, "doc": unit.doc, "zh_ids": list(unit.zh_ids),
        "en_ids": list(unit.en_ids), "part": unit.part, "context": list(unit.context),
        "block": unit.block, "section": unit.section, "time": unit.time, "page": unit.page,
    }  # fmt: skip


def write(units: list[Unit], out: TextIO, options: ExportOptions) -> ExportResult:
    """`units` as a PO file (see the module's docstring)."""
    check_options(options)
    stamp = options.creationdate or creationdate()  # YYYYMMDDTHHMMSSZ
    date = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}+0000"
    document = units[0].doc if units else ""
    header = (
        f"Project-Id-Version: {document or 'aligner'}\n"
        f"PO-Revision-Date: {date}\n"
        f"Last-Translator: {options.user or 'aligner ' + __version__}\n"
        "Language-Team: \n"
        f"Language: {options.en_lang.replace('-', '_')}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        f"X-Source-Language: {options.zh_lang.replace('-', '_')}\n"
        f"X-Generator: aligner {__version__}\n"
    )
    out.write(f'msgid ""\nmsgstr {_quote(header)}\n')
    dropped = 0
    for n, unit in enumerate(units, 1):
        zh, a = FORBIDDEN.subn("", unit.zh)
        en, b = FORBIDDEN.subn("", unit.en)
        dropped += a + b
        meta = FORBIDDEN.sub("", json.dumps(_fields(unit), ensure_ascii=False))
        out.write(f"\n#. {META}{meta}\nmsgctxt \"{n}\"\nmsgid {_quote(zh)}\nmsgstr {_quote(en)}\n")
    return ExportResult(written=len(units), dropped_chars=dropped)


# --- reading ----------------------------------------------------------------------------

STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*)$")


def _unquote(text: str, where: str) -> str:
    found = STRING.fullmatch(text.strip())
    if not found:
        raise InputError(f"{where}: not a PO string: {text.strip()[:40]}")
    return re.sub(r"\\(.)", lambda m: UNESCAPES.get(m.group(1), m.group(1)), found.group(1))


def _entries(text: str, p: Path) -> list[dict]:
    """The entries of a PO file: their strings, flags and extracted comments."""
    entries: list[dict] = []
    entry: dict = {}
    key = None
    for n, line in enumerate(text.split("\n"), 1):
        line = line.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, key = {}, None
            continue
        if line.startswith("#~"):  # obsolete
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#."):
            entry.setdefault("comments", []).append(line[2:].strip())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if key is None:
                raise InputError(f"{p}:{n}: a string outside an entry")
            entry[key] += _unquote(line, f"{p}:{n}")
        else:
            found = KEYWORD.match(line)
            if not found:
                raise InputError(f"{p}:{n}: not a PO file line: {line[:40]}")
            key = found.group(1) if not found.group(2) else f"msgstr{found.group(2)}"
            key = "msgstr" if key == "msgstr0" else key
            # a new entry with no blank line before it: its msgctxt or msgid after a msgstr
            if key in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in entry):
                entries.append(entry)
                entry = {}
            entry[key] = entry.get(key, "") + _unquote(found.group(3), f"{p}:{n}")
    if entry:
        entries.append(entry)
    return entries


def _chinese_source(entries: list[dict], header: str) -> bool:
    """Whether the msgids are the Chinese: the header's Language is not Chinese, or (no
    header) the msgids hold more Chinese than the msgstrs."""
    language = re.search(r"^Language:[ \t]*(\S+)", header, re.M)
    if language:
        return not is_chinese(language.group(1))
    ids = "".join(e.get("msgid", "") for e in entries)
    strs = "".join(e.get("msgstr", "") for e in entries)
    return len(HAN.findall(ids)) >= len(HAN.findall(strs))


def _unit(entry: dict, chinese_source: bool, doc: str) -> Unit:
    source, target = entry.get("msgid", ""), entry.get("msgstr", "")
    zh, en = (source, target) if chinese_source else (target, source)
    meta = next((c[len(META) :] for c in entry.get("comments", []) if c.startswith(META)), None)
    if meta is not None:
        try:
            f = json.loads(meta)
            return Unit(zh, en, float(f["confidence"]), str(f["bead"]), int(f["para"]),
                        str(f["doc"]), tuple(f["zh_ids"]), tuple(f["en_ids"]),
                        str(f["status"]), str(f["part"]), context=tuple(f["context"]),
                        block=str(f["block"]), section=str(f["section"]),
                        time=str(f.get("time", "")), page=int(f.get("page", 0)))  # fmt: skip
        except (ValueError, KeyError, TypeError):
            pass  # not ours after all: read as another tool's entry
    fuzzy = "fuzzy" in entry.get("flags", set())
    status = "confirmed" if target and not fuzzy else "auto"
    kind = "1-1" if zh and en else ("1-0" if zh else "0-1")
    return Unit(zh, en, kind=kind, doc=doc, status=status)


def read(path: str | Path) -> list[Unit]:
    """The units of a PO file (see the module's docstring)."""
    p = Path(path)
    entries = [e for e in _entries(read_text(p), p) if not e.get("obsolete")]
    header = next((e for e in entries if e.get("msgid") == "" and "msgctxt" not in e), None)
    entries = [e for e in entries if e is not header and "msgid" in e]
    chinese_source = _chinese_source(entries, header.get("msgstr", "") if header else "")
    return [_unit(e, chinese_source, p.stem) for e in entries]
