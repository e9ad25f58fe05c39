"""How many of a CAT tool's segments our TMX fills by exact match (OmegaT, the real one).

For a document pair (or a bilingual file; none: the shipped Zhang essay) this aligns the
document, writes its TMX twice (the default, with sentence-level units of joined beads,
and with --no-split), and for each builds an OmegaT project: the Chinese side as the
source file (headers and paragraphs, a paragraph a line), the TMX in `tm/auto/`. Then it
runs OmegaT twice in console mode:

  omegat PROJECT --mode=console-createpseudotranslatetmx --pseudotranslatetype=equal
      every source segment OmegaT makes (its own Chinese sentence segmentation)
  omegat PROJECT --mode=console-translate
      the project translated; exact matches of tm/auto are taken into the project's memory

and reads OmegaT's own statistics (`omegat/project_stats.txt`): the segments, and those
left untranslated once the exact matches of our TMX are in.
It needs Debian's `omegat` package (and a JVM); a benchmark, not a test.

  python scripts/cat_check.py                                    # the Zhang essay
  python scripts/cat_check.py --presplit ../shared/data/mac-dev/{zh/001.zh,en/001.en}
  python scripts/cat_check.py DOC... --keep DIR                   # keep the projects in DIR
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from lxml import etree

from aligner.align import align_document
from aligner.cli import DEFAULT_CORPUS
from aligner.formats import save_units, units_of
from aligner.model import ExportOptions, Unit
from aligner.segment import load_document

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes>
      <mask>**/.svn/**</mask>
    </source_dir_excludes>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>{zh}</source_lang>
    <target_lang>{en}</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneSmartChineseTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>true</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def chinese_source(files: list[str], presplit: bool) -> tuple[str, str]:
    """The document's Chinese side as a CAT tool's source file would hold it (headers,
    then the paragraphs, one a line, a blank line between), and the document's name."""
    doc = load_document(files, presplit=presplit, tokens=False)
    # a paragraph's sentences joined as Chinese joins them (with no space)
    paragraphs = ["".join(s.text for s in p.sentences) or p.text for p in doc.zh.paragraphs]
    blocks = [h.text for h in doc.zh.headers] + paragraphs
    return "\n\n".join(blocks) + "\n", doc.name or "document"


def make_project(root: Path, source: str, name: str, tmx: Path, options: ExportOptions) -> None:
    for sub in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "omegat.project").write_text(
        PROJECT.format(zh=options.zh_lang.upper(), en=options.en_lang.upper()), encoding="utf-8"
    )
    (root / "source" / f"{name}.txt").write_text(source, encoding="utf-8")
    shutil.copy(tmx, root / "tm" / "auto" / tmx.name)


def omegat(root: Path, *args: str) -> None:
    config = root.parent / f"{root.name}-config"  # OmegaT's settings, kept out of $HOME
    config.mkdir(exist_ok=True)
    cmd = ["omegat", str(root), f"--config-dir={config}", "--disable-project-locking",
           "--no-team", "--quiet", *args]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        sys.exit(f"omegat failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")


def pseudo_segments(path: Path) -> list[str]:
    """The source segments of OmegaT's pseudo-translated TMX (one tu per unique segment)."""
    return ["".join(next(tu.iter("seg")).itertext()) for tu in etree.parse(str(path)).iter("tu")]


def remaining(stats: Path) -> tuple[int, int]:
    """(segments, segments left untranslated) from OmegaT's project_stats.txt."""
    rows = {}
    for line in stats.read_text(encoding="utf-8").splitlines():
        head, _, rest = line.partition(":")
        if head.strip() in ("Total", "Remaining") and head.strip() not in rows:
            rows[head.strip()] = int(rest.split()[0])
    return rows["Total"], rows["Remaining"]


def measure(root: Path) -> tuple[int, int, list[str]]:
    """(segments, segments filled from tm/auto, the unique segments left unfilled): the
    counts as OmegaT's statistics give them after console-translate; a segment is left
    unfilled when its source text stands in the translated file."""
    pseudo = root / "pseudo.tmx"
    omegat(root, "--mode=console-createpseudotranslatetmx", f"--pseudotranslatetmx={pseudo}",
           "--pseudotranslatetype=equal")  # fmt: skip
    omegat(root, "--mode=console-translate")
    total, left = remaining(root / "omegat" / "project_stats.txt")
    translated = "".join(p.read_text(encoding="utf-8") for p in (root / "target").iterdir())
    unfilled = [s for s in pseudo_segments(pseudo) if s in translated]
    return total, total - left, unfilled


def _why(segment: str, units: list[Unit], split: bool) -> str:
    """Why a segment got no exact match: the bead that holds it has no English, it lies
    inside a larger unit (a joined bead left whole, or a sentence OmegaT cuts in two), or
    no unit holds it (a header we do not align; a segment across our sentences)."""
    texts = [(u.zh, u.en) for u in units]
    if split:
        texts += [(p.zh, p.en) for u in units for p in u.parts]
    for zh, en in texts:
        if zh.strip() == segment.strip():
            return "no English" if not en.strip() else "unit there but not matched"
    if any(segment in zh for zh, _ in texts):
        return "inside a larger unit"
    return "in no unit of ours (a header, or across sentences)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="a document pair or a bilingual file (none: Zhang)")
    ap.add_argument("--keep", type=Path, help="build the projects in this folder and keep them")
    ap.add_argument("--presplit", action="store_true", help="one sentence a line (MAC-Dev)")
    ap.add_argument("--show", action="store_true", help="list the segments left unfilled")
    args = ap.parse_args()
    if shutil.which("omegat") is None:
        sys.exit("omegat not found: apt-get install omegat")
    files = args.files or [str(DEFAULT_CORPUS)]
    work = args.keep or Path(tempfile.mkdtemp(prefix="cat-check-"))
    work.mkdir(parents=True, exist_ok=True)
    source, name = chinese_source(files, args.presplit)
    units = units_of(align_document(load_document(files, presplit=args.presplit)))
    print(f"{name}: {len(units)} beads")
    for label, split in (("--no-split", False), ("default (split)", True)):
        options = ExportOptions(split=split)
        root = work / ("split" if split else "no-split")
        tmx = work / f"{name}{'' if split else '-no-split'}.tmx"
        result = save_units(units, tmx, "tmx", options)
        make_project(root, source, name, tmx, options)
        total, filled, unfilled = measure(root)
        share = filled / total if total else 0.0
        print(f"{label:16} TMX units {result.written:4}  OmegaT segments {total:4}  "
              f"filled by exact match {filled:4} ({share:.1%})")  # fmt: skip
        why = [_why(text, units, split) for text in unfilled]
        counts = {w: why.count(w) for w in dict.fromkeys(why)}
        print("    unfilled: " + ", ".join(f"{n} {w}" for w, n in counts.items()))
        if args.show:
            for text, w in zip(unfilled, why, strict=True):
                print(f"    [{w}] {text}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
