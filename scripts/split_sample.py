"""A random sample of the sentence-level units our TMX holds for MAC-Dev, to be judged by a
bilingual reader (would you keep this pair in a translation memory?).

Aligns the six chapters as `aligner align --presplit` does and prints N units drawn with
the given seed from those the default output writes (the parts of beads that join Chinese
sentences), or with --english from those `--split-english` adds (the parts of beads that
join English sentences, their Chinese sentence cut at clause boundaries).

Usage: python scripts/split_sample.py ../shared/data/mac-dev [--seed 31] [--n 30] [--english]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from aligner.align import align_document
from aligner.formats import joins_chinese, units_of
from aligner.segment import load_document


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mac_dir", type=Path)
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--english", action="store_true", help="the --split-english units")
    args = ap.parse_args()
    items = []
    for zh in sorted((args.mac_dir / "zh").glob("*.zh")):
        en = args.mac_dir / "en" / f"{zh.stem}.en"
        for unit in units_of(align_document(load_document([zh, en], presplit=True))):
            if joins_chinese(unit) != args.english:
                items += [(zh.stem, unit, p) for p in unit.parts if p.zh.strip() and p.en.strip()]
    print(f"{len(items)} units; {min(args.n, len(items))} drawn with seed {args.seed}")
    random.seed(args.seed)
    for k, (chapter, unit, part) in enumerate(random.sample(items, min(args.n, len(items))), 1):
        print(f"#{k} {chapter} bead {unit.kind} part {part.part} confidence {part.confidence:.2f}")
        print(f"  ZH: {part.zh}\n  EN: {part.en}")


if __name__ == "__main__":
    main()
