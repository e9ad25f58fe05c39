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
