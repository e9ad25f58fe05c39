"""The `aligner` command: a thin layer that parses arguments, calls the library, prints."""

from __future__ import annotations

import json
import signal
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from .collector import fewer_full_collections
from .model import DEFAULT_FORMATS, LEVELS, LONG_SEGMENT, STATUSES, ExportOptions, InputError

if TYPE_CHECKING:
    import click
    from rich.console import Console
    from rich.progress import Progress, Task
    from rich.table import Table

    from .batch import BatchSummary, PairResult
    from .model import Alignment, Entry, ExportResult, Unit
    from .review.session import Session

EXPORT = ExportOptions()  # the defaults of the output options


class Terminated(BaseException):
    """SIGTERM, raised in the main thread (as Ctrl-C raises KeyboardInterrupt), so that
    temporaries are removed and worker pools shut down on the way out."""


def _raise_terminated(signum: int, frame: object) -> NoReturn:
    raise Terminated


def _error(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"aligner: error: {message}", err=True)
    raise typer.Exit(code)


class Commands(TyperGroup):
    """The `aligner` command group: the one place where every command's errors are
    reported, each on one line of stderr: bad input (InputError) and usage errors as
    `aligner: error: MESSAGE` with exit code 2, a file system error the same way, Ctrl-C
    and SIGTERM as `aligner: interrupted` / `aligner: terminated` (130, 143)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # the group's own arguments (`aligner --bogus`); no argument at all shows the help
        no_arguments = not args  # (parsing consumes the list)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except typer.TyperException as err:
            if no_arguments:
                raise
            _usage_error(err)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as err:
            _error(str(err))
        except typer.TyperException as err:  # a usage error of a command's arguments
            _usage_error(err)
        except BrokenPipeError:
            raise  # `aligner ... | head`: typer exits quietly
        except OSError as err:
            _error(f"{err.filename}: {err.strerror}" if err.filename else str(err))
        except KeyboardInterrupt:
            typer.echo("aligner: interrupted", err=True)
            raise typer.Exit(130) from None
        except Terminated:
            typer.echo("aligner: terminated", err=True)
            raise typer.Exit(143) from None


def _usage_error(err: typer.TyperException) -> NoReturn:
    ctx = getattr(err, "ctx", None)
    command = f"aligner {ctx.info_name}" if ctx is not None and ctx.parent else "aligner"
    code = getattr(err, "exit_code", 2)
    _error(f"{err.format_message()} (see '{command} --help')", code)


app = typer.Typer(
    cls=Commands,
    help="Chinese-English parallel text aligner: clean, segment, align, export.",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Chinese-English parallel text aligner: clean, segment, align, export."""


DEFAULT_CORPUS = Path(__file__).parent / "data" / "zhang-china-us-new-developments.txt"


class SegmentFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"


class Conversion(StrEnum):
    t2s = "t2s"
    s2t = "s2t"


Files = Annotated[
    list[Path] | None,
    typer.Argument(help="One bilingual file, or a Chinese and an English file (either order)."),
]
# what check and review take: an alignment file, or documents aligned first
AlignmentInputs = Annotated[
    list[Path] | None,
    typer.Argument(help="A .tmx, .tsv, .jsonl, .xlf or .po alignment, or the documents to align."),
]
LowConfidence = Annotated[
    float, typer.Option("--low-confidence", help="Flag beads below this confidence.")
]
Presplit = Annotated[
    bool, typer.Option("--presplit", help="Inputs are one sentence per line, taken as they are.")
]
Convert = Annotated[
    Conversion | None,
    typer.Option("--convert", help="Convert Chinese script in outputs (t2s or s2t)."),
]
UserDict = Annotated[
    Path | None, typer.Option("--user-dict", help="A jieba user dictionary for Chinese words.")
]
EncoderOption = Annotated[
    str | None,
    typer.Option(
        "--encoder",
        metavar="NAME|PATH",
        help="Add a sentence encoder's similarity to the bead cost: 'use' (pip install "
        "'aligner[encoder]') or a sentence-transformers model directory. Off by default.",
    ),
]


def _inputs(files: list[Path] | None) -> list[Path]:
    if not files:
        return [DEFAULT_CORPUS]
    if len(files) > 2:
        raise InputError("give one bilingual file or two files (Chinese and English)")
    return files


def _load_user_dictionary(path: Path) -> None:
    from .formats import read_user_dictionary
    from .tokenise import load_user_dictionary

    # read once, checked to be UTF-8 text (jieba would raise a traceback)
    load_user_dictionary(read_user_dictionary(path))


@app.command()
def segment(
    files: Files = None,
    presplit: Presplit = False,
    fmt: Annotated[
        SegmentFormat, typer.Option("--format", "-f", help="text or jsonl")
    ] = SegmentFormat.text,
    convert: Convert = None,
    user_dict: UserDict = None,
) -> None:
    """Read, clean and segment a document; print paragraphs and sentences."""
    from .segment import load_document
    from .tokenise import tokenise_document

    if user_dict:
        _load_user_dictionary(user_dict)
    doc = load_document(_inputs(files), presplit=presplit, convert=convert and convert.value)
    if fmt == SegmentFormat.jsonl:
        tokenise_document(doc)
    out = sys.stdout
    if fmt == SegmentFormat.jsonl:
        for side in (doc.zh, doc.en):
            for s in side.sentences:
                record = {
                    "doc": doc.name,
                    "lang": s.lang,
                    "para": s.para,
                    "sent": s.index,
                    "text": s.text,
                    "norm": s.norm,
                    "tokens": s.tokens,
                }
                block = side.paragraphs[s.para]
                if block.block:
                    record["block"], record["section"] = block.block, block.section
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    for side in (doc.zh, doc.en):
        out.write(
            f"## {side.lang} {side.source}: {len(side.paragraphs)} paragraphs, "
            f"{len(side.sentences)} sentences\n"
        )
        for h in side.headers:
            out.write(f"[{h.kind}] ({h.lang}) {h.text}\n")
        for p in side.paragraphs:
            out.write(f"\n¶{p.index}{f' [{p.block}]' if p.block else ''}\n")
            for s in p.sentences:
                out.write(f"  {s.lang} {s.para}.{s.index}  {s.text}\n")
        out.write("\n")


Level = StrEnum("Level", [(name, name) for name in LEVELS])
DEFAULT_LEVEL = Level(EXPORT.segtype)
LevelOption = Annotated[Level, typer.Option("--level", help=" or ".join(LEVELS))]

Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Output file; format from the suffix: .tmx .tsv .jsonl .align .xlf",
    ),
]
Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="tmx, tsv, jsonl, align, parallel, xliff (1.2) or xliff2 (2.1) (default: suffix)",
    ),
]
ZhLang = Annotated[str, typer.Option("--zh-lang", help="TMX language code of the Chinese.")]
EnLang = Annotated[str, typer.Option("--en-lang", help="TMX language code of the English.")]
KeepUnaligned = Annotated[
    bool, typer.Option("--keep-unaligned", help="Export 1-0 and 0-1 beads to TMX/parallel too.")
]
MinConfidence = Annotated[
    float,
    typer.Option(
        "--min-confidence", min=0.0, max=1.0, help="Leave beads below this out of TMX/parallel."
    ),
]

Split = Annotated[
    bool,
    typer.Option(
        "--split/--no-split",
        help="Also give each sentence of a bead that joins sentences a unit of its own, "
        "the other side cut where it renders it (TMX, XLIFF, JSONL).",
    ),
]
SplitEnglish = Annotated[
    bool,
    typer.Option(
        "--split-english",
        help="Also give each English sentence of a bead that joins English sentences (1-2, "
        "1-3 ...) a unit, the Chinese sentence cut at clause boundaries (for English-source "
        "CAT work; less reliable than the default Chinese-sentence units).",
    ),
]
MaxBead = Annotated[
    int,
    typer.Option(
        "--max-bead",
        min=0,
        help="Keep beads of at most N sentences a side; a larger one is written as its "
        "sentence-level units, or left out when it has none (0: no limit).",
    ),
]
NoMerge = Annotated[
    bool, typer.Option("--no-merge", help="Sentence pairs only: the same as --max-bead 1.")
]
User = Annotated[
    str,
    typer.Option("--user", help="The creationid/changeid of units (default: aligner VERSION)."),
]


Status = StrEnum("Status", [(name, name) for name in STATUSES])
DEFAULT_STATUS = Status(EXPORT.min_status)
MinStatus = Annotated[
    Status,
    typer.Option(
        "--min-status",
        help="Write only the units a person brought this far: confirmed (confirmed or edited "
        "by a person) or edited (default: auto, every unit).",
    ),
]


def _export_options(
    zh_lang: str, en_lang: str, keep_unaligned: bool, min_confidence: float, level: str,
    split: bool, split_english: bool, max_bead: int, no_merge: bool, user: str,
    min_status: str = EXPORT.min_status,
) -> ExportOptions:  # fmt: skip
    if no_merge and max_bead not in (0, 1):
        raise InputError(f"--no-merge is --max-bead 1: it contradicts --max-bead {max_bead}")
    return ExportOptions(
        zh_lang, en_lang, keep_unaligned, min_confidence, level, user=user, split=split,
        split_english=split_english, max_bead=1 if no_merge else max_bead,
        min_status=min_status,
    )  # fmt: skip


def _report_export(result: ExportResult, options: ExportOptions = EXPORT) -> None:
    """Say what was written, and what the translation-memory outputs left out."""
    names = " and ".join(str(p) for p in result.paths)
    typer.echo(f"wrote {result.written} units to {names}", err=True)
    if result.skipped_unaligned:
        typer.echo(
            f"{result.skipped_unaligned} units with one side empty (1-0, 0-1) reported, not "
            "exported (--keep-unaligned exports them)",
            err=True,
        )
    if result.skipped_status:
        typer.echo(
            f"{result.skipped_status} units below --min-status {options.min_status} left out",
            err=True,
        )
    if result.skipped_low_confidence:
        typer.echo(
            f"{result.skipped_low_confidence} beads under --min-confidence left out", err=True
        )
    if result.dropped_chars:
        typer.echo(f"warning: {result.dropped_chars} characters XML forbids were dropped", err=True)
    if result.split_units:
        typer.echo(
            f"{result.split_units} sentence-level units of joined beads written too "
            "(--no-split leaves them out)",
            err=True,
        )
    if result.over_limit_split or result.over_limit_dropped:
        typer.echo(
            f"--max-bead {options.max_bead}: {result.over_limit_split} larger beads written "
            f"as their sentence-level units, {result.over_limit_dropped} left out (no split "
            "sure enough)",
            err=True,
        )
    if result.long_segments:
        typer.echo(
            f"warning: {result.long_segments} units have a side over {LONG_SEGMENT:,} "
            "characters (Trados does not import them)",
            err=True,
        )


@app.command()
@fewer_full_collections()  # read, aligned and written: one document's long work
def align(
    files: Files = None,
    presplit: Presplit = False,
    output: Output = None,
    fmt: Format = None,
    level: LevelOption = DEFAULT_LEVEL,
    convert: Convert = None,
    user_dict: UserDict = None,
    zh_lang: ZhLang = EXPORT.zh_lang,
    en_lang: EnLang = EXPORT.en_lang,
    keep_unaligned: KeepUnaligned = EXPORT.keep_unaligned,
    min_confidence: MinConfidence = EXPORT.min_confidence,
    split: Split = EXPORT.split,
    split_english: SplitEnglish = EXPORT.split_english,
    max_bead: MaxBead = EXPORT.max_bead,
    no_merge: NoMerge = False,
    user: User = EXPORT.user,
    known: Annotated[
        Path | None,
        typer.Option("--glossary", help="A glossary (TSV/CSV zh, en) whose terms anchor pairs."),
    ] = None,
    min_status: MinStatus = DEFAULT_STATUS,
    encoder: EncoderOption = None,
) -> None:
    """Align paragraphs and sentences of a Chinese and an English text.

    With no file, aligns the shipped Zhang essay and writes its TMX and TSV here. One file
    that already pairs its sentences (XLIFF from a CAT tool, TMX, our TSV/JSONL) is taken
    as it pairs them and written in the output's format.
    """
    from .align import align_document, load_encoder
    from .formats import (
        check_languages,
        check_output,
        read_known_glossary,
        read_units,
        reads_units,
        save_units,
        units_of,
        whole_units,
        write_units,
    )
    from .progress import TerminalProgress
    from .segment import load_document

    check_languages(zh_lang, en_lang)  # whatever the format: as batch does
    # a bad name or path fails now, before any reading
    sentence_encoder = load_encoder(encoder) if encoder else None
    paths = _inputs(files)
    sources = [*paths, *(p for p in (user_dict, known) if p)]
    options = _export_options(
        zh_lang, en_lang, keep_unaligned, min_confidence, level.value, split, split_english,
        max_bead, no_merge, user, min_status.value,
    )  # fmt: skip
    out_fmt = None  # the main job (no file, no -o) writes its two files
    if output:
        out_fmt = check_output(output, fmt, inputs=sources, options=options)
    elif files:
        out_fmt = check_output("-", fmt or "tsv", options=options)
    # a file that already pairs its sentences (a CAT tool's XLIFF, a TMX): taken as it is
    paired = len(paths) == 1 and bool(files) and reads_units(paths[0])
    with TerminalProgress() as progress:
        if paired:
            items = whole_units(read_units(paths[0]))
            no_en = sum(1 for u in items if u.zh.strip() and not u.en.strip())
            no_zh = sum(1 for u in items if u.en.strip() and not u.zh.strip())
            typer.echo(
                f"{len(items)} units of {paths[0].name} taken as they pair (not aligned); "
                f"{no_en} have no English, {no_zh} no Chinese",
                err=True,
            )
        if user_dict:
            _load_user_dictionary(user_dict)
        if not paired:
            doc = load_document(
                paths, presplit=presplit, convert=convert and convert.value, progress=progress
            )
        anchors = {e.zh: e.en for e in read_known_glossary(known)} if known else None
        if not output and not files:
            # the main job: the demo essay's translation memory and table, side by side
            targets = [(Path.cwd() / f"{doc.name}.{suffix}", suffix) for suffix in ("tmx", "tsv")]
            for path, suffix in targets:
                check_output(path, suffix, inputs=sources, options=options)
        else:
            targets = [(output, out_fmt)] if output else []
        if not paired:
            alignment = align_document(
                doc, level=level.value, anchors=anchors, progress=progress,
                encoder=sentence_encoder,
            )  # fmt: skip
            items = units_of(alignment)
        results = []
        for path, suffix in targets:
            progress("writing", len(results), len(targets))
            results.append(save_units(items, path, suffix, options))
            progress("writing", len(results), len(targets))
    for result in results:
        _report_export(result, options)
    if out_fmt and not output:
        write_units(items, sys.stdout, out_fmt, options)


@app.command()
def merge(
    inputs: Annotated[list[Path], typer.Argument(help="TMX (or .tsv/.jsonl) files to merge.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The merged file.")],
    fmt: Format = None,
    zh_lang: ZhLang = EXPORT.zh_lang,
    en_lang: EnLang = EXPORT.en_lang,
) -> None:
    """Merge translation memories into one, without duplicate units."""
    from .formats import check_languages, check_output, merge_units, read_units, save_units

    check_languages(zh_lang, en_lang)
    options = ExportOptions(zh_lang, en_lang)
    check_output(output, fmt, options=options)  # one of the inputs: rewritten in place
    lists = [read_units(p) for p in inputs]
    merged = merge_units(lists)
    total = sum(len(x) for x in lists)
    result = save_units(merged, output, fmt, options)
    typer.echo(f"{total} units in, {total - len(merged)} duplicates removed", err=True)
    _report_export(result)


@app.command()
def check(
    inputs: AlignmentInputs = None,
    presplit: Presplit = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write a side-by-side HTML report.")
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option("--fail-under", help="Exit 1 when the share of flagged pairs is above X."),
    ] = None,
    gold: Annotated[
        Path | None, typer.Option("--gold", help="Gold .align file: print evaluation figures.")
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every pair, not only flagged.")
    ] = False,
    low_confidence: LowConfidence = 0.5,
    known: Annotated[
        Path | None,
        typer.Option(
            "--glossary", help="A glossary (TBX/CSV/TSV zh, en): flag pairs missing its terms."
        ),
    ] = None,
) -> None:
    """Check an alignment: a summary and the pairs a reviewer should look at."""
    from .check import check_units, flag_share, render_html, render_table
    from .formats import atomic_writer, check_writable

    paths = _inputs(inputs)
    if html:
        check_writable(html, [*paths, *(p for p in (gold, known) if p)])
    entries = _check_glossary(known) if known else None  # a bad glossary fails first
    items, _, title = _aligned(paths, presplit)
    if not items:
        raise InputError(f"{title}: no aligned units to check")
    report = check_units(items, low_confidence=low_confidence, glossary=entries)
    typer.echo(render_table(report, only_flagged=not show_all))
    if gold:
        _print_gold(gold, items)
    if html:
        with atomic_writer(html) as fh:
            fh.write(render_html(report, title))
        typer.echo(f"wrote {html}", err=True)
    if fail_under is not None and flag_share(report) > fail_under:
        typer.echo(
            f"{flag_share(report):.1%} of pairs flagged, above --fail-under {fail_under}",
            err=True,
        )
        raise typer.Exit(1)


@app.command()
def review(
    inputs: AlignmentInputs = None,
    presplit: Presplit = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The reviewed alignment (default: NAME.reviewed.SUFFIX here, in the input's "
            "format, or JSONL for documents); the session is kept beside it.",
        ),
    ] = None,
    fmt: Format = None,
    edits: Annotated[
        Path | None,
        typer.Option(
            "--apply",
            help="No screen: apply the edits of this file (a session file, or a JSON list "
            "of edits) and write the output.",
        ),
    ] = None,
    min_status: MinStatus = DEFAULT_STATUS,
    low_confidence: LowConfidence = 0.5,
    restart: Annotated[
        bool,
        typer.Option("--restart", help="Discard the session kept beside the output; start over."),
    ] = False,
    zh_lang: ZhLang = EXPORT.zh_lang,
    en_lang: EnLang = EXPORT.en_lang,
    keep_unaligned: KeepUnaligned = EXPORT.keep_unaligned,
    user: User = EXPORT.user,
) -> None:
    """Review and correct an alignment in a full-screen terminal UI, or apply saved edits.

    Join, split and move sentences between pairs, mark a sentence as having no counterpart,
    edit text, confirm pairs; every edit can be undone. The edits are kept beside the
    output (OUTPUT.review.json), and reopening the same review resumes them.
    """
    from .formats import check_output, check_writable, reads_units, save_units
    from .review import Review
    from .review.session import Session, fingerprint, replay, session_path, units_digest

    paths = _inputs(inputs)
    if output is None:
        paired = len(paths) == 1 and reads_units(paths[0])
        suffix = paths[0].suffix.lstrip(".").lower() if paired else "jsonl"
        output = Path.cwd() / f"{paths[0].stem}.reviewed.{suffix}"
    options = ExportOptions(
        zh_lang, en_lang, keep_unaligned, user=user, min_status=min_status.value
    )
    out_fmt = check_output(output, fmt, inputs=[*paths, *([edits] if edits else [])],
                           options=options)  # fmt: skip
    kept = session_path(output)
    if edits is None:
        check_writable(kept, paths)
        _screen_ready()
    items, alignment, title = _aligned(paths, presplit)
    if not items:
        raise InputError(f"{title}: no aligned units to review")
    sources, digest = fingerprint(paths), units_digest(items)
    reviewing = Review(items, alignment)
    if edits is not None:
        done, _, _ = replay(reviewing, edits, sources, digest)
        result = save_units(reviewing.units, output, out_fmt, options)
        typer.echo(f"applied {done} edit{'' if done == 1 else 's'} of {edits}", err=True)
        _report_export(result, options)
        return
    # starting over on an earlier review's output: leaving rewrites it
    cursor, note, saved = 0, "", not (restart and output.exists())
    if kept.exists() and not restart:
        done, cursor, saved = replay(reviewing, kept, sources, digest)
        note = f"resumed: {done} edit{'' if done == 1 else 's'} of {kept.name}"
    session = Session(reviewing, output, out_fmt, options, sources, digest, saved)
    _review_screen(session, low_confidence, title, cursor, note)


def _screen_ready() -> None:
    """InputError unless the review screen can run: textual installed, a terminal."""
    try:
        import textual  # noqa: F401
    except ImportError:
        raise InputError(
            "the review screen needs textual: pip install 'aligner[review]' (without it, "
            "--apply EDITS.json -o OUT applies saved edits)"
        ) from None
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(
            "the review screen needs a terminal (for scripts: --apply EDITS.json -o OUT)"
        )


def _review_screen(
    session: Session, low_confidence: float, title: str, cursor: int, note: str
) -> None:
    """Run the review screen, then say what it wrote and where the edits are kept."""
    from .review.app import ReviewApp
    from .review.flags import PROCESS_FROM, Flags

    flags = Flags(low_confidence, process=len(session.review) >= PROCESS_FROM)
    result = ReviewApp(session, flags, title, cursor, note).run()
    if result is not None:
        _report_export(result, session.options)
    if session.path.exists():
        n = len(session.review.edits)
        typer.echo(f"{n} edit{'' if n == 1 else 's'} kept in {session.path}", err=True)


def _aligned(paths: list[Path], presplit: bool) -> tuple[list[Unit], Alignment | None, str]:
    """An alignment read back from a .tmx/.tsv/.jsonl file, or documents aligned here:
    (units, the Alignment when there is one, a name for reports)."""
    from .formats import (
        glossary_suffixes,
        read_suffixes,
        read_units,
        reads_units,
        units_of,
        whole_units,
    )

    if len(paths) == 1 and reads_units(paths[0]):
        return whole_units(read_units(paths[0])), None, paths[0].name
    if len(paths) == 1 and paths[0].suffix.lstrip(".").lower() in glossary_suffixes():
        raise InputError(
            f"{paths[0]}: a glossary, not an alignment (give a {read_suffixes()} alignment, "
            "or the documents)"
        )
    from .align import align_document
    from .progress import TerminalProgress
    from .segment import load_document

    with TerminalProgress() as progress:
        doc = load_document(paths, presplit=presplit, progress=progress)
        alignment = align_document(doc, progress=progress)
    return units_of(alignment), alignment, alignment.document.name


def _check_glossary(path: Path) -> list[Entry]:
    """The entries of the glossary `check` tests the pairs against, or a one-line error: an
    alignment or a document given as the glossary, an unreadable file, no entries."""
    from .formats import FORMATS, GLOSSARY, glossary_suffixes, read_known_glossary

    others = {s for f in FORMATS if f.kind != GLOSSARY for s in f.suffixes} - glossary_suffixes()
    if path.suffix.lstrip(".").lower() in others:
        names = ", ".join(f".{s}" for s in sorted(glossary_suffixes()))
        raise InputError(f"{path}: not a glossary (give a {names} file or a zh<TAB>en table)")
    entries = read_known_glossary(path)
    if not entries:
        raise InputError(f"{path}: no glossary entries")
    return entries


def _print_gold(gold: Path, items: list[Unit]) -> None:
    from .evaluate import score
    from .formats.align import read_align

    test = [(u.zh_ids, u.en_ids) for u in items if u.kind != "title"]
    if not any(z or e for z, e in test):
        raise InputError(
            "--gold needs sentence numbers: check an alignment made here (.jsonl) or the documents"
        )
    s = score([(read_align(gold), test)])
    typer.echo(f"gold {gold}: strict P/R/F1 {s.strict_precision:.3f}/{s.strict_recall:.3f}/"
               f"{s.strict_f1:.3f}  lax P/R/F1 {s.lax_precision:.3f}/{s.lax_recall:.3f}/"
               f"{s.lax_f1:.3f}")  # fmt: skip


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold .align file or directory of them.")],
    test: Annotated[Path, typer.Argument(help="Test .align file or directory of them.")],
    swap: Annotated[
        bool,
        typer.Option(
            "--swap",
            help="The gold is written English first (as the Bible gold); the test, Chinese "
            "first (as aligner writes it).",
        ),
    ] = False,
) -> None:
    """Strict and lax precision, recall and F1 of a test alignment against gold."""
    from .evaluate import evaluate_paths

    s = evaluate_paths(gold, test, swap=swap)
    typer.echo(f"{'':8}{'precision':>10}{'recall':>8}{'F1':>7}")
    typer.echo(f"{'strict':8}{s.strict_precision:10.3f}{s.strict_recall:8.3f}{s.strict_f1:7.3f}")
    typer.echo(f"{'lax':8}{s.lax_precision:10.3f}{s.lax_recall:8.3f}{s.lax_f1:7.3f}")


class Executor(StrEnum):
    local = "local"
    dask = "dask"


Workers = Annotated[
    int | None,
    typer.Option("--workers", "-j", min=1, help="Worker processes (default: all cores)."),
]
ExecutorOption = Annotated[
    Executor, typer.Option("--executor", help="local processes, or a Dask cluster.")
]
Scheduler = Annotated[
    str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786).")
]


@app.command()
def batch(
    manifest: Annotated[
        Path,
        typer.Argument(
            help="A TSV of zh_path<TAB>en_path[<TAB>id] lines (or one bilingual file a line), "
            "or a directory of NAME.zh / NAME.en pairs."
        ),
    ],
    outdir: Annotated[
        Path, typer.Option("--output", "-o", help="Output directory: OUTDIR/<id>.<format>.")
    ],
    presplit: Presplit = False,
    fmt: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="Output formats, repeated or comma-separated "
            f"(default {','.join(DEFAULT_FORMATS)}).",
        ),
    ] = None,
    level: LevelOption = DEFAULT_LEVEL,
    convert: Convert = None,
    user_dict: UserDict = None,
    zh_lang: ZhLang = EXPORT.zh_lang,
    en_lang: EnLang = EXPORT.en_lang,
    keep_unaligned: KeepUnaligned = EXPORT.keep_unaligned,
    min_confidence: MinConfidence = EXPORT.min_confidence,
    split: Split = EXPORT.split,
    split_english: SplitEnglish = EXPORT.split_english,
    max_bead: MaxBead = EXPORT.max_bead,
    no_merge: NoMerge = False,
    user: User = EXPORT.user,
    workers: Workers = None,
    merge: Annotated[
        Path | None, typer.Option("--merge", help="Also write one TMX of every pair here.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Redo pairs already done with unchanged inputs.")
    ] = False,
    executor: ExecutorOption = Executor.local,
    scheduler: Scheduler = None,
    encoder: EncoderOption = None,
) -> None:
    """Align a whole collection of document pairs, on every core or a Dask cluster.

    Reruns skip pairs already done with unchanged inputs; a pair that fails is listed
    with its reason in OUTDIR/failures.tsv (exit code 1) and the others go on.
    """
    from rich.console import Console

    from .batch import BatchOptions, read_manifest, run_batch

    formats = DEFAULT_FORMATS
    if fmt:
        formats = tuple(f.strip() for spec in fmt for f in spec.split(",") if f.strip())
    export = _export_options(
        zh_lang, en_lang, keep_unaligned, min_confidence, level.value, split, split_english,
        max_bead, no_merge, user,
    )  # fmt: skip
    options = BatchOptions(
        presplit, formats, convert and convert.value, user_dict, export, encoder=encoder
    )
    err = Console(stderr=True)
    pairs = read_manifest(manifest)
    with _batch_progress(err) as progress:
        bar = progress.add_task("aligning", total=len(pairs))
        skipped = 0

        def advance(result: PairResult) -> None:
            # pairs already done leave the bar, so that its rate and ETA are true
            nonlocal skipped
            if result.status == "skipped":
                skipped += 1
                progress.update(
                    bar,
                    total=len(pairs) - skipped,
                    description=f"aligning ({skipped} done before)",
                )
            else:
                progress.advance(bar)

        summary = run_batch(
            pairs, outdir, options, workers=workers, executor=executor.value,
            scheduler=scheduler, force=force, merge=merge, progress=advance,
        )  # fmt: skip
    Console().print(_batch_table(summary, merge))
    if summary.failures:
        for pair, reason in summary.failures[:5]:
            typer.echo(f"failed: {pair.id}: {reason}", err=True)
        more = f" ({len(summary.failures) - 5} more)" if len(summary.failures) > 5 else ""
        typer.echo(
            f"{summary.failed} of {summary.pairs} pairs failed{more}: "
            f"see {summary.outdir / 'failures.tsv'}",
            err=True,
        )
        raise typer.Exit(1)


def _batch_progress(console: Console) -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            if task.finished and task.finished_time:
                speed = task.completed / task.finished_time
            else:
                speed = task.speed
            return Text(
                f"{speed:.2f} pairs/s" if speed else "-- pairs/s", style="progress.data.speed"
            )

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,  # in a log, the summary table says it all
    )


def _batch_table(summary: BatchSummary, merge: Path | None) -> Table:
    from rich.table import Table

    table = Table(title=f"aligner batch: {summary.outdir}", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    rate = f" ({summary.pairs_per_second:.2f} pairs/s)" if summary.done else ""
    rows = [
        ("pairs", f"{summary.pairs}"),
        ("aligned now", f"{summary.done}"),
        ("already done (skipped)", f"{summary.skipped}"),
        ("failed", f"{summary.failed}"),
        ("sentences zh / en", f"{summary.sentences_zh} / {summary.sentences_en}"),
        ("beads", f"{summary.beads}"),
        ("mean confidence", f"{summary.mean_confidence:.3f}"),
        ("time", f"{summary.seconds:.1f} s{rate}"),
    ]
    if summary.workers:
        rows.append(("workers", f"{summary.workers}"))
        rows.append(("peak memory per worker", f"{summary.peak_rss / 2**20:.0f} MiB"))
    if merge is not None:
        rows.append(
            ("merged TMX", f"{summary.merged} units, {summary.merged_duplicates} duplicates "
             f"removed: {merge}")
        )  # fmt: skip
    for name, value in rows:
        table.add_row(name, value)
    return table


@app.command()
def glossary(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="The documents of one pair (as for align), or a corpus: alignment files, "
            "a folder of them or a batch manifest (see above)."
        ),
    ] = None,
    presplit: Presplit = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Output; format from the suffix: .tbx .csv .tsv .json .utf8/.tab (OmegaT)",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="tbx, csv, tsv, json or omegat (default: from the suffix; tsv)"
        ),
    ] = None,
    known: Annotated[
        Path | None,
        typer.Option("--glossary", help="A glossary of yours (TSV/CSV zh, en): entries kept."),
    ] = None,
    reference: Annotated[
        list[Path] | None,
        typer.Option("--reference", help="English documents searched for attested renderings."),
    ] = None,
    min_freq: Annotated[int, typer.Option("--min-freq", help="Least occurrences of a term.")] = 1,
    top: Annotated[int | None, typer.Option("--top", help="Keep the N most confident.")] = None,
    tbx_version: Annotated[
        int,
        typer.Option(
            "--tbx-version", min=2, max=3, help="2 (martif, TBX-Basic) or 3 (ISO 30042:2019)."
        ),
    ] = 2,
    no_xcs: Annotated[
        bool,
        typer.Option(
            "--no-xcs",
            help="TBX 2: do not write the XCS file the TBX names (aligner-TBXBasic-zh-en.xcs) "
            "beside it.",
        ),
    ] = False,
    workers: Workers = None,
    executor: ExecutorOption = Executor.local,
    scheduler: Scheduler = None,
    aligned: Annotated[
        Path | None,
        typer.Option(
            "--aligned",
            help="With a manifest: align the pairs into this folder (a rerun skips those "
            "done); default: a temporary folder.",
        ),
    ] = None,
) -> None:
    """Align terms and build a glossary (a termbase) of a document pair or a corpus.

    The inputs are one of: nothing (the Zhang essay); the documents of one pair (one
    bilingual file, or a Chinese and an English one); alignment files (.jsonl .tmx .xlf
    .po .tsv), one document each; one folder: its alignment files (a batch output folder:
    one file per document, failures.tsv left out); one manifest, as batch takes it (a .tsv
    whose first line names a file): its pairs are aligned first. Over a corpus, terms are
    counted across the documents (the documents column: in how many each occurs), the
    work runs on --workers processes or a Dask cluster.
    """
    from .formats import (
        GLOSSARY,
        check_output,
        glossary_companions,
        read_known_glossary,
        save_glossary,
        write_glossary,
    )
    from .model import GlossaryOptions
    from .terms import build_glossary, corpus_glossary, corpus_inputs

    corpus = corpus_inputs(inputs or [])
    paths = corpus if corpus is not None else _inputs(inputs)
    options = GlossaryOptions(tbx_version=tbx_version, xcs=not no_xcs)
    # the --glossary file may be rewritten in place: it is read before
    out_fmt = check_output(
        output or "-", fmt or (None if output else "tsv"), kind=GLOSSARY,
        inputs=[*paths, *(reference or [])] if output else (), options=options,
    )  # fmt: skip
    user = read_known_glossary(known) if known else None
    if corpus is not None:
        from .progress import TerminalProgress

        with TerminalProgress() as progress:
            entries = corpus_glossary(
                inputs or [], known=user, references=reference or None, min_freq=min_freq,
                top=top, executor=executor.value, scheduler=scheduler, workers=workers,
                aligned=aligned, presplit=presplit, progress=progress,
            )  # fmt: skip
    else:
        items, alignment, _ = _aligned(paths, presplit)
        source = alignment or [(u.zh, u.en) for u in items if u.zh and u.en]
        entries = build_glossary(
            source, known=user, references=reference or None, min_freq=min_freq, top=top
        )
    if output:
        save_glossary(entries, output, out_fmt, tbx_version=tbx_version, xcs=not no_xcs)
        beside = glossary_companions(output, out_fmt, tbx_version, xcs=not no_xcs)
        also = f" (and {', '.join(p.name for p in beside)} beside it)" if beside else ""
        typer.echo(f"wrote {len(entries)} entries to {output}{also}", err=True)
    else:
        write_glossary(entries, sys.stdout, out_fmt, options)


def main() -> None:
    signal.signal(signal.SIGTERM, _raise_terminated)
    app()


if __name__ == "__main__":
    main()
