"""The records of a batch run: the pairs in, the options, what a worker is given and
sends back, and the figures of the run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import DEFAULT_FORMATS, ExportOptions


@dataclass(frozen=True)
class DocumentPair:
    """One document pair: one bilingual file, or a Chinese and an English file."""

    id: str
    paths: tuple[Path, ...]
    where: str = ""  # manifest line (`manifest.tsv:7`) or file it came from, for messages


@dataclass(frozen=True)
class BatchOptions:
    """What `aligner align` would be given for each pair: how to read it, the formats to
    write, and the options of the outputs (whose `segtype` is the level the pairs are
    aligned at; the creation date is each pair's own)."""

    presplit: bool = False
    formats: tuple[str, ...] = DEFAULT_FORMATS
    convert: str | None = None
    user_dict: Path | None = None
    export: ExportOptions = ExportOptions()
    encoder: str | None = None  # a sentence encoder's name or model path (--encoder)

    @property
    def level(self) -> str:
        return self.export.segtype


@dataclass(frozen=True)
class Task:
    """Everything a worker needs besides the pair: small, pickled with each pair."""

    outdir: str
    options: BatchOptions
    settings: dict  # the options as the done-record holds them
    user_dict: bytes | None = None


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
    failures: list[tuple[DocumentPair, str]] = field(default_factory=list)
    merged: int | None = None  # units in the --merge TMX
    merged_duplicates: int = 0
    results: list[PairResult] = field(default_factory=list)  # in manifest order

    @property
    def pairs_per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0
