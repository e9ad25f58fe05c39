"""The contract every registered format keeps, re-run for each row of the registry (as
translate-toolkit re-runs its storage tests per format): units and entries round-trip
where the format is readable, the translation-memory outputs leave out the same units,
writing is atomic, a directory or a missing folder is refused; and the registry itself
loads no aligner, no numpy, no jieba."""

from __future__ import annotations

import errno
import importlib
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.formats import (
    FORMATS,
    check_output,
    creationdate,
    format_for,
    outputs,
    read_formats,
    read_glossary,
    read_known_glossary,
    read_units,
    registered,
    save_glossary,
    save_units,
    validate_tmx,
    write_glossary,
    write_units,
)
from aligner.model import Entry, ExportOptions, ExportResult, InputError, Unit

ROOT = Path(__file__).resolve().parent.parent
TM_FORMATS = list(registered("tm"))
GLOSSARY_FORMATS = list(registered("glossary"))


def glossary_name(fmt: str) -> str:
    """A file name whose suffix names the glossary format."""
    return f"g.{registered('glossary')[fmt].suffixes[0]}"


def one_line(text: str) -> str:
    """What a one-line cell keeps of a text: its words, one space between them."""
    return " ".join(text.replace("\x00", "").replace("\x0b", " ").split())


def xml_kept(text: str) -> str:
    """What TMX keeps of a text: all of it but the characters XML 1.0 forbids."""
    return text.replace("\x00", "").replace("\x0b", "")


# What each readable TM format gives back of a unit's text: a new readable format needs
# its row here, saying how exactly it keeps text.
KEPT_TEXT = {
    "tmx": xml_kept, "tsv": one_line, "jsonl": lambda text: text, "xliff": xml_kept,
    "xliff2": xml_kept, "po": xml_kept,
}  # fmt: skip


def test_every_format_has_a_module_with_its_functions() -> None:
    for spec in FORMATS:
        module = importlib.import_module(f"aligner.formats.{spec.module}")
        if spec.kind == "document":  # documents are read, never written
            assert callable(module.read_blocks) and not hasattr(module, "write"), spec.name
            continue
        assert callable(module.write), spec.name
        assert callable(getattr(module, "read", None)) == (
            spec.kind == "glossary" or spec.fidelity > 0
        ), spec.name
    for kind in ("tm", "glossary", "document"):
        suffixes = [s for f in registered(kind).values() for s in f.suffixes]
        assert len(suffixes) == len(set(suffixes)), kind  # one format per suffix
    assert set(read_formats()) == set(KEPT_TEXT)


def test_messages_name_the_formats() -> None:
    with pytest.raises(InputError) as info:
        format_for("out.docx")
    assert str(info.value) == (
        "out.docx: cannot tell the format from the suffix "
        "(use .tmx, .tsv, .jsonl, .align, .xlf, .xliff or .po, or --format parallel or --format "
        "xliff2)"
    )
    with pytest.raises(InputError, match=r"^unknown format 'docx': use one of tmx, tsv, jsonl"):
        format_for("out.tmx", "docx")
    with pytest.raises(InputError) as info:
        read_units("pairs.align")
    assert str(info.value) == (
        "pairs.align: cannot read this format (use .tmx, .tsv, .jsonl, .xlf, .xliff or .po)"
    )
    with pytest.raises(InputError) as info:
        format_for("g.xlsx", kind="glossary")
    assert str(info.value) == (
        "g.xlsx: cannot tell the glossary format from the suffix (use .tbx, .csv, .tsv, .json, "
        ".utf8 or .tab)"
    )
    assert format_for("corpus", "parallel") == "parallel"
    assert format_for("A.TMX") == "tmx"


# ---------------------------------------------------------------- aligned units

TEXT = st.text(
    alphabet=st.sampled_from(list("中美关系 abc&<>\"'\t\n\r\x00\x0b\u2028；。，“”’🙂é")),
    min_size=1,
    max_size=30,
).filter(lambda t: t.replace("\x00", "").replace("\x0b", "").split())
UNITS = st.lists(
    st.builds(
        Unit,
        zh=TEXT,
        en=TEXT,
        confidence=st.floats(0, 1).map(lambda x: round(x, 3)),
        kind=st.sampled_from(["1-1", "1-2", "2-1", "title"]),
        para=st.integers(-1, 50),
        doc=st.sampled_from(["doc", "a-b"]),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.parametrize("fmt", read_formats())
@settings(max_examples=40, deadline=None)
@given(units=UNITS)
def test_round_trip(fmt: str, units: list[Unit]) -> None:
    kept = KEPT_TEXT[fmt]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"out.{fmt}"
        result = save_units(units, path, fmt, ExportOptions(keep_unaligned=True))
        back = read_units(path, fmt)
    assert result.written == len(back) == len(units)
    for a, b in zip(units, back, strict=True):
        assert (b.zh, b.en) == (kept(a.zh), kept(a.en))
        assert abs(b.confidence - a.confidence) < 5e-4  # TSV writes three decimals
        assert (b.kind, b.para) == (a.kind, a.para)


@settings(max_examples=40, deadline=None)
@given(units=UNITS)
def test_jsonl_and_tmx_keep_the_document(units: list[Unit]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("jsonl", "tmx"):
            path = Path(tmp) / f"out.{fmt}"
            save_units(units, path, options=ExportOptions(keep_unaligned=True))
            assert [u.doc for u in read_units(path)] == [u.doc for u in units]


@settings(max_examples=40, deadline=None)
@given(units=UNITS)
def test_parallel_files_keep_one_line_per_unit(units: list[Unit]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "corpus"
        result = save_units(units, stem, "parallel")
        assert result.paths == [Path(f"{stem}.zh"), Path(f"{stem}.en")]
        zh = Path(f"{stem}.zh").read_text(encoding="utf-8").split("\n")[:-1]
        en = Path(f"{stem}.en").read_text(encoding="utf-8").split("\n")[:-1]
    assert len(zh) == len(en) == result.written == len(units)
    assert zh == [one_line(u.zh) for u in units]
    assert en == [one_line(u.en) for u in units]


MIXED = [
    Unit("中美关系的新发展", "New Developments in China-US Relations", 1.0, "title", -1, "d"),
    Unit("双方同意扩大贸易。", "The two sides agreed to expand trade.", 0.9, "1-1", 0, "d",
         (0,), (0,)),
    Unit("只有中文。", "", 0.8, "1-0", 0, "d", (1,), ()),
    Unit("", "English only.", 0.3, "0-1", 1, "d", (), (1,)),
    Unit("会议讨论了气候。", "The meeting discussed climate.", 0.2, "1-1", 1, "d", (2,), (2,)),
    Unit(" \x00 ", "\u3000", 0.9, "1-1", 2, "d", (3,), (3,)),  # empty once cleaned
]  # fmt: skip

# (keep_unaligned, min_confidence) -> the MIXED units a translation-memory output keeps,
# and how many it leaves out for an empty side and for their confidence
TM_KEEPS = {
    (False, 0.0): ([0, 1, 4], 3, 0),
    (False, 0.5): ([0, 1], 3, 1),
    (True, 0.0): ([0, 1, 2, 3, 4], 1, 0),
    (True, 0.5): ([0, 1, 2], 1, 2),
}
# The review formats with no place for the title unit (it has no sentence numbers).
NO_TITLE = {"align"}


def units_in(fmt: str, paths: list[Path]) -> int:
    """How many units a written file holds: read back, or (a format that cannot be read
    back writes a unit a line in each of its files) its lines."""
    if fmt in read_formats():
        return len(read_units(paths[0], fmt))
    counts = {len(p.read_text(encoding="utf-8").splitlines()) for p in paths}
    assert len(counts) == 1, paths
    return counts.pop()


@pytest.mark.parametrize("fmt", TM_FORMATS)
@pytest.mark.parametrize(("keep", "least"), list(TM_KEEPS))
def test_min_confidence_and_keep_unaligned(tmp_path, fmt: str, keep: bool, least: float) -> None:
    """The translation-memory outputs all leave out the same units; the review formats
    keep every unit."""
    options = ExportOptions(keep_unaligned=keep, min_confidence=least)
    result = save_units(MIXED, tmp_path / f"out.{fmt}", fmt, options)
    if registered()[fmt].translation_memory:
        kept, unaligned, low = TM_KEEPS[keep, least]
        expected = ExportResult(len(kept), unaligned, low, 0, result.paths)
        assert result == expected
        assert units_in(fmt, result.paths) == len(kept)
        if fmt in read_formats():
            back = read_units(result.paths[0], fmt)
            assert [(u.zh, u.en) for u in back] == [(MIXED[k].zh, MIXED[k].en) for k in kept]
    else:
        every = len(MIXED) - (fmt in NO_TITLE)
        dropped = int(KEPT_TEXT.get(fmt) is xml_kept)  # the NUL of the last unit
        assert result == ExportResult(every, dropped_chars=dropped, paths=result.paths)
        assert units_in(fmt, result.paths) == every


@pytest.mark.parametrize("fmt", TM_FORMATS)
def test_standard_output_or_a_path(tmp_path, fmt: str) -> None:
    """A format written to a stream writes what it writes to a file; one that needs a
    path (TMX, parallel files) says so."""
    buf = io.StringIO()
    if not registered()[fmt].stdout:
        with pytest.raises(InputError, match=rf"--format {fmt} needs an output path \(-o\)"):
            write_units(MIXED, buf, fmt)
        return
    written = write_units(MIXED, buf, fmt)
    result = save_units(MIXED, tmp_path / "out", fmt)
    assert written.written == result.written == len(MIXED) - (fmt in NO_TITLE)
    assert buf.getvalue() == result.paths[0].read_text(encoding="utf-8")


class BreaksMidway(list):
    """A list of units whose iteration fails after the last unit: a writer fails with
    part of its output written."""

    def __iter__(self):
        yield from super().__iter__()
        raise RuntimeError("disk full")


@pytest.mark.parametrize("fmt", TM_FORMATS)
def test_failure_is_atomic(tmp_path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    with pytest.raises(RuntimeError):
        save_units(BreaksMidway(MIXED), path, fmt)
    assert list(tmp_path.iterdir()) == []  # no output, no temporary
    before = save_units(MIXED[:1], path, fmt).paths
    contents = {p: p.read_bytes() for p in before}
    with pytest.raises(RuntimeError):
        save_units(BreaksMidway(MIXED), path, fmt)
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == contents  # old content kept


@pytest.mark.parametrize("fmt", TM_FORMATS)
def test_refuses_a_directory_or_a_missing_folder(tmp_path, fmt: str) -> None:
    with pytest.raises(InputError, match="no such directory"):
        save_units(MIXED, tmp_path / "missing" / f"out.{fmt}", fmt)
    target = tmp_path / f"out.{fmt}"
    outputs(target, fmt)[0].mkdir()
    with pytest.raises(InputError, match="is a directory"):
        save_units(MIXED, target, fmt)
    assert [p.name for p in tmp_path.iterdir()] == [outputs(target, fmt)[0].name]


class DiskFillsMidway(list):
    """A list of units whose iteration fails as a full disk fails a write."""

    def __iter__(self):
        yield from super().__iter__()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("fmt", TM_FORMATS)
def test_a_write_error_is_an_input_error_naming_the_output(tmp_path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    with pytest.raises(InputError) as info:
        save_units(DiskFillsMidway(MIXED), path, fmt)
    written = [str(p) for p in outputs(path, fmt)]  # parallel files: either of the two
    assert str(info.value) in [f"{p}: cannot write (No space left on device)" for p in written]
    assert list(tmp_path.iterdir()) == []  # no output, no temporary


@pytest.mark.parametrize("fmt", TM_FORMATS)
def test_check_output_refuses_an_input_among_its_files(tmp_path, fmt: str) -> None:
    source = tmp_path / "source.txt"
    source.write_text("an input\n")
    target = tmp_path / f"out.{fmt}"
    assert check_output(target, fmt, inputs=[source]) == fmt
    for made in outputs(target, fmt):  # each file the format writes, as a hard link
        os.link(source, made)
        with pytest.raises(InputError, match=f"{made.name}: is an input of this command"):
            check_output(target, fmt, inputs=[source])
        made.unlink()


def test_a_format_that_a_known_suffix_contradicts_is_refused() -> None:
    for path, fmt, kind in [("x.tmx", "tsv", "tm"), ("x.tsv", "parallel", "tm"),
                            ("x.tbx", "csv", "glossary"), ("x.json", "jsonl", "tm")]:  # fmt: skip
        with pytest.raises(InputError, match=rf"--format {fmt} contradicts the suffix"):
            format_for(path, fmt, kind)
    assert format_for("x.txt", "tsv") == "tsv"  # a suffix no format has says nothing
    assert format_for("corpus", "parallel") == "parallel"
    assert format_for("x.tsv", "tsv", "glossary") == "tsv"


def test_the_date_an_output_carries(tmp_path, monkeypatch) -> None:
    source = tmp_path / "source.txt"
    source.write_text("an input\n")
    os.utime(source, (0, 86400))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert creationdate([source]) == "19700102T000000Z"  # the newest input
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert creationdate([source]) == creationdate() == "20231114T221320Z"


@pytest.mark.parametrize("ids", ['"01"', "1", '[0, "1"]', "[true]", '{"0": 1}', "null"])
def test_jsonl_sentence_numbers_are_a_list_of_integers(tmp_path, ids: str) -> None:
    path = tmp_path / "a.jsonl"
    good = '{"zh": "中", "en": "E", "zh_ids": [0], "en_ids": [0, 1]}\n'
    bad = '{"zh": "中", "en": "E", "zh_ids": ' + ids + "}\n"
    path.write_text(good + bad, encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.jsonl:2: zh_ids must be a list of sentence numbers"):
        read_units(path)
    path.write_text(good, encoding="utf-8")
    assert [(u.zh_ids, u.en_ids) for u in read_units(path)] == [((0,), (0, 1))]


def test_validate_tmx_refuses_a_directory(tmp_path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        validate_tmx(tmp_path)


# ---------------------------------------------------------------- glossaries

ENTRIES = [
    Entry("建設性戰略穩定關係", "建设性战略稳定关系",
          "constructive relationship of strategic stability",
          ["constructive bilateral relationship of strategic stability"], 3, 0.708,
          ("「中美建設性戰略穩定關係」的新定位", "a “constructive\nrelationship”"), "text",
          ["constructive China-US relationship of strategic stability"],
          part_of_speech="noun", term_type="phrase", documents=2),
    Entry("跛脚鸭", "跛脚鸭", "lame duck", [], 1, 0.75, ("", ""), "user", ["lame duck"],
          documents=0),
    Entry("二轨对话", "二轨对话", "Track II dialogue", ["Track 2 dialogue", "track-two|2 talks"], 2,
          0.875, ("二轨对话有望得到支持。", "Track II dialogues are expected."), "text", []),
]  # fmt: skip

ALL_FIELDS = ("zh", "zh_simplified", "en", "variants", "frequency", "confidence", "example",
              "source", "attested", "documents", "part_of_speech", "term_type")  # fmt: skip
# The Entry fields each glossary format carries: a new format needs its row here.
CARRIES = {
    "tbx": ALL_FIELDS,
    "csv": ALL_FIELDS,
    "tsv": ("zh", "en"),
    "json": ALL_FIELDS,
    "omegat": ("zh", "en", "variants", "frequency", "part_of_speech", "term_type"),
}


def field(entry: Entry, name: str):
    """A field as a file keeps it: confidence to three decimals, texts on one line, the
    attested renderings as a set (TBX lists them among the English terms)."""
    value = getattr(entry, name)
    if name == "confidence":
        return round(value, 3)
    if name == "example":
        return tuple(" ".join(t.split()) for t in value)
    if name == "attested":
        return set(value)
    return value


@pytest.mark.parametrize("fmt", GLOSSARY_FORMATS)
def test_glossary_round_trip(tmp_path, fmt: str) -> None:
    path = save_glossary(ENTRIES, tmp_path / glossary_name(fmt))
    back = read_glossary(path)
    assert len(back) == len(ENTRIES)
    for a, b in zip(ENTRIES, back, strict=True):
        for name in CARRIES[fmt]:
            assert field(b, name) == field(a, name), (fmt, name)


@pytest.mark.parametrize("fmt", GLOSSARY_FORMATS)
def test_glossary_to_a_stream_as_to_a_file(tmp_path, fmt: str) -> None:
    buf = io.StringIO()
    write_glossary(ENTRIES, buf, fmt)
    path = save_glossary(ENTRIES, tmp_path / "Glossary.x", fmt)  # the file name is the title
    assert buf.getvalue() == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", GLOSSARY_FORMATS)
def test_a_known_glossary_in_any_of_our_formats(tmp_path, fmt: str) -> None:
    known = read_known_glossary(save_glossary(ENTRIES, tmp_path / glossary_name(fmt)))
    assert [(e.zh, e.en) for e in known] == [(e.zh, e.en) for e in ENTRIES]
    assert all(e.source == "user" and e.confidence == 1.0 for e in known)


class BadEntry(Entry):
    """An entry whose English breaks every writer (after the entries before it)."""

    @property
    def en(self):
        raise RuntimeError("disk full")

    @en.setter
    def en(self, value):
        pass


@pytest.mark.parametrize("fmt", GLOSSARY_FORMATS)
def test_glossary_failure_is_atomic(tmp_path, fmt: str) -> None:
    path = save_glossary(ENTRIES[:1], tmp_path / glossary_name(fmt))
    before = {p: p.read_bytes() for p in tmp_path.iterdir()}  # a TBX 2: its XCS too
    with pytest.raises(RuntimeError):
        save_glossary([*ENTRIES, BadEntry("错", "错")], path)
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("fmt", GLOSSARY_FORMATS)
def test_glossary_refuses_a_directory_or_a_missing_folder(tmp_path, fmt: str) -> None:
    name = glossary_name(fmt)
    with pytest.raises(InputError, match="no such directory"):
        save_glossary(ENTRIES, tmp_path / "missing" / name)
    (tmp_path / name).mkdir()
    with pytest.raises(InputError, match="is a directory"):
        save_glossary(ENTRIES, tmp_path / name)
    assert [p.name for p in tmp_path.iterdir()] == [name]


# ---------------------------------------------------------------- what the registry loads


def test_formats_load_neither_the_aligner_nor_numpy_nor_jieba(tmp_path) -> None:
    """Reading a TSV or a TMX, and importing every format module, loads neither the
    aligner nor the term extractor, nor numpy, scipy or jieba."""
    units = MIXED[:1]
    save_units(units, tmp_path / "a.tsv")
    save_units(units, tmp_path / "a.tmx")
    code = """
import importlib, json, sys
import aligner.formats as formats
units = [formats.read_units(sys.argv[1]), formats.read_units(sys.argv[2])]
for spec in formats.FORMATS:
    importlib.import_module("aligner.formats." + spec.module)
importlib.import_module("aligner.formats.known")
heavy = ("numpy", "scipy", "jieba", "aligner.align", "aligner.terms")
loaded = [m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy)]
print(json.dumps(sorted(loaded)))
"""
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "a.tsv"), str(tmp_path / "a.tmx")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        check=True,
    )
    assert json.loads(proc.stdout) == []


@pytest.mark.parametrize("key", ["variants", "attested"])
def test_glossary_json_lists_are_lists(tmp_path, key: str) -> None:
    """A string is not split into its characters."""
    path = tmp_path / "g.json"
    path.write_text(json.dumps([{"zh": "中", "en": "E", key: "abc"}]), encoding="utf-8")
    with pytest.raises(InputError, match=rf"g\.json: entry 1: {key} must be a list"):
        read_glossary(path)
