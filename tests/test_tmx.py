"""TMX: writing TMX 1.4b, reading TMX 1.1-1.4, DTD validation, merging
(aligner.formats.tmx, through the registry where it applies)."""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import aligner
from aligner.formats import is_chinese, is_english, merge_units, save_units, tmx, validate_tmx
from aligner.model import ExportOptions, ExportResult, InputError, Unit

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

UNITS = [
    Unit("中美关系的新发展", "New Developments in China-US Relations", 1.0, "title", -1, "zhang"),
    Unit("双方同意扩大贸易合作。", "The two sides agreed to expand trade.", 0.93, "1-1", 0,
         "zhang"),
    Unit("会议讨论了气候变化。", "The meeting discussed climate. And health.", 0.71, "1-2", 0,
         "zhang", (1,), (1, 2)),
    Unit("只有中文。", "", 0.4, "1-0", 1, "zhang", (2,), ()),
    Unit("", "English only.", 0.35, "0-1", 1, "zhang", (), (3,)),
    Unit("九名学生获得了奖学金。", "Nine students received scholarships.", 0.2, "1-1", 2,
         "zhang"),
]  # fmt: skip


def fields(u: Unit) -> tuple:
    """What a TMX round trip keeps (the sentence ids are not stored)."""
    return (u.zh, u.en, u.confidence, u.kind, u.para, u.doc)


def write_tmx(units: list[Unit], path: Path, **options) -> ExportResult:
    """`units` saved as TMX with these ExportOptions: the figures (the path left out)."""
    result = save_units(units, path, "tmx", ExportOptions(**options))
    assert result.paths == [path]
    return replace(result, paths=[])


def write_file(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def tmx_doc(body: str, header: str = 'srclang="en"', version: str = "1.4") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<tmx version="{version}"><header creationtool="x" creationtoolversion="1" '
        f'segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext" {header}/>'
        f"<body>{body}</body></tmx>"
    )


# --- writing and round trips ------------------------------------------------------------


def test_round_trip_keeps_text_and_props(tmp_path):
    path = tmp_path / "out.tmx"
    stats = write_tmx(UNITS, path)
    assert stats == ExportResult(written=4, skipped_unaligned=2, skipped_low_confidence=0)
    back = tmx.read(path)
    expected = [u for u in UNITS if u.zh and u.en]
    assert [fields(u) for u in back] == [fields(u) for u in expected]
    assert validate_tmx(path) == []


def test_file_layout(tmp_path):
    path = tmp_path / "out.tmx"
    write_tmx(UNITS[:2], path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == '<?xml version="1.0" encoding="UTF-8"?>'
    assert lines[1] == '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
    assert lines[2] == '<tmx version="1.4">'
    root = etree.fromstring(text.encode("utf-8"))
    header = root.find("header")
    assert header.get("creationtool") == "aligner"
    assert header.get("creationtoolversion") == aligner.__version__
    assert header.get("segtype") == "sentence"
    assert header.get("o-tmf") == "aligner"
    assert header.get("adminlang") == "en-US"
    assert header.get("srclang") == "zh-CN"
    assert header.get("datatype") == "plaintext"
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate"))
    tu = root.find("body/tu")
    assert [c.tag for c in tu] == ["prop"] * 5 + ["tuv", "tuv"]
    assert [p.get("type") for p in tu.findall("prop")] == [
        "x-confidence",
        "x-bead",
        "x-status",
        "x-document",
        "x-paragraph",
    ]
    assert [p.text for p in tu.findall("prop")] == ["1.0", "title", "auto", "zhang", "-1"]
    # what CAT tools read of a unit: its id, dates and author
    assert tu.get("tuid") == "1"
    assert tu.get("creationdate") == tu.get("changedate") == header.get("creationdate")
    assert tu.get("creationid") == tu.get("changeid") == f"aligner {aligner.__version__}"
    assert [t.get(XML_LANG) for t in tu.findall("tuv")] == ["zh-CN", "en-US"]
    assert tu.findtext("tuv/seg") == UNITS[0].zh


def test_header_options(tmp_path):
    path = tmp_path / "out.tmx"
    write_tmx(UNITS[:2], path, segtype="paragraph", creationdate="20240102T030405Z")
    header = etree.parse(str(path)).getroot().find("header")
    assert header.get("segtype") == "paragraph"
    assert header.get("creationdate") == "20240102T030405Z"
    assert validate_tmx(path) == []


@pytest.mark.parametrize(
    "kwargs",
    [{"segtype": "block"}, {"zh_lang": "ja"}, {"en_lang": "fr-FR"}, {"zh_lang": "en"}],
)
def test_bad_options_raise(tmp_path, kwargs):
    with pytest.raises(InputError):
        write_tmx(UNITS, tmp_path / "out.tmx", **kwargs)
    assert not (tmp_path / "out.tmx").exists()


def test_write_to_text_stream():
    buf = io.StringIO()
    stats = tmx.write(UNITS[:2], buf, ExportOptions())
    assert stats.written == 2
    root = etree.fromstring(buf.getvalue().encode("utf-8"))
    assert len(root.findall("body/tu")) == 2


def test_zh_tw_en_gb(tmp_path):
    path = tmp_path / "tw.tmx"
    units = [Unit("雙方同意擴大貿易。", "Both sides agreed to expand trade.", 0.8, "1-1", 0, "d")]
    write_tmx(units, path, zh_lang="zh-TW", en_lang="en-GB")
    root = etree.parse(str(path)).getroot()
    assert root.find("header").get("srclang") == "zh-TW"
    assert [t.get(XML_LANG) for t in root.iter("tuv")] == ["zh-TW", "en-GB"]
    assert [fields(u) for u in tmx.read(path)] == [fields(u) for u in units]
    assert validate_tmx(path) == []


def test_keep_unaligned_writes_one_tuv(tmp_path):
    path = tmp_path / "out.tmx"
    stats = write_tmx(UNITS, path, keep_unaligned=True)
    assert stats == ExportResult(written=6)
    assert validate_tmx(path) == []
    tus = etree.parse(str(path)).getroot().findall("body/tu")
    assert [len(tu.findall("tuv")) for tu in tus] == [2, 2, 2, 1, 1, 2]
    assert tus[3].find("tuv").get(XML_LANG) == "zh-CN"
    assert tus[4].find("tuv").get(XML_LANG) == "en-US"
    assert [fields(u) for u in tmx.read(path)] == [fields(u) for u in UNITS]


def test_keep_unaligned_still_skips_units_empty_on_both_sides(tmp_path):
    units = [*UNITS[:2], Unit(" \x00 ", "\u3000", 0.9, "1-1", 0, "d")]
    stats = write_tmx(units, tmp_path / "out.tmx", keep_unaligned=True)
    assert (stats.written, stats.skipped_unaligned, stats.dropped_chars) == (2, 1, 0)


def test_min_confidence(tmp_path):
    path = tmp_path / "out.tmx"
    stats = write_tmx(UNITS, path, min_confidence=0.5)
    assert stats == ExportResult(written=3, skipped_unaligned=2, skipped_low_confidence=1)
    assert [u.confidence for u in tmx.read(path)] == [1.0, 0.93, 0.71]
    stats = write_tmx(UNITS, path, min_confidence=0.3, keep_unaligned=True)
    assert stats == ExportResult(written=5, skipped_low_confidence=1)
    stats = write_tmx(UNITS, path, min_confidence=0.5, keep_unaligned=True)
    assert stats == ExportResult(written=3, skipped_low_confidence=3)


def test_escaping_and_forbidden_characters(tmp_path):
    path = tmp_path / "out.tmx"
    unit = Unit("甲&乙<丙>丁]]>\x00戊\r\n己\ufffe", 'A & B <c> "d" \'e\'\t\x1b😀', 0.5, "1-1", 0,
                "doc <&>\x07")  # fmt: skip
    stats = write_tmx([unit], path)
    assert stats == ExportResult(written=1, dropped_chars=4)
    text = path.read_text(encoding="utf-8")
    assert "&amp;" in text and "&lt;" in text and "&gt;" in text and "&#13;" in text
    assert "\x00" not in text and "\ufffe" not in text and "\x1b" not in text
    (back,) = tmx.read(path)
    assert back.zh == "甲&乙<丙>丁]]>戊\r\n己"
    assert back.en == "A & B <c> \"d\" 'e'\t😀"
    assert back.doc == "doc <&>"
    assert validate_tmx(path) == []


def test_lone_surrogates_are_dropped(tmp_path):
    path = tmp_path / "out.tmx"
    stats = write_tmx([Unit("中\ud800文", "E\udfffn", 0.5)], path)
    assert stats.dropped_chars == 2
    assert [(u.zh, u.en) for u in tmx.read(path)] == [("中文", "En")]


# Characters XML puts in danger, plus anything hypothesis likes (CJK, emoji, controls).
HOSTILE = ["&", "<", ">", '"', "'", "]]>", "&amp;", "&#0;", "\x00", "\x01", "\x08", "\x0b",
           "\x0c", "\x1f", "\x7f", "\x85", "\t", "\n", "\r", "\ufffe", "\uffff", "\ud800",
           "\udfff", "😀", "中", "文", "\u3000", "\u2028", " ", "a", "é"]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(HOSTILE), st.characters()), max_size=25).map("".join)
kinds = st.one_of(st.sampled_from(["1-1", "1-2", "2-1", "2-2", "title"]), texts)
units_st = st.builds(
    Unit,
    zh=texts,
    en=texts,
    confidence=st.floats(0.0, 1.0),
    kind=kinds,
    para=st.integers(-1, 10**6),
    doc=texts,
)


def xml_char(c: str) -> bool:
    cp = ord(c)
    return cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or cp > 0xFFFF


def xml_clean(text: str) -> str:
    return "".join(c for c in text if xml_char(c))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=st.lists(units_st, max_size=6), keep=st.booleans())
def test_round_trip_property(units, keep):
    expected, dropped = [], 0
    for u in units:
        zh, en = xml_clean(u.zh), xml_clean(u.en)
        if (zh.strip() and en.strip()) or (keep and (zh.strip() or en.strip())):
            clean = replace(u, zh=zh if zh.strip() else "", en=en if en.strip() else "")
            expected.append(replace(clean, kind=xml_clean(u.kind), doc=xml_clean(u.doc)))
            dropped += sum(len(t) - len(xml_clean(t)) for t in (u.zh, u.en, u.kind, u.doc))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prop.tmx"
        stats = write_tmx(units, path, keep_unaligned=keep)
        assert stats.written == len(expected)
        assert stats.skipped_unaligned == len(units) - len(expected)
        assert stats.dropped_chars == dropped
        assert validate_tmx(path) == []
        if expected and not any(u.zh and u.en for u in expected):
            with pytest.raises(InputError, match="no Chinese-English"):
                tmx.read(path)  # only one-sided units: no pair to read
            return
        back = tmx.read(path)
    assert len(back) == len(expected)
    for got, want in zip(back, expected, strict=True):
        assert (got.zh, got.en, got.confidence, got.para, got.doc) == (
            want.zh,
            want.en,
            want.confidence,
            want.para,
            want.doc,
        )
        # a kind that is empty after cleaning reads back as the default for its shape
        assert got.kind == want.kind or not want.kind


# --- validation -------------------------------------------------------------------------

INVALID = [
    # <tuv> before <prop> in a <tu>
    '<tu><tuv xml:lang="en"><seg>a</seg></tuv><prop type="x">1</prop></tu>',
    # <tuv> without <seg>
    '<tu><tuv xml:lang="en"></tuv></tu>',
    # <tuv> without xml:lang
    "<tu><tuv><seg>a</seg></tuv></tu>",
    # unknown element inside <seg>
    '<tu><tuv xml:lang="en"><seg>a<b>bold</b></seg></tuv></tu>',
]


@pytest.mark.parametrize("body", INVALID)
def test_validate_reports_errors(tmp_path, body):
    path = write_file(tmp_path / "bad.tmx", tmx_doc(body))
    errors = validate_tmx(path)
    assert errors and all(isinstance(e, str) and "\n" not in e for e in errors)


def test_validate_header_and_version(tmp_path):
    good = '<tu><tuv xml:lang="en"><seg>a</seg></tuv></tu>'
    assert validate_tmx(write_file(tmp_path / "ok.tmx", tmx_doc(good))) == []
    assert validate_tmx(write_file(tmp_path / "v.tmx", tmx_doc(good, version="1.1")))
    assert validate_tmx(write_file(tmp_path / "h.tmx", tmx_doc(good, header="")))  # no srclang


def test_validate_not_xml_and_missing(tmp_path):
    path = write_file(tmp_path / "bad.tmx", "<tmx><body>")
    (error,) = validate_tmx(path)
    assert error.startswith("line ")
    with pytest.raises(InputError, match="no such file"):
        validate_tmx(tmp_path / "missing.tmx")


# --- reading other files ----------------------------------------------------------------


def test_read_tmx11_lang_attributes(tmp_path):
    body = (
        '<tu tuid="1"><tuv lang="ZH-CN"><seg>你好</seg></tuv>'
        '<tuv lang="EN-US"><seg>Hello</seg></tuv></tu>'
        '<tu tuid="2"><tuv lang="EN"><seg>World</seg></tuv>'
        '<tuv lang="ZH"><seg>世界</seg></tuv></tu>'
    )
    path = write_file(tmp_path / "old.tmx", tmx_doc(body, 'srclang="EN-US"', "1.1"))
    units = tmx.read(path)
    assert [(u.zh, u.en) for u in units] == [("你好", "Hello"), ("世界", "World")]
    assert [(u.confidence, u.kind, u.para, u.doc) for u in units] == [(1.0, "1-1", -1, "")] * 2


@pytest.mark.parametrize(
    ("zh", "en"),
    [("zh", "en"), ("zh-TW", "en-GB"), ("zh-Hans", "EN-us"), ("zh-Hant-HK", "en_GB"),
     ("cmn", "eng"), ("chi", "en-AU"), ("ZHO", "ENG"), ("zh_CN", "en-US")],
)  # fmt: skip
def test_read_language_codes(tmp_path, zh, en):
    body = (
        f'<tu><tuv xml:lang="fr"><seg>Bonjour</seg></tuv><tuv xml:lang="{en}"><seg>Hello</seg>'
        f'</tuv><tuv xml:lang="{zh}"><seg>你好</seg></tuv></tu>'
    )
    path = write_file(tmp_path / "codes.tmx", tmx_doc(body))
    assert [(u.zh, u.en, u.kind) for u in tmx.read(path)] == [("你好", "Hello", "1-1")]


def test_read_inline_markup(tmp_path):
    body = (
        '<tu><note>from a CAT tool</note><prop type="client">ACME</prop>'
        '<tuv xml:lang="zh-CN"><seg><bpt i="1">&lt;b&gt;</bpt>重要<ept i="1">&lt;/b&gt;</ept>'
        '的<ph x="2">&lt;br/&gt;</ph>通知<it pos="begin">{\\i</it>'
        '<hi type="x-term">条款<ph>[1]</ph></hi><ut>{\\ut}</ut></seg></tuv>'
        '<tuv xml:lang="en-US"><seg>An <bpt i="1" x="1">&lt;b&gt;<sub>alt text</sub></bpt>'
        'important<ept i="1">&lt;/b&gt;</ept> notice<ph/>: <hi>terms</hi> &amp; '
        "conditions</seg></tuv></tu>"
    )
    path = write_file(tmp_path / "inline.tmx", tmx_doc(body))
    assert validate_tmx(path) == []
    (unit,) = tmx.read(path)
    assert unit.zh == "重要的通知条款"
    assert unit.en == "An important notice: terms & conditions"


def test_read_other_tool_utf16_with_comments(tmp_path):
    body = (
        "<!-- exported -->"
        '<tu creationdate="20200101T000000Z"><tuv xml:lang="en-GB"><seg>Colour</seg></tuv>'
        '<tuv xml:lang="zh-CN"><seg>颜色<!-- c --></seg></tuv></tu>'
    )
    text = tmx_doc(body).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "trados.tmx"
    path.write_bytes(text.encode("utf-16"))
    assert [(u.zh, u.en) for u in tmx.read(path)] == [("颜色", "Colour")]


def test_read_one_sided_and_bad_props(tmp_path):
    body = (
        '<tu><tuv xml:lang="zh"><seg>只有中文</seg></tuv></tu>'
        '<tu><prop type="x-confidence">high</prop><prop type="x-paragraph">two</prop>'
        '<tuv xml:lang="zh"><seg>中文</seg></tuv><tuv xml:lang="en"><seg>Chinese</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>English only</seg></tuv><tuv xml:lang="zh"><seg> </seg>'
        "</tuv></tu>"
        '<tu><tuv xml:lang="de"><seg>Nur Deutsch</seg></tuv></tu>'
    )
    path = write_file(tmp_path / "mixed.tmx", tmx_doc(body))
    units = tmx.read(path)
    assert [(u.zh, u.en, u.kind, u.confidence, u.para) for u in units] == [
        ("只有中文", "", "1-0", 1.0, -1),
        ("中文", "Chinese", "1-1", 1.0, -1),
        ("", "English only", "0-1", 1.0, -1),
    ]


def test_read_empty_body(tmp_path):
    path = tmp_path / "empty.tmx"
    assert write_tmx([], path) == ExportResult()
    assert validate_tmx(path) == []
    assert tmx.read(path) == []


def test_read_does_not_resolve_external_entities(tmp_path):
    secret = write_file(tmp_path / "secret.txt", "TOP SECRET")
    text = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
        '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<tmx version="1.4"><header srclang="zh"/><body><tu>'
        '<tuv xml:lang="zh"><seg>中&xxe;文</seg></tuv>'
        '<tuv xml:lang="en"><seg>a&lol2;b</seg></tuv></tu></body></tmx>'
    )
    path = write_file(tmp_path / "xxe.tmx", text)
    (unit,) = tmx.read(path)
    assert "SECRET" not in unit.zh and "lollol" not in unit.en


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("", "not well-formed XML"),
        ("just some text\n", "not well-formed XML"),
        ("<tmx><body><tu></body></tmx>", "not well-formed XML"),
        ("<html><body><p>hi</p></body></html>", "not a TMX file"),
        ('<tmx version="1.4"><header/></tmx>', "not a TMX file"),
        (tmx_doc('<tu><tuv xml:lang="fr"><seg>a</seg></tuv><tuv xml:lang="de"><seg>b</seg>'
                 "</tuv></tu>"), "no Chinese-English"),
        (tmx_doc('<tu><tuv xml:lang="zh"><seg>中</seg></tuv><tuv xml:lang="ja"><seg>日</seg>'
                 "</tuv></tu>"), "no Chinese-English"),
    ],
)  # fmt: skip
def test_bad_input_raises_input_error(tmp_path, content, message):
    path = tmp_path / "input.tmx"
    if content is not None:
        write_file(path, content)
    with pytest.raises(InputError) as info:
        tmx.read(path)
    text = str(info.value)
    assert message in text and str(path) in text and "\n" not in text


def test_directory_raises_input_error(tmp_path):
    with pytest.raises(InputError, match="directory"):
        tmx.read(tmp_path)


# --- language codes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["zh", "zh-CN", "zh-TW", "zh-Hans", "zh-Hant", "ZH-CN", "zh_cn", "cmn", "chi", "zho"]
)
def test_is_chinese(code):
    assert is_chinese(code) and not is_english(code)


@pytest.mark.parametrize("code", ["en", "en-US", "en-GB", "EN-US", "en_gb", "eng", "ENG"])
def test_is_english(code):
    assert is_english(code) and not is_chinese(code)


@pytest.mark.parametrize("code", [None, "", "ja", "zhx", "ens", "fr-FR", "x-zh"])
def test_neither(code):
    assert not is_chinese(code) and not is_english(code)


# --- merging ----------------------------------------------------------------------------


def test_merge_dedups_keeping_first_and_best_confidence():
    a = [
        Unit("你好", "Hello", 0.5, "1-1", 0, "a"),
        Unit("世界", "World", 0.9, "1-1", 1, "a"),
    ]
    b = [
        Unit(" 你好 ", "Hello\n", 0.8, "1-2", 5, "b"),
        Unit("你好", "Hi", 0.3, "1-1", 0, "b"),
        Unit("世界", "World  ", 0.4, "1-1", 2, "b"),
        Unit("世界", "World", 0.7, "1-1", 2, "b"),
    ]
    merged = merge_units([a, b])
    assert [fields(u) for u in merged] == [
        ("你好", "Hello", 0.8, "1-1", 0, "a"),
        ("世界", "World", 0.9, "1-1", 1, "a"),
        ("你好", "Hi", 0.3, "1-1", 0, "b"),
    ]
    assert a[0].confidence == 0.5  # inputs untouched
    assert merge_units([]) == [] and merge_units([[], []]) == []


def test_merge_read_files(tmp_path):
    write_tmx(UNITS, tmp_path / "a.tmx")
    write_tmx(UNITS[1:3], tmp_path / "b.tmx", zh_lang="zh-TW", en_lang="en-GB")
    merged = merge_units([tmx.read(tmp_path / "a.tmx"), tmx.read(tmp_path / "b.tmx")])
    assert len(merged) == 4


# --- translate-toolkit interop ----------------------------------------------------------


@pytest.mark.parametrize(("zh_lang", "en_lang"), [("zh-CN", "en-US"), ("zh-TW", "en-GB")])
def test_translate_toolkit_reads_our_file(tmp_path, zh_lang, en_lang):
    tt = pytest.importorskip("translate.storage.tmx")
    units = [*UNITS, Unit("甲 & <乙>\r\n丙", 'A & <b> "c"\t😀', 0.6, "2-1", 3, "d")]
    path = tmp_path / "out.tmx"
    stats = write_tmx(units, path, zh_lang=zh_lang, en_lang=en_lang)
    with path.open("rb") as fh:
        store = tt.tmxfile(fh, sourcelanguage=zh_lang, targetlanguage=en_lang)
    ours = tmx.read(path)
    assert len(store.units) == stats.written == len(ours)
    assert [(u.source, u.target) for u in store.units] == [(u.zh, u.en) for u in ours]
    with path.open("rb") as fh:  # languages from the header
        store = tt.tmxfile(fh)
    assert [(u.source, u.target) for u in store.units] == [(u.zh, u.en) for u in ours]
