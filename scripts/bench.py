"""Time the aligner on MAC-Dev and the Bible; score the Bible against its verse gold.

Usage: python scripts/bench.py ../shared/data [--skip-bible] [--skip-mac]

Each job runs in its own process (the `aligner` CLI), so wall time includes start-up and
reading, and peak memory is that process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aligner.evaluate import read_align


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"error: {' '.join(cmd)} failed")
    return wall, usage.ru_maxrss / 1024.0


def verse_score(gold: list, test: list) -> float:
    """Share of gold verse beads that no test bead crosses and that hold a test bead
    with both sides (the beads are (zh, en) index tuples)."""
    zh_owner: dict[int, int] = {}
    en_owner: dict[int, int] = {}
    for k, (z, e) in enumerate(gold):
        for i in z:
            zh_owner[i] = k
        for j in e:
            en_owner[j] = k
    crossed = set()
    filled = set()
    for z, e in test:
        owners = {zh_owner.get(i, -1) for i in z} | {en_owner.get(j, -1) for j in e}
        if len(owners) > 1:
            crossed |= owners
        elif owners and z and e:
            filled |= owners
    right = [k for k, (z, e) in enumerate(gold) if z and e and k in filled and k not in crossed]
    total = sum(1 for z, e in gold if z and e)
    return len(right) / total if total else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path, help="the shared data folder (mac-dev/, bible/)")
    ap.add_argument("--skip-bible", action="store_true")
    ap.add_argument("--skip-mac", action="store_true")
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp(prefix="bench-"))
    exe = [sys.executable, "-m", "aligner.cli"]
    if not args.skip_mac:
        mac = args.data / "mac-dev"
        chapters = sorted((mac / "zh").glob("*.zh"))
        # all six chapters in one process, as a batch would run them
        script = (
            "import sys; from aligner import load_document; "
            "from aligner.align import align_document\n"
            "for zh in sys.argv[1:]:\n"
            "    en = zh.replace('/zh/', '/en/')[:-3] + '.en'\n"
            "    align_document(load_document([zh, en], presplit=True))\n"
        )
        wall, mem = run([sys.executable, "-c", script] + [str(c) for c in chapters])
        print(f"MAC-Dev: {wall:.2f} s wall for {len(chapters)} chapters in one process, "
              f"peak {mem:.0f} MiB")  # fmt: skip
        total_wall, peak = 0.0, 0.0
        for zh in chapters:
            en = mac / "en" / f"{zh.stem}.en"
            wall, mem = run(exe + ["align", "--presplit", str(zh), str(en), "-o",
                                   str(out / f"{zh.stem}.align")])  # fmt: skip
            total_wall, peak = total_wall + wall, max(peak, mem)
        print(f"MAC-Dev: {total_wall:.2f} s wall as {len(chapters)} `aligner align` runs "
              f"(start-up included each time), peak {peak:.0f} MiB")  # fmt: skip
    if not args.skip_bible:
        bible = args.data / "bible"
        test_path = out / "bible.align"
        wall, mem = run(exe + ["align", "--presplit", str(bible / "bible.zh"),
                               str(bible / "bible.en"), "-o", str(test_path)])  # fmt: skip
        gold = read_align(bible / "gold.align", swap=True)
        test = read_align(test_path)
        print(
            f"Bible: {wall:.2f} s wall, peak {mem:.0f} MiB, "
            f"verse beads right {verse_score(gold, test):.3f} ({len(test)} beads)"
        )
    print(f"(outputs in {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
