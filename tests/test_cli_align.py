"""The `aligner align` and `aligner evaluate` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner import load_document
from aligner.align import align_document
from aligner.cli import DEFAULT_CORPUS, app
from aligner.formats.align import format_align, parse_align

pytestmark = pytest.mark.usefixtures("lexicon")

runner = CliRunner()
HEADER = "zh\ten\tconfidence\ttype\tparagraph\tstatus"


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def assert_one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("aligner: error:")
    for needle in needles:
        assert needle in lines[0]
    assert result.stdout == ""


def tsv_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    assert lines[0] == HEADER
    rows = [line.split("\t") for line in lines[1:]]
    for row in rows:
        assert len(row) == 6, row
        assert 0.0 <= float(row[2]) <= 1.0
        assert row[3] == "title" or row[3].count("-") == 1
    return rows


@pytest.fixture
def bitext(write_bitext, pairs) -> tuple[Path, Path]:
    return write_bitext([z for z, _ in pairs], [e for _, e in pairs])


# ---------------------------------------------------------------- align


@pytest.fixture(scope="module")
def default_run():
    """The essay to stdout, as TSV (with no file at all, align writes TMX and TSV files)."""
    return run("align", DEFAULT_CORPUS)


def test_align_with_no_file_writes_the_essay_tmx_and_tsv(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("align")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["zhang-china-us-new-developments.tmx", "zhang-china-us-new-developments.tsv"]
    assert str(tmp_path / names[0]) in result.output  # it says where


def test_align_the_embedded_essay_to_stdout(default_run) -> None:
    result = default_run
    assert result.exit_code == 0, result.output
    rows = tsv_rows(result.stdout)
    assert rows[0][:2] == ["中美关系新变化的重大意义", "What the New Developments Mean"]
    assert rows[0][3] == "title" and rows[0][4] == "-1"
    expected = align_document(load_document([DEFAULT_CORPUS]))
    assert len(rows) == 1 + len(expected.beads)
    assert [r[3] for r in rows[1:]] == [b.kind for b in expected.beads]
    assert rows[1][1].startswith("Since last autumn")
    assert [int(r[4]) for r in rows[1:]] == sorted(int(r[4]) for r in rows[1:])


def test_align_presplit_to_align_file(tmp_path: Path, bitext) -> None:
    out = tmp_path / "out.align"
    result = run("align", *bitext, "--presplit", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text == "".join(f"[{i}]:[{i}]\n" for i in range(10))
    assert parse_align(text) == [((i,), (i,)) for i in range(10)]


def test_align_files_in_either_order(tmp_path: Path, bitext) -> None:
    zh, en = bitext
    out = tmp_path / "swapped.align"
    result = run("align", en, zh, "--presplit", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "".join(f"[{i}]:[{i}]\n" for i in range(10))


def test_align_to_tsv_file(tmp_path: Path, bitext, pairs) -> None:
    out = tmp_path / "out.tsv"
    result = run("align", *bitext, "--presplit", "-o", out)
    assert result.exit_code == 0, result.output
    rows = tsv_rows(out.read_text(encoding="utf-8"))
    assert len(rows) == 10
    assert [(r[0], r[1]) for r in rows] == pairs
    assert all(r[3] == "1-1" for r in rows)


def test_align_to_jsonl_file(tmp_path: Path, bitext, pairs) -> None:
    out = tmp_path / "out.jsonl"
    result = run("align", *bitext, "--presplit", "-o", out)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 10
    for k, r in enumerate(records):
        assert {"zh_ids", "en_ids", "zh", "en", "confidence", "type", "para"} <= set(r)
        assert (r["zh_ids"], r["en_ids"]) == ([k], [k])
        assert (r["zh"], r["en"]) == pairs[k]
        assert r["type"] == "1-1" and 0.0 <= r["confidence"] <= 1.0


def test_format_option_overrides_the_suffix(tmp_path: Path, bitext) -> None:
    out = tmp_path / "out.txt"
    result = run("align", *bitext, "--presplit", "-o", out, "-f", "align")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("[0]:[0]\n")
    result = run("align", *bitext, "--presplit", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    assert len([json.loads(x) for x in result.stdout.splitlines()]) == 10


def test_align_paragraph_level() -> None:
    result = run("align", DEFAULT_CORPUS, "--level", "paragraph")
    assert result.exit_code == 0, result.output
    title, *rows = tsv_rows(result.stdout)
    assert title[:2] == ["中美关系新变化的重大意义", "What the New Developments Mean"]
    assert title[3:] == ["title", "-1", "auto"]
    assert len(rows) == 14
    assert all(r[3] == "1-1" for r in rows)
    assert [r[4] for r in rows] == [str(k) for k in range(14)]


def test_align_paragraph_level_to_align_file(tmp_path: Path) -> None:
    out = tmp_path / "paragraphs.align"
    result = run("align", DEFAULT_CORPUS, "--level", "paragraph", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "".join(f"[{k}]:[{k}]\n" for k in range(14))


def test_unknown_suffix_is_an_error_and_writes_nothing(tmp_path: Path, bitext) -> None:
    out = tmp_path / "out.txt"
    before = set(tmp_path.iterdir())
    result = run("align", *bitext, "--presplit", "-o", out)
    assert_one_line_error(result, "out.txt")
    assert not out.exists()
    assert set(tmp_path.iterdir()) == before  # no temporary file left either


def test_unknown_format_is_an_error(tmp_path: Path, bitext) -> None:
    result = run("align", *bitext, "--presplit", "-f", "xml")
    assert_one_line_error(result, "xml")
    out = tmp_path / "out.tsv"
    assert_one_line_error(run("align", *bitext, "--presplit", "-o", out, "-f", "xml"), "xml")
    assert not out.exists()


def test_output_in_a_missing_directory(tmp_path: Path, bitext) -> None:
    out = tmp_path / "no" / "such" / "out.tsv"
    assert_one_line_error(run("align", *bitext, "--presplit", "-o", out))
    assert not out.exists()


def test_align_missing_input(tmp_path: Path) -> None:
    assert_one_line_error(run("align", tmp_path / "nothing.txt"), "nothing.txt")


def test_align_bad_level() -> None:
    result = run("align", "--level", "word")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- evaluate


GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((), (4,)), ((4,), (5,))]
TEST = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,)), ((3,), ()), ((4,), (5, 6))]
# by hand (see test_evaluate.py): strict P 1/6, R 1/4, F1 0.2; lax P 4/6, R 1, F1 0.8


def test_evaluate_prints_strict_and_lax(tmp_path: Path) -> None:
    gold, test = tmp_path / "gold.align", tmp_path / "test.align"
    gold.write_text(format_align(GOLD), encoding="utf-8")
    test.write_text(format_align(TEST), encoding="utf-8")
    result = run("evaluate", gold, test)
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[1:]}
    assert set(lines) == {"strict", "lax"}
    assert [float(x) for x in lines["strict"]] == pytest.approx([0.167, 0.25, 0.2], abs=1e-3)
    assert [float(x) for x in lines["lax"]] == pytest.approx([0.667, 1.0, 0.8], abs=1e-3)
    header = result.stdout.splitlines()[0].split()
    assert header == ["precision", "recall", "F1"]


def test_align_then_evaluate(tmp_path: Path, bitext) -> None:
    out = tmp_path / "test.align"
    assert run("align", *bitext, "--presplit", "-o", out).exit_code == 0
    gold = tmp_path / "gold.align"
    gold.write_text(format_align([((i,), (i,)) for i in range(10)]), encoding="utf-8")
    result = run("evaluate", gold, out)
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines()[1:]:
        assert [float(x) for x in line.split()[1:]] == [1.0, 1.0, 1.0]


def test_evaluate_swap_reads_the_gold_english_first(tmp_path: Path) -> None:
    gold, test = tmp_path / "gold.align", tmp_path / "test.align"
    gold.write_text("[0,1]:[0]\n[2]:[1]\n", encoding="utf-8")  # English first
    test.write_text("[0]:[0,1]\n[1]:[2]\n", encoding="utf-8")  # Chinese first, as ours
    result = run("evaluate", "--swap", gold, test)
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines()[1:]:
        assert [float(x) for x in line.split()[1:]] == [1.0, 1.0, 1.0]


def test_evaluate_missing_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.align"
    gold.write_text(format_align(GOLD), encoding="utf-8")
    assert_one_line_error(run("evaluate", gold, tmp_path / "absent.align"), "absent.align")
    assert_one_line_error(run("evaluate", tmp_path / "absent.align", gold), "absent.align")


def test_evaluate_bad_file(tmp_path: Path) -> None:
    gold, test = tmp_path / "gold.align", tmp_path / "test.align"
    gold.write_text(format_align(GOLD), encoding="utf-8")
    test.write_text("zh\ten\n", encoding="utf-8")
    assert_one_line_error(run("evaluate", gold, test), "test.align")


@pytest.mark.parametrize("value", ["2", "-0.1"])
def test_min_confidence_is_range_checked(tmp_path: Path, value: str) -> None:
    out = tmp_path / "x.tmx"
    result = run("align", DEFAULT_CORPUS, "-o", out, "--min-confidence", value)
    assert_one_line_error(result, "--min-confidence")
    assert not list(tmp_path.iterdir())


def test_the_stages_show_on_a_terminal(tmp_path: Path) -> None:
    """On a terminal, stderr shows a bar per stage under way, cleared at the end."""
    import os
    import pty
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    path = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path)
    terminal, stderr = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aligner.cli", "align", DEFAULT_CORPUS, "-o", tmp_path / "x.tsv"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, env=env,
    )  # fmt: skip
    os.close(stderr)
    shown = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    assert proc.wait(60) == 0
    os.close(terminal)
    # the bars redraw ten times a second: loading jieba (tokenising) takes longer
    assert b"tokenising" in shown and b"\xe2\x94\x81" in shown  # a bar's line
    assert shown.rstrip().endswith(f"wrote 37 units to {tmp_path / 'x.tsv'}".encode())
