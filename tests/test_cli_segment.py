"""The `aligner segment` command: output formats, options and one-line errors."""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.cli import app

ROOT = Path(__file__).resolve().parent.parent
ZHANG = ROOT / "corpora" / "zhang-china-us-new-developments.txt"
SMALL = Path(__file__).resolve().parent / "fixtures" / "small_bilingual.txt"

runner = CliRunner()


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def halves(tmp_path: Path) -> tuple[Path, Path]:
    """The small fixture as a Chinese and an English file."""
    text = SMALL.read_text(encoding="utf-8")
    cut = text.index("双方恢复会谈")
    zh, en = tmp_path / "small_zh.txt", tmp_path / "small_en.txt"
    zh.write_text(text[cut:], encoding="utf-8")
    en.write_text(text[:cut], encoding="utf-8")
    return zh, en


# ---------------------------------------------------------------- text output


def test_text_output_numbers_paragraphs_and_sentences() -> None:
    result = run("segment", SMALL)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert f"## zh {SMALL}: 2 paragraphs, 5 sentences" in out
    assert f"## en {SMALL}: 2 paragraphs, 5 sentences" in out
    assert "  zh 0.0  双方周一在北京会晤。" in out
    assert "  zh 1.4  预计届时之前将发表联合声明。" in out
    assert "  en 0.2  Officials said the meeting was useful." in out
    assert "  en 1.3  Both delegations will meet again in the autumn." in out
    assert "¶0" in out and "¶1" in out
    assert "[parallel_title] (zh) 雙方恢復會談" in out
    assert "[date] (en) March 3, 2025" in out
    assert out.index("## zh") < out.index("## en")


def test_text_output_for_the_zhang_essay() -> None:
    out = run("segment", ZHANG).stdout
    assert "14 paragraphs, 38 sentences" in out
    assert "14 paragraphs, 47 sentences" in out
    assert "[title] (en) What the New Developments Mean" in out
    assert "[date] (en) June 22 , 2026" in out
    lines = [line for line in out.splitlines() if line.startswith("  en ")]
    assert len(lines) == 47
    assert lines[1].startswith("  en 0.1  Against this backdrop, U.S. President Donald Trump")


def test_default_input_is_the_bundled_essay() -> None:
    result = run("segment")
    assert result.exit_code == 0
    assert "14 paragraphs, 38 sentences" in result.stdout
    assert "14 paragraphs, 47 sentences" in result.stdout


def test_two_files_either_order(tmp_path: Path) -> None:
    zh, en = halves(tmp_path)
    a = jsonl(run("segment", "--format", "jsonl", zh, en).stdout)
    b = jsonl(run("segment", "--format", "jsonl", en, zh).stdout)
    assert [(r["lang"], r["text"]) for r in a] == [(r["lang"], r["text"]) for r in b]
    assert len(a) == 10
    single = jsonl(run("segment", "--format", "jsonl", SMALL).stdout)
    assert [r["text"] for r in a] == [r["text"] for r in single]


# ---------------------------------------------------------------- jsonl


def test_jsonl_records() -> None:
    result = run("segment", "-f", "jsonl", ZHANG)
    assert result.exit_code == 0
    records = jsonl(result.stdout)
    assert len(records) == 38 + 47
    for r in records:
        assert set(r) == {"doc", "lang", "para", "sent", "text", "norm", "tokens"}
        assert r["doc"] == "zhang-china-us-new-developments"
        assert isinstance(r["tokens"], list) and r["tokens"]
    zh = [r for r in records if r["lang"] == "zh"]
    en = [r for r in records if r["lang"] == "en"]
    assert [r["sent"] for r in zh] == list(range(38))
    assert [r["sent"] for r in en] == list(range(47))
    assert max(r["para"] for r in zh) == max(r["para"] for r in en) == 13
    assert en[0]["text"].startswith("Since last autumn, China-U.S. relations")
    assert "China-U.S." in en[0]["tokens"]
    assert zh[0]["tokens"][:3] == ["去年", "秋季", "以来"]
    assert records[0]["lang"] == "zh"  # Chinese side first


def test_jsonl_is_one_object_per_line_and_keeps_chinese_readable() -> None:
    out = run("segment", "--format", "jsonl", SMALL).stdout
    lines = out.splitlines()
    assert len(lines) == 10
    assert all(line.startswith("{") and line.endswith("}") for line in lines)
    assert "双方周一在北京会晤" in out  # not \u escapes


# ---------------------------------------------------------------- options


def test_presplit(tmp_path: Path) -> None:
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("会谈恢复。双方会面。\n官员表示会谈很有益处\n", encoding="utf-8")
    en.write_text("Talks resumed. Both sides met.\nOfficials said it was useful\n", "utf-8")
    records = jsonl(run("segment", "--presplit", "--format", "jsonl", zh, en).stdout)
    assert [(r["lang"], r["sent"], r["text"]) for r in records] == [
        ("zh", 0, "会谈恢复。双方会面。"),
        ("zh", 1, "官员表示会谈很有益处"),
        ("en", 0, "Talks resumed. Both sides met."),
        ("en", 1, "Officials said it was useful"),
    ]


@pytest.mark.parametrize(
    "mode, title, body",
    [
        ("s2t", "中美關係新變化的重大意義", "去年秋季以來,中美關係逐步趨向穩定"),
        ("t2s", "中美关系新变化的重大意义", "去年秋季以来,中美关系逐步趋向稳定"),
    ],
)
def test_convert(mode: str, title: str, body: str) -> None:
    out = run("segment", "--convert", mode, ZHANG).stdout
    assert f"[title] (zh) {title}" in out
    assert f"[parallel_title] (zh) {title}" in out
    assert body in out
    records = jsonl(run("segment", "--convert", mode, "-f", "jsonl", ZHANG).stdout)
    assert records[0]["text"].startswith(body)
    assert records[0]["norm"].startswith("去年秋季以来,中美关系逐步趋向稳定")


def test_bad_conversion_is_a_usage_error() -> None:
    result = run("segment", "--convert", "x2y", SMALL)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.fixture
def user_dict(tmp_path: Path) -> Iterator[Path]:
    from aligner.tokenise import jieba_tokenizer

    path = tmp_path / "userdict.txt"
    path.write_text("周一在北京 1000 n\n", encoding="utf-8")
    yield path
    jieba_tokenizer().del_word("周一在北京")


def test_user_dictionary(user_dict: Path) -> None:
    before = jsonl(run("segment", "-f", "jsonl", SMALL).stdout)
    assert "周一在北京" not in before[0]["tokens"]
    after = jsonl(run("segment", "-f", "jsonl", "--user-dict", user_dict, SMALL).stdout)
    assert after[0]["tokens"] == ["双方", "周一在北京", "会晤", "。"]


# ---------------------------------------------------------------- errors


def assert_one_line_error(result, name: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("aligner: error:")
    assert name in lines[0]
    assert result.stdout == ""


ERROR_INPUTS = {
    "latin1.txt": "Le café est très bon. À bientôt, garçon.\n".encode("latin-1"),
    "shift_jis.txt": "これは日本語の文章です。東京は大きい都市です。\n".encode("shift_jis"),
    "empty.txt": b"",
    "blank.txt": b"  \n\t\n\n   \n",
    "picture.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08",
    "english_only.txt": b"The two sides met. They agreed to talk.\n\nA second paragraph.\n",
    "chinese_only.txt": "双方周一在北京会晤。\n\n他们同意恢复会谈。\n".encode(),
}


@pytest.mark.parametrize("name", sorted(ERROR_INPUTS))
def test_bad_single_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(ERROR_INPUTS[name])
    assert_one_line_error(run("segment", path), name)


def test_bad_file_among_two(tmp_path: Path) -> None:
    zh, _ = halves(tmp_path)
    path = tmp_path / "latin1.txt"
    path.write_bytes(ERROR_INPUTS["latin1.txt"])
    assert_one_line_error(run("segment", zh, path), "latin1.txt")


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run("segment", tmp_path / "no_such_file.txt"), "no_such_file.txt")
    zh, _ = halves(tmp_path)
    assert_one_line_error(run("segment", zh, tmp_path / "gone.txt"), "gone.txt")


def test_two_files_of_the_same_language(tmp_path: Path) -> None:
    _, en = halves(tmp_path)
    other = tmp_path / "other_en.txt"
    other.write_text("Another English text. It has two sentences.\n", encoding="utf-8")
    result = run("segment", en, other)
    assert_one_line_error(result, "other_en.txt")
    assert "English" in result.output


def test_too_many_files(tmp_path: Path) -> None:
    result = run("segment", SMALL, SMALL, SMALL)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_utf16_and_gbk_files_work_through_the_cli(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    reference = jsonl(run("segment", "-f", "jsonl", SMALL).stdout)
    for name, data in (
        ("le.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
        ("be.txt", codecs.BOM_UTF16_BE + text.encode("utf-16-be")),
        ("gbk.txt", text.encode("gbk")),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        result = run("segment", "-f", "jsonl", path)
        assert result.exit_code == 0, result.output
        records = jsonl(result.stdout)
        assert [r["text"] for r in records] == [r["text"] for r in reference]


# ---------------------------------------------------------------- help


def test_help_lists_segment() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "segment" in result.stdout
    result = run("segment", "--help")
    assert result.exit_code == 0
    for option in ("--presplit", "--format", "--convert", "--user-dict"):
        assert option in result.stdout


@pytest.mark.parametrize("command", ["segment", "align", "check", "batch", "glossary"])
def test_help_shows_no_type_after_a_flag(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "--presplit" in result.stdout
    assert "<bool>" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["merge"], "Missing argument 'inputs'. (see 'aligner merge --help')"),
        (["merge", "a.tmx"], "Missing option '--output' / '-o'. (see 'aligner merge --help')"),
        (["segment", "--convert", "x2y"],
         "Invalid value for '--convert': 'x2y' is not one of 't2s', 's2t'. "
         "(see 'aligner segment --help')"),
        (["nosuch"], "No such command 'nosuch'. (see 'aligner --help')"),
        (["--nosuch"], "No such option: --nosuch (see 'aligner --help')"),
    ],
)  # fmt: skip
def test_usage_errors_are_one_line_for_every_command(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"aligner: error: {message}"]
