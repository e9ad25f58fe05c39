"""Write every output the CLI makes for the Zhang essay and MAC-Dev into one folder, so
that two versions of the aligner can be compared byte for byte (a refactoring must not
change a single byte).

Usage:
    python scripts/snapshot_outputs.py OUT [--mac ../shared/data/mac-dev]
    python scripts/snapshot_outputs.py OUT --against BASELINE   # then compare

The hash seed and SOURCE_DATE_EPOCH are fixed, and TMX `creationdate` values are
blanked, so that two runs of one version are identical. Prints one line per file that
differs (or is missing on either side) and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ESSAY = ROOT / "corpora" / "zhang-china-us-new-developments.txt"
BATCH = ROOT / "tests" / "fixtures" / "batch" / "manifest.tsv"
KNOWN = ROOT / "tests" / "fixtures" / "terms" / "known.tsv"
REFERENCE = ROOT / "seeds" / "002_6eac984ff1cbfc6b.txt"
CREATIONDATE = re.compile(rb'creationdate="[^"]*"')


def run(out: Path, name: str, *args: str) -> None:
    """Run `aligner ARGS` in `out`; keep its stdout, stderr and exit code as NAME.*."""
    env = dict(os.environ, PYTHONHASHSEED="0", SOURCE_DATE_EPOCH="1700000000")
    proc = subprocess.run(
        [sys.executable, "-m", "aligner.cli", *args], cwd=out, env=env, capture_output=True
    )
    (out / f"{name}.stdout").write_bytes(proc.stdout)
    (out / f"{name}.stderr").write_bytes(proc.stderr)
    (out / f"{name}.rc").write_text(f"{proc.returncode}\n")


def snapshot(out: Path, mac: Path | None) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    e = str(ESSAY)
    run(out, "main-job", "align")
    run(out, "segment", "segment", e)
    run(out, "segment-jsonl", "segment", e, "-f", "jsonl")
    run(out, "align-jsonl", "align", e, "-o", "zhang.jsonl")
    run(out, "align-align", "align", e, "-o", "zhang.align")
    run(out, "align-stdout", "align", e)
    run(out, "align-paragraph", "align", e, "--level", "paragraph", "-o", "zhang-para.tsv")
    run(out, "align-tmx-keep", "align", e, "-o", "keep.tmx", "--keep-unaligned",
        "--zh-lang", "zh-TW", "--min-confidence", "0.5")  # fmt: skip
    run(out, "align-parallel", "align", e, "-o", "corpus", "--format", "parallel")
    run(out, "align-known", "align", e, "--glossary", str(KNOWN), "-o", "known.tsv")
    run(out, "merge", "merge", "keep.tmx", "zhang.jsonl", "-o", "merged.tmx")
    run(out, "check", "check", "zhang-china-us-new-developments.tmx", "--html", "check.html")
    run(out, "check-all", "check", e, "--all")
    run(out, "gloss-tsv", "glossary", e)
    run(out, "gloss-tbx", "glossary", e, "-o", "terms.tbx")
    run(out, "gloss-tbx3", "glossary", e, "-o", "terms3.tbx", "--tbx-version", "3")
    run(out, "gloss-csv", "glossary", e, "-o", "terms.csv", "--glossary", str(KNOWN),
        "--reference", str(REFERENCE))  # fmt: skip
    run(out, "gloss-json", "glossary", e, "-o", "terms.json")
    run(out, "gloss-from-tmx", "glossary", "zhang-china-us-new-developments.tmx", "-o", "t.csv")
    run(out, "batch", "batch", str(BATCH), "-o", "batch", "-j", "1", "-f", "tmx,tsv,jsonl",
        "--merge", "batch-merged.tmx")  # fmt: skip
    for record in (out / "batch").glob("*.done.json"):
        # a done-record holds the run's figures (seconds, peak memory): keep the rest
        text = re.sub(r'"(seconds|peak_rss|worker)": [^,}]*', r'"\1": 0', record.read_text())
        record.write_text(text)
    if mac:
        for zh in sorted((mac / "zh").glob("*.zh")):
            en = mac / "en" / f"{zh.stem}.en"
            run(out, f"mac-{zh.stem}", "align", str(zh), str(en), "--presplit", "-o",
                f"mac-{zh.stem}.jsonl")  # fmt: skip
            run(out, f"mac-{zh.stem}-align", "align", str(zh), str(en), "--presplit", "-o",
                f"mac-{zh.stem}.align")  # fmt: skip
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            data = CREATIONDATE.sub(b'creationdate="-"', data)
            # paths name the checkout and the folder: two checkouts compare equal
            data = data.replace(str(out).encode(), b"<out>").replace(str(ROOT).encode(), b"<repo>")
            # the progress bar and the summary table hold times
            if path.name == "batch.stderr" or path.name == "batch.stdout":
                data = b""
            path.write_bytes(data)


def compare(a: Path, b: Path) -> int:
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    names |= {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    bad = 0
    for name in sorted(names):
        pa, pb = a / name, b / name
        if not pa.exists() or not pb.exists():
            print(f"only in {'baseline' if pb.exists() else 'new'}: {name}")
            bad += 1
        elif not filecmp.cmp(pa, pb, shallow=False):
            print(f"differs: {name}")
            bad += 1
    print(f"{len(names)} files compared, {bad} differ")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--mac", type=Path, help="MAC-Dev folder (../shared/data/mac-dev)")
    ap.add_argument("--against", type=Path, help="a baseline snapshot to compare with")
    args = ap.parse_args()
    snapshot(args.out.resolve(), args.mac.resolve() if args.mac else None)
    return compare(args.against, args.out) if args.against else 0


if __name__ == "__main__":
    sys.exit(main())
