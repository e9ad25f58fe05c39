"""PDF in: the paragraphs of a PDF's text layer, page furniture left out. pypdf reads
the text runs with where each starts and ends and its font size, in one pass (the
grouping its layout mode makes its text from); an older or newer pypdf without that
grouping is read by its text visitor and layout text instead, in two passes.

- Page furniture: a line among the first or last three of a page, shorter than a full
  line of body text, that recurs at the same height on most pages (digits aside: "3/5",
  "Page 3") is a running header or footer; so is a line that is only a page number, and
  what a browser prints at a page's edges (the date and title, the address and page
  number). They are left out, with whatever stands beside them at their height.
- Lines: the runs at one height, left to right, a space where a gap between two runs
  is (a Chinese text layer often has no space character next to a Latin word).
- Paragraphs: a gap wider than the usual line pitch, a change of font size or a line
  further right parts them; a line in a font larger than the body's starts a heading. A
  paragraph that runs over a page break (its page's last line does not end a sentence)
  is joined to the next page's first. The hard wraps inside one are undone by the text
  reader's rules (`read.join_lines`).
- Characters: the Kangxi radicals and compatibility ideographs some CJK fonts map their
  glyphs to are read as the ideographs they stand for (⽂ -> 文), ligatures as letters
  (ﬁ -> fi). Spacing: none between Chinese characters, next to full-width punctuation
  or inside quotation marks; and when the document mostly puts a space between Chinese
  and a Latin word or a number, it is put where the text layer (or the joining of a
  wrapped line) lost it. Table cells are not told apart: a row is a line.
- A PDF with no text layer (a scan) or one that needs a password is refused: no OCR.

pypdf was chosen over pdfminer.six by measuring both on pages Chromium printed from the
Debian FAQ: 0.031 s a page of English against 0.073 s (and as fast on Chinese).
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..model import EN, Block, InputError
from ..normalise import WIDE, detect_lang
from ._io import existing_file

EDGE = 3  # lines at the top and at the bottom of a page where furniture stands
GAP = 1.3  # a gap between two lines this much wider than the usual pitch parts paragraphs
SPACE_GAP = 0.15  # a gap between two runs of a line this much of a font height is a space
# what a browser prints at a page's edges: the date and time (and the title), the address
# and the page number
BROWSER_PRINT = re.compile(
    r"^(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b.*"
    r"|(?:file|https?)://\S+(?:\s+\d+\s*/\s*\d+)?)$",
    re.IGNORECASE,
)
PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:page\s*)?\d+(?:\s*(?:/|of)\s*\d+)?[-–—\s]*$", re.I)
# characters some fonts map CJK glyphs to: Kangxi radicals and compatibility ideographs
# (NFKC gives the ideograph), the Latin ligatures, and the simplified radicals of the
# CJK radicals supplement that are whole characters (NFKC leaves them)
COMPATIBLE = re.compile("[\u2f00-\u2fdf\uf900-\ufaff\ufb00-\ufb06]")
RADICALS = str.maketrans(
    "\u2e9f\u2ea0\u2ec5\u2ec6\u2ec9\u2ecb\u2ed0\u2ed3\u2ed4\u2ed7\u2ed8\u2ed9\u2eda"
    "\u2edb\u2edc\u2ee0\u2ee2\u2ee3\u2ee4\u2ee5\u2ee6\u2ee7\u2ee8\u2ee9\u2eea\u2eec"
    "\u2eee\u2ef0\u2ef3",
    "母民见角贝车钅长门雨青韦页风飞饣马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
)
WIDE_GAP = re.compile(f"(?<=[{WIDE}])\\s+(?=[{WIDE}])")
FULL_WIDTH = "\u3000-\u303f\uff00-\uffef"
HAN_PUNCT_GAP = re.compile(f"\\s+(?=[{FULL_WIDTH}])|(?<=[{FULL_WIDTH}])\\s+")
SPACES = re.compile(r"[ \t\u00a0]+")
SPACE_RUN = re.compile(r"\s+")
QUOTE_GAP = re.compile(
    "(?<=[“‘])\\s+|\\s+(?=[”’])"  # inside quotation marks
    "|(?<=[\u4e00-\u9fff])\\s+(?=[“‘])|(?<=[”’])\\s+(?=[\u4e00-\u9fff])"  # around Chinese
)
MIXED_SEAM = re.compile("[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]")
HAN_LATIN_SPACED = re.compile("[\u4e00-\u9fff] [A-Za-z0-9]|[A-Za-z0-9] [\u4e00-\u9fff]")
HAN_LATIN_TIGHT = re.compile(
    "(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])"
)
SENTENCE_END = re.compile("[.!?。！？:：”\"'’)）]$")


def _characters(text: str) -> str:
    """The text with the characters some fonts map CJK glyphs and ligatures to read as
    what they stand for."""
    text = COMPATIBLE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return text.translate(RADICALS)


def _clean(line: str) -> str:
    """A line's spacing as the text has it: one space between words, none between
    Chinese characters, next to full-width punctuation, inside quotation marks, or
    between Chinese and the quotation marks around it."""
    line = SPACES.sub(" ", line.strip())
    line = WIDE_GAP.sub("", line)
    line = HAN_PUNCT_GAP.sub("", line)
    return QUOTE_GAP.sub("", line)


def _shape(line: str) -> str:
    """A line with its digits made one: what a running header keeps from page to page."""
    return re.sub(r"\d+", "#", line)


@dataclass
class _Line:
    y: float  # from the bottom of the page
    x: float
    size: float  # the font size, as printed
    text: str
    # where a Latin run meets a Chinese one, counted in characters other than spaces
    seams: list[int] = field(default_factory=list)


def _space_as_laid_out(lines: list[_Line], layout: list[str]) -> None:
    """Give each line the spaces of the same row in pypdf's layout text, which sets the
    runs apart by their widths (the runs alone do not say where a space falls between a
    Chinese character and a Latin word); a line with no such row keeps its runs' text."""
    rows = [_characters(x) for x in layout]
    bare = [SPACE_RUN.sub("", x) for x in rows]
    at = 0
    for line in lines:
        key = SPACE_RUN.sub("", line.text)
        found = next((k for k in range(at, min(at + 5, len(rows))) if bare[k] == key), None)
        if found is not None:
            line.text, at = _with_spaces(rows[found], line.seams), found + 1


def _with_spaces(text: str, seams: list[int]) -> str:
    """The text with a space at each seam (counted in characters other than spaces)
    where it has none."""
    out, seen = [], 0
    wanted = set(seams)
    for char in text:
        if not char.isspace():
            if seen in wanted and out and not out[-1].isspace():
                out.append(" ")
            seen += 1
        out.append(char)
    return "".join(out)


def _lines(page) -> list[_Line]:
    """The text lines of a page, top to bottom (see `_laid_out`, else `_visited`)."""
    try:
        lines = _laid_out(page)
    except (ImportError, AttributeError, KeyError, TypeError):  # another pypdf
        lines = _visited(page)
    for line in lines:
        line.text = _clean(line.text)
    return [line for line in lines if line.text]


def _laid_out(page) -> list[_Line]:
    """The lines pypdf's layout mode groups a page's text runs into, one pass over the
    page: each run with where it starts and ends, so that a space is put where a gap is
    (pypdf's private `_layout_mode`, which its layout text is made from)."""
    from pypdf._text_extraction import _layout_mode
    from pypdf.generic import ArrayObject, ContentStream, StreamObject

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if not isinstance(contents, ArrayObject | StreamObject):
        return []
    operations = iter(ContentStream(contents, page.pdf, "bytes").operations)
    runs = _layout_mode.text_show_operations(operations, page._layout_mode_fonts(), True, None)
    lines: list[_Line] = []
    for y, group in _layout_mode.y_coordinate_groups(runs, None).items():
        group = sorted(group, key=lambda r: r["tx"])
        size = max(r["font_height"] for r in group)
        text = ""
        for k, run in enumerate(group):
            gap = run["tx"] - group[k - 1]["displaced_tx"] if k else 0.0
            if gap > SPACE_GAP * run["font_height"] and text and not text[-1].isspace():
                text += " "
            text += _characters(run["text"])
        lines.append(_Line(float(y), float(group[0]["tx"]), float(size), text))
    return sorted(lines, key=lambda line: -line.y)


def _visited(page) -> list[_Line]:
    """The text lines of a page, top to bottom: its text runs put on one line when they
    stand at one height, left to right."""
    runs: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm, tm, font, size: float) -> None:
        if text.strip():
            text = _characters(text)
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
            runs.append((y, x, size * (scale or 1.0), text))

    page.extract_text(visitor_text=visit)
    layout = [x for x in page.extract_text(extraction_mode="layout").split("\n") if x.strip()]
    lines: list[_Line] = []
    for y, x, size, text in sorted(runs, key=lambda r: (-r[0], r[1])):
        last = lines[-1] if lines else None
        if last is not None and abs(last.y - y) <= 0.3 * max(size, last.size):
            # Latin text set in its own font among Chinese (a word, a path, a number):
            # the space around it is the gap between the runs, not a character
            if MIXED_SEAM.match(last.text[-1:] + text[:1]):
                last.seams.append(len(SPACE_RUN.sub("", last.text)))
                last.text += " "
            last.text += text
            last.size = max(last.size, size)
        else:
            lines.append(_Line(y, x, size, text))
    _space_as_laid_out(lines, layout)
    return lines


def _place(line: _Line) -> tuple[str, int]:
    """What a running header keeps from page to page: its shape and its height."""
    return _shape(line.text), round(line.y / 4)


def _is_furniture(line: _Line, places: set[tuple[str, int]]) -> bool:
    text = line.text
    return bool(_place(line) in places or PAGE_NUMBER.match(text) or BROWSER_PRINT.match(text))


def _without_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Each page's lines less the running headers and footers at its top and bottom."""
    places: set[tuple[str, int]] = set()
    if len(pages) > 1:
        counts: Counter[tuple[str, int]] = Counter()
        for lines in pages:
            counts.update({_place(x) for x in lines[:EDGE] + lines[-EDGE:]})
        places = {place for place, n in counts.items() if n >= max(2, (len(pages) + 1) // 2)}
    out = []
    for lines in pages:
        # a running header is shorter than a full line of the body's text
        full = sorted(len(x.text) for x in lines)[len(lines) // 2] if lines else 0
        edges = {id(x) for x in lines[:EDGE] + lines[-EDGE:] if len(x.text) < 0.8 * full
                 or PAGE_NUMBER.match(x.text) or BROWSER_PRINT.match(x.text)}  # fmt: skip
        furniture = [x for x in lines if id(x) in edges and _is_furniture(x, places)]
        # beside a header, at its height, the header's other cells
        beside = [x for x in lines if any(abs(x.y - f.y) <= 0.3 * f.size for f in furniture)]
        out.append([x for x in lines if not any(x is f for f in beside)])
    return out


def _pitch(pages: list[list[_Line]]) -> float:
    """The usual distance from one line to the next inside a paragraph, in font sizes."""
    gaps: Counter[float] = Counter()
    for lines in pages:
        for prev, line in zip(lines, lines[1:], strict=False):
            if prev.size == line.size and 0 < prev.y - line.y < 3 * line.size:
                gaps[round((prev.y - line.y) / line.size, 2)] += 1
    return gaps.most_common(1)[0][0] if gaps else 1.2


def _breaks(prev: _Line, line: _Line, pitch: float) -> bool:
    """Does a new paragraph begin at `line`: after a gap wider than the usual line
    pitch, at another font size (a heading), or further right (an indented paragraph, a
    list item)?"""
    size = max(prev.size, line.size)
    return (
        prev.y - line.y > GAP * pitch * size
        or abs(prev.size - line.size) > 0.15 * size
        or line.x - prev.x > size
    )


def _body_size(pages: list[list[_Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _house_spacing(texts: list[str]) -> list[str]:
    """The texts with a space between every Chinese character and Latin word or number
    when the document mostly puts one there (a text layer loses a few, where the gap is
    a glyph offset rather than a character, and so does joining wrapped lines); as they
    are when it mostly does not."""
    every = "\n".join(texts)
    spaced, tight = len(HAN_LATIN_SPACED.findall(every)), len(HAN_LATIN_TIGHT.findall(every))
    if spaced <= 2 * tight:
        return texts
    return [HAN_LATIN_TIGHT.sub(" ", text) for text in texts]


def _lang(lines: list[str]) -> str:
    """The language a paragraph's wrapped lines are joined as."""
    return detect_lang("".join(lines)) or EN


def read_blocks(path: str | Path) -> list[Block]:
    """The paragraphs of a PDF file (see the module's docstring)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from ..read import join_lines

    p = existing_file(path)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not the user's
    try:
        reader = PdfReader(str(p))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{p}: the PDF is encrypted (give a copy without a password)")
        pages = _without_furniture([_lines(page) for page in reader.pages])
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as err:
        raise InputError(f"{p}: not a readable PDF file ({err})") from None
    if not any(pages):
        raise InputError(f"{p}: the PDF has no text layer (a scan?): OCR it first")
    body, pitch = _body_size(pages), _pitch(pages)
    paragraphs: list[list[_Line]] = []
    first_page: list[int] = []  # of each paragraph, 1-based
    for number, lines in enumerate(pages, 1):
        for k, line in enumerate(lines):
            if k == 0 and paragraphs:  # a paragraph may run over the page break
                prev = paragraphs[-1][-1]
                if SENTENCE_END.search(prev.text) or abs(prev.size - line.size) > 0.15 * body:
                    paragraphs.append([line])
                    first_page.append(number)
                else:
                    paragraphs[-1].append(line)
            elif k == 0 or _breaks(lines[k - 1], line, pitch):
                paragraphs.append([line])
                first_page.append(number)
            else:
                paragraphs[-1].append(line)
    texts = []
    for lines in paragraphs:
        rows = [x.text for x in lines]
        texts.append(join_lines(rows, _lang(rows)))
    kinds = ["heading" if lines[0].size > 1.15 * body else "paragraph" for lines in paragraphs]
    return [
        Block(text, kind, page=page)
        for text, kind, page in zip(_house_spacing(texts), kinds, first_page, strict=True)
    ]
