"""Fit the confidence model (`Params.conf_*`) on MAC-Dev's beads and say how well it
ranks right beads above wrong ones on books it was not fitted on.

Aligns the six chapters with today's parameters, takes each bead's features (length fit,
margin, log matched share, size; beads with an empty side: the margin only) and whether
it is a gold bead, and fits a logistic model by Newton's method. Prints the weights fitted
on all six chapters (the values for `aligner/config.py`) and the AUC of right vs wrong
beads: in-sample, and leave-one-book-out (each chapter scored by weights fitted on the
other five), both with the evidence cap `align_document` applies after the logistic.

Usage: python scripts/fit_confidence.py ../shared/data/mac-dev
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from aligner import load_document
from aligner.align.document import LOG_SHARE_OFFSET, align_spans, bead_confidence
from aligner.config import DEFAULT, Params
from aligner.formats.align import read_align

WEIGHTS = ("conf_bias", "conf_fit", "conf_margin", "conf_evidence", "conf_size")


def features(root: Path, name: str) -> tuple[list[tuple[float, float, float, int]], np.ndarray]:
    """(length fit, margin, matched share, size; 0: a side empty) of each bead of one
    chapter, as `align_document` computes its confidence, and whether each is a gold bead."""
    doc = load_document([root / "zh" / f"{name}.zh", root / "en" / f"{name}.en"], presplit=True)
    spans, cost, evidence, _, _ = align_spans(doc)
    fits, margins = cost.length_fits(spans), cost.margins(spans, evidence.skip_costs())
    shares = cost.similarities(spans, evidence=True)
    gold = set(read_align(root / "gold" / f"{name}.align"))
    beads = [
        (float(fit), float(margin), float(share), len(zr) + len(er) if zr and er else 0)
        for (zr, er), fit, margin, share in zip(spans, fits, margins, shares, strict=True)
    ]
    right = np.array([(tuple(zr), tuple(er)) in gold for zr, er in spans], dtype=float)
    return beads, right


def design(beads: list[tuple[float, float, float, int]]) -> np.ndarray:
    """The logistic's inputs: (1, fit, margin, log share, size - 2, a side empty)."""
    return np.array([
        (1.0, fit, margin, math.log(share + LOG_SHARE_OFFSET), size - 2, 0.0) if size
        else (1.0, 0.0, margin, 0.0, 0.0, 1.0)
        for fit, margin, share, size in beads
    ])  # fmt: skip


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, x.T @ (p - y) + l2 * w)
    return w


def params_of(w: np.ndarray) -> Params:
    """Today's parameters with these weights (the last: the empty-side intercept's
    difference from conf_bias)."""
    weights = {name: float(v) for name, v in zip(WEIGHTS, w[:5], strict=True)}
    return replace(DEFAULT, **weights, conf_skip_bias=float(w[0] + w[5]))


def confidences(beads: list[tuple[float, float, float, int]], p: Params) -> np.ndarray:
    """The confidences `align_document` gives these beads (the evidence cap included)."""
    return np.array([bead_confidence(p, *bead) for bead in beads])


def auc(score: np.ndarray, right: np.ndarray) -> float:
    """The chance that a right bead scores above a wrong one (ties count one half)."""
    pos, neg = score[right == 1], score[right == 0]
    above = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(above / (len(pos) * len(neg)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mac_dir", type=Path)
    root: Path = ap.parse_args().mac_dir
    names = sorted(f.stem for f in (root / "gold").glob("*.align"))
    if not names:
        print(f"error: {root / 'gold'}: no .align files", file=sys.stderr)
        return 2
    chapters = [features(root, name) for name in names]
    beads = [bead for c in chapters for bead in c[0]]
    x, y = design(beads), np.concatenate([c[1] for c in chapters])
    book = np.concatenate([np.full(len(c[1]), k) for k, c in enumerate(chapters)])
    w = fit_logistic(x, y)
    held_out = np.zeros(len(y))
    for k in range(len(names)):
        rest = book != k
        mine = [bead for bead, b in zip(beads, book, strict=True) if b == k]
        held_out[~rest] = confidences(mine, params_of(fit_logistic(x[rest], y[rest])))
    p = params_of(w)
    for name in (*WEIGHTS, "conf_skip_bias"):
        print(f"{name:14} {getattr(p, name):8.3f}")
    print(f"beads {len(y)}, right {y.mean():.3f}")
    print(f"AUC right vs wrong: in-sample {auc(confidences(beads, p), y):.3f}, "
          f"leave-one-book-out {auc(held_out, y):.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
