"""Fault and bad-input cases, run as a user would run them: the exit code, the message,
the inputs left as they were, the outputs right."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli import app

pytestmark = pytest.mark.usefixtures("lexicon")

runner = CliRunner()


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- decoding

CHINESE_LINES = "中国领导人周一在北京会晤。\n双方不同意这个计划。\n"
ENGLISH_LINES = (
    "China’s leaders met on Monday in Beijing.\nThe two sides don’t agree with the plan.\n"
)


def test_fault_windows_1252_english_is_decoded_not_mojibake(tmp_path: Path) -> None:
    # its curly apostrophes decode as GB18030 too (China抯, don抰)
    zh = write(tmp_path / "zh.txt", CHINESE_LINES.encode("utf-8"))
    en = write(tmp_path / "en.txt", ENGLISH_LINES.encode("cp1252"))
    before = en.read_bytes()
    result = run("align", zh, en, "--presplit", "-o", tmp_path / "out.tsv")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out.tsv").read_text(encoding="utf-8")
    assert "China’s leaders" in out and "don’t agree" in out
    assert "抯" not in out and "抰" not in out
    assert en.read_bytes() == before


def test_fault_gbk_chinese_is_still_read_as_gbk(tmp_path: Path) -> None:
    zh = write(tmp_path / "zh.txt", CHINESE_LINES.encode("gbk"))
    en = write(tmp_path / "en.txt", ENGLISH_LINES.encode("cp1252"))
    result = run("align", zh, en, "--presplit", "-o", tmp_path / "out.tsv")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out.tsv").read_text(encoding="utf-8")
    assert "中国领导人周一在北京会晤。" in out and "China’s leaders" in out


def test_fault_big5_traditional_chinese_is_read(tmp_path: Path) -> None:
    traditional = "中國領導人週一在北京會晤。\n雙方不同意這個計劃。\n"
    zh = write(tmp_path / "zh.txt", traditional.encode("big5"))
    en = write(tmp_path / "en.txt", ENGLISH_LINES.encode("cp1252"))
    result = run("align", zh, en, "--presplit", "-o", tmp_path / "out.tsv")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out.tsv").read_text(encoding="utf-8")
    assert "雙方不同意這個計劃。" in out and "don’t agree" in out


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_fault_utf16_without_bom_is_read(tmp_path: Path, encoding: str) -> None:
    zh = write(tmp_path / "zh.txt", CHINESE_LINES.encode(encoding))
    en = write(tmp_path / "en.txt", ENGLISH_LINES.encode(encoding))
    result = run("align", zh, en, "--presplit", "-o", tmp_path / "out.tsv")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out.tsv").read_text(encoding="utf-8")
    assert "双方不同意这个计划。" in out and "don’t agree" in out


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Le café est très bon. À bientôt, garçon. Résumé, naïve façade.\n", "latin-1"),
        ("Привет, мир! Это тест, и это тоже тест.\n", "cp1251"),
    ],
    ids=["latin-1-french", "cp1251-russian"],
)
def test_fault_unsupported_encoding_is_a_one_line_error(
    tmp_path: Path, text: str, encoding: str
) -> None:
    bad = write(tmp_path / "bad.txt", text.encode(encoding))
    good = write(tmp_path / "zh.txt", CHINESE_LINES.encode("utf-8"))
    before = bad.read_bytes()
    result = run("align", good, bad, "--presplit", "-o", tmp_path / "out.tsv")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith("aligner: error:") and "bad.txt" in lines[0]
    assert "unsupported encoding" in lines[0]
    assert bad.read_bytes() == before
    assert not (tmp_path / "out.tsv").exists()


# ---------------------------------------------------------------- number flags of check

# pairs of fiction whose numbers agree: a numeral in a name, an ordinal, an approximation,
# 两 naming a pair, 零 in a word; and one whose English leaves the days of a date out
FICTION = [
    ("李四把门关上了。", "Li Si shut the door."),
    ("他被分到十五队。", "He was sent to the fifteenth team."),
    ("我二十一岁那年离开了家。", "I left home in my twenty-first year."),
    ("过一两天再来。", "Come back in a couple of days."),
    ("他十七八岁，很瘦。", "He was seventeen or eighteen, and thin."),
    ("两人相视一笑。", "They smiled at each other."),
    ("零件都坏了。", "The parts were all broken."),
    ("会议于5月13日至15日举行。", "The meeting was held in May."),
]


def test_fault_check_flags_no_false_numbers_in_fiction(tmp_path: Path) -> None:
    zh = write(tmp_path / "zh.txt", "\n".join(z for z, _ in FICTION).encode("utf-8"))
    en = write(tmp_path / "en.txt", "\n".join(e for _, e in FICTION).encode("utf-8"))
    result = run("check", zh, en, "--presplit")
    assert result.exit_code == 0, result.output
    assert "number-mismatch 1" in result.stdout
    assert "number-mismatch: Chinese only: 13, 15" in result.stdout
