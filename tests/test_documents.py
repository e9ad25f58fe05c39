"""Structured documents in (HTML, DOCX, ODT, EPUB, Markdown, PDF, subtitles): the fixtures
in tests/fixtures/docs were made from guide.{zh,en}.html by the real converters
(LibreOffice: `soffice --headless --convert-to docx` and `odt`; pandoc: `-t epub3`,
`-t commonmark`; Chromium: `--print-to-pdf`),
so each format is read as users' files of it are written."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.align import align_document
from aligner.cli import app
from aligner.formats import read_document, read_units
from aligner.model import InputError
from aligner.segment import load_document

runner = CliRunner()
DOCS = Path(__file__).parent / "fixtures" / "docs"
FORMATS = ["html", "docx", "epub", "md"]


def texts(path: Path) -> list[str]:
    return [b.text for b in read_document(path)]


def unspaced(text: str) -> str:
    """The text without a space between two Chinese characters (a converter turns a
    line break of the HTML source into one)."""
    return re.sub(r"(?<=[\u3000-\u9fff])\s+(?=[\u3000-\u9fff])", "", text)


def test_html_blocks_leave_out_navigation_scripts_and_footers() -> None:
    blocks = read_document(DOCS / "guide.zh.html")
    assert [(b.kind, b.level) for b in blocks[:3]] == [
        ("heading", 1), ("paragraph", 0), ("heading", 2)]  # fmt: skip
    assert blocks[0].text == "安装指南"
    # a line break between Chinese characters is no space; between English words one
    assert blocks[1].text == "本文介绍如何在一台新电脑上安装这个软件。安装过程大约需要十分钟。"
    assert texts(DOCS / "guide.en.html")[1].endswith("new computer. The installation takes "
                                                       "about ten minutes.")  # fmt: skip
    code = [b for b in blocks if b.kind == "code"]
    assert [b.text for b in code] == ["sudo apt-get install example example --version"]
    assert [b.text for b in blocks if b.kind == "list_item"] == ["检查磁盘空间。", "关闭其他程序。"]
    assert [b.text for b in blocks if b.kind == "table_cell"] == [
        "选项", "说明", "--help", "显示帮助信息。"]  # fmt: skip
    every = " ".join(b.text for b in blocks)
    for left_out in ("首页", "下一页", "不要读我", "font-family", "版权所有"):
        assert left_out not in every


@pytest.mark.parametrize("fmt", ["docx", "odt", "epub", "md"])
def test_every_format_gives_the_text_of_the_html(fmt: str) -> None:
    """The converted document holds the HTML's blocks, in order (a converter keeps the
    navigation and the footer as plain text, and pandoc adds a title page to an EPUB)."""
    for lang in ("zh", "en"):
        html = texts(DOCS / f"guide.{lang}.html")
        got = [unspaced(t) for t in texts(DOCS / f"guide.{lang}.{fmt}")]
        # the code block: one block in HTML, EPUB and Markdown; a paragraph a line in DOCX/ODT
        got = [t for t in got if "--version" not in t and "apt-get" not in t]
        html = [t for t in html if "apt-get" not in t]
        at = 0
        for text in html:
            assert text in got[at:], (fmt, lang, text)
            at = got.index(text, at) + 1
        assert len(got) - len(html) <= 4, (fmt, lang, got)  # the title page: 2 more


def test_docx_styles_give_headings_and_list_items() -> None:
    blocks = read_document(DOCS / "guide.en.docx")
    headings = [(b.text, b.level) for b in blocks if b.kind == "heading"]
    assert headings == [("Installation Guide", 1), ("1. Preparation", 2),
                        ("2. Running the installer", 2)]  # fmt: skip
    assert [b.text for b in blocks if b.kind == "list_item"] == [
        "Check the disk space.", "Close other programs."]  # fmt: skip


def one_to_one(files: list[Path]) -> set[tuple[str, str]]:
    al = align_document(load_document(files))
    return {al.texts(b) for b in al.beads if len(b.zh) == 1 and len(b.en) == 1}


@pytest.mark.slow
def test_each_format_aligns_to_the_pairs_of_the_html() -> None:
    reference = one_to_one([DOCS / "guide.zh.html", DOCS / "guide.en.html"])
    assert ("打开终端，输入下面的命令：", "Open a terminal and enter the following command:") in (
        reference
    )
    assert len(reference) >= 10
    code = {pair for pair in reference if "apt-get" in pair[1]}  # DOCX: a paragraph a line
    for fmt in ("docx", "odt", "epub", "md"):
        got = one_to_one([DOCS / f"guide.zh.{fmt}", DOCS / f"guide.en.{fmt}"])
        got = {(unspaced(zh), en) for zh, en in got}
        assert reference - code <= got, (fmt, reference - got)
    # the two sides in different formats (both converted: both keep the navigation line)
    mixed = one_to_one([DOCS / "guide.zh.docx", DOCS / "guide.en.md"])
    assert reference - code <= {(unspaced(zh), en) for zh, en in mixed}


def test_html_charset_declared_or_read(tmp_path: Path) -> None:
    page = "<html><head><meta charset='gbk'></head><body><p>中美关系稳定。</p></body></html>"
    declared = tmp_path / "gbk.html"
    declared.write_bytes(page.encode("gbk"))
    assert texts(declared) == ["中美关系稳定。"]
    undeclared = tmp_path / "plain.html"
    undeclared.write_bytes(page.replace("<meta charset='gbk'>", "").encode("gbk"))
    assert texts(undeclared) == ["中美关系稳定。"]  # GB18030 read as the text reader reads it
    wrong = tmp_path / "wrong.html"
    wrong.write_bytes(page.replace("gbk", "utf-8").encode("gbk"))
    with pytest.raises(InputError, match=r"wrong\.html: not utf-8 text, as the page declares"):
        read_document(wrong)


def bad_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a document")
    return path


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("a.docx", lambda p: p.write_text("plain text", encoding="utf-8"), "not a DOCX file"),
        ("b.docx", bad_zip, "not a DOCX file"),
        ("b.odt", bad_zip, r"not an ODT file \(no content.xml\)"),
        ("c.epub", lambda p: p.write_bytes(b"PK\x03\x04 broken"), "not an EPUB file"),
        ("d.epub", bad_zip, r"not an EPUB file \(no META-INF/container.xml\)"),
        ("e.html", lambda p: p.write_text("<html><body><nav>menu</nav></body></html>"),
         "no text found in the document"),
        ("f.html", lambda p: p.write_text(""), "file is empty"),
    ],
)  # fmt: skip
def test_bad_documents_are_one_line_errors(tmp_path: Path, name: str, make, message) -> None:
    path = tmp_path / name
    make(path)
    english = DOCS / "guide.en.html"
    result = runner.invoke(app, ["align", str(path), str(english), "-o", str(tmp_path / "x.tsv")])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"aligner: error: {path}")
    assert re.search(message, line), line
    assert not (tmp_path / "x.tsv").exists()


def test_cli_aligns_documents(tmp_path: Path) -> None:
    out = tmp_path / "guide.tmx"
    docs = [str(DOCS / "guide.zh.docx"), str(DOCS / "guide.en.docx")]
    result = runner.invoke(app, ["align", *docs, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "显示帮助信息。" in out.read_text(encoding="utf-8")
    result = runner.invoke(app, ["segment", str(DOCS / "guide.zh.md"), str(DOCS / "guide.en.md")])
    assert result.exit_code == 0 and "关闭其他程序。" in result.output


# ---------------------------------------------------------------- PDF
# guide.{zh,en}.pdf and long.en.pdf were printed by headless Chromium (--print-to-pdf),
# with the page headers and footers a browser prints: date, title, address, page number.


def test_pdf_paragraphs_headings_and_no_page_furniture() -> None:
    blocks = read_document(DOCS / "guide.zh.pdf")
    assert [b.text for b in blocks if b.kind == "heading"] == [
        "安装指南", "1. 准备工作", "2. 运行安装程序"]  # fmt: skip
    # the hard wraps undone, the ideographs the fonts map to radicals read right
    texts = [b.text for b in blocks]
    assert "本文介绍如何在一台新电脑上安装这个软件。安装过程大约需要十分钟。" in texts
    every = " ".join(b.text for b in read_document(DOCS / "guide.en.pdf"))
    for furniture in ("PM", "file:", "1/1", "guide.en.html"):
        assert furniture not in every


def test_pdf_over_several_pages() -> None:
    """Three pages: the running header and footer of each left out, a paragraph that
    runs over a page break read as one."""
    found = read_document(DOCS / "long.en.pdf")
    blocks = [b.text for b in found]
    assert blocks[0] == "Long manual"
    # the page each begins on: paragraph 17 runs over the first page break
    assert [b.page for b in found if b.text.startswith(("Paragraph 17.", "Paragraph 18."))] == [
        1, 2]  # fmt: skip
    assert len(blocks) == 40  # the heading and 39 paragraphs
    for n, text in enumerate(blocks[1:], 1):
        assert text.startswith(f"Paragraph {n}. ") and text.endswith("undo the wrapping."), text


@pytest.mark.slow
def test_pdf_aligns_to_most_pairs_of_the_html() -> None:
    reference = one_to_one([DOCS / "guide.zh.html", DOCS / "guide.en.html"])
    got = one_to_one([DOCS / "guide.zh.pdf", DOCS / "guide.en.pdf"])
    # a table's cells are not told apart in a PDF's text: a row is a line
    cells = ("Option", "Description", "--help", "Show the help message.")
    table = {pair for pair in reference if pair[1] in cells}
    assert len((reference - table) & got) >= len(reference - table) - 2, reference - got


def make_pdf(path: Path, password: str | None = None) -> Path:
    """A one-page PDF with no text (what a scan without OCR is to a text reader)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(password)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: make_pdf(p), "the PDF has no text layer"),
        (lambda p: make_pdf(p, password="secret"), "the PDF is encrypted"),
        (lambda p: p.write_bytes(b"%PDF-1.4\nnot really a pdf"), "not a readable PDF file"),
    ],
    ids=["scan", "encrypted", "corrupt"],
)
def test_bad_pdfs_are_one_line_errors(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "doc.pdf"
    make(path)
    result = runner.invoke(app, ["align", str(path), str(DOCS / "guide.en.pdf")])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"aligner: error: {path}: {message}"), line


def test_pdf_spacing_follows_the_document() -> None:
    from aligner.formats.doc_pdf import _characters, _clean, _house_spacing

    assert _clean(_characters("第 16.2   节 “ 反馈 ”。本 ⽂档 （ Debian ， 好 ） ﬁle")) == (
        "第 16.2 节“反馈”。本文档（Debian，好）file"
    )
    spaced = ["安装 Debian 系统", "使用 apt 工具", "共有 1000 个软件包", "属于Debian 档案"]
    assert _house_spacing(spaced)[-1] == "属于 Debian 档案"
    tight = ["安装Debian系统", "使用apt工具", "共有1000个", "属于 Debian 档案"]
    assert _house_spacing(tight) == tight


# ---------------------------------------------------------------- subtitles


def test_subtitle_cues_are_blocks() -> None:
    assert texts(DOCS / "film.zh.srt") == [
        "北京，一九九八年。", "我们明天早上八点出发，别迟到。", "火车站离这里很远吗？",
        "不远，坐出租车十分钟。"]  # fmt: skip
    assert texts(DOCS / "film.en.vtt")[1] == "We leave at eight tomorrow morning, don't be late."
    pairs = one_to_one([DOCS / "film.zh.srt", DOCS / "film.en.vtt"])
    assert ("火车站离这里很远吗？", "Is the train station far from here?") in pairs


def test_a_broken_cue_timing_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> 00:00:0x,000\n你好。\n", encoding="utf-8")
    result = runner.invoke(app, ["align", str(bad), str(DOCS / "film.en.vtt")])
    assert result.exit_code == 2
    timing = "00:00:01,000 --> 00:00:0x,000"
    assert result.output.strip() == f"aligner: error: {bad}:2: broken cue timing: {timing}"


def test_pdf_lines_read_alike_by_both_of_pypdfs_ways() -> None:
    """The one-pass reading and the fallback (pypdf's text visitor and layout text, for
    a pypdf without the grouping) give the same lines (the fallback sees fewer gaps)."""
    from pypdf import PdfReader

    from aligner.formats.doc_pdf import _clean, _laid_out, _visited

    for name in ("guide.zh.pdf", "guide.en.pdf", "long.en.pdf"):
        for page in PdfReader(str(DOCS / name)).pages:
            one = [re.sub(r"\s", "", _clean(x.text)) for x in _laid_out(page)]
            other = [re.sub(r"\s", "", _clean(x.text)) for x in _visited(page)]
            assert [x for x in one if x] == [x for x in other if x], name


def test_units_keep_their_block_kind_and_section(tmp_path: Path) -> None:
    """A document's units say what block they come from and which heading they stand
    under, in TMX, JSONL and XLIFF; a heading is one segment, never cut at its number."""
    from aligner.formats import save_units, units_of

    al = align_document(load_document([DOCS / "guide.zh.docx", DOCS / "guide.en.docx"]))
    units = units_of(al)
    heading = next(u for u in units if u.zh == "1. 准备工作")
    assert (heading.en, heading.kind, heading.block) == ("1. Preparation", "1-1", "heading")
    item = next(u for u in units if u.zh == "检查磁盘空间。")
    assert (item.block, item.section) == ("list_item", "1. 准备工作")
    for suffix in ("tmx", "jsonl", "xlf"):
        path = save_units(units, tmp_path / f"guide.{suffix}").paths[0]
        back = {u.zh: (u.block, u.section) for u in read_units(path)}
        assert back["检查磁盘空间。"] == ("list_item", "1. 准备工作"), suffix
    result = runner.invoke(app, ["segment", str(DOCS / "guide.zh.md"), str(DOCS / "guide.en.md")])
    assert "¶3 [heading]\n  zh 3.4  1. 准备工作" in result.output


def test_subtitles_are_paired_by_time(tmp_path: Path) -> None:
    """Another cut of the English (one cue made two, another two made one) from a
    release 2.5 s later: the cues are paired by their time on screen, and the units say
    when they are shown."""
    from aligner.formats import save_units, units_of

    recut = tmp_path / "film.en.srt"
    recut.write_text(
        "1\n00:00:03,500 --> 00:00:05,700\nBeijing, 1998.\n\n"
        "2\n00:00:06,000 --> 00:00:07,200\nWe leave at eight tomorrow morning,\n\n"
        "3\n00:00:07,300 --> 00:00:08,500\ndon't be late.\n\n"
        "4\n00:00:09,000 --> 00:00:14,500\nIs the train station far from here? "
        "No, ten minutes by taxi.\n",
        encoding="utf-8",
    )
    al = align_document(load_document([DOCS / "film.zh.srt", recut]))
    beads = [(b.kind, al.texts(b)[1]) for b in al.beads]
    assert beads == [
        ("1-1", "Beijing, 1998."),
        ("1-2", "We leave at eight tomorrow morning, don't be late."),
        ("2-1", "Is the train station far from here? No, ten minutes by taxi."),
    ]
    units = units_of(al)
    assert units[1].time == "00:00:03,500 --> 00:00:06,000"  # the Chinese cues' time
    back = read_units(save_units(units, tmp_path / "film.tmx").paths[0])
    assert [u.time for u in back] == [u.time for u in units]


def test_html_containers_charsets_and_damaged_files(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><script>var encoding = 'hex';</script></head><body><article>"
        "<header><h1>标题</h1></header><ul><li><p>第一项。</p></li></ul>"
        "<blockquote><p>引文。</p></blockquote><table><tr><td><p>单元格</p></td></tr></table>"
        "</article><footer>网站页脚</footer></body></html>",
        encoding="utf-8",
    )
    assert [(b.kind, b.text) for b in read_document(page)] == [
        ("heading", "标题"), ("list_item", "第一项。"), ("quote", "引文。"),
        ("table_cell", "单元格")]  # fmt: skip
    damaged = tmp_path / "damaged.docx"
    with zipfile.ZipFile(damaged, "w") as z:
        z.writestr("[Content_Types].xml", "<not xml")
    with pytest.raises(InputError, match=r"damaged\.docx: not a (readable )?DOCX file"):
        read_document(damaged)
