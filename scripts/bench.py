"""Time the aligner on MAC-Dev and the Bible; score the Bible against its verse gold, and
show per confidence band how many of its beads cross a verse border.

Usage: python scripts/bench.py ../shared/data [--skip-bible] [--skip-mac]
       python scripts/bench.py ../shared/data --batch [--batch-pairs 200] --skip-bible --skip-mac

Each job runs in its own process (the `aligner` CLI), so wall time includes start-up and
reading, and peak memory is that process's maximum resident set size.

`--batch` adds the `aligner batch` section: N pairs (default 200) cycling the six MAC-Dev
chapters (presplit) and the Zhang essay (a bilingual file), each under its own id, run
with --workers 1 and --workers 2 (throughput and its ratio, peak memory per worker from
the batch summary), then a --workers 2 run killed (SIGKILL, workers included) halfway
and resumed, its outputs compared byte for byte with the uninterrupted run's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aligner.formats.align import read_align

LAST_CPU = [0.0]  # CPU seconds (user + system, its worker processes included) of the last run


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one command; its CPU seconds go to
    LAST_CPU (the machine is shared: CPU time is steadier than wall time)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"error: {' '.join(cmd)} failed")
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    return wall, usage.ru_maxrss / 1024.0


# The floor of any aligner of these texts: jieba over the Chinese and a word regex over the
# English, in one process, nothing else.
FLOOR = (
    "import sys, jieba, regex\n"
    "jieba.setLogLevel(60)\n"
    "zh, en = (open(p, encoding='utf-8').read().splitlines() for p in sys.argv[1:3])\n"
    "words = regex.compile(r'\\w+|[^\\w\\s]')\n"
    "n = sum(len(jieba.lcut(line)) for line in zh) + sum(len(words.findall(line)) for line in en)\n"
)


def verse_owners(gold: list, test: list) -> list[set[int]]:
    """For each test bead, the gold verse beads its sentences belong to (-1: none)."""
    zh_owner = {i: k for k, (z, _) in enumerate(gold) for i in z}
    en_owner = {j: k for k, (_, e) in enumerate(gold) for j in e}
    return [{zh_owner.get(i, -1) for i in z} | {en_owner.get(j, -1) for j in e} for z, e in test]


def verse_score(gold: list, test: list) -> float:
    """Share of gold verse beads that no test bead crosses and that hold a test bead
    with both sides (the beads are (zh, en) index tuples)."""
    crossed = set()
    filled = set()
    for (z, e), owners in zip(test, verse_owners(gold, test), strict=True):
        if len(owners) > 1:
            crossed |= owners
        elif owners and z and e:
            filled |= owners
    right = [k for k, (z, e) in enumerate(gold) if z and e and k in filled and k not in crossed]
    total = sum(1 for z, e in gold if z and e)
    return len(right) / total if total else 0.0


def confidence_section(gold: list, test: list, confidence: list[float]) -> None:
    """Per confidence band, the share of the beads with both sides that cross a verse
    border (wrong by the verse measure): a confidence that means something falls with it."""
    bands = ((0.0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01))
    counts = {band: [0, 0] for band in bands}
    owners_of = verse_owners(gold, test)
    for (z, e), c, owners in zip(test, confidence, owners_of, strict=True):
        if not z or not e:
            continue
        for band in bands:
            if band[0] <= c < band[1]:
                counts[band][0] += 1
                counts[band][1] += len(owners) > 1
    for (lo, hi), (n, crossing) in counts.items():
        if n:
            print(f"  confidence {lo:.1f}-{min(hi, 1.0):.1f}: {n:6d} beads, "
                  f"{crossing / n:.3f} cross a verse border")  # fmt: skip


ROOT = Path(__file__).resolve().parent.parent
ESSAY = ROOT / "corpora" / "zhang-china-us-new-developments.txt"


def batch_manifest(data: Path, out: Path, n: int) -> Path:
    """N pairs cycling the MAC-Dev chapters and the Zhang essay, each under its own id (so
    that resuming skips none of them); paths absolute, as the manifest is elsewhere."""
    mac = data.resolve() / "mac-dev"
    sources = [(zh, mac / "en" / f"{zh.stem}.en") for zh in sorted((mac / "zh").glob("*.zh"))]
    sources.append((ESSAY,))
    lines = []
    for k in range(n):
        paths = sources[k % len(sources)]
        cells = [str(paths[0]), str(paths[1]) if len(paths) > 1 else ""]
        lines.append("\t".join(cells + [f"p{k:03d}-{paths[0].stem}"]))
    manifest = out / "batch-manifest.tsv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (Linux /proc/stat; else 0)."""
    try:
        with open("/proc/stat") as fh:
            ticks = [int(x) for x in fh.readline().split()[1:9]]
    except OSError:
        return 0.0
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def run_batch_cli(manifest: Path, outdir: Path, workers: int) -> tuple[float, float, float]:
    """Wall seconds of one `aligner batch` run, the peak memory per worker (MiB) its
    summary reports, and the CPU seconds it and its workers used. Says how busy other
    processes kept the machine meanwhile, as that skews the figures."""
    cmd = [sys.executable, "-m", "aligner.cli", "batch", str(manifest), "-o", str(outdir),
           "--presplit", "--workers", str(workers)]  # fmt: skip
    with tempfile.TemporaryFile("w+") as log:
        t0, busy0 = time.perf_counter(), busy_seconds()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        others = busy_seconds() - busy0 - (usage.ru_utime + usage.ru_stime)
        if others > 0.05 * wall:
            print(f"  (other processes kept {others / wall:.2f} cores busy during this run)")
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} failed:\n{output}")
    m = re.search(r"peak memory per worker\W+(\d+) MiB", output)
    return wall, float(m.group(1)) if m else float("nan"), usage.ru_utime + usage.ru_stime


def same_files(a: Path, b: Path) -> tuple[int, list[str]]:
    """How many files the two folders hold, and the names that differ."""
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    differ = [
        n for n in names
        if not (a / n).is_file() or not (b / n).is_file()
        or (a / n).read_bytes() != (b / n).read_bytes()
    ]  # fmt: skip
    return len(names), differ


def batch_section(data: Path, out: Path, n: int) -> None:
    manifest = batch_manifest(data, out, n)
    print(f"batch: {n} pairs (MAC-Dev chapters and the Zhang essay), manifest {manifest}")
    rates = {}
    for workers in (1, 2):
        wall, mem, cpu = run_batch_cli(manifest, out / f"batch-w{workers}", workers)
        rates[workers] = n / wall
        # CPU seconds over wall seconds: how many cores the run actually had
        print(f"batch --workers {workers}: {wall:.1f} s wall, {rates[workers]:.2f} pairs/s, "
              f"peak {mem:.0f} MiB per worker, {cpu:.1f} CPU s "
              f"({cpu / wall:.2f} cores busy)")  # fmt: skip
    print(f"batch: --workers 2 throughput is {rates[2] / rates[1]:.2f}x that of --workers 1")

    # killed halfway (the whole process group, workers too), then resumed
    killed = out / "batch-killed"
    cmd = [sys.executable, "-m", "aligner.cli", "batch", str(manifest), "-o", str(killed),
           "--presplit", "--workers", "2"]  # fmt: skip
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    while proc.poll() is None and len(list(killed.glob("*.done.json"))) < n // 2:
        time.sleep(0.05)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = len(list(killed.glob("*.done.json")))
    wall, _, _ = run_batch_cli(manifest, killed, 2)
    total, differ = same_files(killed, out / "batch-w2")
    verdict = "identical" if not differ else f"{len(differ)} differ: {', '.join(differ[:5])}"
    print(f"batch: killed (SIGKILL) with {before}/{n} pairs done, resumed in {wall:.1f} s; "
          f"outputs vs the uninterrupted --workers 2 run: {total} files, {verdict}")  # fmt: skip
    _, differ = same_files(out / "batch-w1", out / "batch-w2")
    print(f"batch: --workers 1 and --workers 2 outputs "
          f"{'identical' if not differ else f'differ in {len(differ)} files'}")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path, help="the shared data folder (mac-dev/, bible/)")
    ap.add_argument("--skip-bible", action="store_true")
    ap.add_argument("--skip-mac", action="store_true")
    ap.add_argument("--batch", action="store_true", help="also benchmark `aligner batch`")
    ap.add_argument("--batch-pairs", type=int, default=200, help="pairs in the batch section")
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
        test_path = out / "bible.jsonl"  # indices and confidences
        run([sys.executable, "-c", FLOOR, str(bible / "bible.zh"), str(bible / "bible.en")])
        floor = LAST_CPU[0]
        wall, mem = run(exe + ["align", "--presplit", str(bible / "bible.zh"),
                               str(bible / "bible.en"), "-o", str(test_path)])  # fmt: skip
        cpu = LAST_CPU[0]
        print(f"Bible: {cpu:.1f} s CPU; the floor (jieba + an English regex, one process) "
              f"{floor:.1f} s CPU; ratio {cpu / floor:.2f}")  # fmt: skip
        gold = read_align(bible / "gold.align", swap=True)
        records = [json.loads(line) for line in test_path.read_text(encoding="utf-8").splitlines()]
        test = [(tuple(r["zh_ids"]), tuple(r["en_ids"])) for r in records]
        print(
            f"Bible: {wall:.2f} s wall, peak {mem:.0f} MiB, "
            f"verse beads right {verse_score(gold, test):.3f} ({len(test)} beads)"
        )
        confidence_section(gold, test, [r["confidence"] for r in records])
    if args.batch:
        batch_section(args.data, out, args.batch_pairs)
    print(f"(outputs in {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
