"""The alignment checker: flags, the dictionary-gloss chrF, the summary and the reports."""

from __future__ import annotations

import gzip
from pathlib import Path

import lxml.html
import pytest
from conftest import PAIRS

from aligner.check import (
    FLAG_CODES,
    CheckReport,
    check_units,
    flag_share,
    render_html,
    render_table,
)
from aligner.check.checks import missing_latin
from aligner.check.gloss import chrf, gloss_tokens, short_gloss
from aligner.check.render import display_width, wrap
from aligner.lexicon import clean_definition, compile_cedict, readable_glosses
from aligner.model import Unit
from aligner.normalise import matching_form
from aligner.tokenise import tokenise_zh

pytestmark = pytest.mark.usefixtures("lexicon")


def good_units() -> list[Unit]:
    return [Unit(zh, en, 0.9, "1-1", 0, "doc", (i,), (i,)) for i, (zh, en) in enumerate(PAIRS)]


def rotated(units: list[Unit], k: int = 3) -> list[Unit]:
    ens = [u.en for u in units]
    return [Unit(u.zh, ens[(i + k) % len(ens)], u.confidence, u.kind) for i, u in enumerate(units)]


def with_pair(unit: Unit, at: int = 5) -> tuple[CheckReport, int]:
    """Check the good pairs with `unit` put in at `at`; the report and the unit's index."""
    units = good_units()
    unit.doc = "doc"
    units.insert(at, unit)
    return check_units(units), at


def codes(report: CheckReport, i: int) -> list[str]:
    return report.pairs[i].codes


def reason(report: CheckReport, i: int, code: str) -> str:
    return next(f.reason for f in report.pairs[i].flags if f.code == code)


def good_codes(report: CheckReport, skip: int) -> set[str]:
    return {c for p in report.pairs if p.index != skip for c in p.codes}


# ---------------------------------------------------------------- glosses and chrF


def test_definitions_are_cleaned() -> None:
    assert clean_definition("(of sb or sth) to be (located) at") == "to be at"
    assert clean_definition("relation/CL:個|个[ge4]") == "relation/"
    assert short_gloss("to expand; to enlarge") == "expand"
    assert short_gloss("Beijing, capital of the People's Republic of China") == "Beijing"
    assert short_gloss(clean_definition("(completed action marker)")) == ""


def test_compile_readable_glosses(tmp_path: Path) -> None:
    src = tmp_path / "mini.txt.gz"
    lines = [
        "# a comment",
        "和 和 [He2] /surname He/",
        "和 和 [he2] /(joining two nouns) and; together with/(math.) sum/",
        "關係 关系 [guan1 xi5] /relation/relationship/CL:個|个[ge4]/",
        "關系 关系 [guan1 xi5] /variant of 關係|关系[guan1 xi5]/",
        "了 了 [le5] /(completed action marker)/",
        "了 了 [liao3] /to finish/",
    ]
    with gzip.open(src, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    compiled = compile_cedict(src)
    assert compiled.glosses == {"和": "and; together with", "关系": "relation", "了": ""}
    # one parse, two views: the matching forms gather every entry's usable definitions
    assert compiled.forms["和"] == {"together", "sum"}  # notes in parentheses left out
    assert compiled.forms["关系"] == {"relation", "relationship"}
    assert compiled.forms["了"] == {"finish"}


def gloss_zh(text: str) -> str:
    """A word-by-word English gloss of Chinese text, as the checker makes it."""
    return gloss_tokens(tokenise_zh(matching_form(text)))


def test_gloss_of_chinese() -> None:
    assert "relation" in readable_glosses()["关系"]
    gloss = gloss_zh("中国经济增长了百分之五。")
    assert "China" in gloss and "economy" in gloss and "percent" in gloss
    assert "。" not in gloss  # unknown tokens (punctuation) are dropped
    # Latin and digits gloss as themselves; traditional script is matched as simplified
    assert gloss_zh("两国将在G20峰会期间会晤").split().count("G20") == 1
    assert "2027" in gloss_zh("铁路将于2027年开通")
    assert gloss_zh("經濟發展") == gloss_zh("经济发展")


def test_chrf_higher_for_true_pairs_than_shuffled() -> None:
    for i, (zh, en) in enumerate(PAIRS):
        gloss = gloss_zh(zh)
        true, wrong = chrf(gloss, en), chrf(gloss, PAIRS[(i + 3) % len(PAIRS)][1])
        assert true is not None and wrong is not None
        assert true > wrong + 10, (zh, true, wrong)
    assert chrf("", "anything") is None and chrf("gloss", " ") is None


# ---------------------------------------------------------------- Latin tokens


def test_missing_latin_tokens() -> None:
    assert missing_latin("APEC和G20峰会", "the APEC and G-20 summits") == []
    assert missing_latin("ai技术", "AI technology") == []  # case-insensitive
    spelt_out = "artificial intelligence and confidence-building measures"
    assert missing_latin("人工智能(AI)和建立信任措施(CBM)", spelt_out) == []
    assert missing_latin("APEC会议和WTO", "The meeting and the WTO") == ["APEC"]
    assert missing_latin("全长100km", "100 kilometres long") == []  # units are left alone


# ---------------------------------------------------------------- flags


def test_good_alignment_is_not_flagged() -> None:
    report = check_units(good_units())
    assert len(report.pairs) == len(PAIRS)
    assert report.flagged == []
    assert flag_share(report) == 0.0
    assert all(p.chrf is not None and p.chrf > 30 for p in report.pairs)


def test_low_confidence() -> None:
    units = good_units()
    units[4].confidence = 0.31
    report = check_units(units)
    assert codes(report, 4) == ["low-confidence"]
    assert reason(report, 4, "low-confidence") == "confidence 0.31 below 0.5"
    assert good_codes(report, 4) == set()
    assert check_units(units, low_confidence=0.3).flagged == []


def test_length_ratio() -> None:
    zh = "会议讨论了气候变化、公共卫生、贸易和农业合作等一系列重要问题。"
    report, i = with_pair(Unit(zh, "It met."))
    assert "length-ratio" in codes(report, i)
    assert "document's norm" in reason(report, i, "length-ratio")
    long_en = " ".join(["The delegation discussed many other questions at length."] * 5)
    report, i = with_pair(Unit("代表团讨论了。", long_en))
    assert "length-ratio" in codes(report, i)
    assert "times the document's norm" in reason(report, i, "length-ratio")
    assert "length-ratio" not in good_codes(report, i)


def test_title_is_never_flagged_for_length() -> None:
    zh = "会议讨论了气候变化、公共卫生、贸易和农业合作等一系列重要问题"
    report, i = with_pair(Unit(zh, "Talks", 1.0, "title"), at=0)
    assert "length-ratio" not in codes(report, i)
    report, i = with_pair(Unit(zh, "Talks"), at=0)
    assert "length-ratio" in codes(report, i)


def test_number_mismatch() -> None:
    report, i = with_pair(
        Unit("会议于2019年在北京举行。", "The meeting was held in Beijing in 2018.")
    )
    assert "number-mismatch" in codes(report, i)
    text = reason(report, i, "number-mismatch")
    assert "Chinese only: 2019" in text and "English only: 2018" in text
    report, i = with_pair(Unit("三名代表出席了会议。", "Five delegates attended the meeting."))
    assert reason(report, i, "number-mismatch") == "Chinese only: 3; English only: 5"
    # Chinese numerals that agree (九名, 百分之五, 两国 in the good pairs) are not flagged
    assert "number-mismatch" not in good_codes(report, i)


def number_flag(zh: str, en: str) -> str | None:
    """The number-mismatch reason of one pair checked alone, or None."""
    pair = check_units([Unit(zh, en)]).pairs[0]
    return next((f.reason for f in pair.flags if f.code == "number-mismatch"), None)


@pytest.mark.parametrize(
    ("zh", "en", "flag"),
    [
        # a numeral inside a name: no count
        ("李四把门关上了。", "Li Si shut the door.", None),
        ("李四买了四本书。", "Li Si bought some books.", "Chinese only: 4"),
        ("他叫三蛋儿，力气很大。", "He was called San Dan'er and was very strong.", None),
        ("大家都笑三蛋儿。", "Everyone laughed at him.", None),
        # ordinals: English ordinal words meet a Chinese number before a classifier
        ("他被分到十五队。", "He was sent to the fifteenth team.", None),
        ("他被分到十五队。", "He was sent to the sixteenth team.", "Chinese only: 15"),
        ("我二十一岁那年离开了家。", "I left home in my twenty-first year.", None),
        ("我二十一岁离开了家。", "I left home at twenty.", "Chinese only: 21; English only: 20"),
        # approximations: a range, met by any of its numbers or a vague word
        ("过一两天再来。", "Come back in a couple of days.", None),
        ("过一两天再来。", "Come back in two days.", None),
        ("过一两天再来。", "Come back in twelve days.", "Chinese only: 1-2; English only: 12"),
        ("来了三四十个人。", "Thirty or forty people came.", None),
        ("来了三四十个人。", "Some fifty people came.", "Chinese only: 30-40; English only: 50"),
        ("他十七八岁。", "He was seventeen or eighteen.", None),
        ("他十七八岁。", "He was fifteen.", "Chinese only: 17-18; English only: 15"),
        ("他喝了十几杯。", "He drank a dozen cups.", None),
        ("他借了二十两银子。", "He borrowed twenty taels of silver.", None),
        ("他借了二十两银子。", "He borrowed thirty taels.", "Chinese only: 20; English only: 30"),
        # 零 and 两 as word parts and pairs, English pairs and names
        ("零件都坏了。", "The parts were all broken.", None),
        ("两人相视一笑。", "They smiled at each other.", None),
        ("他们在街上走。", "The two of them walked down the street.", None),
        ("他在那里住了两年。", "He lived there for years.", "Chinese only: 2"),
        ("她住在柳树巷。", "She lived in Seven Willows Lane.", None),
        ("她种了柳树。", "She planted seven willows.", "English only: 7"),
        # a real omission stays flagged: the days of a date
        ("会议于5月13日至15日举行。", "The meeting was held in May.", "Chinese only: 13, 15"),
    ],
)
def test_number_mismatch_on_fiction(zh: str, en: str, flag: str | None) -> None:
    assert number_flag(zh, en) == flag


def test_latin_mismatch() -> None:
    report, i = with_pair(Unit("APEC会议在北京举行。", "The meeting was held in Beijing."))
    assert codes(report, i) == ["latin-mismatch"]
    assert reason(report, i, "latin-mismatch") == "not in the English: APEC"
    report, i = with_pair(Unit("apec会议在北京举行。", "The APEC meeting was held in Beijing."))
    assert "latin-mismatch" not in codes(report, i)
    assert "latin-mismatch" not in good_codes(report, i)  # G20 in the good pairs


def test_identical() -> None:
    report, i = with_pair(Unit("COVID-19 vaccine", "COVID-19 vaccine"))
    assert "identical" in codes(report, i)
    assert "identical" not in good_codes(report, i)


def test_empty_side() -> None:
    units = good_units()
    units.insert(3, Unit("这句话没有译文。", "", 0.9, "1-0"))
    units.insert(7, Unit("", "This sentence has no source.", 0.9, "0-1"))
    report = check_units(units)
    assert codes(report, 3) == ["empty-side"] and codes(report, 7) == ["empty-side"]
    assert "no English side (1-0)" in reason(report, 3, "empty-side")
    assert "no Chinese side (0-1)" in reason(report, 7, "empty-side")
    assert report.pairs[3].chrf is None and report.pairs[3].ratio is None
    assert {p.index for p in report.flagged} == {3, 7}


def test_low_similarity() -> None:
    bad = Unit("他喜欢吃苹果和香蕉。", "Interest rates rose sharply in the bond market.")
    report, i = with_pair(bad)
    assert "low-similarity" in codes(report, i)
    assert "document median" in reason(report, i, "low-similarity")
    assert "low-similarity" not in good_codes(report, i)


def test_better_match_finds_a_shift() -> None:
    units = good_units()
    units[4].en, units[5].en = units[5].en, units[4].en
    report = check_units(units)
    assert "better-match" in codes(report, 4) and "better-match" in codes(report, 5)
    assert "pair #6" in reason(report, 4, "better-match")
    assert {p.index for p in report.flagged} == {4, 5}


def test_flag_codes_are_known() -> None:
    report = check_units(rotated(good_units()))
    found = {c for p in report.pairs for c in p.codes}
    assert "better-match" in found and found <= set(FLAG_CODES)


# ---------------------------------------------------------------- shuffled alignment


def test_shuffled_alignment_is_mostly_flagged() -> None:
    units = good_units()
    good = check_units(units)
    bad = check_units(rotated(units, 3))
    assert len(good.flagged) <= 1
    assert len(bad.flagged) >= 7
    assert flag_share(bad) >= 0.7 > flag_share(good) + 0.5
    assert bad.summary.norms.median_chrf < good.summary.norms.median_chrf


# ---------------------------------------------------------------- summary


def test_summary_counts() -> None:
    units = [
        Unit("中美关系", "China-U.S. relations", 1.0, "title"),
        Unit("双方同意扩大贸易。", "The two sides agreed to expand trade.", 0.95, "1-1"),
        Unit("九名学生获得了奖学金。", "Nine students received scholarships.", 0.7, "1-1"),
        Unit("会议讨论了问题。他们同意了。", "The meeting discussed the issue.", 0.45, "2-1"),
        Unit("这句没有译文。", "", 0.1, "1-0"),
        Unit("", "No source.", 0.2, "0-1"),
    ]
    s = check_units(units).summary
    assert s.pairs == 6
    assert s.beads == {"1-1": 2, "0-1": 1, "1-0": 1, "2-1": 1, "title": 1}
    assert s.confidence_bins == {"0.0-0.2": 1, "0.2-0.4": 1, "0.4-0.6": 1, "0.6-0.8": 1,
                                 "0.8-1.0": 2}  # fmt: skip
    zh_chars = sum(len(u.zh) for u in units)
    en_chars = sum(len(u.en.replace(" ", "")) for u in units)
    assert s.unaligned_share["zh"] == pytest.approx(len("这句没有译文。") / zh_chars)
    assert s.unaligned_share["en"] == pytest.approx(len("Nosource.") / en_chars)
    assert s.flag_counts["empty-side"] == 2
    assert s.flag_counts["low-confidence"] == 3
    assert s.flagged == len([p for p in check_units(units).pairs if p.flags])
    assert s.norms.length is not None and s.norms.median_chrf is not None


def test_empty_alignment() -> None:
    report = check_units([])
    assert report.pairs == [] and report.summary.pairs == 0
    assert flag_share(report) == 0.0
    assert report.summary.unaligned_share == {"zh": 0.0, "en": 0.0}
    assert "no flagged pairs" in render_table(report)
    assert "<table" in render_html(report, "empty")


def test_norms_are_per_document() -> None:
    # a document translated long-windedly is its own norm, not an outlier of the other
    wordy = [Unit(zh, f"{en} {en} {en}", doc="wordy") for zh, en in PAIRS]
    report = check_units(good_units() + wordy)
    assert len(report.pairs) == 2 * len(PAIRS)
    assert not any("length-ratio" in p.codes for p in report.pairs)


# ---------------------------------------------------------------- rendering


def test_render_table() -> None:
    report = check_units(rotated(good_units()))
    text = render_table(report, width=90)
    assert text.startswith("pairs: 10")
    assert len(report.flagged) >= 7
    for p in report.flagged:
        assert f"#{p.index + 1} " in text
        for f in p.flags:
            assert f.code in text
    assert "chrF" in text and "conf 0.90" in text
    assert PAIRS[0][0][:6] in text  # the Chinese, side by side with the English
    assert all(display_width(line) <= 90 for line in text.splitlines())
    everything = render_table(check_units(good_units()), only_flagged=False, summary=False)
    assert everything.count(" ok\n") == 10 and not everything.startswith("pairs")
    assert "no flagged pairs" in render_table(check_units(good_units()))


def test_wrap_counts_wide_characters() -> None:
    lines = wrap("中" * 30, 20, 10)
    assert lines == ["中" * 10] * 3
    lines = wrap("the quick brown fox jumps over the lazy dog", 12, 2)
    assert lines[0] == "the quick" and lines[-1].endswith("…") and len(lines) == 2


def test_render_html() -> None:
    units = good_units()
    units.insert(2, Unit("A<B & C的关系", "A<B & C relations <script>", 0.3, "1-1"))
    report = check_units(units)
    page = render_html(report, "Check <report>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "A&lt;B &amp; C" in page
    assert "http" not in page and "<link" not in page  # self-contained

    doc = lxml.html.fromstring(page)
    assert doc.findtext(".//title") == "Check <report>"
    summary = {
        tr.findtext("th"): tr.findtext("td") for tr in doc.xpath('//table[@id="summary"]//tr')
    }
    assert summary["Pairs"] == "11"
    assert summary["Flagged pairs"].startswith(str(report.summary.flagged))
    rows = doc.xpath('//table[@id="pairs"]/tbody/tr')
    assert len(rows) == len(report.pairs) == 11
    flagged = [r for r in rows if "flagged" in r.get("class").split()]
    assert len(flagged) == len(report.flagged) >= 1
    row = rows[2]
    assert "flagged" in row.get("class")
    assert row.xpath('string(.//td[@class="zh"]/div[@class="text"])') == "A<B & C的关系"
    assert row.xpath('string(.//td[@class="en"]/div[@class="text"])') == units[2].en
    assert "low-confidence" in row.get("data-flags")
    assert "confidence 0.30 below 0.5" in row.xpath('string(.//td[@class="flags"])')
    assert "flagged" not in rows[0].get("class")
