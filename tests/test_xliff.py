"""XLIFF 1.2 and 2.1: a bead a unit, split beads as segments, valid against the OASIS
schemas (tests/fixtures/xsd), read back by us and by translate-toolkit, other tools'
files read (either direction), statuses as XLIFF states. PO, the other bilingual file of
translation tools, at the end."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner
from xsd import validate

from aligner.cli import app
from aligner.formats import read_units, save_units, whole_units
from aligner.model import ExportOptions, InputError, Unit

runner = CliRunner()
SCHEMA = {"xliff": "xliff-core-1.2-strict.xsd", "xliff2": "xliff2+metadata"}
NS = {
    "x1": "urn:oasis:names:tc:xliff:document:1.2",
    "x2": "urn:oasis:names:tc:xliff:document:2.0",
    "mda": "urn:oasis:names:tc:xliff:metadata:2.0",
}

PART_A = Unit("我昨天见到了他。", "Yesterday I met him", 0.8, "1-1", 0, "d", (1,), (1,), part="1/2")
PART_B = Unit("他们去了图书馆。", "and they went to the library.", 0.7, "1-1", 0, "d", (2,), (1,),
              part="2/2")  # fmt: skip
JOINED = Unit(
    "我昨天见到了他。他们去了图书馆。",
    "Yesterday I met him, and they went to the library.",
    0.9, "2-1", 0, "d", (1, 2), (1,), parts=(PART_A, PART_B), context=("前一句。", "后一句。"),
)  # fmt: skip
UNITS = [
    Unit("标题", "Title", 1.0, "title", -1, "d"),
    JOINED,
    Unit("只有中文。", "", 0.5, "1-0", 1, "d", (3,), ()),
    Unit("确认的句子。", "A confirmed sentence.", 0.95, "1-1", 1, "d", (4,), (2,), "confirmed"),
    Unit("另一篇。", "Another document.", 0.9, "1-1", 0, "e", (0,), (0,), "edited"),
]


@pytest.fixture(params=["xliff", "xliff2"])
def fmt(request) -> str:
    return request.param


def test_every_bead_one_unit_the_split_as_segments(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "out.xlf"
    result = save_units(UNITS, path, fmt)
    assert result.written == len(UNITS) and result.split_units == 2
    assert validate(path, SCHEMA[fmt]) == []
    back = read_units(path, fmt)
    assert read_units(path) == back  # the .xlf reader tells the version itself
    assert back == UNITS  # every field, the parts included, the whole text exactly
    assert whole_units(back) == back  # one unit a bead: nothing counted twice


def test_the_schemas_catch_what_they_should(tmp_path: Path) -> None:
    """The validation is real: a broken file of each version fails, the Metadata module
    of XLIFF 2 included."""
    one = save_units(UNITS, tmp_path / "a.xlf", "xliff").paths[0]
    two = save_units(UNITS, tmp_path / "b.xlf", "xliff2").paths[0]
    broken = one.read_text(encoding="utf-8").replace('<trans-unit id="2"', "<trans-unit")
    one.write_text(broken, encoding="utf-8")
    assert any("'id' is required" in e for e in validate(one, SCHEMA["xliff"]))
    broken = two.read_text(encoding="utf-8").replace('<mda:meta type="bead">', "<mda:meta>")
    two.write_text(broken, encoding="utf-8")
    assert any("'type' is required" in e for e in validate(two, SCHEMA["xliff2"]))


def test_the_split_as_xliff_12_segments(tmp_path: Path) -> None:
    path = save_units([JOINED], tmp_path / "out.xlf", "xliff").paths[0]
    tu = etree.parse(str(path)).find(".//x1:trans-unit", NS)
    source = tu.find("x1:seg-source", NS)
    target = tu.find("x1:target", NS)
    assert [m.text for m in source.findall("x1:mrk", NS)] == [PART_A.zh, PART_B.zh]
    assert [m.text for m in target.findall("x1:mrk", NS)] == [PART_A.en, PART_B.en]
    assert "".join(target.itertext()) == JOINED.en  # the comma stays between the segments
    assert tu.find("x1:source", NS).text == JOINED.zh


def test_the_split_as_xliff_2_segments(tmp_path: Path) -> None:
    path = save_units([JOINED], tmp_path / "out.xlf", "xliff2").paths[0]
    unit = etree.parse(str(path)).find(".//x2:unit", NS)
    runs = [(etree.QName(r).localname, r.findtext("x2:source", namespaces=NS),
             r.findtext("x2:target", namespaces=NS)) for r in unit if etree.QName(r).localname
            in ("segment", "ignorable")]  # fmt: skip
    assert runs == [
        ("segment", PART_A.zh, PART_A.en),
        ("ignorable", "", ", "),
        ("segment", PART_B.zh, PART_B.en),
    ]
    groups = unit.findall("mda:metadata/mda:metaGroup", NS)
    assert [g.get("category") for g in groups] == ["aligner", "aligner-segment-1",
                                                   "aligner-segment-2"]  # fmt: skip


def test_parts_that_do_not_spell_the_text_leave_one_segment(tmp_path: Path, fmt: str) -> None:
    """A part whose text is not in the bead's (a sentence left out of the split, or a
    gap holding words) gives no segments: the unit stays whole."""
    odd = Unit(JOINED.zh + "还有一句。", JOINED.en, 0.9, "3-1", 0, "d", (1, 2, 3), (1,),
               parts=JOINED.parts)  # fmt: skip
    path = save_units([odd], tmp_path / "out.xlf", fmt).paths[0]
    assert validate(path, SCHEMA[fmt]) == []
    (back,) = read_units(path)
    assert (back.zh, back.en, back.parts) == (odd.zh, odd.en, ())
    assert "seg-source" not in path.read_text() and "ignorable" not in path.read_text()


def test_no_split_writes_no_segments(tmp_path: Path, fmt: str) -> None:
    path = save_units([JOINED], tmp_path / "out.xlf", fmt, ExportOptions(split=False)).paths[0]
    (back,) = read_units(path)
    assert (back.zh, back.en, back.parts) == (JOINED.zh, JOINED.en, ())


def test_states_say_what_a_person_did(tmp_path: Path) -> None:
    path = save_units(UNITS, tmp_path / "a.xlf", "xliff").paths[0]
    tus = etree.parse(str(path)).findall(".//x1:trans-unit", NS)
    assert [tu.get("approved") for tu in tus] == [None, None, None, "yes", "yes"]
    targets = [tu.find("x1:target", NS) for tu in tus]
    assert [t is None for t in targets] == [False, False, True, False, False]  # 1-0: none
    assert [t.get("state") for t in targets if t is not None] == [
        "translated", "translated", "signed-off", "signed-off"]  # fmt: skip
    path = save_units(UNITS, tmp_path / "b.xlf", "xliff2").paths[0]
    segments = etree.parse(str(path)).findall(".//x2:segment", NS)
    assert [s.get("state") for s in segments] == [
        "translated", "translated", "translated", "initial", "final", "reviewed"]  # fmt: skip


def test_one_file_element_per_document(tmp_path: Path, fmt: str) -> None:
    path = save_units(UNITS, tmp_path / "out.xlf", fmt).paths[0]
    files = etree.parse(str(path)).getroot()
    assert [f.get("original") for f in files] == ["d", "e"]


def test_translate_toolkit_reads_our_xliff_12(tmp_path: Path) -> None:
    from translate.storage import factory

    path = save_units(UNITS, tmp_path / "out.xlf", "xliff").paths[0]
    store = factory.getobject(str(path))
    assert [(u.source, u.target or "") for u in store.units] == [(u.zh, u.en) for u in UNITS]
    assert [u.isapproved() for u in store.units] == [False, False, False, True, True]


OTHER_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="manual.html" source-language="en-US" target-language="zh-TW"
        datatype="html">
    <body>
      <group id="g1">
        <trans-unit id="a" approved="yes">
          <source>Press <g id="1">Save</g>.<x id="2"/></source>
          <target state="final">按<g id="1">儲存</g>。<x id="2"/></target>
        </trans-unit>
        <trans-unit id="b"><source>Untranslated.</source></trans-unit>
      </group>
    </body>
  </file>
</xliff>
"""
OTHER_2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN"
       trgLang="en">
  <file id="f1" original="a.docx">
    <unit id="u1">
      <originalData><data id="d1">&lt;b&gt;</data></originalData>
      <segment state="reviewed"><source>保存<ph id="1" dataRef="d1"/>文件。</source>
        <target>Save the <pc id="2">file</pc>.</target></segment>
    </unit>
    <unit id="u2"><segment><source>未译。</source></segment></unit>
  </file>
</xliff>
"""


def test_other_tools_files_either_direction(tmp_path: Path) -> None:
    one = tmp_path / "one.xliff"
    one.write_text(OTHER_12, encoding="utf-8")
    assert [(u.zh, u.en, u.status, u.doc, u.kind) for u in read_units(one)] == [
        ("按儲存。", "Press Save.", "confirmed", "manual.html", "1-1"),
        ("", "Untranslated.", "auto", "manual.html", "0-1"),
    ]
    two = tmp_path / "two.xlf"
    two.write_text(OTHER_2, encoding="utf-8")
    assert [(u.zh, u.en, u.status, u.kind) for u in read_units(two)] == [
        ("保存文件。", "Save the file.", "confirmed", "1-1"),
        ("未译。", "", "auto", "1-0"),
    ]


def test_a_file_of_other_languages_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fr.xlf"
    path.write_text(OTHER_12.replace("zh-TW", "fr-FR"), encoding="utf-8")
    with pytest.raises(InputError, match=r"fr\.xlf: not a Chinese-English XLIFF file"):
        read_units(path)
    path.write_text("<tmx version='1.4'><body/></tmx>", encoding="utf-8")
    with pytest.raises(InputError, match=r"fr\.xlf: not an XLIFF file \(root element <tmx>\)"):
        read_units(path)


def test_cli_writes_and_checks_xliff(tmp_path: Path) -> None:
    one, two = tmp_path / "essay.xlf", tmp_path / "essay2.xlf"
    assert runner.invoke(app, ["align", "-o", str(one)]).exit_code == 0
    assert runner.invoke(app, ["align", "-o", str(two), "-f", "xliff2"]).exit_code == 0
    assert validate(one, SCHEMA["xliff"]) == [] and validate(two, SCHEMA["xliff2"]) == []
    a, b = read_units(one), read_units(two)
    assert [(u.zh, u.en, u.kind) for u in a] == [(u.zh, u.en, u.kind) for u in b]
    assert any(u.parts for u in a)  # the essay's joined beads carry their sentences
    result = runner.invoke(app, ["check", str(two)])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.xlf"
    bad.write_text("<xliff", encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"aligner: error: {bad}: not well-formed XML")


TEXT = st.text(alphabet=st.sampled_from(list("中美 ab&<>\"'\t\n\r\x00\u2028。，,🙂")), max_size=20)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.sampled_from(["d", "", "e f"])), min_size=1, max_size=5))
def test_any_text_gives_a_valid_file(texts: list[tuple[str, str, str]]) -> None:
    units = [Unit(zh, en, 0.5, "1-1", 0, doc) for zh, en, doc in texts]
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in SCHEMA:
            path = save_units(units, Path(tmp) / f"{fmt}.xlf", fmt).paths[0]
            assert validate(path, SCHEMA[fmt]) == [], path.read_text(encoding="utf-8")


def test_a_sentence_left_out_is_a_segment_with_no_target(tmp_path: Path, fmt: str) -> None:
    left_out = Unit("甲句。乙句：", "A.", 0.9, "2-1", 0, "d", (1, 2), (1,), parts=(
        Unit("甲句。", "A.", 0.8, "1-1", 0, "d", (1,), (1,), part="1/2"),
        Unit("乙句：", "", 0.8, "1-0", 0, "d", (2,), (), part="2/2"),
    ))  # fmt: skip
    path = tmp_path / "out.xlf"
    assert save_units([left_out], path, fmt).split_units == 2
    assert validate(path, SCHEMA[fmt]) == []
    assert read_units(path) == [left_out]


def test_align_takes_a_bilingual_file_as_it_pairs(tmp_path: Path) -> None:
    """A CAT tool's XLIFF given to align is not aligned again: its units are written in
    the output's format, the untranslated ones said."""
    source = tmp_path / "from-cat.xlf"
    source.write_text(OTHER_2, encoding="utf-8")
    out = tmp_path / "memory.tsv"
    result = runner.invoke(app, ["align", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 units of from-cat.xlf taken as they pair (not aligned); 1 have no English, 0 no " \
        "Chinese" in result.output
    assert [(u.zh, u.en) for u in read_units(out)] == [("保存文件。", "Save the file."),
                                                      ("未译。", "")]  # fmt: skip


# ---------------------------------------------------------------- PO

OTHER_PO = r'''# a project's Chinese translation, as Weblate or Poedit write it
msgid ""
msgstr ""
"Language: zh_CN\n"
"Content-Type: text/plain; charset=UTF-8\n"

#: src/main.c:10
msgid "Save the file."
msgstr "保存文件。"

#, fuzzy
msgid "Open a "
"terminal."
msgstr "打开终端。"

msgid "Not translated yet."
msgstr ""

#~ msgid "Old entry."
#~ msgstr "旧条目。"
'''


def test_po_of_another_tool_and_ours(tmp_path: Path) -> None:
    from translate.storage import factory

    other = tmp_path / "zh_CN.po"
    other.write_text(OTHER_PO, encoding="utf-8")
    assert [(u.zh, u.en, u.status, u.kind) for u in read_units(other)] == [
        ("保存文件。", "Save the file.", "confirmed", "1-1"),
        ("打开终端。", "Open a terminal.", "auto", "1-1"),
        ("", "Not translated yet.", "auto", "0-1"),
    ]
    ours = save_units(UNITS, tmp_path / "ours.po").paths[0]
    assert read_units(ours) == [replace(u, parts=()) for u in UNITS]  # every field kept
    store = factory.getobject(str(ours))  # translate-toolkit reads it
    assert [(u.source, u.target) for u in store.units if not u.isheader()] == [
        (u.zh, u.en) for u in UNITS]  # fmt: skip
    bad = tmp_path / "bad.po"
    bad.write_text('msgid "a"\nmsgstr "b\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.po:2: not a PO string"):
        read_units(bad)


def test_po_without_blank_lines_and_an_empty_language(tmp_path: Path) -> None:
    tight = tmp_path / "tight.po"
    tight.write_text('msgid ""\nmsgstr "Language: \\n"\nmsgid "Open"\nmsgstr "打开"\n'
                     'msgid "Close"\nmsgstr "关闭"\n', encoding="utf-8")  # fmt: skip
    assert [(u.zh, u.en) for u in read_units(tight)] == [("打开", "Open"), ("关闭", "Close")]


def test_a_tmx_rewritten_as_xliff_writes_no_part_twice(tmp_path: Path) -> None:
    tmx = tmp_path / "m.tmx"
    save_units([JOINED], tmx)
    assert len(read_units(tmx)) == 3  # the joined unit and its two parts after it
    out = tmp_path / "m.xlf"
    result = runner.invoke(app, ["align", str(tmx), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_units(out) == [JOINED]  # one unit, its parts its segments


def test_xliff_with_no_units_or_an_older_namespace(tmp_path: Path) -> None:
    old = tmp_path / "old.xlf"
    older = OTHER_12.replace("document:1.2", "document:1.1")
    old.write_text(older, encoding="utf-8")
    assert len(read_units(old)) == 2
    empty = tmp_path / "empty.xlf"
    empty.write_text(OTHER_12.split("<body>")[0] + "<body/></file></xliff>", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.xlf: no translation units"):
        read_units(empty)
