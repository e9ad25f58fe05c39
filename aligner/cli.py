"""The `aligner` command: a thin layer that parses arguments, calls the library, prints."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .model import InputError

app = typer.Typer(
    help="Chinese-English parallel text aligner: clean, segment, align, export.",
    no_args_is_help=True,
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


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"aligner: error: {message}", err=True)
    raise typer.Exit(code)


def _inputs(files: list[Path] | None) -> list[Path]:
    if not files:
        return [DEFAULT_CORPUS]
    if len(files) > 2:
        fail("give one bilingual file or two files (Chinese and English)")
    return files


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
    from .tokenise import load_user_dictionary, tokenise_document

    try:
        if user_dict:
            load_user_dictionary(user_dict)
        doc = load_document(_inputs(files), presplit=presplit, convert=convert and convert.value)
        if fmt == SegmentFormat.jsonl:
            tokenise_document(doc)
    except InputError as e:
        fail(str(e))
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
            out.write(f"\n¶{p.index}\n")
            for s in p.sentences:
                out.write(f"  {s.lang} {s.para}.{s.index}  {s.text}\n")
        out.write("\n")


class Level(StrEnum):
    sentence = "sentence"
    paragraph = "paragraph"


@app.command()
def align(
    files: Files = None,
    presplit: Presplit = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Output file; format from suffix: .align .tsv .jsonl"),
    ] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="align, tsv or jsonl (default: suffix)")
    ] = None,
    level: Annotated[Level, typer.Option("--level", help="sentence or paragraph")] = Level.sentence,
    convert: Convert = None,
    user_dict: UserDict = None,
) -> None:
    """Align paragraphs and sentences of a Chinese and an English text."""
    from .align import align_document
    from .export import format_for, save_alignment, write_alignment
    from .segment import load_document
    from .tokenise import load_user_dictionary

    try:
        out_fmt = format_for(output, fmt) if output else (fmt or "tsv")
        format_for("-", out_fmt)
        if user_dict:
            load_user_dictionary(user_dict)
        doc = load_document(_inputs(files), presplit=presplit, convert=convert and convert.value)
        result = align_document(doc, level=level.value)
        if output:
            save_alignment(result, output, out_fmt)
            typer.echo(f"wrote {len(result.beads)} beads to {output}", err=True)
        else:
            write_alignment(result, sys.stdout, out_fmt)
    except InputError as e:
        fail(str(e))


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold .align file or directory of them.")],
    test: Annotated[Path, typer.Argument(help="Test .align file or directory of them.")],
    swap: Annotated[
        bool, typer.Option("--swap", help="Files are written English first (the Bible).")
    ] = False,
) -> None:
    """Strict and lax precision, recall and F1 of a test alignment against gold."""
    from .evaluate import evaluate_paths

    try:
        s = evaluate_paths(gold, test, swap=swap)
    except InputError as e:
        fail(str(e))
    typer.echo(f"{'':8}{'precision':>10}{'recall':>8}{'F1':>7}")
    typer.echo(f"{'strict':8}{s.strict_precision:10.3f}{s.strict_recall:8.3f}{s.strict_f1:7.3f}")
    typer.echo(f"{'lax':8}{s.lax_precision:10.3f}{s.lax_recall:8.3f}{s.lax_f1:7.3f}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("aligner: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
