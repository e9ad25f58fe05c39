"""Align the MAC-Dev chapters and print strict/lax scores beside Bertalign's reference,
then how well the beads' confidence predicts that a bead is right (share of beads that
are gold beads, per confidence band, the Brier score, and the AUC: the chance that a
right bead has a higher confidence than a wrong one).

With --lobo, leave-one-book-out: every parameter set of a small grid (each tuned knob
moved up and down from its default) aligns the six chapters once; for each chapter the
set with the best strict F1 over the other five is chosen and scored on it. The mean of
these six held-out figures is what a change must improve (tuning that fits the six
chapters and no others does not raise it).

Usage: python scripts/eval_mac.py ../shared/data/mac-dev [--out DIR] [--lobo]
       [--param NAME=VALUE] [--encoder NAME|PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from aligner import InputError, load_document
from aligner.align import align_document, load_encoder
from aligner.align.encoder import SentenceEncoder
from aligner.config import DEFAULT, Params
from aligner.evaluate import score
from aligner.formats.align import format_align, read_align


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mac_dir", type=Path)
    ap.add_argument("--out", type=Path, help="keep our .align files here")
    ap.add_argument("--lobo", action="store_true", help="leave-one-book-out tuning figures")
    ap.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                    help="a parameter other than its default (repeatable)")  # fmt: skip
    ap.add_argument("--encoder", metavar="NAME|PATH", help="a sentence encoder (use, or a path)")
    args = ap.parse_args()
    params = DEFAULT
    for setting in args.param:
        name, _, value = setting.partition("=")
        params = replace(params, **{name: type(getattr(DEFAULT, name))(value)})
    try:
        encoder = load_encoder(args.encoder) if args.encoder else None
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    root: Path = args.mac_dir
    gold_dir, ref_dir = root / "gold", root / "reference-bertalign"
    if not gold_dir.is_dir():
        print(f"error: {gold_dir}: not found", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="mac-"))
    out.mkdir(parents=True, exist_ok=True)
    ours, refs = [], []
    judged: list[tuple[float, bool]] = []  # (confidence, is a gold bead)
    print(
        f"{'chapter':8} {'ours strict':>11} {'ours lax':>9} {'bertalign':>10} {'secs':>6} "
        f"{'cpu s':>6}"
    )
    t_all, cpu_all = time.perf_counter(), time.process_time()
    for gold_file in sorted(gold_dir.glob("*.align")):
        name = gold_file.stem
        t0, cpu0 = time.perf_counter(), time.process_time()  # CPU: all threads (BLAS too)
        doc = load_document([root / "zh" / f"{name}.zh", root / "en" / f"{name}.en"], presplit=True)
        al = align_document(doc, params=params, encoder=encoder)
        secs, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        test = [(b.zh, b.en) for b in al.beads]
        (out / f"{name}.align").write_text(format_align(test), encoding="utf-8")
        gold = read_align(gold_file)
        ours.append((gold, test))
        gold_set = set(gold)
        judged += [(b.confidence, (b.zh, b.en) in gold_set) for b in al.beads]
        ref_file = ref_dir / f"{name}.align"
        ref_s = ""
        if ref_file.is_file():
            refs.append((gold, read_align(ref_file)))
            ref_s = f"{score([refs[-1]]).strict_f1:.3f}"
        s = score([ours[-1]])
        print(f"{name:8} {s.strict_f1:11.3f} {s.lax_f1:9.3f} {ref_s:>10} {secs:6.2f} {cpu:6.2f}")
    total = score(ours)
    print(
        f"{'all':8} {total.strict_f1:11.3f} {total.lax_f1:9.3f} "
        f"{score(refs).strict_f1 if refs else float('nan'):10.3f} "
        f"{time.perf_counter() - t_all:6.2f} {time.process_time() - cpu_all:6.2f}"
    )
    print(
        f"strict P/R/F1 {total.strict_precision:.3f}/{total.strict_recall:.3f}/"
        f"{total.strict_f1:.3f}  lax P/R/F1 {total.lax_precision:.3f}/"
        f"{total.lax_recall:.3f}/{total.lax_f1:.3f}  (alignments in {out})"
    )
    print_reliability(judged)
    if args.lobo:
        print_lobo(root, sorted(gold_dir.glob("*.align")), encoder)
    return 0


class _Remembered:
    """An encoder that encodes each text once (the grid aligns every chapter many times)."""

    def __init__(self, encoder: SentenceEncoder) -> None:
        self.inner, self.name = encoder, encoder.name
        self.vectors: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if new:
            self.vectors.update(zip(new, self.inner.encode(new), strict=True))
        return np.stack([self.vectors[t] for t in texts])


# the knobs leave-one-book-out may move, each to these multiples of its default
LOBO_KNOBS = ("lexical_weight", "smoothing", "length_scale", "merge", "many_to_many",
              "quote_end", "skip", "novel_discount", "max_power", "cut")  # fmt: skip
LOBO_STEPS = (0.75, 1.25)


def lobo_grid(knobs: tuple[str, ...]) -> list[tuple[str, Params]]:
    grid = [("default", DEFAULT)]
    for knob in knobs:
        for step in LOBO_STEPS:
            value = getattr(DEFAULT, knob) * step
            grid.append((f"{knob}={value:.4g}", replace(DEFAULT, **{knob: value})))
    return grid


def print_lobo(root: Path, gold_files: list[Path], encoder: SentenceEncoder | None) -> None:
    """Leave-one-book-out: per chapter, the grid's best set on the other five, scored
    on this one (the encoder's vectors, if any, worked out once per text)."""
    encoder = _Remembered(encoder) if encoder is not None else None
    docs = [
        load_document([root / "zh" / f"{g.stem}.zh", root / "en" / f"{g.stem}.en"], presplit=True)
        for g in gold_files
    ]
    golds = [read_align(g) for g in gold_files]
    results: dict[str, list] = {}
    knobs = LOBO_KNOBS + (("encoder_weight",) if encoder is not None else ())
    for name, params in lobo_grid(knobs):
        results[name] = []
        for doc, gold in zip(docs, golds, strict=True):
            al = align_document(doc, params=params, encoder=encoder)
            results[name].append((gold, [(b.zh, b.en) for b in al.beads]))
    print(f"leave-one-book-out over {len(results)} parameter sets")
    print(f"{'held out':8} {'chosen':>24} {'strict':>7} {'default':>8}")
    held, base = [], []
    for k, gold_file in enumerate(gold_files):
        def rest(name: str, k: int = k) -> float:
            return score([r for i, r in enumerate(results[name]) if i != k]).strict_f1

        chosen = max(results, key=rest)  # the first best: default wins ties
        held.append(score([results[chosen][k]]).strict_f1)
        base.append(score([results["default"][k]]).strict_f1)
        print(f"{gold_file.stem:8} {chosen:>24} {held[-1]:7.3f} {base[-1]:8.3f}")
    print(f"held-out mean strict F1 {sum(held) / len(held):.4f} "
          f"(defaults: {sum(base) / len(base):.4f})")  # fmt: skip


BANDS = ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.0))


def print_reliability(judged: list[tuple[float, bool]]) -> None:
    """Per confidence band: beads, their mean confidence, the share that are gold beads."""
    print(f"{'confidence':11} {'beads':>6} {'mean conf':>9} {'right':>6}")
    for lo, hi in BANDS:
        inside = [(c, ok) for c, ok in judged if lo <= c < hi or (hi == 1.0 and c == 1.0)]
        if not inside:
            continue
        mean = sum(c for c, _ in inside) / len(inside)
        right = sum(ok for _, ok in inside) / len(inside)
        print(f"{lo:.1f}-{hi:.1f}    {len(inside):6d} {mean:9.2f} {right:6.2f}")
    brier = sum((c - ok) ** 2 for c, ok in judged) / max(1, len(judged))
    print(f"Brier score {brier:.4f} over {len(judged)} beads; AUC right vs wrong {auc(judged):.3f}")


def auc(judged: list[tuple[float, bool]]) -> float:
    """The chance that a right bead's confidence is above a wrong one's (ties count half):
    the Mann-Whitney statistic over ranks."""
    order = sorted(judged, key=lambda x: x[0])
    ranks: dict[float, float] = {}
    k = 0
    while k < len(order):  # tied confidences share their mean rank
        j = k
        while j < len(order) and order[j][0] == order[k][0]:
            j += 1
        ranks[order[k][0]] = (k + j + 1) / 2.0
        k = j
    right = [ranks[c] for c, ok in judged if ok]
    wrong = len(judged) - len(right)
    if not right or not wrong:
        return float("nan")
    return (sum(right) - len(right) * (len(right) + 1) / 2.0) / (len(right) * wrong)


if __name__ == "__main__":
    sys.exit(main())
