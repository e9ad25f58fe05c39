"""What a worker runs for one pair (`align_pair`), and the pair's done-record.

`align_pair` writes `OUTDIR/<id>.<fmt>` for every format and then, last and atomically,
`OUTDIR/<id>.done.json`: the sha256 of the inputs, the option settings and a few figures.
A pair counts as done only when its record exists and matches (`up_to_date`).

Outputs do not depend on the process or the moment a pair runs in: the TMX
`creationdate` of a pair is the newest modification time of its inputs (or
SOURCE_DATE_EPOCH when set).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..collector import fewer_full_collections
from ..formats import atomic_writer, creationdate, outputs, save_units, units_of
from ..model import InputError
from .records import BatchOptions, DocumentPair, PairResult, Task

if TYPE_CHECKING:
    from ..align.encoder import SentenceEncoder

RECORD_SUFFIX = ".done.json"
RECORD_VERSION = 1

_WARM_LOCK = threading.Lock()
_USER_DICTS: set[str] = set()
_ENCODERS: dict[str, SentenceEncoder] = {}


def warm(user_dict: bytes | None = None) -> None:
    """Load the lexicon and jieba (and a jieba user dictionary) in this process, once:
    later calls cost nothing. Thread-safe, for Dask workers running several threads."""
    from ..lexicon import cedict
    from ..tokenise import jieba_tokenizer, load_user_dictionary

    with _WARM_LOCK:
        cedict()
        jieba_tokenizer()
        if user_dict:
            key = hashlib.sha256(user_dict).hexdigest()
            if key not in _USER_DICTS:
                load_user_dictionary(user_dict)
                _USER_DICTS.add(key)


def encoder(spec: str) -> SentenceEncoder:
    """The sentence encoder `spec` names, loaded once per process (InputError if bad)."""
    from ..align import load_encoder

    with _WARM_LOCK:
        if spec not in _ENCODERS:
            _ENCODERS[spec] = load_encoder(spec)
        return _ENCODERS[spec]


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def output_names(pair_id: str, formats: tuple[str, ...]) -> list[str]:
    """The files a pair's outputs take in OUTDIR (`parallel` writes two)."""
    return [p.name for fmt in formats for p in outputs(f"{pair_id}.{fmt}", fmt)]


def reason(err: BaseException) -> str:
    """Why a pair failed, on one line (the exception's type too, unless it is bad input)."""
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


def align_pair(pair: DocumentPair, task: Task) -> PairResult:
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
        result = PairResult(pair.id, "failed", reason(err))
    result.seconds = time.perf_counter() - t0
    result.peak_rss = _peak_rss()
    result.worker = _worker_name()
    return result


def _remove_outputs_no_longer_asked_for(pair: DocumentPair, outdir: Path, keep: list[str]) -> None:
    """Outputs an earlier run wrote for formats no longer asked for: removed."""
    previous = read_record(pair, outdir)
    if previous and isinstance(previous.get("outputs"), list):
        for name in set(map(str, previous["outputs"])) - set(keep):
            if Path(name).name == name and name.startswith(f"{pair.id}."):
                (outdir / name).unlink(missing_ok=True)


@fewer_full_collections()
def _align_pair(pair: DocumentPair, outdir: Path, task: Task) -> PairResult:
    from ..align import align_document
    from ..segment import load_document

    o = task.options
    names = output_names(pair.id, o.formats)
    _remove_outputs_no_longer_asked_for(pair, outdir, names)
    _record_path(pair, outdir).unlink(missing_ok=True)  # not done until the new record
    inputs = [{"path": str(p), "sha256": sha256_file(p)} for p in pair.paths]
    doc = load_document(list(pair.paths), presplit=o.presplit, convert=o.convert)
    doc.name = pair.id  # the TMX x-document, the JSONL doc: unique across the batch
    enc = encoder(o.encoder) if o.encoder else None
    alignment = align_document(doc, level=o.level, encoder=enc)
    items = units_of(alignment)
    date = creationdate(pair.paths)
    export = replace(o.export, creationdate=date)
    for fmt in o.formats:
        save_units(items, outdir / f"{pair.id}.{fmt}", fmt, export)
    beads = alignment.beads
    result = PairResult(
        pair.id, "done",
        sentences_zh=len(doc.zh.sentences), sentences_en=len(doc.en.sentences),
        beads=len(beads),
        mean_confidence=sum(b.confidence for b in beads) / len(beads) if beads else 0.0,
        creationdate=date,
    )  # fmt: skip
    _write_record(pair, outdir, task, inputs, names, result)
    return result


# ---------------------------------------------------------------- the done-record


def settings(options: BatchOptions, user_dict: bytes | None = None) -> dict:
    """The option settings a done-record must match (the user dictionary by its hash)."""
    found = {
        "presplit": options.presplit,
        "level": options.level,
        "formats": list(options.formats),
        "convert": options.convert,
        "user_dict": hashlib.sha256(user_dict).hexdigest() if user_dict else None,
        "zh_lang": options.export.zh_lang,
        "en_lang": options.export.en_lang,
        "keep_unaligned": options.export.keep_unaligned,
        "min_confidence": options.export.min_confidence,
        "split": options.export.split,
        "split_english": options.export.split_english,
        "max_bead": options.export.max_bead,
        "user": options.export.user,
    }
    if options.encoder:  # only when given: records made without one stay up to date
        found["encoder"] = options.encoder
    return found


def record_name(pair_id: str) -> str:
    return f"{pair_id}{RECORD_SUFFIX}"


def _record_path(pair: DocumentPair, outdir: Path) -> Path:
    return outdir / record_name(pair.id)


def _write_record(
    pair: DocumentPair,
    outdir: Path,
    task: Task,
    inputs: list[dict],
    names: list[str],
    result: PairResult,
) -> None:
    from .. import __version__

    record = {
        "record": RECORD_VERSION,
        "id": pair.id,
        "aligner": __version__,
        "inputs": inputs,
        "options": task.settings,
        "outputs": names,
        "creationdate": result.creationdate,
        "stats": {
            "sentences_zh": result.sentences_zh,
            "sentences_en": result.sentences_en,
            "beads": result.beads,
            "mean_confidence": result.mean_confidence,
        },
    }
    with atomic_writer(_record_path(pair, outdir)) as fh:  # written last: the pair is done
        fh.write(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def read_record(pair: DocumentPair, outdir: Path) -> dict | None:
    try:
        record = json.loads(_record_path(pair, outdir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def up_to_date(pair: DocumentPair, outdir: Path, task: Task) -> dict | None:
    """The pair's done-record when it matches the inputs (by sha256), the options and
    this aligner version, and its outputs are all there; else None."""
    from .. import __version__

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


def skipped(pair: DocumentPair, record: dict) -> PairResult:
    """The result of a pair done before, from its record."""
    stats = record.get("stats", {})
    return PairResult(
        pair.id, "skipped",
        sentences_zh=int(stats.get("sentences_zh", 0)),
        sentences_en=int(stats.get("sentences_en", 0)),
        beads=int(stats.get("beads", 0)),
        mean_confidence=float(stats.get("mean_confidence", 0.0)),
        creationdate=str(record.get("creationdate", "")),
    )  # fmt: skip
