"""The strict and lax precision, recall and F1 of Vecalign (Thompson & Koehn 2019), as
used by Bertalign, of alignments in `.align` files (`aligner.formats.align`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .formats.align import Bead, read_align
from .model import InputError


@dataclass
class Scores:
    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


def _counts(gold: list[Bead], test: list[Bead]) -> tuple[int, int, int, int]:
    """Strict hits, strict misses, lax hits, lax misses of the test beads."""
    gold_set = {(tuple(z), tuple(e)) for z, e in gold if z or e}
    src_to_tgt: dict[int, set[int]] = defaultdict(set)
    for z, e in gold_set:
        for i in z:
            src_to_tgt[i].update(e)
    tp_s = fp_s = tp_l = fp_l = 0
    for z, e in {(tuple(z), tuple(e)) for z, e in test if z or e}:
        if (z, e) in gold_set:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        targets = set().union(*(src_to_tgt[i] for i in z)) if z else set()
        if targets & set(e):
            tp_l += 1
        else:
            fp_l += 1
    return tp_s, fp_s, tp_l, fp_l


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(pairs: list[tuple[list[Bead], list[Bead]]]) -> Scores:
    """Micro-averaged scores over (gold, test) pairs of files.

    Precision counts every test bead; recall counts gold beads with both sides non-empty,
    matched against the test beads with both sides non-empty.
    """
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold, test in pairs:
        for k, v in enumerate(_counts(gold, test)):
            p[k] += v
        full_gold = [b for b in gold if b[0] and b[1]]
        full_test = [b for b in test if b[0] and b[1]]
        for k, v in enumerate(_counts(full_test, full_gold)):
            r[k] += v

    def div(a: int, b: int) -> float:
        return a / b if b else 0.0

    ps, pl = div(p[0], p[0] + p[1]), div(p[2], p[2] + p[3])
    rs, rl = div(r[0], r[0] + r[1]), div(r[2], r[2] + r[3])
    return Scores(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl))


def align_files(gold: str | Path, test: str | Path) -> list[tuple[Path, Path]]:
    """Pair gold and test files: two files, or two directories matched by file name."""
    g, t = Path(gold), Path(test)
    if g.is_dir() != t.is_dir():
        raise InputError("give two .align files or two directories of them")
    if not g.is_dir():
        return [(g, t)]
    pairs = []
    for gf in sorted(g.glob("*.align")):
        tf = t / gf.name
        if not tf.is_file():
            raise InputError(f"{tf}: missing (gold has {gf.name})")
        pairs.append((gf, tf))
    if not pairs:
        raise InputError(f"{g}: no .align files")
    return pairs


def evaluate_paths(gold: str | Path, test: str | Path, swap: bool = False) -> Scores:
    """The scores of test files against gold files (two files or two directories);
    `swap`: the gold is written English first (as the Bible gold), the test Chinese
    first, as aligner writes it."""
    return score([(read_align(gf, swap), read_align(tf)) for gf, tf in align_files(gold, test)])
