"""Glossary files that real termbase tools accept: TBX 2 valid against the TBX core DTD and
passing the XCS rules TBXChecker applies (with our XCS written beside it), TBX 3 valid
against the TBX core RELAX NG schema, part of speech and term type written and read back,
and the OmegaT glossary (tab-separated, no header)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree
from tbx_checks import TBX_DIR, dtd_errors, read_xcs, rng_errors, xcs_errors

from aligner.formats import (
    check_output,
    format_for,
    glossary_companions,
    read_glossary,
    read_known_glossary,
    save_glossary,
    write_glossary,
)
from aligner.formats.tbx import TBX3_NS, XCS_NAME, xcs_text
from aligner.model import Entry, GlossaryOptions, InputError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# the partOfSpeech values the TBX-Basic dialect's Schematron rules (TBX 3) allow
TBX3_PARTS_OF_SPEECH = {"adjective", "noun", "other", "verb", "adverb"}


@pytest.fixture
def entries() -> list[Entry]:
    return [
        Entry("建設性戰略穩定關係", "建设性战略稳定关系",
              "constructive relationship of strategic stability",
              ["constructive bilateral relationship of strategic stability"], 3, 0.708,
              ("「中美建設性戰略穩定關係」的新定位", "a “constructive relationship”"), "text",
              ["constructive China-US relationship of strategic stability"],
              part_of_speech="noun", term_type="phrase"),
        Entry("赖清德", "", "Lai Ching-te", [], 1, 0.75, part_of_speech="properNoun",
              term_type="fullForm"),
        Entry("推动", "", "promote", ["advance"], 4, 0.8, ("推动合作", "promote cooperation"),
              part_of_speech="Verb"),  # spelt otherwise than the picklist
        Entry("二轨对话", "", "Track II dialogue", [], 2, 0.875, source="user"),  # no values
    ]  # fmt: skip


def _term_notes(root: etree._Element, type_: str, ns: str = "") -> list[str]:
    return [n.text for n in root.iter(f"{ns}termNote") if n.get("type") == type_]


# ---------------------------------------------------------------- TBX 2


def test_tbx2_is_valid_against_the_dtd_and_our_xcs(tmp_path, entries):
    path = save_glossary(entries, tmp_path / "g.tbx")
    xcs = tmp_path / XCS_NAME
    assert xcs.read_text(encoding="utf-8") == xcs_text()
    root = etree.parse(str(path)).getroot()
    assert root.findtext("martifHeader/encodingDesc/p[@type='XCSURI']") == XCS_NAME
    assert dtd_errors(path) == []
    assert xcs_errors(path, xcs) == []
    assert set(_term_notes(root, "partOfSpeech")) == {"noun", "properNoun", "verb"}


def test_our_xcs_is_valid_and_declares_chinese_and_english():
    xcs_dtd = etree.DTD(str(TBX_DIR / "tbxxcsdtd.dtd"))
    data = Path(__file__).resolve().parent.parent / "aligner" / "data" / XCS_NAME
    assert xcs_dtd.validate(etree.parse(str(data))), xcs_dtd.error_log
    xcs = read_xcs(data)
    assert {"zh", "zh-CN", "zh-TW", "en", "en-US", "en-GB"} <= xcs.languages
    assert xcs.specs[("termNote", "partOfSpeech")].picklist == {
        "noun", "verb", "adjective", "adverb", "properNoun", "other"}  # fmt: skip
    assert "phrase" in xcs.specs[("termNote", "termType")].picklist


def test_the_xcs_check_finds_what_tbxchecker_rejects(tmp_path, entries):
    """The check fails where TBXChecker does: a Chinese langSet under an XCS that declares
    en, fr and de only (the stock TBX-Basic XCS), a value off a picklist, an undeclared
    data category, a descrip at a level its category does not allow."""
    path = save_glossary(entries, tmp_path / "g.tbx")
    stock_like = tmp_path / "stock.xcs"
    text = xcs_text()
    languages = text[text.index("<languages>") : text.index("</languages>")]
    stock_languages = "<languages>" + "".join(
        f"<langInfo><langCode>{c}</langCode><langName>{c}</langName></langInfo>"
        for c in ("en", "fr", "de")
    )
    stock_like.write_text(text.replace(languages, stock_languages), encoding="utf-8")
    errors = xcs_errors(path, stock_like)
    assert len(errors) == len(entries) and all("Invalid language for tag: zh" in e for e in errors)

    tree = etree.parse(str(path))
    note = next(n for n in tree.iter("termNote") if n.get("type") == "partOfSpeech")
    note.text = "pronoun"
    etree.SubElement(tree.find(".//tig"), "admin", type="madeUp").text = "x"
    definition = etree.SubElement(tree.find(".//tig"), "descrip", type="definition")
    definition.text = "a definition at term level"
    bad = tmp_path / "bad.tbx"
    tree.write(str(bad), encoding="UTF-8")
    errors = xcs_errors(bad, tmp_path / XCS_NAME)
    assert len(errors) == 3
    assert any("'pronoun' not in the picklist" in e for e in errors)
    assert any("'madeUp'" in e for e in errors) and any("not allowed at term" in e for e in errors)


def test_part_of_speech_and_term_type_placement(tmp_path, entries):
    """termNotes right after the term (before descrip and note, as the DTD's tig wants);
    part of speech on every term, term type on the Chinese ones; none without a value."""
    root = etree.parse(str(save_glossary(entries, tmp_path / "g.tbx"))).getroot()
    first, _, third, fourth = root.iter("termEntry")
    zh_tigs = first.findall("langSet[1]/tig")
    assert len(zh_tigs) == 2  # as written and simplified
    for tig in zh_tigs:
        assert [c.tag for c in tig][:3] == ["term", "termNote", "termNote"]
        assert [n.get("type") for n in tig.findall("termNote")] == ["partOfSpeech", "termType"]
        assert tig.findtext("termNote[@type='termType']") == "phrase"
    for tig in first.findall("langSet[2]/tig"):
        assert [n.get("type") for n in tig.findall("termNote")] == [
            "partOfSpeech", "administrativeStatus"]  # fmt: skip
    assert _term_notes(third, "partOfSpeech") == ["verb"] * 3  # "Verb" as the picklist has it
    assert _term_notes(third, "termType") == []
    assert _term_notes(fourth, "partOfSpeech") == _term_notes(fourth, "termType") == []


def test_values_off_the_picklists(tmp_path):
    e = Entry("特朗普政府", "", "Trump administration", part_of_speech="nz", term_type="name")
    root = etree.parse(str(save_glossary([e], tmp_path / "g.tbx"))).getroot()
    assert set(_term_notes(root, "partOfSpeech")) == {"other"}
    assert _term_notes(root, "termType") == []
    assert xcs_errors(tmp_path / "g.tbx", tmp_path / XCS_NAME) == []


@pytest.mark.parametrize("version", [2, 3])
def test_part_of_speech_and_term_type_read_back(tmp_path, entries, version):
    back = read_glossary(save_glossary(entries, tmp_path / "g.tbx", tbx_version=version))
    assert [(e.part_of_speech, e.term_type) for e in back] == [
        ("noun", "phrase"),
        ("properNoun" if version == 2 else "noun", "fullForm"),
        ("verb", ""),
        ("", ""),
    ]


def test_read_part_of_speech_of_another_tools_file(tmp_path):
    """A file whose only partOfSpeech is on the English term still gives the entry one."""
    path = tmp_path / "other.tbx"
    path.write_text(
        '<martif type="TBX-Basic" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>x</p>'
        "</sourceDesc></fileDesc></martifHeader><text><body><termEntry>"
        '<langSet xml:lang="zh-CN"><tig><term>军控</term></tig></langSet>'
        '<langSet xml:lang="en-US"><tig><term>arms control</term>'
        '<termNote type="partOfSpeech">noun</termNote></tig></langSet>'
        "</termEntry></body></text></martif>",
        encoding="utf-8",
    )
    (e,) = read_glossary(path)
    assert (e.zh, e.en, e.part_of_speech, e.term_type) == ("军控", "arms control", "noun", "")


def test_translate_toolkit_reads_the_part_of_speech(tmp_path, entries):
    tbx2po = pytest.importorskip("translate.convert.tbx2po")
    tbx = pytest.importorskip("translate.storage.tbx")
    path = save_glossary(entries, tmp_path / "g.tbx")
    po = tbx2po.tbx2po().convertfile(tbx.tbxfile.parsefile(str(path)))
    notes = {u.source: u.getnotes("developer") for u in po.units}
    assert notes["赖清德"] == "Part of speech: properNoun\nfullForm"
    assert notes["推动"] == "Part of speech: verb"
    assert notes["二轨对话"] == "Part of speech: "  # nothing to show, as before


# ---------------------------------------------------------------- the XCS beside the TBX


def test_no_xcs_for_tbx3_or_when_told(tmp_path, entries):
    save_glossary(entries, tmp_path / "g3.tbx", tbx_version=3)
    save_glossary(entries, tmp_path / "g2.tbx", xcs=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g2.tbx", "g3.tbx"]
    assert glossary_companions(tmp_path / "g.tbx") == [tmp_path / XCS_NAME]
    assert glossary_companions(tmp_path / "g.tbx", tbx_version=3) == []
    assert glossary_companions(tmp_path / "g.tbx", xcs=False) == []
    assert glossary_companions(tmp_path / "g.csv") == []


def test_an_xcs_there_already(tmp_path, entries):
    xcs = tmp_path / XCS_NAME
    save_glossary(entries, tmp_path / "a.tbx")
    os.utime(xcs, (1, 1))
    save_glossary(entries, tmp_path / "b.tbx")  # the same text: left as it is
    assert xcs.stat().st_mtime == 1
    xcs.write_text(xcs_text().replace("TBX-Basic XCS for", "an older TBX-Basic XCS for"), "utf-8")
    save_glossary(entries, tmp_path / "c.tbx")  # ours, another version: replaced
    assert xcs.read_text(encoding="utf-8") == xcs_text()


def test_a_file_of_the_users_is_never_overwritten(tmp_path, entries):
    xcs = tmp_path / XCS_NAME
    xcs.write_text("<TBXXCS>my own</TBXXCS>", encoding="utf-8")
    with pytest.raises(InputError, match=r"not a file aligner wrote.*--no-xcs"):
        save_glossary(entries, tmp_path / "g.tbx")
    with pytest.raises(InputError, match="not a file aligner wrote"):
        check_output(tmp_path / "g.tbx", kind="glossary", options=GlossaryOptions())
    assert sorted(p.name for p in tmp_path.iterdir()) == [XCS_NAME]  # no TBX either
    assert xcs.read_text(encoding="utf-8") == "<TBXXCS>my own</TBXXCS>"
    save_glossary(entries, tmp_path / "g.tbx", xcs=False)  # the way out
    check_output(tmp_path / "g.tbx", kind="glossary", options=GlossaryOptions(xcs=False))


# ---------------------------------------------------------------- TBX 3


def test_tbx3_is_valid_against_the_core_schema(tmp_path, entries):
    path = save_glossary(entries, tmp_path / "g.tbx", tbx_version=3)
    assert rng_errors(path) == []
    root = etree.parse(str(path)).getroot()
    ns = f"{{{TBX3_NS}}}"
    assert set(_term_notes(root, "partOfSpeech", ns)) <= TBX3_PARTS_OF_SPEECH
    pis = [pi.text for pi in root.itersiblings(preceding=True)]
    assert any("TBX_Core_RNG/master/TBXcoreStructV03.rng" in t for t in pis)
    assert any("TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch" in t for t in pis)
    assert not any("integrated" in t for t in pis)


def test_the_schemas_reject_what_they_should(tmp_path, entries):
    """The fixtures are real checks: a termNote after a descrip breaks both."""
    for version, errors in ((2, dtd_errors), (3, rng_errors)):
        path = save_glossary(entries, tmp_path / f"g{version}.tbx", tbx_version=version)
        tree = etree.parse(str(path))
        tig = next(t for t in tree.iter() if etree.QName(t).localname in ("tig", "termSec")
                   and any(etree.QName(c).localname == "descrip" for c in t))  # fmt: skip
        note = next(c for c in tig if etree.QName(c).localname == "termNote")
        tig.remove(note)
        tig.append(note)
        tree.write(str(path), encoding="UTF-8")
        assert errors(path), version


# ---------------------------------------------------------------- OmegaT


def test_omegat_suffixes():
    assert format_for("g.utf8", kind="glossary") == "omegat"
    assert format_for("g.TAB", kind="glossary") == "omegat"
    assert format_for("g.txt", "omegat", kind="glossary") == "omegat"
    with pytest.raises(InputError, match="suffix"):
        format_for("g.txt", kind="glossary")  # not claimed: a name too common


def test_omegat_is_three_columns_without_header(tmp_path, entries):
    entries.append(Entry("台\t海", "", "Taiwan\nStrait"))
    path = save_glossary(entries, tmp_path / "g.utf8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.utf8"]
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    lines = raw.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == len(entries) + 1
    rows = [line.split("\t") for line in lines[:-1]]
    assert all(len(r) == 3 for r in rows)
    assert rows[0][:2] == ["建設性戰略穩定關係", "constructive relationship of strategic stability"]
    assert rows[0][2] == (
        "also: constructive bilateral relationship of strategic stability; "
        "part of speech: noun; term type: phrase; frequency: 3"
    )
    assert rows[3] == ["二轨对话", "Track II dialogue", "frequency: 2"]
    assert rows[-1] == ["台 海", "Taiwan Strait", ""]


def test_omegat_round_trip(tmp_path, entries):
    for name in ("g.utf8", "g.tab"):
        back = read_glossary(save_glossary(entries, tmp_path / name))
        assert [(e.zh, e.en, e.variants, e.part_of_speech, e.term_type, e.frequency)
                for e in back] == [
            (e.zh, e.en, e.variants, e.part_of_speech, e.term_type, e.frequency)
            for e in entries
        ]  # fmt: skip


def test_omegat_to_standard_output(entries, capsys):
    import sys

    write_glossary(entries[:1], sys.stdout, "omegat")
    assert capsys.readouterr().out.count("\t") == 2


def test_an_omegat_glossary_of_another_tool(tmp_path):
    path = tmp_path / "theirs.tab"
    path.write_text(
        "# exported by a CAT tool\nsource\ttarget\n跛脚鸭\tlame duck\tpolitics; informal\n"
        "\n军控\tarms control\n",
        encoding="utf-8",
    )
    back = read_glossary(path)
    assert [(e.zh, e.en, e.variants, e.part_of_speech) for e in back] == [
        ("跛脚鸭", "lame duck", [], ""), ("军控", "arms control", [], "")]  # fmt: skip
    known = read_known_glossary(path)  # a user's glossary too
    assert [e.source for e in known] == ["user", "user"]
    path.write_text("跛脚鸭\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"theirs\.tab:1"):
        read_glossary(path)
