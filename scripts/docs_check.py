"""Real documents in: the Debian FAQ read from its HTML pages, and the same text given in
other formats made by real converters.

1. Blocks: the blocks the HTML reader gives for the 17 pages of each language (in the
   order of the pages' "next" links) against the blocks of the plain-text version
   (`debian-faq.{zh,en}.txt`, one block per paragraph): how many of those it finds.
2. Alignment: each Chinese page aligned with its English page at paragraph level, the
   rows put together in page order and scored with `real-docs/score.py` against the
   block-level gold.
3. Formats (`--formats docx,odt,epub,md,pdf`): each page pair converted from its HTML by
   the real tool (LibreOffice for DOCX and ODT, pandoc for EPUB and Markdown, headless Chromium's
   print to PDF, with its page headers and footers), aligned at sentence
   level; the share of the 1-1 pairs of the HTML run that the converted run gives
   identically.

4. Speed (`--long-pdf N`): the 16 English chapters printed N times over as one PDF by
   Chromium (N=6: 327 pages), and the CPU seconds reading it takes.

Usage: python scripts/docs_check.py ../shared/data/real-docs [--formats docx,odt,epub,md,pdf]
       [--long-pdf 6]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from aligner.align import align_document
from aligner.formats import read_document, save_units, units_of
from aligner.segment import load_document

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"]  # fmt: skip
TOOLS = {"docx": "soffice", "odt": "soffice", "pdf": "chromium"}


def page_order(folder: Path, first: str) -> list[Path]:
    """The pages from `first` on, each page's `<link rel="next">` naming the next."""
    order: list[Path] = []
    page: str | None = first
    while page and folder / page not in order:
        order.append(folder / page)
        html = (folder / page).read_text(encoding="utf-8")
        found = re.search(r'<link rel="next" href="([^"#]+)"', html)
        page = found.group(1) if found else None
    return order


def text_blocks(path: Path) -> list[str]:
    return [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]


def pairs(files: list[Path]) -> list[tuple[str, str]]:
    """The 1-1 sentence pairs of an alignment of these files."""
    al = align_document(load_document(files))
    return [al.texts(b) for b in al.beads if len(b.zh) == 1 and len(b.en) == 1]


def convert(html: Path, fmt: str, out: Path) -> Path:
    """The page converted to `fmt` by the real tool."""
    target = out / f"{html.stem}.{fmt}"
    if fmt == "pdf":  # printed as a browser prints it: page headers and footers included
        command = [*CHROMIUM, f"--user-data-dir={out / 'chromium'}",
                   f"--print-to-pdf={target}", html.resolve().as_uri()]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)
    elif fmt in ("docx", "odt"):
        to = "docx:MS Word 2007 XML" if fmt == "docx" else "odt"
        command = ["soffice", "--headless", "--convert-to", to, "--outdir", str(out), str(html)]
        subprocess.run(command, check=True, capture_output=True)
    else:
        to = {"epub": "epub3", "md": "commonmark"}[fmt]
        subprocess.run(["pandoc", str(html), "-f", "html", "-t", to, "-o", str(target)],
                       check=True, capture_output=True)  # fmt: skip
    return target


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("real_docs", type=Path)
    ap.add_argument("--formats", default="", help="comma-separated: docx, odt, epub, md, pdf")
    ap.add_argument("--long-pdf", type=int, default=0, metavar="N",
                    help="time reading the English chapters printed N times as one PDF")
    args = ap.parse_args()
    faq = args.real_docs / "debian-faq"
    # the index page holds the title, the copyright and the contents: not in the gold
    zh_pages = page_order(faq / "html" / "zh", "index.zh-cn.html")[1:]
    en_pages = page_order(faq / "html" / "en", "index.en.html")[1:]
    for lang, pages in (("zh", zh_pages), ("en", en_pages)):
        read = {b.text for page in pages for b in read_document(page) or []}
        gold = text_blocks(faq / f"debian-faq.{lang}.txt")
        found = sum(block in read for block in gold)
        print(f"blocks {lang}: {found} of {len(gold)} plain-text blocks read from the HTML")
    units = []
    for zh, en in zip(zh_pages, en_pages, strict=True):
        al = align_document(load_document([zh, en]), level="paragraph")
        units += units_of(al)
    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "faq.tsv"
        save_units(units, tsv)
        score = [sys.executable, str(args.real_docs / "score.py"),
                 str(faq / "debian-faq.gold.tsv"), str(tsv)]  # fmt: skip
        print(subprocess.run(score, capture_output=True, text=True, check=True).stdout.strip())
        for fmt in filter(None, args.formats.split(",")):
            tool = TOOLS.get(fmt, "pandoc")
            if shutil.which(tool) is None:
                print(f"{fmt}: {tool} not found")
                continue
            same = total = 0
            for zh, en in zip(zh_pages, en_pages, strict=True):
                reference = pairs([zh, en])
                made = [convert(page, fmt, Path(tmp)) for page in (zh, en)]
                got = set(pairs(made))
                same += sum(p in got for p in reference)
                total += len(reference)
            print(f"{fmt}: {same} of {total} 1-1 sentence pairs of the HTML run given "
                  f"identically ({same / max(total, 1):.1%})")  # fmt: skip
        if args.long_pdf:
            long_pdf(en_pages, args.long_pdf, Path(tmp))
    return 0


def long_pdf(pages: list[Path], times: int, out: Path) -> None:
    """Print the pages' bodies `times` over as one PDF, and read it in a fresh process."""
    bodies = [re.search(r"<body[^>]*>(.*)</body>", p.read_text(encoding="utf-8"), re.S)
              for p in pages]  # fmt: skip
    html = out / "long.html"
    html.write_text('<html><head><meta charset="utf-8"><title>FAQ</title></head><body>'
                    + "".join(b.group(1) for b in bodies if b) * times + "</body></html>",
                    encoding="utf-8")  # fmt: skip
    pdf = convert(html, "pdf", out)
    code = ("import resource, sys\nfrom aligner.formats import read_document\n"
            "before = resource.getrusage(resource.RUSAGE_SELF)\n"
            "blocks = read_document(sys.argv[1])\n"
            "after = resource.getrusage(resource.RUSAGE_SELF)\n"
            "cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime\n"
            "print(len(blocks), f'{cpu:.2f}')")  # fmt: skip
    from pypdf import PdfReader

    pages_n = len(PdfReader(str(pdf)).pages)
    done = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True,
                          text=True, check=True).stdout.split()  # fmt: skip
    print(f"long PDF: {pages_n} pages, {done[0]} blocks, read in {done[1]} s CPU "
          f"({float(done[1]) / pages_n * 300:.1f} s per 300 pages)")


if __name__ == "__main__":
    sys.exit(main())
