"""Glossary files: every format written and parsed back (TBX with lxml), the user's
known glossary, bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from lxml import etree

from aligner.formats import format_for, read_glossary, read_known_glossary, save_glossary
from aligner.formats.tbx import TBX3_NS
from aligner.model import Entry, InputError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "terms"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def entries() -> list[Entry]:
    return [
        Entry(
            "建設性戰略穩定關係",
            "建设性战略稳定关系",
            "constructive relationship of strategic stability",
            [
                "constructive bilateral relationship of strategic stability",
                "constructive China-U.S. relationship of strategic stability",
            ],
            3,
            0.708,
            (
                "「中美建設性戰略穩定關係」的新定位",
                "the new formulation of a “constructive relationship of strategic stability”",
            ),
            "text",
            ["constructive China-US relationship of strategic stability"],
        ),  # fmt: skip
        Entry(
            "跛脚鸭",
            "跛脚鸭",
            "lame duck",
            [],
            1,
            0.75,
            ("特朗普政府是否会成为跛脚鸭", "whether the administration will become a lame duck"),
            "text",
            ["lame duck"],
        ),  # fmt: skip
        Entry(
            "二轨对话",
            "二轨对话",
            "Track II dialogue",
            ["Track 2 dialogue"],
            2,
            0.875,
            ("二轨对话有望得到支持。", "Track II dialogues are expected to get support."),
            "user",
            [],
        ),  # fmt: skip
        Entry("赖清德", "赖清德", "Lai Ching-te", [], 1, 0.75, ("", ""), "text", []),
    ]


def _same(a: Entry, b: Entry, fields=("zh", "zh_simplified", "en", "variants", "frequency",
                                      "source", "attested", "example")) -> None:  # fmt: skip
    for f in fields:
        assert getattr(a, f) == getattr(b, f), f
    assert abs(a.confidence - b.confidence) < 1e-3


# ---------------------------------------------------------------- each format


def test_json_round_trip(tmp_path, entries):
    path = save_glossary(entries, tmp_path / "g.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data[0]["zh"] == "建設性戰略穩定關係" and data[0]["example"]["en"].startswith("the")
    for a, b in zip(entries, read_glossary(path), strict=True):
        _same(a, b)


def test_csv_round_trip(tmp_path, entries):
    path = save_glossary(entries, tmp_path / "g.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:6] == ["zh", "en", "variants", "frequency", "confidence", "example_zh"]
    assert rows[1][0] == "建設性戰略穩定關係" and rows[1][3] == "3"
    for a, b in zip(entries, read_glossary(path), strict=True):
        _same(a, b)


def test_tsv_is_two_columns(tmp_path, entries):
    entries.append(Entry("跛脚鸭", "", "lame-duck president"))  # a second entry of one term
    entries.append(Entry("台\t海", "", "Taiwan\nStrait"))
    path = save_glossary(entries, tmp_path / "g.tsv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "建設性戰略穩定關係\tconstructive relationship of strategic stability"
    assert all(len(line.split("\t")) == 2 for line in lines)
    assert sum(1 for line in lines if line.startswith("跛脚鸭\t")) == 1
    assert lines[-1] == "台 海\tTaiwan Strait"
    back = read_glossary(path)
    assert [[e.zh, e.en] for e in back] == [line.split("\t") for line in lines]


@pytest.mark.parametrize("version", [2, 3])
def test_tbx_round_trip(tmp_path, entries, version):
    path = save_glossary(entries, tmp_path / "g.tbx", tbx_version=version)
    back = read_glossary(path)
    assert len(back) == len(entries)
    for a, b in zip(entries, back, strict=True):
        _same(a, b, ("zh", "zh_simplified", "en", "variants", "frequency", "source"))
        assert set(a.attested) == set(b.attested)
        assert b.example == (" ".join(a.example[0].split()), " ".join(a.example[1].split()))


def test_tbx2_structure(tmp_path, entries):
    path = save_glossary(entries, tmp_path / "g.tbx")
    tree = etree.parse(str(path))
    root = tree.getroot()
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    assert root.get(XML_LANG) == "en"
    assert tree.docinfo.doctype.startswith("<!DOCTYPE martif")
    terms = root.findall("text/body/termEntry")
    assert len(terms) == len(entries)
    first = terms[0]
    langs = [ls.get(XML_LANG) for ls in first.findall("langSet")]
    assert langs == ["zh", "en"]
    zh_terms = [t.text for t in first.findall("langSet[1]/tig/term")]
    assert zh_terms == ["建設性戰略穩定關係", "建设性战略稳定关系"]
    en_tigs = first.findall("langSet[2]/tig")
    assert en_tigs[0].findtext("term") == "constructive relationship of strategic stability"
    assert en_tigs[0].findtext("termNote[@type='administrativeStatus']") == (
        "preferredTerm-admn-sts"
    )
    assert len(en_tigs) == 4  # preferred, two variants, one attested rendering
    assert en_tigs[0].findtext("descrip[@type='context']").startswith("the new formulation")


def test_tbx3_structure(tmp_path, entries):
    path = save_glossary(entries, tmp_path / "g.tbx", tbx_version=3)
    root = etree.parse(str(path)).getroot()
    ns = {"t": TBX3_NS}
    assert root.tag == f"{{{TBX3_NS}}}tbx"
    assert root.get("type") == "TBX-Basic" and root.get("style") == "dca"
    assert root.get(XML_LANG) == "en"
    concepts = root.findall("t:text/t:body/t:conceptEntry", ns)
    assert len(concepts) == len(entries)
    secs = concepts[1].findall("t:langSec", ns)
    assert [s.get(XML_LANG) for s in secs] == ["zh", "en"]
    assert secs[1].findtext("t:termSec/t:term", namespaces=ns) == "lame duck"
    assert b"xml-model" in path.read_bytes()


def test_tbx_is_read_by_translate_toolkit(tmp_path, entries):
    tbx = pytest.importorskip("translate.storage.tbx")
    path = save_glossary(entries, tmp_path / "g.tbx")
    store = tbx.tbxfile.parsefile(str(path))
    assert [u.source for u in store.units] == [e.zh for e in entries]
    assert [u.target for u in store.units] == [e.en for e in entries]


def test_tbx_escapes_and_drops_forbidden_characters(tmp_path):
    e = Entry("<术语>&", "", 'a "quoted" <term> & \x01more', frequency=1)
    back = read_glossary(save_glossary([e], tmp_path / "g.tbx"))
    assert back[0].zh == "<术语>&" and back[0].en == 'a "quoted" <term> & more'


def test_empty_glossary(tmp_path):
    for fmt in ("tbx", "csv", "tsv", "json"):
        assert read_glossary(save_glossary([], tmp_path / f"g.{fmt}")) == []


def test_format_from_suffix_or_option(tmp_path, entries):
    assert format_for("x.TBX", kind="glossary") == "tbx"
    assert format_for("x.txt", "tsv", kind="glossary") == "tsv"
    path = save_glossary(entries, tmp_path / "g.txt", fmt="json")
    assert json.loads(path.read_text(encoding="utf-8"))[0]["en"] == entries[0].en


# ---------------------------------------------------------------- known glossaries


def test_known_tsv_with_header_and_comments():
    known = read_known_glossary(FIXTURES / "known.tsv")
    assert [e.zh for e in known] == ["一中政策", "台海", "军控"]
    assert all(e.source == "user" and e.confidence == 1.0 for e in known)


def test_known_csv_and_swapped_columns(tmp_path):
    p = tmp_path / "known.csv"
    p.write_text('\ufeffen,zh\n"arms control, bilateral",双边军控\nlame duck,跛脚鸭\n', "utf-8")
    known = read_known_glossary(p)
    assert [(e.zh, e.en) for e in known] == [
        ("双边军控", "arms control, bilateral"), ("跛脚鸭", "lame duck"),
    ]  # fmt: skip


def test_known_without_header_and_extra_columns(tmp_path):
    p = tmp_path / "known.txt"
    p.write_text("跛脚鸭\tlame duck\tlame-duck president\n\n军控\tarms control\n", "utf-8")
    known = read_known_glossary(p)
    assert known[0].variants == ["lame-duck president"] and known[1].en == "arms control"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("missing.tsv", None, "no such file"),
        ("latin1.tsv", "跛脚鸭\tlame duck\n".encode("gb18030"), "not a UTF-8"),
        ("one-column.tsv", "跛脚鸭\n".encode(), "one-column.tsv:1"),
        ("empty-en.csv", "跛脚鸭,\n".encode(), "empty-en.csv:1"),
        ("swapped.tsv", "lame duck\t跛脚鸭\n".encode(), "not a Chinese term"),
        ("binary.tsv", b"\x00\x01\x02\t\x03\n", "swapped"),
    ],
)
def test_bad_known_glossaries(tmp_path, name, content, message):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_known_glossary(p)
    text = str(err.value)
    assert name in text and "\n" not in text
    if message != "swapped":
        assert message in text


@pytest.mark.parametrize(
    "name,content",
    [("bad.json", "{not json"), ("list.json", '{"entries": 3}'), ("entry.json", '[{"zh": 1}]'),
     ("bad.tbx", "<martif><text>"), ("other.tbx", "<tmx/>"), ("bad.csv", 'zh,en\n"open')],
)  # fmt: skip
def test_bad_glossary_files(tmp_path, name, content):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=name.replace(".", r"\.")):
        read_glossary(p)


def test_bad_output(tmp_path, entries):
    with pytest.raises(InputError, match="suffix"):
        save_glossary(entries, tmp_path / "g.xlsx")
    with pytest.raises(InputError, match="format"):
        save_glossary(entries, tmp_path / "g.tbx", fmt="xlsx")
    with pytest.raises(InputError, match="TBX version"):
        save_glossary(entries, tmp_path / "g.tbx", tbx_version=4)
    with pytest.raises(InputError, match="no such directory"):
        save_glossary(entries, tmp_path / "missing" / "g.tbx")
    with pytest.raises(InputError, match="directory"):
        save_glossary(entries, tmp_path, fmt="tsv")
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind
