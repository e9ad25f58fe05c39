"""Corpus glossaries: the terms of many aligned documents (alignment files, a folder of
them such as a batch's output, or a batch manifest's pairs aligned first), counted across
the documents, each entry with the number of documents it occurs in.

The costly work is per document, and runs in the batch executors (local processes or a
Dask cluster), a chunk of documents per task, each sending back compact results:

1. `find_terms`: read a document's alignment file and align terms inside its pairs
   (`align_terms`, the costly part): its occurrences, the length of each pair's Chinese,
   and where the user's terms occur.
2. `read_english`: once the occurrences are grouped and each term's preferred English is
   known, what the English says: how many pairs hold each term-shaped span (only the
   preferred renderings' counts are kept), the English words, and the texts of the
   example pairs. So the main process never holds every pair's text, nor every span.

Between the two, in the main process, the one merge: the occurrences of all documents in
input order, ranked by `entries.rank_entries` as one document's are. The result does not
depend on the executor or the number of workers.
"""

from __future__ import annotations

import math
import tempfile
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from ..batch.executors import default_workers, run_items
from ..batch.manifest import FAILURES, is_manifest, read_manifest
from ..batch.records import BatchOptions
from ..batch.run import check_executor, run_batch
from ..batch.worker import warm
from ..formats import (
    best_read_back,
    format_for,
    read_suffixes,
    read_units,
    reads_units,
    whole_units,
)
from ..model import Entry, InputError, Occurrence
from ..progress import Progress, no_progress
from .candidates import english_spans, tokens_en
from .entries import (
    Anchors,
    EnKey,
    KnownIn,
    check_limits,
    finish_glossary,
    known_anchors,
    rank_entries,
    read_reference,
    term_occurrences,
)
from .inpair import (
    MIN_BEAD_CONFIDENCE,
    TextPair,
    en_key,
    pairs_from,
)

MAX_CHUNK = 32  # documents per task at most: progress moves, a lost task costs little
CHUNKS_PER_WORKER = 4  # tasks per worker at least (when there are documents enough)


# ---------------------------------------------------------------- the inputs


def corpus_inputs(inputs: Sequence[str | Path]) -> list[Path] | None:
    """The files a corpus glossary of `inputs` reads, or None when the inputs are the
    documents of one pair (one bilingual document, or a Chinese and an English one).

    A corpus is one of: one folder (its alignment files, see `alignment_files`); one
    manifest (a .tsv file whose first line names a file, as `aligner batch` takes: its
    pairs are aligned first); alignment files (.jsonl .tmx .xlf .po .tsv), one document
    each. A mix of alignment files and documents is an InputError."""
    paths = [Path(p) for p in inputs]
    if not paths:
        return None
    if len(paths) == 1 and paths[0].is_dir():
        return alignment_files(paths[0])
    if len(paths) == 1 and is_manifest(paths[0]):
        return [paths[0], *(p for pair in read_manifest(paths[0]) for p in pair.paths)]
    alignments = [p for p in paths if reads_units(p)]
    if len(alignments) == len(paths):
        return paths
    others = [p for p in paths if p not in alignments]
    if alignments or len(paths) > 2 or any(p.is_dir() for p in paths):
        raise InputError(
            f"{others[0]}: not an alignment file ({read_suffixes()}): give alignment files, "
            "a folder of them or a manifest, or the documents of one pair"
        )
    return None


def alignment_files(folder: str | Path) -> list[Path]:
    """The documents of a folder of alignments, as `aligner batch` writes them: its files
    in a format alignments are read back from, one per name (of a document written in
    several formats, the one read back most exactly), failures.tsv and hidden files left
    out; InputError when there is none."""
    folder = Path(folder)
    by_name: dict[str, list[Path]] = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and reads_units(p) and p.name != FAILURES and not p.name.startswith("."):
            by_name.setdefault(p.stem, []).append(p)
    if not by_name:
        raise InputError(f"{folder}: no alignment files ({read_suffixes()}) in this folder")
    out = []
    for paths in by_name.values():
        best = best_read_back([format_for(p) for p in paths])
        out.append(next(p for p in paths if format_for(p) == best))
    return out


def document_pairs(path: str | Path, name: str = "") -> list[TextPair]:
    """The aligned pairs of one alignment file, as term extraction takes an Alignment's:
    whole beads (a split bead's parts put back inside it), titles and beads under
    MIN_BEAD_CONFIDENCE left out; `name` is their document."""
    units = whole_units(read_units(path))
    pairs = pairs_from(
        [(u.zh, u.en) for u in units
         if u.zh and u.en and u.kind != "title" and u.confidence >= MIN_BEAD_CONFIDENCE]
    )  # fmt: skip
    for p in pairs:
        p.doc = name or Path(path).name
    return pairs


# ---------------------------------------------------------------- the work of a worker


@dataclass(frozen=True)
class TermTask:
    """What every task is given besides its documents (small: pickled with each)."""

    anchors: Anchors = field(default_factory=dict)  # the user's terms (see known_anchors)
    user_dict: bytes | None = None  # a jieba user dictionary each worker loads once


@dataclass(frozen=True)
class Document:
    """One document of the corpus: its alignment file, its name, its place in the input;
    for `read_english`, its pairs (to see it unchanged) and the pairs whose texts are
    wanted (the examples)."""

    index: int
    path: Path
    name: str
    pairs: int = -1
    wanted: frozenset[int] = frozenset()


@dataclass
class DocumentTerms:
    """What `find_terms` sends back for one document (`pair` numbers its pairs)."""

    index: int
    occurrences: list[Occurrence]
    zh_lengths: list[int]  # each pair's Chinese, in characters: examples are the shortest
    known: dict[str, tuple[int, int]]  # a user's term -> (occurrences, its first pair)
    zh_words: Counter  # how often the Chinese uses each word (for the terms' specificity)


@dataclass
class DocumentEnglish:
    """What `read_english` sends back for one document."""

    index: int
    spans: Counter  # folded term-shaped English span -> pairs holding it
    words: set[str]  # the English words as written
    texts: dict[int, tuple[str, str]]  # the wanted pairs' (zh, en)


def find_terms(chunk: list[Document], task: TermTask) -> list[DocumentTerms]:
    """The term occurrences of each document of the chunk (a worker's task)."""
    warm(task.user_dict)  # once per process: the lexicon and jieba
    out = []
    for doc in chunk:
        pairs = document_pairs(doc.path, doc.name)
        occurrences, _, zh_words = term_occurrences(pairs, task.anchors)
        known = {}
        for key in task.anchors:
            hits = [k for k, p in enumerate(pairs) if key in p.zh_norm]
            if hits:
                known[key] = (sum(pairs[k].zh_norm.count(key) for k in hits), hits[0])
        lengths = [len(p.zh_text) for p in pairs]
        out.append(DocumentTerms(doc.index, occurrences, lengths, known, zh_words))
    return out


def read_english(chunk: list[Document], task: TermTask) -> list[DocumentEnglish]:
    """The English of each document of the chunk (a worker's task): the spans counted as
    `extract_entries` counts them, the words, the wanted pairs' texts."""
    out = []
    for doc in chunk:
        pairs = document_pairs(doc.path, doc.name)
        if len(pairs) != doc.pairs:
            raise InputError(f"{doc.path}: changed while its terms were counted")
        spans: Counter = Counter()
        words: set[str] = set()
        for p in pairs:
            et = tokens_en(p.en_text)
            spans.update({en_key(et, s, e) for s, e in english_spans(et)})
            words.update(t.text for t in et if t.word)
        texts = {k: (pairs[k].zh_text, pairs[k].en_text) for k in doc.wanted}
        out.append(DocumentEnglish(doc.index, spans, words, texts))
    return out


def _lost(chunk: list[Document], why: str | None) -> list:
    """A chunk whose worker died or that the cluster lost: the glossary cannot be made."""
    why = why or "the worker process died on it (killed, or out of memory?)"
    more = f" (or one of {len(chunk) - 1} more documents)" if len(chunk) > 1 else ""
    raise InputError(f"{chunk[0].path}{more}: {why}")


# ---------------------------------------------------------------- the glossary


def corpus_glossary(
    inputs: Sequence[str | Path],
    *,
    known: list[Entry] | None = None,
    references: Sequence[str | Path] | None = None,
    min_freq: int = 1,
    top: int | None = None,
    min_confidence: float = 0.0,
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    aligned: str | Path | None = None,
    presplit: bool = False,
    progress: Progress = no_progress,
) -> list[Entry]:
    """The glossary of a corpus (see `corpus_inputs`), best first: each entry's
    `frequency` counts its occurrences in all documents, `documents` the documents it
    occurs in. `known`, `references` and the limits are those of `build_glossary`.

    The per-document work runs on `executor` ("local": `workers` processes, default every
    core, 1 in this process; "dask": the cluster at `scheduler`, or a local one of
    `workers` processes). A manifest's pairs are aligned first by `run_batch` into
    `aligned` (a folder; a rerun skips the pairs done before), else into a temporary
    folder; `presplit` is how they are read. `progress(stage, done, total)` hears of each
    stage. Raises InputError for bad input, a pair that cannot be aligned, a document
    that cannot be read."""
    check_limits(min_freq, top)
    check_executor(executor, scheduler)
    workers = workers or default_workers()
    if workers < 1:
        raise InputError("workers must be at least 1")
    texts = [read_reference(r) for r in references or []]  # bad files fail first
    if corpus_inputs(inputs) is None:
        raise InputError("a corpus is alignment files, a folder of them or a manifest")
    paths = [Path(p) for p in inputs]
    known, anchors = known_anchors(known or [])
    run = _Runner(TermTask(anchors), executor, scheduler, workers)
    with ExitStack() as stack:
        if len(paths) == 1 and paths[0].is_file() and is_manifest(paths[0]):
            if aligned is None:  # removed at the end, with the alignments made in it
                aligned = stack.enter_context(tempfile.TemporaryDirectory(prefix="aligner-"))
            files, names = _align(paths[0], Path(aligned), presplit, run, progress)
        else:
            files = alignment_files(paths[0]) if paths[0].is_dir() else paths
            seen: set[Path] = set()
            for f in files:
                if not f.is_file():
                    raise InputError(f"{f}: no such alignment file")
                if f.resolve() in seen:  # its terms would count twice
                    raise InputError(f"{f}: given twice")
                seen.add(f.resolve())
            names = _names(files)
        docs = [Document(k, f, n) for k, (f, n) in enumerate(zip(files, names, strict=True))]
        found, known_in = _entries(docs, run, progress)
    return finish_glossary(
        found, known, known_in, texts, min_freq=min_freq, top=top,
        min_confidence=min_confidence,
    )  # fmt: skip


def _names(files: list[Path]) -> list[str]:
    """Each document's name: its file's, or its path where two files share a name."""
    counts = Counter(f.name for f in files)
    return [f.name if counts[f.name] == 1 else str(f) for f in files]


Item = TypeVar("Item")


@dataclass(frozen=True)
class _Runner:
    """The executor settings, and chunks of documents run on them."""

    task: TermTask
    executor: str
    scheduler: str | None
    workers: int

    def chunks(self, docs: list[Document]) -> list[list[Document]]:
        """The documents in chunks, biggest files first, so that no long one comes last:
        a few chunks per worker, at most MAX_CHUNK documents each."""
        per_chunk = math.ceil(len(docs) / (CHUNKS_PER_WORKER * self.workers))
        size = max(1, min(MAX_CHUNK, per_chunk))
        ordered = sorted(docs, key=lambda d: -_size(d.path))
        return [ordered[k : k + size] for k in range(0, len(ordered), size)]

    def __call__(
        self,
        docs: list[Document],
        fn: Callable[[list[Document], TermTask], list[Item]],
        warm_up: bool = True,
    ) -> Iterator[Item]:
        """fn's result for every document, as chunks come in (`warm_up`: see run_items)."""
        chunks = self.chunks(docs)
        for results in run_items(
            chunks, self.task, self.executor, self.scheduler, self.workers, fn, _lost, warm_up
        ):
            yield from results


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # missing: its reader says so


def _align(
    manifest: Path, folder: Path, presplit: bool, run: _Runner, progress: Progress
) -> tuple[list[Path], list[str]]:
    """A manifest's pairs aligned by `run_batch` into `folder` (JSONL, what reads back
    most exactly): the alignment files and the documents' names (the pairs' ids)."""
    pairs = read_manifest(manifest)
    done = 0

    def advance(_: object) -> None:
        nonlocal done
        done += 1
        progress("aligning documents", done, len(pairs))

    summary = run_batch(
        pairs, folder, BatchOptions(presplit=presplit, formats=("jsonl",)),
        workers=run.workers, executor=run.executor, scheduler=run.scheduler, progress=advance,
    )  # fmt: skip
    if summary.failures:
        pair, why = summary.failures[0]
        more = f" ({summary.failed - 1} more pairs failed)" if summary.failed > 1 else ""
        raise InputError(f"{pair.where}: pair {pair.id!r} cannot be aligned: {why}{more}")
    return [folder / f"{pair.id}.jsonl" for pair in pairs], [pair.id for pair in pairs]


SHARED_FIELDS = ("key", "written", "first_pos", "en", "en_key", "covered")


class _Shared:
    """One object for each value the occurrences repeat (terms, renderings, covered
    characters): a corpus holds the same ones thousands of times."""

    def __init__(self) -> None:
        self.values: dict = {}

    def __call__(self, o: Occurrence) -> None:
        for name in SHARED_FIELDS:
            value = getattr(o, name)
            setattr(o, name, self.values.setdefault(value, value))


def _entries(docs: list[Document], run: _Runner, progress: Progress) -> tuple[list[Entry], KnownIn]:
    """The entries of the documents (ranked as one document's), and where the user's
    terms occur in them."""
    found: dict[int, DocumentTerms] = {}
    shared = _Shared()
    for result in run(docs, find_terms):
        for o in result.occurrences:
            shared(o)
        found[result.index] = result
        progress("finding terms", len(found), len(docs))
    # one numbering of the pairs: the documents' one after another, in input order
    starts: list[int] = []
    zh_lengths = array("l")
    occurrences: list[Occurrence] = []
    known: dict[str, list[tuple[int, int, int]]] = {}  # term -> (doc, occurrences, pair)
    zh_words: Counter = Counter()
    for doc in docs:
        terms = found.pop(doc.index)
        start = len(zh_lengths)
        starts.append(start)
        for o in terms.occurrences:
            o.pair += start
        occurrences.extend(terms.occurrences)
        zh_lengths.extend(terms.zh_lengths)
        zh_words.update(terms.zh_words)
        for key, (count, first) in terms.known.items():
            known.setdefault(key, []).append((doc.index, count, start + first))
    known_first = {hits[0][2] for hits in known.values()}
    texts: dict[int, tuple[str, str]] = {}

    def doc_of(pair: int) -> int:
        return bisect_right(starts, pair) - 1

    def pair_count(index: int) -> int:
        end = starts[index + 1] if index + 1 < len(starts) else len(zh_lengths)
        return end - starts[index]

    def english(
        preferred: set[EnKey], wanted: set[int]
    ) -> tuple[Counter, set[str], dict[int, tuple[str, str]]]:
        if not preferred and not known_first:
            return Counter(), set(), {}  # no term has a translation: nothing to count
        by_doc: dict[int, set[int]] = {}
        for pair in wanted | known_first:
            by_doc.setdefault(doc_of(pair), set()).add(pair - starts[doc_of(pair)])
        jobs = [
            replace(doc, pairs=pair_count(doc.index), wanted=frozenset(by_doc.get(doc.index, ())))
            for doc in docs
        ]
        en_freq: Counter = Counter()
        vocabulary: set[str] = set()
        for k, result in enumerate(run(jobs, read_english, warm_up=False), 1):
            en_freq.update({s: n for s, n in result.spans.items() if s in preferred})
            vocabulary |= result.words
            start = starts[result.index]
            texts.update({start + pair: t for pair, t in result.texts.items()})
            progress("counting English", k, len(docs))
        return en_freq, vocabulary, texts

    entries = rank_entries(occurrences, doc_of, zh_lengths.__getitem__, english, zh_words)

    def known_in(key: str) -> tuple[int, int, tuple[str, str]]:
        hits = known.get(key, [])
        example = texts[hits[0][2]] if hits else ("", "")
        return sum(count for _, count, _ in hits), len(hits), example

    return entries, known_in
