"""Every file format the aligner writes or reads, in one table.

A format is a module of this package and a row of `FORMATS`: its name, its kind (`tm`:
aligned units; `glossary`: term entries), the suffixes that name it, and the module that
holds its `write` (and its `read`, when it has one). Modules are imported on first use, so
that reading a TSV loads no XML library and writing one loads no TBX code. A new format is
one module and one row: nothing outside this table dispatches on a format's name.

A document format module (HTML, DOCX, ODT, EPUB, Markdown, PDF, subtitles: what users
bring to align) has
`read_blocks(path) -> list[Block]`, the document's body text in reading order.
A TM format module has `write(units, out..., options) -> ExportResult` (one text stream per
output file) and, when the format can be read back, `read(path) -> list[Unit]`; the units a
translation-memory format is given are already `select`ed (min_confidence, keep_unaligned),
the same way for each. A glossary format module has `write(entries, out, options)` and
`read(path) -> list[Entry]`, and may have `companions(path, options) -> {path: text}`, the
files to write beside it (the XCS a TBX 2 file names), with `is_ours(text)` telling one it
may replace. Writing to a path is atomic: temporaries beside the outputs, renamed into
place when all are written.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import TextIO

from ..model import (
    LONG_SEGMENT,
    STATUSES,
    Alignment,
    Block,
    Entry,
    ExportOptions,
    ExportResult,
    GlossaryOptions,
    InputError,
    Unit,
)
from ._io import (
    atomic_writer,
    check_writable,
    creationdate,
    read_json,
    read_text,
    read_user_dictionary,
    remove_temporaries,
    same_file,
    stale_temporaries,
    temporary_of,
)
from ._xml import blank, check_languages, is_chinese, is_english

TM = "tm"
GLOSSARY = "glossary"
DOCUMENT = "document"


@dataclass(frozen=True)
class Format:
    """One row of the registry: what the code needs to know of a format without loading it."""

    name: str
    kind: str  # tm | glossary | document (read only: `read_blocks(path) -> list[Block]`)
    module: str  # in this package
    suffixes: tuple[str, ...] = ()  # without the dot; none: only by name (--format)
    accepts: tuple[str, ...] = ()  # suffixes of another format it may be written under
    files: tuple[str, ...] = ("",)  # what each output file adds to the path
    translation_memory: bool = False  # a TM output: min_confidence, keep_unaligned apply
    stdout: bool = True  # can be written to standard output
    fidelity: int = 0  # how exactly units read back (0: not readable; more: better)
    # the segment-level units of a split bead: written as units of their own after the
    # joined one ("after"), given to the writer inside it ("nested"), or not carried ("")
    parts: str = ""


FORMATS: tuple[Format, ...] = (
    Format(
        "tmx", TM, "tmx", ("tmx",), translation_memory=True, stdout=False, fidelity=2,
        parts="after",
    ),
    Format("tsv", TM, "tsv", ("tsv",), fidelity=1),
    Format("jsonl", TM, "jsonl", ("jsonl",), fidelity=3, parts="after"),
    Format("align", TM, "align", ("align",)),
    Format("parallel", TM, "parallel", files=(".zh", ".en"), translation_memory=True, stdout=False),
    Format("xliff", TM, "xliff", ("xlf", "xliff"), fidelity=2, parts="nested"),
    Format("xliff2", TM, "xliff2", accepts=("xlf", "xliff"), fidelity=2, parts="nested"),
    Format("po", TM, "po", ("po",), fidelity=2),
    Format("html", DOCUMENT, "doc_html", ("html", "htm", "xhtml")),
    Format("docx", DOCUMENT, "doc_docx", ("docx",)),
    Format("odt", DOCUMENT, "doc_odt", ("odt",)),
    Format("epub", DOCUMENT, "doc_epub", ("epub",)),
    Format("markdown", DOCUMENT, "doc_markdown", ("md", "markdown")),
    Format("pdf", DOCUMENT, "doc_pdf", ("pdf",)),
    Format("subtitles", DOCUMENT, "doc_subtitles", ("srt", "vtt")),
    Format("tbx", GLOSSARY, "tbx", ("tbx",)),
    Format("csv", GLOSSARY, "glossary_csv", ("csv",)),
    Format("tsv", GLOSSARY, "glossary_tsv", ("tsv",)),
    Format("json", GLOSSARY, "glossary_json", ("json",)),
    # not .txt: a name too common to claim (OmegaT reads it too; give --format omegat)
    Format("omegat", GLOSSARY, "glossary_omegat", ("utf8", "tab")),
)
KIND_WORDS = {TM: "", GLOSSARY: "glossary ", DOCUMENT: "document "}  # as messages name them


def registered(kind: str = TM) -> dict[str, Format]:
    """The formats of a kind, by name, in table order."""
    return {f.name: f for f in FORMATS if f.kind == kind}


def _module(spec: Format) -> ModuleType:
    return importlib.import_module(f"{__name__}.{spec.module}")


def _or_list(items: list[str]) -> str:
    return f"{', '.join(items[:-1])} or {items[-1]}" if len(items) > 1 else "".join(items)


def format_for(path: str | Path, fmt: str | None = None, kind: str = TM) -> str:
    """The format to write or read: `fmt` when given, else the one the suffix names; a
    `fmt` that another format's suffix contradicts (`-o x.tmx -f tsv`) is refused."""
    table = registered(kind)
    what = KIND_WORDS[kind]
    suffix = Path(path).suffix.lstrip(".").lower()
    if fmt:
        if fmt not in table:
            raise InputError(f"unknown {what}format {fmt!r}: use one of {', '.join(table)}")
        named = sorted({f.name for f in FORMATS if suffix in f.suffixes})
        if named and fmt not in named and suffix not in table[fmt].accepts:
            raise InputError(
                f"{path}: --format {fmt} contradicts the suffix .{suffix} (a {_or_list(named)} "
                "file): change the suffix or the format"
            )
        return fmt
    found = next((f.name for f in table.values() if suffix in f.suffixes), None)
    if found is None:
        named = _or_list([f".{s}" for f in table.values() for s in f.suffixes])
        by_name = _or_list([f"--format {f.name}" for f in table.values() if not f.suffixes])
        raise InputError(
            f"{path}: cannot tell the {what}format from the suffix "
            f"(use {named}{f', or {by_name}' if by_name else ''})"
        )
    return found


# ---------------------------------------------------------------- aligned units


def units_of(al: Alignment) -> list[Unit]:
    """One unit per bead of an alignment (the title pair first, when there is one), with
    the bead's segment-level parts and the Chinese sentences around it as context."""
    doc = al.document.name
    out: list[Unit] = []
    if al.titles:
        zh, en = al.titles
        out.append(Unit(zh.text, en.text, 1.0, "title", -1, doc))
    context = _context(al)
    place = _place(al)
    for b in al.beads:
        zh, en = al.texts(b)
        k = len(b.parts)
        block, section, time, page = place(b)
        parts = tuple(
            Unit(p.zh, p.en, p.confidence, f"{len(p.zh_ids)}-{len(p.en_ids)}", b.para, doc,
                 p.zh_ids, p.en_ids, part=f"{n}/{k}", context=context(p.zh_ids),
                 block=block, section=section, page=page)
            for n, p in enumerate(b.parts, 1)
        )  # fmt: skip
        out.append(Unit(zh, en, b.confidence, b.kind, b.para, doc, b.zh, b.en, parts=parts,
                        context=context(b.zh), block=block, section=section,
                        time=time, page=page))  # fmt: skip
    return out


def _clock(seconds: float) -> str:
    """A time as subtitles write it: 00:01:02,500."""
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def _place(al: Alignment):
    """The document block kind and section of a bead, those of the paragraph of its first
    Chinese sentence (of its first English one, when it has no Chinese), and the time its
    cues are on screen (subtitles) and the page it begins on (PDF)."""
    doc = al.document

    def place(bead) -> tuple[str, str, str, int]:
        for side, ids in ((doc.zh, bead.zh), (doc.en, bead.en)):
            if ids:
                sentences = al.sentences_of(side)
                paras = [i if al.level == "paragraph" else sentences[i].para for i in ids]
                first, last = side.paragraphs[paras[0]], side.paragraphs[paras[-1]]
                time = ""
                if first.time and last.time:
                    time = f"{_clock(first.time[0])} --> {_clock(last.time[1])}"
                page = first.source.page if first.source else 0
                return first.block, first.section, time, page
        return "", "", "", 0

    return place


def _context(al: Alignment):
    """The Chinese sentences (paragraphs, at paragraph level) just before and just after
    a run of Chinese ids: what CAT tools call a segment's context."""
    if al.level == "paragraph":
        texts = [p.text for p in al.document.zh.paragraphs]
    else:
        texts = [s.text for s in al.document.zh.sentences]

    def around(ids: tuple[int, ...]) -> tuple[str, str]:
        if not ids:
            return "", ""
        first, last = min(ids), max(ids)
        pre = texts[first - 1] if first > 0 else ""
        post = texts[last + 1] if last + 1 < len(texts) else ""
        return pre, post

    return around


def whole_units(units: list[Unit]) -> list[Unit]:
    """One unit per bead: the parts written after their joined unit (as a TMX or JSONL of
    ours holds them) put back inside it, as `units_of` gives them. What a check or a score
    counts once, and what rewriting a file in another format needs (no part written
    twice). Parts that stand for a bead left out (`max_bead`) stay units of their own."""
    out: list[Unit] = []
    for u in units:
        if u.part and out and not out[-1].part and _covers(out[-1], u):
            out[-1] = replace(out[-1], parts=(*out[-1].parts, u))
        else:
            out.append(u)
    return out


def _covers(whole: Unit, part: Unit) -> bool:
    if part.zh_ids or part.en_ids:
        return set(part.zh_ids) <= set(whole.zh_ids) and set(part.en_ids) <= set(whole.en_ids)
    return part.zh in whole.zh and part.en in whole.en


def bead_size(unit: Unit) -> int:
    """The most sentences the unit's bead joins on a side (1 for a title)."""
    a, _, b = unit.kind.partition("-")
    return max(int(a), int(b)) if a.isdigit() and b.isdigit() else 1


def joins_chinese(unit: Unit) -> bool:
    """Whether the unit's bead joins Chinese sentences (2-1, 2-2 ...): its parts are whole
    Chinese sentences, each what a CAT tool segmenting the Chinese would look up."""
    return unit.kind.partition("-")[0].isdigit() and int(unit.kind.partition("-")[0]) > 1


@dataclass
class Expanded:
    """The units a format is given (see `expand`), and what became of the larger beads."""

    units: list[Unit]
    over_limit_split: int = 0  # beads over max_bead given as their parts
    over_limit_dropped: int = 0  # beads over max_bead left out (no parts)
    standalone: set[int] = field(default_factory=set)  # id() of the parts standing for them


def expand(units: list[Unit], spec: Format, options: ExportOptions) -> Expanded:
    """The units a format is given: a bead over `max_bead` replaced by its parts (or left
    out when it has none), and, with `split`, the parts of the other beads that join
    Chinese sentences (of those that join English ones too, with `split_english`) after
    them ("after") or inside them ("nested"), as the format carries them."""
    out = Expanded([])
    for u in units:
        if options.max_bead and bead_size(u) > options.max_bead:
            fitting = [p for p in u.parts if bead_size(p) <= options.max_bead]
            if fitting:
                out.units.extend(fitting)
                out.standalone.update(id(p) for p in fitting)
                out.over_limit_split += 1
            else:
                out.over_limit_dropped += 1
        elif not (options.split and spec.parts and u.parts) or not (
            options.split_english or joins_chinese(u)
        ):
            out.units.append(replace(u, parts=()) if u.parts else u)
        elif spec.parts == "nested":
            out.units.append(u)
        else:
            out.units.append(replace(u, parts=()))
            out.units.extend(u.parts)
    return out


def select(units: list[Unit], options: ExportOptions) -> tuple[list[Unit], int, int]:
    """What a translation-memory output keeps: (kept units, units left out for an empty
    side, units left out for their confidence). A unit empty on both sides is always left
    out; one empty on one side (1-0, 0-1) unless `keep_unaligned`; then any unit under
    `min_confidence`."""
    kept: list[Unit] = []
    unaligned = low = 0
    for u in units:
        empty_zh, empty_en = blank(u.zh), blank(u.en)
        if (empty_zh and empty_en) or ((empty_zh or empty_en) and not options.keep_unaligned):
            unaligned += 1
        elif u.confidence < options.min_confidence:
            low += 1
        else:
            kept.append(u)
    return kept, unaligned, low


def reviewed(units: list[Unit], min_status: str) -> list[Unit]:
    """The units a person has brought to `min_status` or beyond (in the order of
    STATUSES: `confirmed` keeps confirmed and edited units); a bead's parts go with it."""
    if min_status not in STATUSES:
        raise InputError(f"status {min_status!r}: use one of {', '.join(STATUSES)}")
    rank = STATUSES.index(min_status)
    return [u for u in units if STATUSES.index(u.status) >= rank] if rank else units


def _write(
    spec: Format, units: list[Unit], outs: list[TextIO], options: ExportOptions
) -> ExportResult:
    total = len(units)
    units = reviewed(units, options.min_status)
    below = total - len(units)
    expanded = expand(units, spec, options)
    units = expanded.units
    unaligned = low = 0
    if spec.translation_memory:
        units, unaligned, low = select(units, options)
    result = _module(spec).write(units, *outs, options)
    # the parts written beside their joined unit: as units after it, or inside it (as
    # many as the format could give segments of their own: it says)
    split = sum(1 for u in units if u.part and id(u) not in expanded.standalone)
    split += result.split_units if spec.parts == "nested" else 0
    return replace(
        result,
        skipped_unaligned=unaligned,
        skipped_low_confidence=low,
        skipped_status=below,
        split_units=split,
        over_limit_split=expanded.over_limit_split,
        over_limit_dropped=expanded.over_limit_dropped,
        long_segments=sum(1 for u in units if max(len(u.zh), len(u.en)) > LONG_SEGMENT),
    )


def check_output(
    path: str | Path,
    fmt: str | None = None,
    kind: str = TM,
    inputs: Iterable[str | Path] = (),
    options: ExportOptions | GlossaryOptions | None = None,
) -> str:
    """The format `path` is to be written in (see `format_for`), once every file it
    makes is checked, before any work: not a directory, in a writable folder that
    exists, none of `inputs` (also through links), and `options` the format accepts
    (TMX language codes); for a glossary, the files it writes beside it too (see
    `check_companions`). `-` is standard output, which some formats cannot take.
    Raises InputError for the first problem."""
    name = format_for(path, fmt, kind)
    spec = registered(kind)[name]
    if str(path) == "-":
        if not spec.stdout:
            raise InputError(f"--format {name} needs an output path (-o)")
    else:
        inputs = list(inputs)
        for target in _files(path, spec):
            check_writable(target, inputs)
    module = _module(spec)
    if isinstance(options, GlossaryOptions):
        check_companions(_companions(spec, path, options), spec, inputs)
    elif options is not None and hasattr(module, "check_options"):
        module.check_options(options)
    return name


def _files(path: str | Path, spec: Format) -> list[Path]:
    return [Path(f"{path}{ext}") for ext in spec.files]


def outputs(path: str | Path, fmt: str) -> list[Path]:
    """The files `save_units(..., path, fmt)` writes (parallel files: PATH.zh, PATH.en)."""
    return _files(path, registered()[format_for(path, fmt)])


def save_units(
    units: list[Unit],
    path: str | Path,
    fmt: str | None = None,
    options: ExportOptions | None = None,
) -> ExportResult:
    """Write units to `path` in `fmt` (from the suffix when not given), atomically: on an
    error no output is left, and an existing file keeps its content."""
    options = options or ExportOptions()
    spec = registered()[format_for(path, fmt)]
    paths = _files(path, spec)
    with ExitStack() as stack:
        outs = [stack.enter_context(atomic_writer(p)) for p in paths]
        result = _write(spec, units, outs, options)
    return replace(result, paths=paths)


def write_units(
    units: list[Unit], out: TextIO, fmt: str, options: ExportOptions | None = None
) -> ExportResult:
    """Write units to an open text stream (standard output) in `fmt`."""
    spec = registered()[check_output("-", fmt)]
    return _write(spec, units, [out], options or ExportOptions())


def save_alignment(al: Alignment, path: str | Path, fmt: str | None = None) -> Path:
    """Write an alignment's units to `path` (the first file, for parallel files)."""
    return save_units(units_of(al), path, fmt, ExportOptions(segtype=al.level)).paths[0]


def _readable() -> list[Format]:
    return [f for f in registered().values() if f.fidelity]


def read_formats() -> list[str]:
    """The TM formats units can be read back from, in table order."""
    return [f.name for f in _readable()]


def read_suffixes() -> str:
    """The suffixes units are read back from, as a message lists them (".tmx, ... or .xliff")."""
    return _or_list([f".{s}" for f in _readable() for s in f.suffixes])


def best_read_back(names: list[str] | tuple[str, ...]) -> str | None:
    """Among `names`, the format units read back from most exactly (None: none can)."""
    best = max((f for f in _readable() if f.name in names), key=lambda f: f.fidelity, default=None)
    return best.name if best else None


def _reader_for(path: Path) -> Format | None:
    suffix = path.suffix.lstrip(".").lower()
    return next((f for f in _readable() if suffix in f.suffixes), None)


def reads_units(path: str | Path) -> bool:
    """Whether `read_units` reads this file (by its suffix)."""
    return _reader_for(Path(path)) is not None


def read_units(path: str | Path, fmt: str | None = None) -> list[Unit]:
    """Units back from a file of a readable format (ours, or another tool's TMX or
    XLIFF): `fmt`, else the one its suffix names."""
    p = Path(path)
    spec = registered().get(fmt) if fmt else _reader_for(p)
    if spec is None or not spec.fidelity:
        raise InputError(f"{p}: cannot read this format (use {read_suffixes()})")
    return _module(spec).read(p)


def merge_units(lists: list[list[Unit]]) -> list[Unit]:
    """Concatenate `lists`, keeping the first occurrence of each (zh, en) pair (compared
    after whitespace normalisation), with the highest confidence among its duplicates.
    The input units are not modified."""
    kept: dict[tuple[str, str], Unit] = {}
    for units in lists:
        for unit in units:
            key = " ".join(unit.zh.split()), " ".join(unit.en.split())
            first = kept.get(key)
            if first is None:
                kept[key] = unit
            elif unit.confidence > first.confidence:
                kept[key] = replace(first, confidence=unit.confidence)
    return list(kept.values())


def validate_tmx(path: str | Path) -> list[str]:
    """The errors of a file against the TMX 1.4 DTD (`line N: message`); none: valid."""
    return _module(registered()["tmx"]).validate(path)


# ---------------------------------------------------------------- documents


def read_document(path: str | Path) -> list[Block] | None:
    """The blocks of a structured document (HTML, DOCX, ODT, EPUB, Markdown, PDF,
    subtitles: by its suffix), or None for any other file (plain text, read by
    `read.read_text`). A file its parser fails on is an InputError naming it."""
    suffix = Path(path).suffix.lstrip(".").lower()
    spec = next((f for f in registered(DOCUMENT).values() if suffix in f.suffixes), None)
    if spec is None:
        return None
    try:
        return _module(spec).read_blocks(path)
    except InputError:
        raise
    except Exception as err:  # noqa: BLE001 - a damaged file fails deep in its parser
        # (zlib, zip CRCs, PDF object streams ...): a one-line error naming it, whatever
        # the parser's exception
        reason = " ".join(str(err).split())[:200] or type(err).__name__
        raise InputError(f"{path}: not a readable {spec.name.upper()} file ({reason})") from None


# ---------------------------------------------------------------- glossaries


def glossary_suffixes() -> set[str]:
    return {s for f in registered(GLOSSARY).values() for s in f.suffixes}


def write_glossary(
    entries: list[Entry], out: TextIO, fmt: str, options: GlossaryOptions | None = None
) -> None:
    spec = registered(GLOSSARY)[format_for("-", fmt, GLOSSARY)]
    _module(spec).write(entries, out, options or GlossaryOptions())


def _companions(spec: Format, path: str | Path, options: GlossaryOptions) -> dict[Path, str]:
    """The files a glossary written to `path` brings beside it (the XCS of a TBX 2 file),
    with their text; none for standard output."""
    module = _module(spec)
    if str(path) == "-" or not hasattr(module, "companions"):
        return {}
    return module.companions(Path(path), options)


def _has_text(path: Path, text: str) -> bool:
    try:
        return path.is_file() and path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def check_companions(
    files: dict[Path, str], spec: Format, inputs: Iterable[str | Path] = ()
) -> None:
    """InputError unless each file can be written beside the glossary: writable, none of
    `inputs`, and not a file of the user's. A file of that name with the same text is left
    as it is; one of ours with another text (another version's XCS) is replaced; any other
    file is never overwritten."""
    inputs = list(inputs)
    for target, text in files.items():
        check_writable(target, inputs)
        if target.exists() and not _has_text(target, text):
            if not _module(spec).is_ours(read_text(target)):
                raise InputError(
                    f"{target}: exists and is not a file aligner wrote; not overwritten "
                    "(move it away, or write no XCS: --no-xcs)"
                )


def glossary_companions(
    path: str | Path, fmt: str | None = None, tbx_version: int = 2, xcs: bool = True
) -> list[Path]:
    """The files `save_glossary` writes beside `path` (or leaves there, when they already
    hold the same text): the XCS of a TBX 2 file unless `xcs` is off."""
    spec = registered(GLOSSARY)[format_for(path, fmt, GLOSSARY)]
    return list(_companions(spec, path, GlossaryOptions(tbx_version=tbx_version, xcs=xcs)))


def save_glossary(
    entries: list[Entry],
    path: str | Path,
    fmt: str | None = None,
    tbx_version: int = 2,
    xcs: bool = True,
) -> Path:
    """Write the entries to `path` in `fmt` (from the suffix when not given), and the files
    the format brings beside it (a TBX 2 file: our XCS, unless `xcs` is off; see
    `check_companions`), atomically: on an error none of them is written, and an existing
    file keeps its content. The file's name (without suffix) is its title."""
    fmt = format_for(path, fmt, GLOSSARY)
    spec = registered(GLOSSARY)[fmt]
    path = Path(path)
    options = GlossaryOptions(title=path.stem or "Glossary", tbx_version=tbx_version, xcs=xcs)
    files = _companions(spec, path, options)
    check_companions(files, spec)
    files = {target: text for target, text in files.items() if not _has_text(target, text)}
    with ExitStack() as stack:
        fh = stack.enter_context(atomic_writer(path))
        outs = {target: stack.enter_context(atomic_writer(target)) for target in files}
        write_glossary(entries, fh, fmt, options)
        for target, text in files.items():
            outs[target].write(text)
    return path


def read_glossary(path: str | Path, fmt: str | None = None) -> list[Entry]:
    """Entries back from a glossary file we wrote (or a TBX of another tool)."""
    spec = registered(GLOSSARY)[format_for(path, fmt, GLOSSARY)]
    return _module(spec).read(Path(path))


def read_known_glossary(path: str | Path) -> list[Entry]:
    """A user's glossary (see `known.read`): TSV/CSV rows `zh, en[, more]` or one of ours."""
    return importlib.import_module(f"{__name__}.known").read(path)


__all__ = [
    "DOCUMENT",
    "FORMATS",
    "GLOSSARY",
    "Expanded",
    "TM",
    "Format",
    "atomic_writer",
    "bead_size",
    "best_read_back",
    "check_languages",
    "check_companions",
    "check_output",
    "check_writable",
    "creationdate",
    "expand",
    "format_for",
    "glossary_companions",
    "glossary_suffixes",
    "is_chinese",
    "is_english",
    "merge_units",
    "outputs",
    "read_document",
    "read_formats",
    "read_suffixes",
    "read_glossary",
    "read_known_glossary",
    "read_json",
    "read_text",
    "read_units",
    "read_user_dictionary",
    "remove_temporaries",
    "reads_units",
    "reviewed",
    "registered",
    "same_file",
    "save_alignment",
    "save_glossary",
    "save_units",
    "select",
    "stale_temporaries",
    "temporary_of",
    "units_of",
    "validate_tmx",
    "whole_units",
    "write_glossary",
    "write_units",
]
