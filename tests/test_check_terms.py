"""Term QA in the checker: glossary terms found in the Chinese, their renderings in the
English, term-missing and term-inconsistent flags, the summary, the reports and the CLI."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from typer.testing import CliRunner

from aligner.check import check_units, render_html, render_table
from aligner.check.terms import en_words, glossary_terms, rendering_words, renders
from aligner.cli import app
from aligner.model import Entry, Unit

pytestmark = pytest.mark.usefixtures("lexicon")

GLOSSARY = [
    Entry("领域", en="field"),
    Entry("两军对话", en="military-to-military dialogue"),
    Entry("中美关系", en="China-U.S. relations"),
    Entry("战略稳定", en="strategic stability"),
    Entry("建设性战略稳定关系", en="constructive relationship of strategic stability"),
    Entry("发展", en="development"),
    Entry("美国总统", en="U.S. President"),
    Entry("互信", en="mutual trust", variants=["trust"]),
]


def pair(zh: str, en: str, doc: str = "doc") -> Unit:
    return Unit(zh, en, 0.9, "1-1", doc=doc)


def term_codes(units: list[Unit], glossary: list[Entry] = GLOSSARY) -> list[list[str]]:
    report = check_units(units, glossary=glossary)
    return [[c for c in p.codes if c.startswith("term-")] for p in report.pairs]


def reason(unit_list: list[Unit], i: int, code: str) -> str:
    report = check_units(unit_list, glossary=GLOSSARY)
    return next(f.reason for f in report.pairs[i].flags if f.code == code)


# ---------------------------------------------------------------- English matching


@pytest.mark.parametrize(
    ("rendering", "english", "found"),
    [
        ("military-to-military dialogue", "Military to military dialogues resumed.", True),
        ("military to military dialogue", "military-to-military dialogues resumed", True),
        ("China-U.S. relations", "US-China relations improved.", True),
        ("China-U.S. relations", "Relations between China and the United States", True),
        ("U.S. President", "The American president came.", True),
        ("nuclear arsenal", "their nuclear arsenals", True),
        ("diplomacy", "two-way diplomatic dialogues", True),  # one stem
        ("constructive relationship of strategic stability",
         "a constructive China-US relationship of strategic stability", True),
        ("U.S. President", "He told us the president came.", False),  # the pronoun `us`
        ("strategic stability", "strategic, and stability", False),  # two clauses
        ("strategic stability", "strategic aims of the two great nations and stability", False),
        ("field", "They discussed many issues.", False),
    ],
)  # fmt: skip
def test_rendering_in_english(rendering: str, english: str, found: bool) -> None:
    assert renders(en_words(english), rendering_words(rendering)) is found


def test_glossary_terms_longest_first_with_every_rendering() -> None:
    entries = [
        Entry("互信", en="mutual trust", variants=["trust"], attested=["mutual confidence"]),
        Entry("建设性战略稳定关系", en="constructive relationship of strategic stability"),
        Entry("互信", en="ignored: the first entry of a term wins"),
        Entry("的", en="of"),  # function words only: nothing to find it by
    ]
    terms = glossary_terms(entries)
    assert [t.zh for t in terms] == ["建设性战略稳定关系", "互信"]
    assert terms[1].renderings == ("mutual trust", "trust", "mutual confidence")


# ---------------------------------------------------------------- flags


def test_rendered_terms_are_not_flagged() -> None:
    units = [
        pair("两军对话已经恢复。", "Military to military dialogues have resumed."),
        pair("中美关系正在改善。", "Relations between China and the United States improve."),
        pair("美国总统访问了北京。", "The American president visited Beijing."),
        pair("两国在许多领域开展合作。", "The two countries cooperate in many fields."),
    ]
    report = check_units(units, glossary=GLOSSARY)
    assert [len(p.terms) for p in report.pairs] == [1, 1, 1, 1]
    assert all(u.found for p in report.pairs for u in p.terms)
    assert term_codes(units) == [[], [], [], []]


def test_term_not_rendered_is_missing() -> None:
    units = [
        pair("他们讨论了许多领域的问题。", "They discussed many issues."),
        pair("美国总统访问了北京。", "President Trump visited Beijing."),
        pair("两国在许多领域开展合作。", "The two countries cooperate in many fields."),
    ]
    assert term_codes(units) == [["term-missing"], ["term-missing"], []]
    assert reason(units, 0, "term-missing") == "term 领域 (field) not rendered"
    assert reason(units, 1, "term-missing") == "term 美国总统 (U.S. President) not rendered"


def test_longest_term_covers_the_terms_inside_it() -> None:
    # 战略稳定 inside 建设性战略稳定关系 is the longer term's business: when the English
    # leaves out `constructive`, the long term is missing, not the short one
    units = [
        pair("双方同意构建建设性战略稳定关系。",
             "The two sides agreed to build a constructive China-US relationship of strategic "
             "stability."),
        pair("双方同意构建建设性战略稳定关系。", "They agreed on strategic stability."),
    ]  # fmt: skip
    report = check_units(units, glossary=GLOSSARY)
    assert [[u.term.zh for u in p.terms] for p in report.pairs] == [["建设性战略稳定关系"]] * 2
    assert term_codes(units) == [[], ["term-missing"]]
    assert "建设性战略稳定关系" in reason(units, 1, "term-missing")


def test_term_inside_another_word_is_not_found() -> None:
    # 发展 is not a word of 发展中国家 (developing countries)
    report = check_units([pair("发展中国家需要援助。", "Developing countries need aid.")],
                         glossary=GLOSSARY)  # fmt: skip
    assert report.pairs[0].terms == []


def test_other_rendering_beside_the_glossarys_is_inconsistent() -> None:
    units = [
        pair("两国在许多领域开展合作。", "The two countries cooperate in many fields."),
        pair("两国在安全领域加强合作。", "The two countries cooperate in the security area."),
        pair("他们讨论了许多领域的问题。", "They discussed many issues."),
    ]
    assert term_codes(units) == [[], ["term-inconsistent"], ["term-missing"]]
    assert reason(units, 1, "term-inconsistent") == (
        'term 领域 rendered as "area" here, as "field" in #1 (glossary)'
    )


def test_one_other_rendering_alone_is_missing_and_says_which() -> None:
    # the document renders 领域 one way only, not the glossary's: missing, not inconsistent
    units = [pair("两国在安全领域加强合作。", "The two countries cooperate in the security area.")]
    assert term_codes(units) == [["term-missing"]]
    assert reason(units, 0, "term-missing") == 'term 领域 (field) rendered as "area"'


def test_consistency_is_per_document() -> None:
    units = [
        pair("两国在许多领域开展合作。", "The two countries cooperate in many fields.", "a"),
        pair("两国在安全领域加强合作。", "The two countries cooperate in the security area.", "b"),
    ]
    assert term_codes(units) == [[], ["term-missing"]]


def test_variants_are_renderings_too() -> None:
    units = [
        pair("双方缺乏互信。", "The two sides lack mutual trust."),
        pair("双方缺乏互信。", "The two sides lack trust."),
    ]
    assert term_codes(units) == [[], []]
    # without the variant, `trust` is a second way, beside the glossary's `mutual trust`
    assert term_codes(units, [Entry("互信", en="mutual trust")]) == [[], ["term-inconsistent"]]


def test_no_glossary_no_term_checks() -> None:
    units = [pair("他们讨论了许多领域的问题。", "They discussed many issues.")]
    report = check_units(units)
    assert report.pairs[0].terms == [] and report.summary.terms is None
    assert term_codes(units, []) == [[]]


def test_summary_and_reports() -> None:
    units = [
        pair("两国在许多领域开展合作。", "The two countries cooperate in many fields."),
        pair("两国在安全领域加强合作。", "The two countries cooperate in the security area."),
        pair("他们讨论了许多领域的问题。", "They discussed many issues."),
        pair("天气很好。", "The weather is fine."),
        pair("两军对话已经恢复。", "", ),
    ]  # fmt: skip
    report = check_units(units, glossary=GLOSSARY)
    t = report.summary.terms
    assert t is not None
    assert (t.terms, t.uses, t.pairs, t.rendered, t.other, t.unrendered) == (8, 3, 3, 1, 1, 1)
    assert report.summary.flag_counts["term-missing"] == 1
    assert report.summary.flag_counts["term-inconsistent"] == 1

    text = render_table(report)
    assert "term-missing 1, term-inconsistent 1" in text
    assert "glossary: 8 terms, found 3 times in 3 pairs: 1 rendered as the glossary says" in text
    assert "term 领域 (field) not rendered" in text

    doc = lxml.html.fromstring(render_html(report, "terms"))
    summary = {
        tr.findtext("th"): tr.findtext("td") for tr in doc.xpath('//table[@id="summary"]//tr')
    }
    assert "term-missing: 1" in summary["Flags"] and "term-inconsistent: 1" in summary["Flags"]
    assert summary["Glossary"].startswith("8 terms, found 3 times")
    rows = doc.xpath('//table[@id="pairs"]/tbody/tr')
    assert "term-inconsistent" in rows[1].get("data-flags")
    assert rows[0].xpath('string(.//div[@class="terms"])') == "terms: 领域 = field"
    assert 'rendered as "area" here' in rows[1].xpath('string(.//td[@class="flags"])')


# ---------------------------------------------------------------- CLI


runner = CliRunner()


def test_cli_check_with_glossary(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "zh\ten\tconfidence\ttype\tparagraph\n"
        "两国在许多领域开展合作。\tThe two countries cooperate in many fields.\t0.9\t1-1\t0\n"
        "他们讨论了许多领域的问题。\tThey discussed many issues.\t0.9\t1-1\t0\n",
        encoding="utf-8",
    )
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("领域\tfield\n", encoding="utf-8")
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["check", str(pairs), "--glossary", str(glossary),
                                 "--html", str(html)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "term-missing: term 领域 (field) not rendered" in result.output
    assert "glossary: 1 terms, found 2 times in 2 pairs" in result.output
    assert "term-missing" in html.read_text(encoding="utf-8")
    without = runner.invoke(app, ["check", str(pairs)])
    assert without.exit_code == 0 and "term-missing" not in without.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.tsv", None, "missing.tsv: no such file"),
        ("empty.tsv", "", "empty.tsv: no glossary entries"),
        ("comments.tsv", "# zh\ten\n", "comments.tsv: no glossary entries"),
        ("memory.tmx", "<tmx/>", "memory.tmx: not a glossary"),
        ("words.txt", "just words\n", "words.txt:1: expected a Chinese term and its English"),
    ],
)
def test_cli_refuses_a_bad_glossary(
    tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("zh\ten\n两国开展合作。\tThe two countries cooperate.\n", encoding="utf-8")
    glossary = tmp_path / name
    if content is not None:
        glossary.write_text(content, encoding="utf-8")
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["check", str(pairs), "--glossary", str(glossary),
                                 "--html", str(html)])  # fmt: skip
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output and not html.exists()
