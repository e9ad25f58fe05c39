"""A batch run: check the settings, skip the pairs done before, align the rest, report
the failures, merge the pairs into one TMX on request, and sum the figures up.

A pair that cannot be read or aligned is reported, with its reason, in
`OUTDIR/failures.tsv`, and the run goes on. Outputs do not depend on the order or the
process pairs run in, so one worker, two workers, Dask, or an interrupted and resumed run
write the same bytes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from ..formats import (
    atomic_writer,
    best_read_back,
    check_languages,
    check_writable,
    creationdate,
    format_for,
    merge_units,
    outputs,
    read_formats,
    read_units,
    read_user_dictionary,
    save_units,
    temporary_of,
)
from ..model import LEVELS, InputError
from .executors import EXECUTORS, default_workers, require_distributed, run_pairs
from .manifest import FAILURES
from .records import BatchOptions, BatchSummary, DocumentPair, PairResult, Task
from .worker import encoder, output_names, record_name, settings, skipped, up_to_date


def run_batch(
    pairs: list[DocumentPair],
    outdir: str | Path,
    options: BatchOptions | None = None,
    workers: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    force: bool = False,
    progress: Callable[[PairResult], None] | None = None,
    merge: str | Path | None = None,
) -> BatchSummary:
    """Align every pair into `outdir`; return the figures of the run.

    `workers`: processes for the local executor (default: every core; 1 runs in this
    process). `executor="dask"` runs on the Dask cluster at `scheduler` (or a
    LocalCluster of `workers` processes when no address is given). Pairs whose
    done-record matches are skipped unless `force`. `progress(result)` is called once per
    pair, skipped ones included, as results come in. `merge` also writes one TMX of every
    done pair. Raises InputError for a bad setting (nothing is aligned then); a bad pair
    is no error: it is in `summary.failures` and `outdir/failures.tsv`.
    """
    t0 = time.perf_counter()
    options = checked_options(options or BatchOptions())
    check_executor(executor, scheduler)
    merge_path = Path(merge) if merge is not None else None
    if merge_path is not None and not best_read_back(options.formats):
        names = read_formats()
        raise InputError(f"--merge needs {', '.join(names[:-1])} or {names[-1]} among the formats")
    workers = workers or default_workers()
    if workers < 1:
        raise InputError("--workers must be at least 1")
    user_dict = read_user_dictionary(options.user_dict) if options.user_dict else None
    out = _output_directory(Path(outdir))
    _check_outputs(pairs, out, options.formats, merge_path)
    _clean_temporaries(out, pairs, options.formats)
    task = Task(str(out.absolute()), options, settings(options, user_dict), user_dict)

    results: dict[str, PairResult] = {}

    def record(result: PairResult) -> None:
        results[result.id] = result
        if progress:
            progress(result)

    todo = _not_done(pairs, out, task, force, record)
    with closing(run_pairs(todo, task, executor, scheduler, workers)) as running:
        for result in running:
            record(result)
    _clean_temporaries(out, pairs, options.formats)  # of workers killed mid-write

    summary = summarise(pairs, [results[pair.id] for pair in pairs], out)
    write_failures(out, summary.failures)
    if merge_path is not None:
        ok = [r for r in summary.results if r.status != "failed"]
        done = [pair for pair in pairs if results[pair.id].status != "failed"]
        date = max((r.creationdate for r in ok), default="") or creationdate()
        summary.merged, summary.merged_duplicates = merge_outputs(
            done, out, options, merge_path, date
        )
    summary.seconds = time.perf_counter() - t0
    return summary


# ---------------------------------------------------------------- settings


def checked_options(options: BatchOptions) -> BatchOptions:
    """The options with each format once, or InputError for a bad setting."""
    formats = tuple(dict.fromkeys(options.formats))
    if not formats:
        raise InputError("no output format")
    for fmt in formats:
        format_for("", fmt)
    if options.level not in LEVELS:
        raise InputError(f"unknown level {options.level!r}: use {' or '.join(LEVELS)}")
    export = options.export
    check_languages(export.zh_lang, export.en_lang)
    if not 0.0 <= export.min_confidence <= 1.0:
        raise InputError(f"--min-confidence {export.min_confidence}: give a value from 0 to 1")
    if options.encoder:
        encoder(options.encoder)  # a bad name or path: one error now, not one per pair
    return replace(options, formats=formats)


def check_executor(executor: str, scheduler: str | None) -> None:
    if executor not in EXECUTORS:
        raise InputError(f"unknown executor {executor!r}: use local or dask")
    if executor == "dask":
        require_distributed()
    if scheduler and executor != "dask":
        raise InputError("--scheduler needs --executor dask")


def _output_directory(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{out}: cannot create the output directory: {e.strerror}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise InputError(f"{out}: cannot write in this directory (read-only?)")
    return out


def _planned_names(pair: DocumentPair, formats: tuple[str, ...]) -> list[str]:
    return output_names(pair.id, formats) + [record_name(pair.id)]


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None  # not there: no input can be it
    return st.st_dev, st.st_ino


def _check_outputs(
    pairs: list[DocumentPair], outdir: Path, formats: tuple[str, ...], merge: Path | None
) -> None:
    """No output may overwrite an input (the same file, also through links), nor the
    merged memory a pair's output; the merged memory's folder must be writable."""
    inputs = {_file_id(p): pair for pair in pairs for p in pair.paths}
    planned: set[Path] = {(outdir / FAILURES).resolve()}
    for pair in pairs:
        for name in _planned_names(pair, formats):
            if name.lower() == FAILURES:
                raise InputError(f"pair {pair.id!r}: its {name} would be the list of failures")
            target = outdir / name
            source = inputs.get(_file_id(target)) if target.exists() else None
            if source is not None:
                raise InputError(
                    f"{target.resolve()}: an output of pair {pair.id!r} would overwrite an "
                    f"input ({source.where}); choose another output directory"
                )
            planned.add(target.resolve())
    if merge is not None:
        try:
            format_for(merge, "tmx")
        except InputError:
            raise InputError(f"{merge}: --merge writes a TMX file: name it .tmx") from None
        target = merge.resolve()
        if (merge.exists() and _file_id(merge) in inputs) or target in planned:
            raise InputError(f"{merge}: --merge would overwrite an input or a pair's output")
        check_writable(merge)


def _clean_temporaries(outdir: Path, pairs: list[DocumentPair], formats: tuple[str, ...]) -> None:
    """Remove the temporaries (see formats.atomic_writer) that a killed run or worker
    left beside the outputs it was writing: before the run, and after it, when no pair
    of the run is being written any more."""
    names = {FAILURES} | {name for pair in pairs for name in _planned_names(pair, formats)}
    for tmp in outdir.glob(".*.tmp"):
        if temporary_of(tmp) in names and tmp.is_file():
            tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------- the pairs


def _not_done(
    pairs: list[DocumentPair],
    outdir: Path,
    task: Task,
    force: bool,
    record: Callable[[PairResult], None],
) -> list[DocumentPair]:
    """The pairs to align; those done before (with unchanged inputs and options) are
    recorded as skipped, unless `force`."""
    todo = []
    for pair in pairs:
        previous = None if force else up_to_date(pair, outdir, task)
        if previous is None:
            todo.append(pair)
        else:
            record(skipped(pair, previous))
    return todo


def summarise(pairs: list[DocumentPair], results: list[PairResult], outdir: Path) -> BatchSummary:
    """The figures of a run from its results (in manifest order)."""
    by_id = {pair.id: pair for pair in pairs}
    ok = [r for r in results if r.status != "failed"]
    summary = BatchSummary(
        pairs=len(pairs),
        done=sum(r.status == "done" for r in results),
        skipped=sum(r.status == "skipped" for r in results),
        failed=len(results) - len(ok),
        sentences_zh=sum(r.sentences_zh for r in ok),
        sentences_en=sum(r.sentences_en for r in ok),
        beads=sum(r.beads for r in ok),
        outdir=outdir,
        failures=[(by_id[r.id], r.reason) for r in results if r.status == "failed"],
        results=results,
    )
    if summary.beads:
        summary.mean_confidence = sum(r.mean_confidence * r.beads for r in ok) / summary.beads
    ran = [r for r in results if r.worker]
    summary.workers = len({r.worker for r in ran})
    summary.peak_rss = max((r.peak_rss for r in ran), default=0)
    return summary


def write_failures(outdir: Path, failures: list[tuple[DocumentPair, str]]) -> Path:
    """OUTDIR/failures.tsv: id, zh_path, en_path (empty for a bilingual file), reason."""
    path = outdir / FAILURES
    with atomic_writer(path) as fh:
        fh.write("id\tzh_path\ten_path\treason\n")
        for pair, reason in failures:
            paths = [str(p) for p in pair.paths] + [""]
            cells = [pair.id, paths[0], paths[1], reason]
            fh.write("\t".join(" ".join(c.split()) for c in cells) + "\n")
    return path


def merge_outputs(
    pairs: list[DocumentPair], outdir: Path, options: BatchOptions, merge: Path, date: str
) -> tuple[int, int]:
    """One TMX of every done pair (duplicates removed, as `aligner merge` does), read back
    from the pairs' outputs in manifest order. Returns (units written, duplicates)."""
    fmt = best_read_back(options.formats)
    lists = [read_units(outputs(outdir / f"{pair.id}.{fmt}", fmt)[0], fmt) for pair in pairs]
    merged = merge_units(lists)
    result = save_units(merged, merge, "tmx", replace(options.export, creationdate=date))
    return result.written, sum(len(x) for x in lists) - len(merged)
