"""`aligner glossary`: the CLI over build_glossary and the glossary formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from aligner.cli import DEFAULT_CORPUS, app

runner = CliRunner()
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def default_tsv() -> dict[str, str]:
    result = runner.invoke(app, ["glossary"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines() if line.strip()]
    return {zh: en for zh, en in rows}


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("建设性战略稳定关系", "constructive relationship of strategic stability"),
        ("二轨对话", "Track II dialogue"),
        ("跛脚鸭", "lame duck"),
        ("建立信任措施", "confidence-building measures"),
        ("赖清德", "Lai Ching-te"),
    ],
)
def test_the_essay_glossary_has_the_key_terms(default_tsv: dict[str, str], zh, en) -> None:
    assert default_tsv.get(zh) == en


def test_tbx_output_with_references(tmp_path: Path) -> None:
    out = tmp_path / "terms.tbx"
    refs = sorted(p for p in SEEDS.glob("*.txt") if not p.name.startswith("001_"))
    args = ["glossary", str(DEFAULT_CORPUS), "-o", str(out), "--top", "40"]
    for ref in refs:
        args += ["--reference", str(ref)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    tree = etree.parse(str(out))
    assert tree.getroot().tag == "martif"
    assert len(tree.findall(".//termEntry")) == 40
    terms = {t.text for t in tree.iter("term")}
    assert "constructive China-US relationship of strategic stability" in terms


def test_tbx3_and_csv(tmp_path: Path) -> None:
    out3 = tmp_path / "terms3.tbx"
    result = runner.invoke(
        app, ["glossary", str(DEFAULT_CORPUS), "-o", str(out3), "--tbx-version", "3"]
    )
    assert result.exit_code == 0, result.output
    root = etree.parse(str(out3)).getroot()
    assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx"
    csv_out = tmp_path / "terms.csv"
    assert runner.invoke(app, ["glossary", "-o", str(csv_out), "--top", "5"]).exit_code == 0
    header = csv_out.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("zh,en,variants,frequency,confidence")


def test_known_glossary_entries_are_kept(tmp_path: Path) -> None:
    known = tmp_path / "known.tsv"
    known.write_text("特朗普政府\tTrump administration\n", encoding="utf-8")
    result = runner.invoke(app, ["glossary", "--glossary", str(known)])
    assert result.exit_code == 0, result.output
    assert "特朗普政府\tTrump administration" in result.stdout


def test_glossary_from_a_tmx(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["align"]).exit_code == 0
    result = runner.invoke(app, ["glossary", "zhang-china-us-new-developments.tmx"])
    assert result.exit_code == 0, result.output
    assert "跛脚鸭\tlame duck" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--tbx-version", "4", "-o", "x.tbx"],
        ["-o", "x.docx"],
        ["--min-freq", "0"],
    ],
)
def test_bad_options_are_one_line_errors(tmp_path: Path, args: list[str]) -> None:
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    result = runner.invoke(app, ["glossary", str(DEFAULT_CORPUS), *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "ref.txt: no such reference file"),
        ("Lame duck.".encode("utf-16"), "ref.txt: not a UTF-8 text file"),
    ],
)
def test_a_bad_reference_is_a_one_line_error(tmp_path: Path, content, message) -> None:
    ref = tmp_path / "ref.txt"
    if content is not None:
        ref.write_bytes(content)
    result = runner.invoke(app, ["glossary", str(DEFAULT_CORPUS), "--reference", str(ref)])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [f"aligner: error: {ref.parent}/{message}"]


def test_a_bad_tbx_version_is_refused_before_any_work(tmp_path: Path) -> None:
    # the input does not exist: an option checked first is reported instead of it
    missing = tmp_path / "missing.txt"
    result = runner.invoke(
        app, ["glossary", str(missing), "--tbx-version", "4", "-o", str(tmp_path / "t.tbx")]
    )
    assert result.exit_code == 2, result.output
    assert "--tbx-version" in result.output and "missing.txt" not in result.output
    assert not list(tmp_path.iterdir())


def test_tbx_gets_its_xcs_beside_it_unless_no_xcs(tmp_path: Path) -> None:
    out = tmp_path / "terms.tbx"
    result = runner.invoke(app, ["glossary", "-o", str(out), "--top", "5"])
    assert result.exit_code == 0, result.output
    assert "aligner-TBXBasic-zh-en.xcs beside it" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aligner-TBXBasic-zh-en.xcs", out.name]
    bare = tmp_path / "bare"
    bare.mkdir()
    result = runner.invoke(app, ["glossary", "-o", str(bare / "t.tbx"), "--top", "5", "--no-xcs"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in bare.iterdir()] == ["t.tbx"]


def test_a_foreign_xcs_stops_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "aligner-TBXBasic-zh-en.xcs").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["glossary", "-o", str(tmp_path / "t.tbx")])
    assert result.exit_code == 2
    assert "not a file aligner wrote" in result.output and "Traceback" not in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["aligner-TBXBasic-zh-en.xcs"]


def test_omegat_glossary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["glossary", "--top", "5", "--format", "omegat"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(rows) == 5 and all(len(r) == 3 for r in rows)
    out = tmp_path / "terms.utf8"
    result = runner.invoke(app, ["glossary", "-o", str(out), "--top", "5"])
    assert result.exit_code == 0, result.output
    assert [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()] == rows
    bad = runner.invoke(app, ["glossary", "-o", str(tmp_path / "t.tbx"), "-f", "omegat"])
    assert bad.exit_code == 2 and "contradicts" in bad.output


def test_tbx_to_standard_output_writes_no_xcs(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["glossary", "--top", "3", "--format", "tbx"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<?xml") and "aligner-TBXBasic-zh-en.xcs" in result.stdout
    assert list(tmp_path.iterdir()) == []
