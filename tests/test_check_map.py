"""The alignment map of `check --html`: the path of the beads as an inline SVG, coloured by
confidence, left-out sentences and flagged beads marked, every mark a link to its row;
drawn as runs, so that a 30,000-pair text stays small."""

from __future__ import annotations

import time

import lxml.html
import pytest
from conftest import review_units

from aligner.check import Flag, PairCheck, check_units, render_html
from aligner.check.render import (
    LEFT_OUT,
    MAP_COLOURS,
    MAP_LEFT,
    MAP_PAD,
    MAP_SIZE,
    alignment_map,
)
from aligner.check.report import CONFIDENCE_BINS, CheckReport
from aligner.model import Unit


def svg_of(page: str):
    doc = lxml.html.fromstring(page)
    figure = doc.xpath('//figure[@id="map"]')
    assert len(figure) == 1
    return doc, figure[0].xpath(".//svg")[0]


def colour_of(confidence: float) -> str:
    return MAP_COLOURS[min(int(confidence * len(CONFIDENCE_BINS)), 4)]


@pytest.mark.usefixtures("lexicon")
def test_map_draws_each_bead_and_marks_left_out_and_flagged() -> None:
    units = review_units()
    units.insert(4, Unit("", "A sentence with no Chinese.", 0.2, "0-1", 0, "news", (), (5,)))
    report = check_units(units)
    doc, svg = svg_of(render_html(report, "news"))
    links = svg.xpath(".//g[@class='runs']/a")
    assert len(links) == len(units)  # a short text: every bead a run of its own
    rows = {tr.get("id") for tr in doc.xpath('//table[@id="pairs"]/tbody/tr')}
    assert {a.get("href")[1:] for a in svg.xpath(".//a")} <= rows
    for a, unit in zip(links, units, strict=True):
        line = a.find("line")
        one_sided = not (unit.zh and unit.en)
        assert line.get("stroke") == (LEFT_OUT if one_sided else colour_of(unit.confidence))
        assert (a.find("rect") is not None) == one_sided  # marked on the axis of its side
        steps = (float(line.get("x2")) - float(line.get("x1")),
                 float(line.get("y1")) - float(line.get("y2")))  # fmt: skip
        assert [s > 0 for s in steps] == [bool(unit.zh_ids), bool(unit.en_ids)]
    # the path ends at the top right: every sentence of both sides
    last = links[-1].find("line")
    assert (float(last.get("x2")), float(last.get("y2"))) == (MAP_LEFT + MAP_SIZE, MAP_PAD)
    rings = svg.xpath(".//g[@class='flagged']/a")
    flagged = [p.index for p in report.pairs if p.flags]
    assert [int(a.get("href").split("-")[1]) - 1 for a in rings] == flagged
    for i, a in zip(flagged, rings, strict=True):
        assert report.pairs[i].codes[0] in a.findtext("title")


def test_units_without_sentence_numbers_step_by_their_bead_type() -> None:
    units = [Unit("一。二。", "One.", 0.9, "2-1"), Unit("三。", "", 0.9, "1-0"),
             Unit("四。", "Four.", 0.9, "1-1")]  # fmt: skip
    report = CheckReport(None, [PairCheck(i, u, None, None) for i, u in enumerate(units)])
    _, svg = svg_of(alignment_map(report))
    xs = [float(line.get("x2")) - MAP_LEFT for line in svg.xpath(".//g[@class='runs']//line")]
    assert xs == pytest.approx([MAP_SIZE / 2, MAP_SIZE * 3 / 4, MAP_SIZE])


def test_map_of_30000_pairs_stays_small() -> None:
    pairs = []
    for i in range(30_000):
        kind = "2-1" if i % 7 == 0 else "1-0" if i % 997 == 0 else "1-1"
        unit = Unit("中。", "En.", 0.3 + 0.7 * ((i * 37) % 100) / 100, kind)
        flags = [Flag("low-similarity", "chrF")] if i % 50 == 0 else []
        pairs.append(PairCheck(i, unit, None, None, flags=flags))
    start = time.perf_counter()
    svg_text = alignment_map(CheckReport(None, pairs))
    assert time.perf_counter() - start < 2.0
    assert len(svg_text) < 250_000  # a few hundred marks, not 30,000
    _, svg = svg_of(svg_text)
    links = svg.xpath(".//a")
    assert 100 < len(links) < 2_000
    targets = [int(a.get("href").split("-")[1]) for a in links]
    assert all(1 <= t <= 30_000 for t in targets)
    assert len(svg.xpath(".//g[@class='flagged']/a")) < 600  # 600 flagged beads, grouped
    assert any(a.find("rect") is not None for a in svg.xpath(".//g[@class='runs']/a"))
