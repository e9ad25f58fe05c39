"""Align a whole collection of document pairs: on every core, or on a Dask cluster.

A manifest names the pairs (`read_manifest`); `run_batch` aligns each one with the same
pure function (`align_pair`), which writes `OUTDIR/<id>.<fmt>` for every format and then,
last and atomically, `OUTDIR/<id>.done.json`: the sha256 of the inputs, the option
settings and a few figures. A pair counts as done only when its record exists and
matches, so a rerun skips finished pairs and redoes the rest (an interrupted run
resumes). A pair that cannot be read or aligned is reported, with its reason, in
`OUTDIR/failures.tsv`, and the run goes on.

Outputs do not depend on the order or the process pairs run in: the TMX `creationdate`
of a pair is the newest modification time of its inputs (or SOURCE_DATE_EPOCH when set),
so one worker, two workers, Dask, or an interrupted and resumed run write the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import socket
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from .model import InputError

DEFAULT_FORMATS = ("tmx", "tsv")
EXECUTORS = ("local", "dask")
FAILURES = "failures.tsv"
RECORD_SUFFIX = ".done.json"
RECORD_VERSION = 1
READ_BACK = ("jsonl", "tmx", "tsv")  # formats --merge reads units back from, best first


class ManifestError(InputError):
    """A manifest that cannot be used: a missing file, a bad line, a duplicate id."""


@dataclass(frozen=True)
class Pair:
    """One document pair: one bilingual file, or a Chinese and an English file."""

    id: str
    paths: tuple[Path, ...]
    where: str = ""  # manifest line (`manifest.tsv:7`) or file it came from, for messages


@dataclass(frozen=True)
class BatchOptions:
    """What `aligner align` would be given for each pair."""

    presplit: bool = False
    level: str = "sentence"
    formats: tuple[str, ...] = DEFAULT_FORMATS
    convert: str | None = None
    user_dict: Path | None = None
    zh_lang: str = "zh-CN"
    en_lang: str = "en-US"
    keep_unaligned: bool = False
    min_confidence: float = 0.0


@dataclass
class PairResult:
    """What became of one pair (small: this is all a worker sends back)."""

    id: str
    status: str  # done (aligned now) | skipped (done before, inputs unchanged) | failed
    reason: str = ""
    sentences_zh: int = 0
    sentences_en: int = 0
    beads: int = 0
    mean_confidence: float = 0.0
    creationdate: str = ""
    seconds: float = 0.0
    peak_rss: int = 0  # bytes: peak resident memory of the process that aligned it
    worker: str = ""  # host:pid of that process


@dataclass
class BatchSummary:
    pairs: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    sentences_zh: int = 0
    sentences_en: int = 0
    beads: int = 0
    mean_confidence: float = 0.0
    seconds: float = 0.0
    workers: int = 0  # worker processes that aligned pairs
    peak_rss: int = 0  # bytes: the highest peak resident memory of any one worker
    outdir: Path = Path()
    failures: list[tuple[Pair, str]] = field(default_factory=list)
    merged: int | None = None  # units in the --merge TMX
    merged_duplicates: int = 0
    results: list[PairResult] = field(default_factory=list)  # in manifest order

    @property
    def pairs_per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


# ---------------------------------------------------------------- manifests

ID_OK = re.compile(r"^\w[\w.+=@,-]*$")
ID_BAD_RUN = re.compile(r"[^\w.+=@,-]+")
NAME_SUFFIX = re.compile(r"(?:\.(?:zh|en|cn))?(?:\.txt)?$", re.I)
HEADER_CELLS = ({"zh", "zh_path"}, {"en", "en_path"})


def _derived_id(path: Path) -> str:
    """001.zh -> 001, essay.zh.txt -> essay, my essay.txt -> my_essay."""
    name = NAME_SUFFIX.sub("", path.name) or path.name
    name = ID_BAD_RUN.sub("_", name).strip("_.") or "pair"
    return name if ID_OK.match(name) else f"pair_{name}"


def _check_id(pair_id: str, where: str) -> str | None:
    if not ID_OK.match(pair_id):
        return (
            f"{where}: id {pair_id!r} cannot name a file (use letters, digits and . _ - + = @ ,"
            " not starting with . or -)"
        )
    if pair_id.lower() == Path(FAILURES).stem:
        return f"{where}: id {pair_id!r} is reserved for {FAILURES}; give another id"
    return None


def _resolve(cell: str, base: Path) -> Path:
    p = Path(cell).expanduser()
    return Path(os.path.abspath(p if p.is_absolute() else base / p))


def _tsv_pairs(path: Path) -> tuple[list[Pair], list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not a UTF-8 text file") from None
    except OSError as e:
        raise ManifestError(f"{path}: cannot read: {e.strerror or e}") from None
    if "\0" in text:
        raise ManifestError(f"{path}: a binary file, not a manifest")
    base = path.parent
    pairs: list[Pair] = []
    errors: list[str] = []
    first = True
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        where = f"{path}:{n}"
        if first:
            first = False
            if len(cells) >= 2 and all(
                cells[k].lower() in HEADER_CELLS[k] for k in range(2)
            ):  # a header line
                continue
        if len(cells) > 3:
            errors.append(
                f"{where}: expected zh_path<TAB>en_path[<TAB>id] or one bilingual file, "
                f"got {len(cells)} columns"
            )
            continue
        if not cells[0]:
            errors.append(f"{where}: the first column (a file) is empty")
            continue
        files = [cells[0]] + ([cells[1]] if len(cells) > 1 and cells[1] else [])
        paths = tuple(_resolve(c, base) for c in files)
        missing = [(c, p) for c, p in zip(files, paths, strict=True) if not p.is_file()]
        if missing:
            cell, p = missing[0]
            what = "is a directory" if p.is_dir() else "no such file"
            hint = ""
            if "\t" not in line and len(cell.split()) > 1:
                hint = " (columns are separated by tabs, not spaces)"
            errors.append(f"{where}: {cell}: {what}{hint}")
            continue
        pair_id = cells[2] if len(cells) > 2 else _derived_id(paths[0])
        if len(cells) > 2 and (problem := _check_id(pair_id, where)):
            errors.append(problem)
            continue
        pairs.append(Pair(pair_id, paths, where))
    return pairs, errors


def _split_name(name: str) -> tuple[str, str] | None:
    """NAME.zh, NAME.zh.txt -> (NAME, zh); likewise for en."""
    m = re.match(r"^(.+)\.(zh|en)(?:\.txt)?$", name, re.I)
    return (m.group(1), m.group(2).lower()) if m else None


def _directory_pairs(folder: Path) -> tuple[list[Pair], list[str]]:
    """NAME.zh + NAME.en (or .zh.txt/.en.txt) side by side, or in zh/ and en/ subfolders."""
    sides: dict[str, dict[str, list[Path]]] = {}
    places = [folder]
    if (folder / "zh").is_dir() and (folder / "en").is_dir():
        places += [folder / "zh", folder / "en"]
    for place in places:
        for p in sorted(place.iterdir()):
            split = _split_name(p.name)
            if split and p.is_file():
                sides.setdefault(split[0], {}).setdefault(split[1], []).append(
                    Path(os.path.abspath(p))
                )
    pairs: list[Pair] = []
    errors: list[str] = []
    for name in sorted(sides):
        found = sides[name]
        for lang, other in (("zh", "en"), ("en", "zh")):
            if len(found.get(lang, [])) > 1:
                names = " and ".join(str(p) for p in found[lang])
                errors.append(f"{folder}: {names} are both {name!r}: keep one")
            if lang in found and other not in found:
                errors.append(
                    f"{found[lang][0]}: no {name}.{other} or {name}.{other}.txt beside it"
                )
        if errors or len(found) != 2:
            continue
        zh, en = found["zh"][0], found["en"][0]
        pairs.append(Pair(_derived_id(Path(name)), (zh, en), str(zh)))
    if not pairs and not errors:
        errors.append(f"{folder}: no NAME.zh / NAME.en (or .zh.txt / .en.txt) pairs found")
    return pairs, errors


def read_manifest(manifest: str | Path) -> list[Pair]:
    """The pairs of a manifest: a TSV file of `zh_path<TAB>en_path[<TAB>id]` lines (one
    bilingual file alone on a line works too: `file.txt` or `file.txt<TAB><TAB>id`), or a
    directory of `NAME.zh` / `NAME.en` files (or `.zh.txt` / `.en.txt`, or in `zh/` and
    `en/` subfolders).

    In a TSV, paths are relative to the manifest's folder; blank lines, `#` comments and a
    `zh_path<TAB>en_path` header line are skipped. A pair's id is the third column, else
    its first file's name without `.zh`/`.en`/`.txt`. Raises ManifestError naming the line
    for a missing file, a bad line or a duplicate id (and counting the other bad lines).
    """
    path = Path(manifest)
    if not path.exists():
        raise ManifestError(f"{path}: no such manifest file or directory")
    pairs, errors = _directory_pairs(path) if path.is_dir() else _tsv_pairs(path)
    seen: dict[str, Pair] = {}
    for pair in pairs:
        key = pair.id.casefold()  # case-insensitive file systems would merge A and a
        if key in seen:
            errors.append(
                f"{pair.where}: duplicate id {pair.id!r} (also {seen[key].where}); "
                "give each pair its own id in a third column"
            )
        else:
            seen[key] = pair
    if errors:
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        raise ManifestError(errors[0] + more)
    if not pairs:
        raise ManifestError(f"{path}: no pairs in the manifest")
    return pairs


# ---------------------------------------------------------------- one pair (the worker)

_WARM_LOCK = threading.Lock()
_USER_DICTS: set[str] = set()


def warm(user_dict: bytes | None = None) -> None:
    """Load the lexicon and jieba (and a jieba user dictionary) in this process, once:
    later calls cost nothing. Thread-safe, for Dask workers running several threads."""
    from .lexicon import cedict
    from .tokenise import jieba_tokenizer

    with _WARM_LOCK:
        cedict()
        tok = jieba_tokenizer()
        if user_dict:
            key = hashlib.sha256(user_dict).hexdigest()
            if key not in _USER_DICTS:
                tok.load_userdict(io.BytesIO(user_dict))
                _USER_DICTS.add(key)


@dataclass(frozen=True)
class Task:
    """Everything a worker needs besides the pair: small, pickled with each pair."""

    outdir: str
    options: BatchOptions
    settings: dict
    user_dict: bytes | None = None


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def output_names(pair_id: str, formats: tuple[str, ...]) -> list[str]:
    """The files a pair's outputs take in OUTDIR (`parallel` writes two)."""
    names = []
    for fmt in formats:
        if fmt == "parallel":
            names += [f"{pair_id}.parallel.zh", f"{pair_id}.parallel.en"]
        else:
            names.append(f"{pair_id}.{fmt}")
    return names


def _creationdate(paths: tuple[Path, ...]) -> str:
    """A date that depends on the inputs only: SOURCE_DATE_EPOCH (the reproducible-builds
    convention) when set, else the newest modification time of the inputs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    stamp = float(epoch) if epoch.isdigit() else max(os.stat(p).st_mtime for p in paths)
    return datetime.fromtimestamp(int(stamp), UTC).strftime("%Y%m%dT%H%M%SZ")


CREATIONDATE = re.compile(r'creationdate="[^"]*"')


class _Dated:
    """A text stream that sets the TMX header's creationdate as it passes (write_tmx
    stamps the current time; batch outputs must not depend on when they were made)."""

    def __init__(self, fh, date: str):
        self.fh, self.date, self.pending = fh, date, True

    def write(self, text: str) -> int:
        if self.pending:
            text, n = CREATIONDATE.subn(f'creationdate="{self.date}"', text, count=1)
            self.pending = not n
        return self.fh.write(text)


def write_dated_tmx(items: list, path: Path, options, date: str):
    """write_tmx to `path` (atomically) with a fixed creationdate."""
    from .export import atomic_writer
    from .tmx import write_tmx

    with atomic_writer(path) as fh:
        return write_tmx(
            items, _Dated(fh, date), zh_lang=options.zh_lang, en_lang=options.en_lang,
            segtype=options.segtype, keep_unaligned=options.keep_unaligned,
            min_confidence=options.min_confidence,
        )  # fmt: skip


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    if not isinstance(err, InputError | OSError):
        text = f"{type(err).__name__}: {text}" if text else type(err).__name__
    return text[:500] or type(err).__name__


def _peak_rss() -> int:
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def align_pair(pair: Pair, task: Task) -> PairResult:
    """Align one pair and write its outputs, then its done-record; never raises for a bad
    pair: the failure comes back as a result with its reason (and the pair's outputs are
    removed, so that OUTDIR holds outputs only for pairs that are done)."""
    t0 = time.perf_counter()
    outdir = Path(task.outdir)
    try:
        warm(task.user_dict)
        result = _align_pair(pair, outdir, task)
    except Exception as err:  # isolate the pair: any failure is reported, the run goes on
        for name in output_names(pair.id, task.options.formats):
            (outdir / name).unlink(missing_ok=True)
        result = PairResult(pair.id, "failed", _one_line(err))
    result.seconds = time.perf_counter() - t0
    result.peak_rss = _peak_rss()
    result.worker = _worker_name()
    return result


def _align_pair(pair: Pair, outdir: Path, task: Task) -> PairResult:
    from . import __version__
    from .align import align_document
    from .export import ExportOptions, atomic_writer, save_units, units
    from .segment import load_document

    o = task.options
    record_path = outdir / f"{pair.id}{RECORD_SUFFIX}"
    previous = read_record(pair, outdir)
    record_path.unlink(missing_ok=True)  # not done until the new record is written
    outputs = output_names(pair.id, o.formats)
    if previous and isinstance(previous.get("outputs"), list):
        for name in set(map(str, previous["outputs"])) - set(outputs):
            if Path(name).name == name and name.startswith(f"{pair.id}."):
                (outdir / name).unlink(missing_ok=True)  # an output no longer asked for
    inputs = [{"path": str(p), "sha256": sha256_file(p)} for p in pair.paths]
    doc = load_document(list(pair.paths), presplit=o.presplit, convert=o.convert)
    doc.name = pair.id  # the TMX x-document, the JSONL doc: unique across the batch
    alignment = align_document(doc, level=o.level)
    items = units(alignment)
    date = _creationdate(pair.paths)
    export = ExportOptions(o.zh_lang, o.en_lang, o.keep_unaligned, o.min_confidence, o.level)
    for fmt in o.formats:
        if fmt == "tmx":
            write_dated_tmx(items, outdir / f"{pair.id}.tmx", export, date)
        elif fmt == "parallel":
            save_units(items, outdir / f"{pair.id}.parallel", fmt, export)
        else:
            save_units(items, outdir / f"{pair.id}.{fmt}", fmt, export)
    beads = alignment.beads
    result = PairResult(
        pair.id, "done",
        sentences_zh=len(doc.zh.sentences), sentences_en=len(doc.en.sentences),
        beads=len(beads),
        mean_confidence=sum(b.confidence for b in beads) / len(beads) if beads else 0.0,
        creationdate=date,
    )  # fmt: skip
    record = {
        "record": RECORD_VERSION,
        "id": pair.id,
        "aligner": __version__,
        "inputs": inputs,
        "options": task.settings,
        "outputs": outputs,
        "creationdate": date,
        "stats": {
            "sentences_zh": result.sentences_zh,
            "sentences_en": result.sentences_en,
            "beads": result.beads,
            "mean_confidence": result.mean_confidence,
        },
    }
    with atomic_writer(record_path) as fh:  # written last: the pair is done
        fh.write(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return result


# ---------------------------------------------------------------- resuming


def settings(options: BatchOptions, user_dict: bytes | None = None) -> dict:
    """The option settings a done-record must match (the user dictionary by its hash)."""
    return {
        "presplit": options.presplit,
        "level": options.level,
        "formats": list(options.formats),
        "convert": options.convert,
        "user_dict": hashlib.sha256(user_dict).hexdigest() if user_dict else None,
        "zh_lang": options.zh_lang,
        "en_lang": options.en_lang,
        "keep_unaligned": options.keep_unaligned,
        "min_confidence": options.min_confidence,
    }


def read_record(pair: Pair, outdir: Path) -> dict | None:
    try:
        record = json.loads((outdir / f"{pair.id}{RECORD_SUFFIX}").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def up_to_date(pair: Pair, outdir: Path, task: Task) -> dict | None:
    """The pair's done-record when it matches the inputs (by sha256), the options and
    this aligner version, and its outputs are all there; else None."""
    from . import __version__

    record = read_record(pair, outdir)
    if (
        record is None
        or record.get("record") != RECORD_VERSION
        or record.get("aligner") != __version__
        or record.get("options") != task.settings
        or record.get("outputs") != output_names(pair.id, task.options.formats)
    ):
        return None
    recorded = [i.get("sha256") for i in record.get("inputs", []) if isinstance(i, dict)]
    try:
        if recorded != [sha256_file(p) for p in pair.paths]:
            return None
    except OSError:
        return None
    if not all((outdir / name).is_file() for name in record["outputs"]):
        return None
    return record


def _skipped(pair: Pair, record: dict) -> PairResult:
    stats = record.get("stats", {})
    return PairResult(
        pair.id, "skipped",
        sentences_zh=int(stats.get("sentences_zh", 0)),
        sentences_en=int(stats.get("sentences_en", 0)),
        beads=int(stats.get("beads", 0)),
        mean_confidence=float(stats.get("mean_confidence", 0.0)),
        creationdate=str(record.get("creationdate", "")),
    )  # fmt: skip


# ---------------------------------------------------------------- executors


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def _init_worker(user_dict: bytes | None) -> None:
    """Runs once in each worker process: load the lexicon and jieba before any pair."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers itself
    try:
        warm(user_dict)
    except Exception:
        pass  # each pair retries and reports the error as its failure


def _died(pair: Pair) -> PairResult:
    return PairResult(
        pair.id, "failed", "the worker process died while aligning this pair "
        "(killed, or out of memory?)",
    )  # fmt: skip


def _run_inline(todo: list[Pair], task: Task, fn=align_pair) -> Iterator[PairResult]:
    for pair in todo:
        yield fn(pair, task)


def _run_pool(todo: list[Pair], task: Task, workers: int, fn=align_pair) -> Iterator[PairResult]:
    """Run pairs in worker processes, a few in flight per worker. A worker that dies
    (killed, out of memory) breaks the pool: the pairs in flight then are retried one by
    one in a pool of their own, so that only the pair that kills its worker fails."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("spawn")  # clean workers, as on macOS and Windows

    def pool_of(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            n, mp_context=ctx, initializer=_init_worker, initargs=(task.user_dict,)
        )

    queue = deque(todo)
    suspects: list[Pair] = []
    while queue:
        pool = pool_of(min(workers, len(queue)))
        running: dict = {}
        broken = False
        try:
            while (queue and not broken) or running:
                while queue and not broken and len(running) < 2 * workers:
                    try:
                        future = pool.submit(fn, queue[0], task)
                    except BrokenProcessPool:
                        broken = True
                        break
                    running[future] = queue.popleft()
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    pair = running.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        suspects.append(pair)
                        continue
                    yield result
        except BaseException:
            _terminate(pool)
            raise
        pool.shutdown(wait=True)
    for pair in suspects:
        pool = pool_of(1)
        try:
            result = pool.submit(fn, pair, task).result()
        except BrokenProcessPool:
            result = _died(pair)
        except BaseException:
            _terminate(pool)
            raise
        pool.shutdown(wait=True)
        yield result


def _terminate(pool) -> None:
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise InputError(
            "--executor dask needs dask.distributed: pip install 'aligner[dask]'"
        ) from None
    return distributed


def _run_dask(
    todo: list[Pair], task: Task, scheduler: str | None, workers: int
) -> Iterator[PairResult]:
    """The same pure function on a Dask cluster: `scheduler` is its address
    (tcp://host:8786); without one, a LocalCluster of `workers` processes."""
    distributed = _import_distributed()
    cluster = None
    try:
        if scheduler:
            client = distributed.Client(scheduler, timeout="20s")
        else:
            cluster = distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = distributed.Client(cluster)
    except (OSError, TimeoutError, ValueError) as err:
        if cluster is not None:
            cluster.close()
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
    try:
        futures = client.map(align_pair, todo, task=task, pure=False)
        owner = {f.key: pair for f, pair in zip(futures, todo, strict=True)}
        for future in distributed.as_completed(futures):
            pair = owner[future.key]
            try:
                result = future.result()
            except Exception as err:  # KilledWorker, a lost worker, a cancelled task
                result = PairResult(pair.id, "failed", _one_line(err))
            future.release()
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------- the batch


def _size(pair: Pair) -> int:
    try:
        return sum(p.stat().st_size for p in pair.paths)
    except OSError:
        return 0


def _check_outputs(pairs: list[Pair], outdir: Path, formats, merge: Path | None) -> None:
    """No output may overwrite an input, or the merged memory a pair's output."""
    inputs = {p.resolve(): pair for pair in pairs for p in pair.paths}
    planned: set[Path] = {(outdir / FAILURES).resolve()}
    for pair in pairs:
        for name in output_names(pair.id, formats) + [f"{pair.id}{RECORD_SUFFIX}"]:
            target = (outdir / name).resolve()
            if target in inputs:
                raise InputError(
                    f"{target}: an output of pair {pair.id!r} would overwrite an input "
                    f"({inputs[target].where}); choose another output directory"
                )
            planned.add(target)
    if merge is not None:
        target = merge.resolve()
        if target in inputs or target in planned:
            raise InputError(f"{merge}: --merge would overwrite an input or a pair's output")


def _clean_temporaries(outdir: Path, pairs: list[Pair], formats) -> None:
    """Remove the temporary files (`.NAME.XXXXXXXX.tmp`, see export.atomic_writer) that
    a killed run left beside the outputs it was writing."""
    names = {FAILURES} | {
        name
        for pair in pairs
        for name in output_names(pair.id, formats) + [f"{pair.id}{RECORD_SUFFIX}"]
    }
    for tmp in outdir.glob(".*.tmp"):
        if tmp.name[1:-4].rsplit(".", 1)[0] in names and tmp.is_file():
            tmp.unlink(missing_ok=True)


def write_failures(outdir: Path, failures: list[tuple[Pair, str]]) -> Path:
    """OUTDIR/failures.tsv: id, zh_path, en_path (empty for a bilingual file), reason."""
    from .export import atomic_writer

    path = outdir / FAILURES
    with atomic_writer(path) as fh:
        fh.write("id\tzh_path\ten_path\treason\n")
        for pair, reason in failures:
            paths = [str(p) for p in pair.paths] + [""]
            cells = [pair.id, paths[0], paths[1], reason]
            fh.write("\t".join(" ".join(c.split()) for c in cells) + "\n")
    return path


def merge_outputs(
    pairs: list[Pair], outdir: Path, options: BatchOptions, merge: Path, date: str
) -> tuple[int, int]:
    """One TMX of every done pair (duplicates removed, as `aligner merge` does), read back
    from the pairs' outputs in manifest order. Returns (units written, duplicates)."""
    from .export import ExportOptions, read_units
    from .tmx import merge_units

    fmt = next(f for f in READ_BACK if f in options.formats)
    lists = [read_units(outdir / f"{pair.id}.{fmt}") for pair in pairs]
    merged = merge_units(lists)
    export = ExportOptions(
        options.zh_lang, options.en_lang, options.keep_unaligned, options.min_confidence,
        options.level,
    )  # fmt: skip
    stats = write_dated_tmx(merged, merge, export, date)
    return stats.written, sum(len(x) for x in lists) - len(merged)


def run_batch(
    pairs: list[Pair],
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
    from .export import FORMATS

    t0 = time.perf_counter()
    options = options or BatchOptions()
    formats = tuple(dict.fromkeys(options.formats))
    if not formats:
        raise InputError("no output format")
    for fmt in formats:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if options.level not in ("sentence", "paragraph"):
        raise InputError(f"unknown level {options.level!r}: use sentence or paragraph")
    from .tmx import is_chinese, is_english

    if not is_chinese(options.zh_lang):
        raise InputError(f"--zh-lang {options.zh_lang!r} is not a Chinese language code")
    if not is_english(options.en_lang):
        raise InputError(f"--en-lang {options.en_lang!r} is not an English language code")
    if executor not in EXECUTORS:
        raise InputError(f"unknown executor {executor!r}: use local or dask")
    if executor == "dask":
        _import_distributed()
    if scheduler and executor != "dask":
        raise InputError("--scheduler needs --executor dask")
    merge_path = Path(merge) if merge is not None else None
    if merge_path is not None and not any(f in formats for f in READ_BACK):
        raise InputError("--merge needs tmx, tsv or jsonl among the formats")
    workers = workers or default_workers()
    if workers < 1:
        raise InputError("--workers must be at least 1")
    user_dict = None
    if options.user_dict is not None:
        try:
            user_dict = Path(options.user_dict).read_bytes()
            user_dict.decode("utf-8")
        except OSError:
            raise InputError(f"{options.user_dict}: no such user dictionary") from None
        except UnicodeDecodeError:
            raise InputError(f"{options.user_dict}: a user dictionary must be UTF-8") from None
    options = replace(options, formats=formats)
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{out}: cannot create the output directory: {e.strerror}") from None
    _check_outputs(pairs, out, formats, merge_path)
    _clean_temporaries(out, pairs, formats)
    task = Task(str(out.absolute()), options, settings(options, user_dict), user_dict)

    results: dict[str, PairResult] = {}

    def record(result: PairResult) -> None:
        results[result.id] = result
        if progress:
            progress(result)

    todo = []
    for pair in pairs:
        previous = None if force else up_to_date(pair, out, task)
        if previous is None:
            todo.append(pair)
        else:
            record(_skipped(pair, previous))
    if workers > 1 or executor == "dask":
        todo.sort(key=_size, reverse=True)  # biggest first: no long pair left for the end
    if not todo:
        runner: Iterator[PairResult] = _run_inline([], task)
    elif executor == "dask":
        runner = _run_dask(todo, task, scheduler, workers)
    elif workers == 1 or len(todo) == 1:
        runner = _run_inline(todo, task)
    else:
        runner = _run_pool(todo, task, workers)
    with closing(runner):
        for result in runner:
            record(result)

    by_id = {pair.id: pair for pair in pairs}
    ordered = [results[pair.id] for pair in pairs]
    ok = [r for r in ordered if r.status != "failed"]
    summary = BatchSummary(
        pairs=len(pairs),
        done=sum(r.status == "done" for r in ordered),
        skipped=sum(r.status == "skipped" for r in ordered),
        failed=len(ordered) - len(ok),
        sentences_zh=sum(r.sentences_zh for r in ok),
        sentences_en=sum(r.sentences_en for r in ok),
        beads=sum(r.beads for r in ok),
        outdir=out,
        failures=[(by_id[r.id], r.reason) for r in ordered if r.status == "failed"],
        results=ordered,
    )
    if summary.beads:
        summary.mean_confidence = sum(r.mean_confidence * r.beads for r in ok) / summary.beads
    ran = [r for r in ordered if r.worker]
    summary.workers = len({r.worker for r in ran})
    summary.peak_rss = max((r.peak_rss for r in ran), default=0)
    write_failures(out, summary.failures)
    if merge_path is not None:
        done = [by_id[r.id] for r in ok]
        date = max((r.creationdate for r in ok), default="")
        date = date or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        summary.merged, summary.merged_duplicates = merge_outputs(
            done, out, options, merge_path, date
        )
    summary.seconds = time.perf_counter() - t0
    return summary


__all__ = [
    "BatchOptions",
    "BatchSummary",
    "ManifestError",
    "Pair",
    "PairResult",
    "align_pair",
    "read_manifest",
    "run_batch",
]
