"""Align the MAC-Dev chapters and print strict/lax scores beside Bertalign's reference,
then how well the beads' confidence predicts that a bead is right (share of beads that
are gold beads, per confidence band, and the Brier score).

Usage: python scripts/eval_mac.py ../shared/data/mac-dev [--out DIR] [--encoder NAME|PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from aligner import load_document
from aligner.align import align_document, load_encoder
from aligner.evaluate import score
from aligner.formats.align import format_align, read_align


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mac_dir", type=Path)
    ap.add_argument("--out", type=Path, help="keep our .align files here")
    ap.add_argument("--encoder", metavar="NAME|PATH", help="a sentence encoder (use, or a path)")
    args = ap.parse_args()
    encoder = load_encoder(args.encoder) if args.encoder else None
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
        al = align_document(doc, encoder=encoder)
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
    return 0


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
    print(f"Brier score {brier:.4f} over {len(judged)} beads")


if __name__ == "__main__":
    sys.exit(main())
