"""CPU seconds of the aligner's start-up: this checkout, and another one beside it in the
same run (`--before`), job by job.

Usage: python scripts/startup_bench.py ../shared/data [--before DIR] [--repeat 3]

DIR is another checkout of the aligner to compare with, for instance the main branch
exported with `git archive main | tar -x -C DIR`. Every job is its own process
(`python -m aligner.cli ...` with PYTHONPATH set to the checkout, in a scratch folder),
timed by its CPU seconds (user + system, from the kernel's accounting of the process);
each figure is the median of the repeats, the checkouts' runs taking turns. A first,
untimed run per checkout fills its caches.

The jobs: `aligner --help`; the three-line job (`aligner align three.txt -o three.tsv`,
three sentences a side); `aligner check three.tmx` (a translation memory of it); and
MAC-Dev (data/mac-dev) as six `aligner align NNN.zh NNN.en --presplit -o NNN.tsv` runs
against one `aligner batch --presplit -j 1` process over the six, with the ratio of the
two. The outputs of the two checkouts are compared byte for byte.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREE = (
    "中美关系正在改善。\n双方同意加强对话。\n战略稳定很重要。\n\n"
    "China-U.S. relations are improving.\nThe two sides agreed to strengthen dialogue.\n"
    "Strategic stability matters.\n"
)
CHAPTERS = ("001", "002", "003", "004", "005", "006")


def cpu(code: Path, work: Path, *args: str) -> float:
    """CPU seconds (user + system) of `aligner ARGS` run from `code` in `work`."""
    env = dict(os.environ, PYTHONPATH=str(code))
    proc = subprocess.Popen(
        [sys.executable, "-m", "aligner.cli", *args], cwd=work, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"error: aligner {' '.join(args)} ({code}) failed:\n{err.decode()}")
    return usage.ru_utime + usage.ru_stime


def jobs(mac: Path, work: Path) -> dict[str, list[list[str]]]:
    """Each job's commands (run in `work`)."""
    (work / "three.txt").write_text(THREE, encoding="utf-8")
    (work / "mac.tsv").write_text(
        "".join(f"{mac}/zh/{c}.zh\t{mac}/en/{c}.en\t{c}\n" for c in CHAPTERS), encoding="utf-8"
    )
    six = [["align", f"{mac}/zh/{c}.zh", f"{mac}/en/{c}.en", "--presplit", "-o", f"{c}.tsv"]
           for c in CHAPTERS]  # fmt: skip
    return {
        "aligner --help": [["--help"]],
        "three-line job": [["align", "three.txt", "-o", "three.tsv"]],
        "check three.tmx": [["check", "three.tmx"]],
        "MAC-Dev, 6 runs": six,
        "MAC-Dev, 1 batch": [["batch", "mac.tsv", "-o", "batch", "--presplit", "-j", "1",
                              "-f", "tsv", "--force"]],  # fmt: skip
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path, help="the shared data folder (../shared/data)")
    ap.add_argument("--before", type=Path, help="another checkout to time beside this one")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    mac = (args.data / "mac-dev").resolve()
    codes = {"after": ROOT}
    if args.before:
        codes = {"before": args.before.resolve(), "after": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        works = {name: Path(tmp) / name for name in codes}
        for name, code in codes.items():
            works[name].mkdir()
            todo = jobs(mac, works[name])
            cpu(code, works[name], "align", "three.txt", "-o", "three.tmx")  # caches, the TMX
        times: dict[str, dict[str, list[float]]] = {n: {j: [] for j in todo} for n in codes}
        for _ in range(args.repeat):
            for job, commands in todo.items():
                for name, code in codes.items():
                    times[name][job].append(sum(cpu(code, works[name], *c) for c in commands))
        same = "-"
        if args.before:
            outputs = ["three.tsv", *(f"{c}.tsv" for c in CHAPTERS)]
            outputs += [f"batch/{c}.tsv" for c in CHAPTERS]
            a, b = works["before"], works["after"]
            same = all(filecmp.cmp(a / f, b / f, shallow=False) for f in outputs)
    median = {n: {j: statistics.median(t) for j, t in jt.items()} for n, jt in times.items()}
    bytecode = "not written" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "written"
    print(f"CPU seconds (user+sys), median of {args.repeat}; Python bytecode {bytecode}")
    header = f"{'job':20}" + "".join(f"{n:>10}" for n in codes)
    print(header + ("   before/after" if args.before else ""))
    for job in todo:
        row = "".join(f"{median[n][job]:10.2f}" for n in codes)
        if args.before:
            row += f"{median['before'][job] / median['after'][job]:14.1f}x"
        print(f"{job:20}{row}")
    for n in codes:
        ratio = median[n]["MAC-Dev, 6 runs"] / median[n]["MAC-Dev, 1 batch"]
        print(f"{n}: MAC-Dev as six runs / as one batch process = {ratio:.2f}")
    if args.before:
        print(f"outputs identical (three.tsv, six MAC-Dev TSVs, batch TSVs): {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
