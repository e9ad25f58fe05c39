"""The translation-memory side of the CLI: TMX output (the main job), parallel files,
merge, and check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from aligner import load_document
from aligner.cli import DEFAULT_CORPUS, app
from aligner.formats import read_units, validate_tmx
from aligner.formats.tmx import read as read_tmx

runner = CliRunner()
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def main_job(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`aligner align` with no argument, run in an empty folder."""
    folder = tmp_path_factory.mktemp("main-job")
    import os

    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = runner.invoke(app, ["align"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "zhang-china-us-new-developments.tmx" in result.output
    return folder


def test_main_job_writes_a_valid_tmx_and_a_tsv(main_job: Path) -> None:
    tmx = main_job / "zhang-china-us-new-developments.tmx"
    tsv = main_job / "zhang-china-us-new-developments.tsv"
    assert tmx.is_file() and tsv.is_file()
    assert validate_tmx(tmx) == []
    header = etree.parse(str(tmx)).find("header")
    assert header.get("creationtool") == "aligner"
    assert header.get("segtype") == "sentence"
    assert header.get("srclang") == "zh-CN"


def test_main_job_tmx_holds_every_body_sentence_once_and_the_title(main_job: Path) -> None:
    units = read_tmx(main_job / "zhang-china-us-new-developments.tmx")
    doc = load_document([DEFAULT_CORPUS])
    assert units[0].kind == "title"
    assert (units[0].zh, units[0].en) == (
        "中美关系新变化的重大意义",
        "What the New Developments Mean",
    )
    body = [u for u in units if u.kind != "title" and not u.part]  # whole beads, not parts
    # no text lost: the segments of each language joined give the cleaned body back
    zh_body = "".join(p.text for p in doc.zh.paragraphs)
    en_body = " ".join(p.text for p in doc.en.paragraphs)
    assert "".join(u.zh for u in body).replace(" ", "") == zh_body.replace(" ", "")
    assert "".join(u.en for u in body).replace(" ", "") == en_body.replace(" ", "")
    # author, date and copyright lines are not units
    texts = " ".join(u.en + u.zh for u in units)
    assert "June 22" not in texts and "Copyright" not in texts


def test_tmx_language_codes_and_paragraph_level(tmp_path: Path) -> None:
    out = tmp_path / "para.tmx"
    result = runner.invoke(
        app, ["align", str(DEFAULT_CORPUS), "--level", "paragraph", "--zh-lang", "zh-TW",
              "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(out))
    assert tree.find("header").get("segtype") == "paragraph"
    langs = {tuv.get(XML_LANG) for tuv in tree.iter("tuv")}
    assert langs == {"zh-TW", "en-US"}
    tus = tree.findall(".//tu")
    assert len(tus) == 15  # the title pair, as at sentence level, and 14 paragraphs
    assert tus[0].findtext("prop[@type='x-bead']") == "title"


def test_min_confidence_filters_tmx_but_not_tsv(tmp_path: Path) -> None:
    args = ["align", str(DEFAULT_CORPUS), "--min-confidence", "0.9"]
    assert runner.invoke(app, args + ["-o", str(tmp_path / "a.tmx")]).exit_code == 0
    assert runner.invoke(app, args + ["-o", str(tmp_path / "a.tsv")]).exit_code == 0
    kept = read_tmx(tmp_path / "a.tmx")
    every = read_units(tmp_path / "a.tsv")
    assert all(u.confidence >= 0.9 for u in kept)
    assert len(kept) < len(every)


def test_parallel_files(tmp_path: Path) -> None:
    stem = tmp_path / "corpus"
    result = runner.invoke(
        app, ["align", str(DEFAULT_CORPUS), "-o", str(stem), "--format", "parallel"]
    )
    assert result.exit_code == 0, result.output
    zh = (tmp_path / "corpus.zh").read_text(encoding="utf-8").splitlines()
    en = (tmp_path / "corpus.en").read_text(encoding="utf-8").splitlines()
    assert len(zh) == len(en) > 30
    assert all(z.strip() and e.strip() for z, e in zip(zh, en, strict=True))


def test_tmx_needs_an_output_path() -> None:
    result = runner.invoke(app, ["align", str(DEFAULT_CORPUS), "--format", "tmx"])
    assert result.exit_code == 2
    assert "-o" in result.output


def test_merge_removes_duplicates(main_job: Path, tmp_path: Path) -> None:
    tmx = main_job / "zhang-china-us-new-developments.tmx"
    out = tmp_path / "all.tmx"
    result = runner.invoke(app, ["merge", str(tmx), str(tmx), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(read_tmx(out)) == len(read_tmx(tmx))
    assert "duplicates removed" in result.output


@pytest.mark.parametrize("command", ["align", "merge"])
def test_tmx_creationdate_honours_source_date_epoch(
    command: str, main_job: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    tmx = main_job / "zhang-china-us-new-developments.tmx"
    source = DEFAULT_CORPUS if command == "align" else tmx
    outputs = []
    for k in range(2):
        out = tmp_path / f"{k}.tmx"
        result = runner.invoke(app, [command, str(source), "-o", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert etree.parse(str(out)).find("header").get("creationdate") == "20231114T221320Z"
    assert outputs[0] == outputs[1]


def test_merge_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_text("not xml at all", encoding="utf-8")
    result = runner.invoke(app, ["merge", str(bad), "-o", str(tmp_path / "out.tmx")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.tmx").exists()


@pytest.mark.parametrize("name", ["terms.tbx", "terms.csv", "terms.json"])
def test_check_a_glossary_says_it_is_one(tmp_path: Path, name: str) -> None:
    glossary = tmp_path / name
    glossary.write_text("跛脚鸭,lame duck\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(glossary)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"aligner: error: {glossary}: a glossary, not an alignment (give a .tmx, .tsv, "
        ".jsonl, .xlf, .xliff or .po alignment, or the documents)"
    ]


def test_check_the_essay_flags_few_pairs(main_job: Path, tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    tmx = main_job / "zhang-china-us-new-developments.tmx"
    result = runner.invoke(app, ["check", str(tmx), "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert "pairs: 37" in result.output
    page = html.read_text(encoding="utf-8")
    assert "<html" in page.lower() and "http" not in page.split("</head>")[0].lower()
    flagged = int(result.output.split("flagged: ")[1].split()[0])
    assert flagged <= 4


def test_check_a_shuffled_alignment_flags_most_pairs(main_job: Path, tmp_path: Path) -> None:
    units = read_units(main_job / "zhang-china-us-new-developments.tsv")
    body = [u for u in units if u.kind != "title"]
    shuffled = tmp_path / "shuffled.tsv"
    with shuffled.open("w", encoding="utf-8") as fh:
        fh.write("zh\ten\tconfidence\ttype\tparagraph\n")
        for k, u in enumerate(body):
            other = body[(k + 3) % len(body)]
            fh.write(f"{u.zh}\t{other.en}\t{u.confidence}\t{u.kind}\t{u.para}\n")
    result = runner.invoke(app, ["check", str(shuffled), "--fail-under", "0.5"])
    assert result.exit_code == 1, result.output
    flagged = int(result.output.split("flagged: ")[1].split()[0])
    assert flagged > len(body) / 2


def test_check_documents_with_gold(tmp_path: Path) -> None:
    zh = tmp_path / "a.zh"
    en = tmp_path / "a.en"
    zh.write_text("习近平主席周一在北京会见了特朗普。\n双方同意扩大贸易合作。\n", encoding="utf-8")
    en.write_text(
        "President Xi Jinping met Trump in Beijing on Monday.\n"
        "The two sides agreed to expand trade cooperation.\n",
        encoding="utf-8",
    )
    gold = tmp_path / "gold.align"
    gold.write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(zh), str(en), "--presplit", "--gold", str(gold)])
    assert result.exit_code == 0, result.output
    assert "strict P/R/F1 1.000/1.000/1.000" in result.output


def test_jsonl_round_trip_through_read_units(tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    assert runner.invoke(app, ["align", str(DEFAULT_CORPUS), "-o", str(out)]).exit_code == 0
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    units = read_units(out)
    assert [u.zh for u in units] == [r["zh"] for r in records]
    assert all(isinstance(u.zh_ids, tuple) for u in units)
