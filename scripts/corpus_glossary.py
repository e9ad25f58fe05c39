"""Measure a corpus glossary on MAC-Dev: its six chapters aligned by `aligner batch`
(presplit, JSONL), then `aligner glossary FOLDER` on one process and on local worker
processes; CPU seconds (the command and its workers), wall seconds and peak memory of
each, whether they write the same glossary, its top entries with their documents, and
the entries in most documents.

Usage: python scripts/corpus_glossary.py ../shared/data/mac-dev [--workers 2] [--top 20]
       [--copies N]

`--copies N` makes a bigger corpus: each chapter N times under its own name (the same
text: every term is in N documents or more), to see the cost grow with the documents.
Each command runs in its own process (the `aligner` CLI).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(cmd: list[str]) -> tuple[float, float, float]:
    """CPU seconds (with its reaped children), wall seconds and peak resident memory (MiB,
    of the biggest process) of one command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"error: {' '.join(cmd)} failed")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mac_dev", type=Path, help="the MAC-Dev folder (zh/, en/)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    aligner = [sys.executable, "-m", "aligner.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        lines = []
        for zh in sorted((args.mac_dev / "zh").glob("*.zh")):
            en = args.mac_dev / "en" / f"{zh.stem}.en"
            for k in range(args.copies):
                lines.append(f"{zh.resolve()}\t{en.resolve()}\t{zh.stem}_{k}\n")
        manifest = work / "manifest.tsv"
        manifest.write_text("".join(lines), encoding="utf-8")
        aligned = work / "aligned"
        cpu, wall, rss = run([*aligner, "batch", str(manifest), "-o", str(aligned),
                              "--presplit", "-f", "jsonl", "-j", str(args.workers)])  # fmt: skip
        print(f"{len(lines)} documents aligned by batch (-j {args.workers}): "
              f"{cpu:.1f} s CPU, {wall:.1f} s wall, {rss:.0f} MiB")  # fmt: skip
        outputs = {}
        for workers in (1, args.workers):
            out = work / f"terms-{workers}.csv"
            cpu, wall, rss = run([*aligner, "glossary", str(aligned), "-j", str(workers),
                                  "-o", str(out)])  # fmt: skip
            outputs[workers] = out.read_bytes()
            print(f"glossary -j {workers}: {cpu:.1f} s CPU, {wall:.1f} s wall, "
                  f"peak {rss:.0f} MiB (biggest process)")  # fmt: skip
        print("same glossary on 1 and", args.workers, "workers:",
              outputs[1] == outputs[args.workers])  # fmt: skip
        with open(work / "terms-1.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        print(f"{len(rows)} entries; in 2 documents or more: "
              f"{sum(1 for r in rows if int(r['documents']) > 1)}")  # fmt: skip
        print("zh\ten\tfrequency\tdocuments\tconfidence")
        for r in rows[: args.top]:
            print(f"{r['zh']}\t{r['en']}\t{r['frequency']}\t{r['documents']}\t{r['confidence']}")
        print("in most documents:")
        for r in sorted(rows, key=lambda r: -int(r["documents"]))[:10]:
            print(f"{r['zh']}\t{r['en']}\t{r['frequency']}\t{r['documents']}\t{r['confidence']}")
        shutil.rmtree(aligned)


if __name__ == "__main__":
    main()
