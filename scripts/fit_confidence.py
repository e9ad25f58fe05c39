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
from pathlib import Path

import numpy as np

from aligner import load_document
from aligner.align.document import align_spans
from aligner.config import DEFAULT
from aligner.formats.align import read_align

WEIGHTS = ("conf_bias", "conf_fit", "conf_margin", "conf_evidence", "conf_size")


def features(root: Path, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of (1, fit, margin, log share, size - 2, empty side) for each bead of one
    chapter, whether each is a gold bead, and each one's matched share."""
    doc = load_document([root / "zh" / f"{name}.zh", root / "en" / f"{name}.en"], presplit=True)
    spans, cost, evidence, _, _ = align_spans(doc)
    fits, margins = cost.length_fits(spans), cost.margins(spans, evidence.skip_costs())
    shares = cost.similarities(spans, evidence=True)
    gold = set(read_align(root / "gold" / f"{name}.align"))
    rows, right = [], []
    for (zr, er), fit, margin, share in zip(spans, fits, margins, shares, strict=True):
        full = bool(zr and er)
        log_share = math.log(share + 0.01) if full else 0.0
        size = len(zr) + len(er) - 2 if full else 0
        rows.append((1.0, fit, margin, log_share, size, 0.0 if full else 1.0))
        right.append((tuple(zr), tuple(er)) in gold)
    return np.array(rows), np.array(right, dtype=float), shares


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3) -> np.ndarray:
    w = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        hessian = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, x.T @ (p - y) + l2 * w)
    return w


def capped(x: np.ndarray, w: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """The confidences `align_document` gives: the logistic, then the evidence cap."""
    p = DEFAULT
    conf = 1.0 / (1.0 + np.exp(-(x @ w)))
    cap = 1.0 / (1.0 + np.exp(-p.conf_evidence_cap * (shares - p.conf_evidence_center)))
    full = x[:, 5] == 0
    conf[full] *= p.conf_floor + (1.0 - p.conf_floor) * cap[full]
    return conf


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
    x = np.concatenate([c[0] for c in chapters])
    y = np.concatenate([c[1] for c in chapters])
    shares = np.concatenate([c[2] for c in chapters])
    book = np.concatenate([np.full(len(c[1]), k) for k, c in enumerate(chapters)])
    w = fit_logistic(x, y)
    held_out = np.zeros(len(y))
    for k in range(len(names)):
        rest = book != k
        held_out[~rest] = capped(x[~rest], fit_logistic(x[rest], y[rest]), shares[~rest])
    for name, value in zip(WEIGHTS, w[:5], strict=True):
        print(f"{name:14} {value:8.3f}")
    print(f"{'conf_skip_bias':14} {w[0] + w[5]:8.3f}")  # its own intercept
    print(f"beads {len(y)}, right {y.mean():.3f}")
    print(f"AUC right vs wrong: in-sample {auc(capped(x, w, shares), y):.3f}, "
          f"leave-one-book-out {auc(held_out, y):.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
