"""Write, read back, compare: every format with hypothesis-generated text, XML-hostile
and whitespace-hostile characters included."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.formats import read_units, save_units
from aligner.model import ExportOptions, Unit

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


def _clean(text: str) -> str:
    """What a one-line cell keeps of a text: its words, one space between them."""
    return " ".join(text.replace("\x00", "").replace("\x0b", " ").split())


@settings(max_examples=60, deadline=None)
@given(UNITS)
def test_tsv_and_jsonl_round_trip(units: list[Unit]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in ("tsv", "jsonl"):
            path = Path(tmp) / f"out.{suffix}"
            save_units(units, path)
            back = read_units(path)
            assert len(back) == len(units)
            for a, b in zip(units, back, strict=True):
                if suffix == "jsonl":
                    assert (b.zh, b.en) == (a.zh, a.en)
                else:
                    assert (_clean(b.zh), _clean(b.en)) == (_clean(a.zh), _clean(a.en))
                assert abs(b.confidence - a.confidence) < 1e-3
                assert (b.kind, b.para) == (a.kind, a.para)


@settings(max_examples=60, deadline=None)
@given(UNITS)
def test_tmx_round_trip_through_save_units(units: list[Unit]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.tmx"
        result = save_units(units, path, options=ExportOptions(keep_unaligned=True))
        back = read_units(path)
        assert result.written == len(back) == len(units)
        for a, b in zip(units, back, strict=True):
            # XML 1.0 forbids NUL and VT: they are dropped, everything else survives
            assert b.zh == a.zh.replace("\x00", "").replace("\x0b", "")
            assert b.en == a.en.replace("\x00", "").replace("\x0b", "")
            assert (b.kind, b.doc, b.para) == (a.kind, a.doc, a.para)


@settings(max_examples=40, deadline=None)
@given(UNITS)
def test_parallel_files_keep_one_line_per_unit(units: list[Unit]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "corpus"
        result = save_units(units, stem, "parallel")
        zh = Path(f"{stem}.zh").read_text(encoding="utf-8").split("\n")[:-1]
        en = Path(f"{stem}.en").read_text(encoding="utf-8").split("\n")[:-1]
        assert len(zh) == len(en) == result.written == len(units)
        assert zh == [_clean(u.zh) for u in units]
        assert en == [_clean(u.en) for u in units]
