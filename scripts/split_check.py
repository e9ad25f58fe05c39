"""How well joined beads are split into segment-level parts, on beads made from MAC-Dev's
gold: two consecutive gold 1-1 pairs (z1, e1), (z2, e2) become

* a 2-1 bead: z1, z2 and one English sentence "e1, e2" (e1's full stop made a comma);
* a 1-2 bead: one Chinese sentence "z1，z2" and e1, e2;
* an omission: z1, z2 and e1 alone (z2's translation left out: z2 should get no piece);

and the split is right when its pieces are exactly the original sentences. Prints, per
kind, how many beads were split (certainty at least Params.split_min) and how many of
those right, and the certainty's reliability; `--fit` also fits the certainty's logistic
slope and bias on the margins (maximum likelihood over a grid).

Usage: python scripts/split_check.py ../shared/data/mac-dev [--fit] [--show N]
       [--set split_skip=0.3 ...]
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from aligner import load_document
from aligner.align.document import align_spans
from aligner.align.split import Splitter
from aligner.config import DEFAULT
from aligner.formats.align import read_align
from aligner.model import EN, ZH, Sentence
from aligner.normalise import matching_form
from aligner.tokenise import lemmas_en, tokenise_en, tokenise_zh

END_EN = (".", "!", "?")
END_ZH = ("。", "！", "？")


def _en(text: str) -> Sentence:
    tokens = tokenise_en(text)
    return Sentence(text, matching_form(text), EN, 0, 0, tokens, lemmas_en(tokens))


def _zh(text: str) -> Sentence:
    tokens = tokenise_zh(text)
    return Sentence(text, matching_form(text), ZH, 0, 0, tokens, [matching_form(t) for t in tokens])


def _lower_first(text: str, lowered: set[str]) -> str:
    """The sentence with its first word in lower case when the text writes the word so
    elsewhere (`The` -> `the`; not `I`, not a name): as in a sentence joined to another."""
    first = text.split(" ", 1)[0]
    if first.lower() in lowered and first != "I":
        return first.lower() + text[len(first) :]
    return text


def cases(zs: list[Sentence], es: list[Sentence], gold: list) -> list[tuple[str, list, list, list]]:
    """(kind, Chinese sentences, English sentences, expected (zh, en) parts)."""
    out = []
    lowered = {t for s in es for t in s.tokens[1:] if t.islower()}
    ones = [(z[0], e[0]) for z, e in gold if len(z) == 1 and len(e) == 1]
    for (z1, e1), (z2, e2) in zip(ones, ones[1:], strict=False):
        if z2 != z1 + 1 or e2 != e1 + 1 or zs[z1].para != zs[z2].para:
            continue
        a, b, c, d = zs[z1].text, zs[z2].text, es[e1].text, es[e2].text
        if c.endswith(END_EN):
            second = _lower_first(d, lowered)
            joined = _en(f"{c[:-1]}, {second}")
            out.append(("2-1", [zs[z1], zs[z2]], [joined], [(a, c[:-1]), (b, second)]))
        if a.endswith(END_ZH):
            joined = _zh(f"{a[:-1]}，{b}")
            out.append(("1-2", [joined], [es[e1], es[e2]], [(a[:-1], c), (b, d)]))
        out.append(("omission", [zs[z1], zs[z2]], [es[e1]], [(a, c), (b, "")]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("mac_dir", type=Path)
    ap.add_argument("--fit", action="store_true", help="fit the certainty's slope and bias")
    ap.add_argument("--show", type=int, default=0, help="print N wrong splits of each kind")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="a split_* parameter for this run (repeatable)")
    args = ap.parse_args()
    root: Path = args.mac_dir
    gold_dir = root / "gold"
    if not gold_dir.is_dir():
        print(f"error: {gold_dir}: not found", file=sys.stderr)
        return 2
    p = replace(DEFAULT, **{k: float(v) for k, v in (a.split("=", 1) for a in args.set)})
    results: dict[str, list[tuple[float, bool]]] = {}
    wrong: dict[str, list[str]] = {}
    for gold_file in sorted(gold_dir.glob("*.align")):
        name = gold_file.stem
        doc = load_document([root / "zh" / f"{name}.zh", root / "en" / f"{name}.en"], presplit=True)
        _, cost, _, zs, es = align_spans(doc)
        splitter = Splitter(cost, zs, es)
        splitter.p = p
        for kind, zh, en, expected in cases(zs, es, read_align(gold_file)):
            found = splitter.pieces(zh, en)
            if found is None:
                continue
            split, parts = found
            got = [(z, e) for z, e, _, _ in parts]
            ok = got == expected
            # a split with a sentence that shares no word with its piece is never kept
            margin = split.margin if split.certainty > 0 else -math.inf
            results.setdefault(kind, []).append((margin, ok))
            if not ok and split.certainty >= p.split_min:
                wrong.setdefault(kind, []).append(f"{got}\n    expected {expected}")
    print(f"{'kind':9} {'beads':>6} {'best right':>10} {'split':>6} {'right':>6} {'share':>6}")
    for kind, rows in results.items():
        cert = [_certainty(m, p.split_slope, p.split_bias) for m, _ in rows]
        kept = [ok for (_, ok), c in zip(rows, cert, strict=True) if c >= p.split_min]
        best = sum(ok for _, ok in rows)
        share = sum(kept) / len(kept) if kept else float("nan")
        print(f"{kind:9} {len(rows):6} {best:10} {len(kept):6} {sum(kept):6} {share:6.3f}")
    every = [r for rows in results.values() for r in rows]
    _reliability(every, p.split_slope, p.split_bias)
    if args.fit:
        slope, bias = _fit(every)
        print(f"fitted: split_slope={slope:.2f} split_bias={bias:.2f}")
        _reliability(every, slope, bias)
    for kind, lines in wrong.items():
        for line in lines[: args.show]:
            print(f"[{kind}] {line}")
    return 0


def _certainty(margin: float, slope: float, bias: float) -> float:
    if margin == -math.inf:
        return 0.0
    return 1.0 / (1.0 + math.exp(-(slope * margin + bias)))


def _reliability(rows: list[tuple[float, bool]], slope: float, bias: float) -> None:
    bands = ((0.0, 0.01), (0.01, 0.3), (0.3, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01))
    print(f"{'certainty':10} {'beads':>6} {'mean':>6} {'right':>6}")
    for lo, hi in bands:
        inside = [
            (c, ok) for m, ok in rows if lo <= (c := _certainty(m, slope, bias)) < hi
        ]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            right = sum(ok for _, ok in inside) / len(inside)
            print(f"{lo:.1f}-{min(hi, 1.0):.1f}    {len(inside):6} {mean:6.3f} {right:6.3f}")


def _fit(rows: list[tuple[float, bool]]) -> tuple[float, float]:
    margins = np.array([m for m, _ in rows if m > -math.inf])
    right = np.array([ok for m, ok in rows if m > -math.inf], dtype=float)
    best = (-np.inf, 0.0, 0.0)
    for slope in np.arange(0.5, 20.01, 0.25):
        for bias in np.arange(-4.0, 4.01, 0.1):
            prob = np.clip(1.0 / (1.0 + np.exp(-(slope * margins + bias))), 1e-6, 1 - 1e-6)
            ll = float(np.sum(right * np.log(prob) + (1 - right) * np.log(1 - prob)))
            if ll > best[0]:
                best = (ll, float(slope), float(bias))
    return best[1], best[2]


if __name__ == "__main__":
    sys.exit(main())
