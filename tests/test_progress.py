"""Progress reports of long work (aligner.progress) from reading to confidence."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from aligner import load_document
from aligner.align import DEFAULT, align_document
from aligner.progress import TerminalProgress, no_progress, part_of
from aligner.tokenise import tokenise_document

pytestmark = pytest.mark.usefixtures("lexicon")

ROOT = Path(__file__).resolve().parent.parent
ZHANG = ROOT / "corpora" / "zhang-china-us-new-developments.txt"


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.calls.append((stage, done, total))

    def stages(self) -> list[str]:
        """The stages in the order they began; each must run in one stretch, from 0 to
        its total, never going back."""
        order: list[str] = []
        for stage, _, _ in self.calls:
            if not order or order[-1] != stage:
                assert stage not in order, f"{stage} began twice"
                order.append(stage)
        for stage in order:
            calls = [(d, t) for s, d, t in self.calls if s == stage]
            done = [d for d, _ in calls]
            assert done[0] == 0, stage
            assert done == sorted(done), stage
            assert {t for _, t in calls} == {calls[-1][1]}, stage  # one total
            assert done[-1] == calls[-1][1], stage  # reached
        return order


def test_stages_arrive_in_order_and_reach_their_totals() -> None:
    rec = Recorder()
    doc = load_document([ZHANG], progress=rec)
    al = align_document(doc, progress=rec)
    assert rec.stages() == [
        "reading",
        "segmenting",
        "tokenising",
        "preparing",
        "aligning, pass 1",
        "learning",
        "aligning, pass 2",
        "confidence",
    ]
    n, m = len(doc.zh.sentences), len(doc.en.sentences)
    totals = {s: t for s, _, t in rec.calls}
    assert totals["tokenising"] == n + m
    assert totals["aligning, pass 1"] == totals["aligning, pass 2"] == n
    assert al.beads == align_document(doc).beads  # reporting changes nothing


def test_a_tokenised_document_reports_its_tokenising_when_loaded() -> None:
    rec = Recorder()
    doc = load_document([ZHANG], tokens=True, progress=rec)
    assert rec.stages() == ["reading", "segmenting", "tokenising"]
    aligning = Recorder()
    align_document(doc, progress=aligning)
    assert aligning.stages()[0] == "preparing"  # not cut again


def test_a_pass_reports_every_block_of_rows(write_bitext, pairs) -> None:
    zh, en = [z for z, _ in pairs], [e for _, e in pairs]
    doc = tokenise_document(load_document(list(write_bitext(zh, en)), presplit=True))
    rec = Recorder()
    al = align_document(doc, params=replace(DEFAULT, cost_block=4), progress=rec)
    rec.stages()
    done = [d for s, d, _ in rec.calls if s == "aligning, pass 2"]
    assert [d for d in done if 0 < d < len(zh)], done  # moves before the pass ends
    assert al.beads == align_document(doc).beads


def test_part_of_a_stage_counts_from_its_start() -> None:
    rec = Recorder()
    part_of(rec, 10, 25)("tokenising", 5, 15)
    assert rec.calls == [("tokenising", 15, 25)]
    assert part_of(no_progress, 10, 25) is no_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stream, drawn", [(io.StringIO(), False), (Terminal(), True)])
def test_bars_are_drawn_on_a_terminal_only(stream: io.StringIO, drawn: bool) -> None:
    with TerminalProgress(stream) as progress:
        progress("aligning, pass 1", 0, 10)
        progress("aligning, pass 1", 10, 10)
    assert ("aligning, pass 1" in stream.getvalue()) is drawn
    if not drawn:
        assert stream.getvalue() == ""
