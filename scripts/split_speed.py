"""CPU seconds of splitting a text's joined beads (`split_beads`), apart from the rest of
aligning, and a digest of what it gives, so that two versions of the aligner can be
compared on the same beads.

Aligns the text pair once (as `align_document` does), keeps the beads and bead cost that
`split_beads` is given, then splits them --repeat times, each time timed by the process's
CPU clock. Prints the CPU seconds of each repeat and their median, the number of joined
beads and of beads given parts, and a digest of the beads with their parts.

Usage: python scripts/split_speed.py ZH EN [--presplit] [--repeat 3], for instance
    python scripts/split_speed.py ../shared/data/bible/bible.{zh,en} --presplit
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

import aligner.align.document as document
from aligner import load_document


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("zh", type=Path)
    ap.add_argument("en", type=Path)
    ap.add_argument("--presplit", action="store_true", help="one sentence a line")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    for path in (args.zh, args.en):
        if not path.is_file():
            print(f"error: {path}: not found", file=sys.stderr)
            return 2
    given = []
    split_beads = document.split_beads

    def keep(beads, cost, zs, es):
        given.append((beads, cost, zs, es))
        return split_beads(beads, cost, zs, es)

    document.split_beads = keep  # the beads of one alignment, kept to split again
    try:
        doc = load_document([args.zh, args.en], presplit=args.presplit)
        document.align_document(doc)
    finally:
        document.split_beads = split_beads
    beads, cost, zs, es = given[0]
    seconds = []
    for _ in range(args.repeat):
        start = time.process_time()
        out = split_beads(beads, cost, zs, es)
        seconds.append(time.process_time() - start)
    joined = sum(1 for b in beads if len(b.zh) > 1 or len(b.en) > 1)
    digest = hashlib.sha1(
        json.dumps([(b.zh, b.en, b.confidence, [(p.zh, p.en, p.confidence) for p in b.parts])
                    for b in out]).encode()  # fmt: skip
    ).hexdigest()[:12]
    print("split_beads CPU s:", " ".join(f"{s:.2f}" for s in seconds),
          f"median {statistics.median(seconds):.2f}")  # fmt: skip
    print(f"{joined} joined beads, {sum(1 for b in out if b.parts)} given parts; digest {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
