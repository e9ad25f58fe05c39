"""Joined beads split into sentence-level units (align/split.py), and how the formats
carry them (TMX x-split, JSONL part, --no-split, --max-bead)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from aligner.align.cost import BeadCost
from aligner.align.features import sentence_features
from aligner.align.split import Splitter
from aligner.cli import app
from aligner.config import DEFAULT
from aligner.formats import read_units, save_units, validate_tmx, whole_units
from aligner.model import ExportOptions, SentenceBead, Unit
from aligner.segment import load_document

runner = CliRunner()

# unrelated pairs around the bead, so that word weights are those of a text, not of one
# sentence
PAD_ZH = ["这座城市有很多公园。", "孩子们喜欢在河边玩。", "医生建议他多喝水。",
          "火车早上八点出发。", "那本书的作者是一位老师。", "冬天这里经常下雪。"]  # fmt: skip
PAD_EN = ["The city has many parks.", "The children like to play by the river.",
          "The doctor advised him to drink more water.",
          "The train leaves at eight in the morning.", "The author of that book is a teacher.",
          "It often snows here in winter."]  # fmt: skip


def split(tmp_path: Path, zh: list[str], en: list[str]) -> SentenceBead:
    """The bead of the sentences `zh` and `en` (after the padding), split."""
    (tmp_path / "d.zh").write_text("\n\n".join(PAD_ZH + zh) + "\n", encoding="utf-8")
    (tmp_path / "d.en").write_text("\n\n".join(PAD_EN + en) + "\n", encoding="utf-8")
    doc = load_document([tmp_path / "d.zh", tmp_path / "d.en"], tokens=True)
    zs, es = doc.zh.sentences, doc.en.sentences
    assert [s.text for s in zs[len(PAD_ZH) :]] == zh  # one sentence each, as given
    assert [s.text for s in es[len(PAD_EN) :]] == en
    cost = BeadCost.build(sentence_features(zs), sentence_features(es), DEFAULT)
    bead = SentenceBead(
        tuple(range(len(PAD_ZH), len(zs))), tuple(range(len(PAD_EN), len(es))), 0.9
    )
    return Splitter(cost, zs, es).split(bead)


def texts(bead: SentenceBead) -> list[tuple[str, str]]:
    return [(p.zh, p.en) for p in bead.parts]


def test_two_chinese_sentences_rendered_by_one_english(tmp_path: Path) -> None:
    bead = split(
        tmp_path,
        ["我昨天在北京见到了他的哥哥。", "他们一起去了图书馆。"],
        ["Yesterday I met his brother in Beijing, and they went to the library together."],
    )
    assert texts(bead) == [
        ("我昨天在北京见到了他的哥哥。", "Yesterday I met his brother in Beijing"),
        ("他们一起去了图书馆。", "and they went to the library together."),
    ]
    n, m = len(PAD_ZH), len(PAD_EN)
    assert [(p.zh_ids, p.en_ids) for p in bead.parts] == [((n,), (m,)), ((n + 1,), (m,))]
    # a confidence of their own, at most the bead's
    assert all(0.0 < p.confidence <= bead.confidence for p in bead.parts)


def test_three_sentences_cut_at_comma_and_semicolon(tmp_path: Path) -> None:
    bead = split(
        tmp_path,
        ["政府宣布了新的税收政策。", "这项政策将于明年一月生效。", "专家认为它会促进消费。"],
        ["The government announced a new tax policy, which will take effect next January; "
         "experts believe it will boost consumption."],
    )  # fmt: skip
    assert [en for _, en in texts(bead)] == [
        "The government announced a new tax policy",
        "which will take effect next January",
        "experts believe it will boost consumption.",
    ]


def test_one_chinese_sentence_rendered_by_two_english(tmp_path: Path) -> None:
    # the Chinese is cut at its comma; the connective 但是 goes with "But"
    bead = split(
        tmp_path,
        ["经济增长明显放缓，但是失业率仍然很低。"],
        ["Economic growth slowed markedly.", "But the unemployment rate remained low."],
    )
    assert texts(bead) == [
        ("经济增长明显放缓", "Economic growth slowed markedly."),
        ("但是失业率仍然很低。", "But the unemployment rate remained low."),
    ]


def test_a_bead_stays_whole_when_only_lengths_could_place_the_cut(tmp_path: Path) -> None:
    # "laughed" renders a word of both sentences: nothing says where the cut falls
    bead = split(tmp_path, ["他笑了。", "她也笑了。"], ["Everyone laughed, loudly."])
    assert bead.parts == ()


def test_one_sentences_bead_is_not_split(tmp_path: Path) -> None:
    bead = split(tmp_path, ["我昨天在北京见到了他的哥哥。"], ["Yesterday I met his brother."])
    assert bead.parts == ()


JOINED_BEADS = [  # (Chinese sentences, English sentences) of joined beads, in text order
    (["我昨天在北京见到了他的哥哥。", "他们一起去了图书馆。"],
     ["Yesterday I met his brother in Beijing, and they went to the library together."]),
    (["经济增长明显放缓，但是失业率仍然很低。"],
     ["Economic growth slowed markedly.", "But the unemployment rate remained low."]),
    (["政府宣布了新的税收政策。", "这项政策将于明年一月生效。", "专家认为它会促进消费。"],
     ["The government announced a new tax policy, which will take effect next January; "
      "experts believe it will boost consumption."]),
]  # fmt: skip


def joined_text(tmp_path: Path) -> tuple[Splitter, list[SentenceBead]]:
    """A text of padding and the joined beads above, its splitter and those beads."""
    zh = PAD_ZH + [z for zs, _ in JOINED_BEADS for z in zs]
    en = PAD_EN + [e for _, es in JOINED_BEADS for e in es]
    (tmp_path / "j.zh").write_text("\n\n".join(zh) + "\n", encoding="utf-8")
    (tmp_path / "j.en").write_text("\n\n".join(en) + "\n", encoding="utf-8")
    doc = load_document([tmp_path / "j.zh", tmp_path / "j.en"], tokens=True)
    zs, es = doc.zh.sentences, doc.en.sentences
    cost = BeadCost.build(sentence_features(zs), sentence_features(es), DEFAULT)
    beads, i, j = [], len(PAD_ZH), len(PAD_EN)
    for z, e in JOINED_BEADS:
        beads.append(SentenceBead(tuple(range(i, i + len(z))), tuple(range(j, j + len(e))), 0.9))
        i, j = i + len(z), j + len(e)
    return Splitter(cost, zs, es), beads


def test_links_are_the_tokens_that_share_a_form(tmp_path: Path) -> None:
    """The links looked up among the vocabularies' pairs are those of comparing each
    Chinese token's forms with each English token's."""
    splitter, beads = joined_text(tmp_path)
    found = 0
    for b in beads:
        zs, es = [splitter.zs[i] for i in b.zh], [splitter.es[j] for j in b.en]
        z_ids, e_ids = splitter.number(zs, es)
        zt = splitter.zh_words.tokens([len(s.tokens) for s in zs], z_ids)
        et = splitter.en_words.tokens([len(s.tokens) for s in es], e_ids)
        zf = [splitter.zh_words.infos[t].forms for t in z_ids]
        ef = [splitter.en_words.infos[u].forms for u in e_ids]
        expected = [[not a.isdisjoint(b) for b in ef] for a in zf]
        links = splitter.links(zt, et)
        assert links.tolist() == expected
        found += int(links.sum())
    assert found > 10  # the beads' words do meet


def test_beads_split_together_are_split_as_one_by_one(tmp_path: Path, monkeypatch) -> None:
    """The cost tables worked out for many beads at once are those of each bead alone,
    whatever the chunk of beads they are worked out in."""
    import aligner.align.split as split_module

    splitter, beads = joined_text(tmp_path)
    together = splitter.split_all(beads, [None] * len(beads))
    assert all(b.parts for b in together)  # all three split
    alone = [splitter.split(b) for b in beads]
    monkeypatch.setattr(split_module, "CHUNK", 2)
    in_chunks = splitter.split_all(beads, [None] * len(beads))
    assert together == alone == in_chunks


def test_a_side_without_tokens_is_never_split(tmp_path: Path) -> None:
    """Sentences without tokens (empty) on one side, asked of a new splitter whose
    vocabulary of that side is still empty: no split is kept, and nothing fails."""
    from aligner.model import Sentence

    splitter, _ = joined_text(tmp_path)
    empty_zh = Sentence("", "", "zh", 0, 0, [], [])
    found = Splitter(splitter.cost, splitter.zs, splitter.es).pieces(
        [empty_zh, empty_zh], [splitter.es[0]]
    )
    assert found is None or found[0].certainty == 0.0
    empty_en = Sentence("", "", "en", 0, 0, [], [])
    found = Splitter(splitter.cost, splitter.zs, splitter.es).pieces(
        splitter.zs[:2], [empty_en]
    )
    assert found is None or found[0].certainty == 0.0


# ---------------------------------------------------------------- the formats


WHOLE = Unit("甲句。乙句。", "A and b.", 0.9, "2-1", 0, "doc", (3, 4), (5,))
PARTS = (
    Unit("甲句。", "A", 0.8, "1-1", 0, "doc", (3,), (5,), part="1/2"),
    Unit("乙句。", "and b.", 0.8, "1-1", 0, "doc", (4,), (5,), part="2/2"),
)
JOINED = Unit(WHOLE.zh, WHOLE.en, WHOLE.confidence, WHOLE.kind, WHOLE.para, WHOLE.doc,
              WHOLE.zh_ids, WHOLE.en_ids, parts=PARTS)  # fmt: skip
SINGLE = Unit("丙句。", "C.", 0.95, "1-1", 1, "doc", (5,), (6,))


def test_tmx_holds_the_joined_unit_then_its_parts(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    result = save_units([JOINED, SINGLE], path)
    assert result.written == 4 and result.split_units == 2
    assert validate_tmx(path) == []
    tus = etree.parse(str(path)).findall("body/tu")
    split_props = [tu.findtext("prop[@type='x-split']") for tu in tus]
    assert split_props == [None, "1/2", "2/2", None]
    back = read_units(path)
    assert [(u.zh, u.en, u.part) for u in back] == [
        (WHOLE.zh, WHOLE.en, ""), ("甲句。", "A", "1/2"), ("乙句。", "and b.", "2/2"),
        (SINGLE.zh, SINGLE.en, ""),
    ]  # fmt: skip
    assert [u.zh_ids for u in back] == [(3, 4), (3,), (4,), (5,)]
    # a check or a score counts each bead once
    assert [u.zh for u in whole_units(back)] == [WHOLE.zh, SINGLE.zh]


def test_no_split_writes_the_joined_unit_only(tmp_path: Path) -> None:
    result = save_units([JOINED, SINGLE], tmp_path / "out.tmx", options=ExportOptions(split=False))
    assert result.written == 2 and result.split_units == 0


def test_review_table_keeps_beads_whole(tmp_path: Path) -> None:
    result = save_units([JOINED, SINGLE], tmp_path / "out.tsv")
    assert result.written == 2
    assert [u.zh for u in read_units(tmp_path / "out.tsv")] == [WHOLE.zh, SINGLE.zh]


def test_jsonl_round_trip_keeps_parts_and_status(tmp_path: Path) -> None:
    confirmed = Unit("丁句。", "D.", 1.0, "1-1", 2, "doc", (6,), (7,), status="confirmed")
    save_units([JOINED, confirmed], tmp_path / "out.jsonl")
    back = read_units(tmp_path / "out.jsonl")
    assert [(u.zh, u.part, u.status) for u in back] == [
        (WHOLE.zh, "", "auto"), ("甲句。", "1/2", "auto"), ("乙句。", "2/2", "auto"),
        ("丁句。", "", "confirmed"),
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["tmx", "tsv", "jsonl"])
def test_max_bead_writes_larger_beads_as_their_parts(tmp_path: Path, fmt: str) -> None:
    whole_only = Unit("戊句。己句。", "E, f.", 0.9, "2-1", 3, "doc", (7, 8), (8,))
    options = ExportOptions(max_bead=1)
    result = save_units([JOINED, SINGLE, whole_only], tmp_path / f"out.{fmt}", options=options)
    assert (result.over_limit_split, result.over_limit_dropped) == (1, 1)
    assert result.split_units == 0  # the parts stand for their bead: not beside it
    back = read_units(tmp_path / f"out.{fmt}")
    assert [u.zh for u in back] == ["甲句。", "乙句。", SINGLE.zh]
    assert whole_units(back) == back  # no joined unit to cover them


def test_align_cli_splits_and_reports(tmp_path: Path) -> None:
    zh = tmp_path / "d.zh"
    en = tmp_path / "d.en"
    zh.write_text("\n\n".join([*PAD_ZH, "我昨天在北京见到了他的哥哥。他们一起去了图书馆。"]),
                  encoding="utf-8")  # fmt: skip
    en.write_text("\n\n".join([*PAD_EN, "Yesterday I met his brother in Beijing, and they "
                               "went to the library together."]), encoding="utf-8")  # fmt: skip
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["align", str(zh), str(en), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    parts = [r for r in rows if r.get("part")]
    assert [r["zh"] for r in parts] == ["我昨天在北京见到了他的哥哥。", "他们一起去了图书馆。"]
    assert "2 sentence-level units of joined beads" in result.output
    en.write_text("\n\n".join([*PAD_EN, "Yesterday I met his brother in Beijing.", "They went "
                                "to the library together."]), encoding="utf-8")  # fmt: skip
    zh.write_text("\n\n".join([*PAD_ZH, "我昨天在北京见到了他的哥哥，他们一起去了图书馆。"]),
                  encoding="utf-8")  # fmt: skip
    for flags, parts in (([], 0), (["--split-english"], 2)):
        result = runner.invoke(app, ["align", str(zh), str(en), "-o", str(out), *flags])
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        beads = [r for r in rows if not r.get("part")]
        assert (beads[-1]["type"], len(rows) - len(beads)) == ("1-2", parts)
    tsv = tmp_path / "pairs.tsv"
    result = runner.invoke(app, ["align", str(zh), str(en), "-o", str(tsv), "--no-merge"])
    assert result.exit_code == 0, result.output
    assert "--max-bead 1: 1 larger beads written as their sentence-level units" in result.output
    assert all(u.kind == "1-1" for u in read_units(tsv))


ONE_ZH = Unit("甲句，乙句。", "A. B.", 0.9, "1-2", 2, "doc", (6,), (7, 8), parts=(
    Unit("甲句", "A.", 0.8, "1-1", 2, "doc", (6,), (7,), part="1/2"),
    Unit("乙句。", "B.", 0.8, "1-1", 2, "doc", (6,), (8,), part="2/2"),
))  # fmt: skip


@pytest.mark.parametrize("fmt", ["tmx", "jsonl", "xlf"])
def test_english_sentence_units_only_on_request(tmp_path: Path, fmt: str) -> None:
    """By default only beads that join Chinese sentences give sentence-level units (what
    a CAT tool segmenting the Chinese looks up); a bead that joins English sentences
    gives them with split_english (its Chinese sentence cut at a clause boundary)."""
    path = tmp_path / f"out.{fmt}"
    result = save_units([JOINED, ONE_ZH], path)
    assert result.split_units == 2
    assert [u.parts for u in read_units(path) if u.kind == "1-2"] in ([()], [])
    assert [u.zh for u in read_units(path) if u.part] in (["甲句。", "乙句。"], [])
    result = save_units([JOINED, ONE_ZH], path, options=ExportOptions(split_english=True))
    assert result.split_units == 4
    units = read_units(path)
    found = [p.zh for u in units for p in u.parts] + [u.zh for u in units if u.part]
    assert found == ["甲句。", "乙句。", "甲句", "乙句。"]


def test_no_merge_contradicting_max_bead_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    result = runner.invoke(app, ["align", "--no-merge", "--max-bead", "3", "-o", str(out)])
    assert result.exit_code == 2
    assert "contradicts --max-bead 3" in result.output
    assert not out.exists()


def test_a_quotation_ending_inside_an_english_sentence_is_a_cut(tmp_path: Path) -> None:
    """"... there!' the man shouted": the closing quote after the quotation's own end
    may be cut after, and it stays with the quotation."""
    bead = split(
        tmp_path,
        ["“马上停车！”", "那个警察大声喊道。"],
        ["'Stop the car at once!' the policeman shouted loudly."],
    )
    assert texts(bead) == [
        ("“马上停车！”", "'Stop the car at once!'"),
        ("那个警察大声喊道。", "the policeman shouted loudly."),
    ]


def test_a_sentence_glued_on_without_a_comma_keeps_the_bead_whole(tmp_path: Path) -> None:
    """The second sentence is rendered ("to look outside"), but inside the first one's
    clause: no cut separates it, and it must not be called left out, with its words
    given to the first sentence's unit."""
    bead = split(
        tmp_path,
        ["奶奶悄悄地把轿帘顶开一条缝。", "她偷偷地往外看。"],
        ["Grandma quietly lifted the curtain a crack to look outside secretly."],
    )
    assert bead.parts == ()
