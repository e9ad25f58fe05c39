"""aligner.evaluate and the `.align` files it reads (aligner.formats.align): the strict /
lax precision, recall and F1."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligner.evaluate import Scores, align_files, evaluate_paths, score
from aligner.formats.align import format_align, parse_align, read_align
from aligner.model import InputError

# ---------------------------------------------------------------- the file format


def test_format_align() -> None:
    beads = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((), (2, 3))]
    assert format_align(beads) == "[0]:[0]\n[1,2]:[1]\n[3]:[]\n[]:[2,3]\n"
    assert format_align([]) == ""


def test_round_trip() -> None:
    beads = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((), (2, 3)), ((4, 5, 6), (4, 5))]
    assert parse_align(format_align(beads)) == beads


def test_parse_accepts_spaces_and_blank_lines() -> None:
    text = "  [ 0 ] : [ 0 ]\n\n[1, 2]:[1 ,2]  \n[]:[3]\n\n"
    assert parse_align(text) == [((0,), (0,)), ((1, 2), (1, 2)), ((), (3,))]


def test_swap_exchanges_sides() -> None:
    text = "[0]:[0,1]\n[1,2]:[]\n"
    assert parse_align(text, swap=True) == [((0, 1), (0,)), ((), (1, 2))]
    assert parse_align(text, swap=False) == [((0,), (0, 1)), ((1, 2), ())]


@pytest.mark.parametrize(
    "line",
    ["0:0", "[a]:[1]", "[1]-[2]", "[1]:[2]:[3]", "[1]", "(1):(2)", "[1.5]:[2]", "[-1]:[2]"],
)
def test_parse_errors_raise_input_error(line: str) -> None:
    with pytest.raises(InputError):
        parse_align(f"[0]:[0]\n{line}\n")


def test_parse_error_names_file_and_line() -> None:
    with pytest.raises(InputError, match=r"gold\.align:3"):
        parse_align("[0]:[0]\n[1]:[1]\nnonsense\n", name="gold.align")


# ---------------------------------------------------------------- scores by hand


GOLD = [((0,), (0,)), ((1,), (1, 2)), ((2, 3), (3,)), ((), (4,)), ((4,), (5,))]
TEST = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), (3,)), ((3,), ()), ((4,), (5, 6))]
# Precision counts all 6 test beads:
#   [0]:[0]    exact                                      strict + lax
#   [1]:[1]    not exact; gold maps 1 -> {1,2}, meets {1}  lax
#   []:[2]     not exact; no source sentence              miss
#   [2]:[3]    not exact; gold maps 2 -> {3}, meets {3}    lax
#   [3]:[]     not exact; no target sentence              miss
#   [4]:[5,6]  not exact; gold maps 4 -> {5}, meets        lax
#   strict P = 1/6, lax P = 4/6
# Recall counts the 4 gold beads with both sides (not []:[4]) against the full test beads
# [0]:[0], [1]:[1], [2]:[3], [4]:[5,6]:
#   [0]:[0]    exact                                      strict + lax
#   [1]:[1,2]  test [1]:[1] shares 1 and 1                lax
#   [2,3]:[3]  test [2]:[3] shares 2 and 3                lax
#   [4]:[5]    test [4]:[5,6] shares 4 and 5              lax
#   strict R = 1/4, lax R = 4/4
# strict F1 = 2 (1/6)(1/4) / (1/6 + 1/4) = (1/12) / (5/12) = 0.2
# lax F1    = 2 (2/3)(1) / (2/3 + 1) = (4/3) / (5/3) = 0.8


def test_hand_computed_scores() -> None:
    s = score([(GOLD, TEST)])
    assert s.strict_precision == pytest.approx(1 / 6)
    assert s.strict_recall == pytest.approx(1 / 4)
    assert s.strict_f1 == pytest.approx(0.2)
    assert s.lax_precision == pytest.approx(4 / 6)
    assert s.lax_recall == pytest.approx(1.0)
    assert s.lax_f1 == pytest.approx(0.8)


def test_as_dict() -> None:
    d = score([(GOLD, TEST)]).as_dict()
    assert set(d) == {
        "strict_precision", "strict_recall", "strict_f1", "lax_precision", "lax_recall", "lax_f1"
    }  # fmt: skip
    assert d["lax_f1"] == pytest.approx(0.8)


def test_perfect_alignment() -> None:
    s = score([(GOLD, GOLD)])
    assert s == Scores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0)


def test_empty_bead_matches_strictly_when_gold_has_it() -> None:
    # gold []:[4] is in the test: a strict hit for precision; recall ignores it
    gold = [((0,), (0,)), ((), (1,))]
    test = [((0,), (0,)), ((), (1,))]
    s = score([(gold, test)])
    assert (s.strict_precision, s.strict_recall) == (1.0, 1.0)


def test_lax_needs_both_a_source_and_a_target_in_common() -> None:
    # [0]:[1] shares source 0 with gold [0]:[0] but not a target: a lax miss too
    gold = [((0,), (0,)), ((1,), (1,))]
    test = [((0,), (1,)), ((1,), (0,))]
    s = score([(gold, test)])
    assert s.strict_precision == 0.0 and s.lax_precision == 0.0
    assert s.strict_recall == 0.0 and s.lax_recall == 0.0
    assert s.strict_f1 == 0.0 and s.lax_f1 == 0.0


def test_merged_bead_is_a_lax_hit() -> None:
    # test [0,1]:[0,1] against gold [0]:[0], [1]:[1]:
    # precision: 1 test bead, not exact, lax hit -> strict 0/1, lax 1/1
    # recall: 2 gold beads, each shares a sentence pair with the test bead -> 0/2, 2/2
    gold = [((0,), (0,)), ((1,), (1,))]
    test = [((0, 1), (0, 1))]
    s = score([(gold, test)])
    assert (s.strict_precision, s.lax_precision) == (0.0, 1.0)
    assert (s.strict_recall, s.lax_recall) == (0.0, 1.0)
    assert s.lax_f1 == 1.0


def test_empty_test_scores_zero() -> None:
    s = score([(GOLD, [])])
    assert s == Scores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def test_micro_average_over_files() -> None:
    # file 1: 2 exact beads; file 2: 2 beads both wrong (swapped targets)
    # strict P = R = 2/4
    good = [((0,), (0,)), ((1,), (1,))]
    bad = [((0,), (1,)), ((1,), (0,))]
    s = score([(good, good), (good, bad)])
    assert s.strict_precision == pytest.approx(0.5)
    assert s.strict_recall == pytest.approx(0.5)
    assert s.strict_f1 == pytest.approx(0.5)


# ---------------------------------------------------------------- files and directories


def write(path: Path, beads) -> Path:
    path.write_text(format_align(beads), encoding="utf-8")
    return path


def test_read_align_and_swap(tmp_path: Path) -> None:
    f = write(tmp_path / "a.align", [((0,), (0, 1)), ((1,), ())])
    assert read_align(f) == [((0,), (0, 1)), ((1,), ())]
    assert read_align(f, swap=True) == [((0, 1), (0,)), ((), (1,))]


def test_evaluate_two_files(tmp_path: Path) -> None:
    g = write(tmp_path / "gold.align", GOLD)
    t = write(tmp_path / "test.align", TEST)
    s = evaluate_paths(g, t)
    assert s.strict_f1 == pytest.approx(0.2)
    assert s.lax_f1 == pytest.approx(0.8)
    assert evaluate_paths(str(g), str(g)) == Scores(1.0, 1.0, 1.0, 1.0, 1.0, 1.0)


def test_swap_reads_only_the_gold_english_first(tmp_path: Path) -> None:
    # a gold written English first (as the Bible's) against a test written Chinese first
    english_first = write(tmp_path / "gold.align", [(e, z) for z, e in GOLD])
    t = write(tmp_path / "test.align", TEST)
    assert evaluate_paths(english_first, t, swap=True) == evaluate_paths(
        write(tmp_path / "gold-zh.align", GOLD), t
    )
    assert evaluate_paths(english_first, t, swap=True).strict_f1 == pytest.approx(0.2)
    assert evaluate_paths(english_first, t).lax_f1 < 0.5  # read as Chinese first: wrong


def test_evaluate_directories(tmp_path: Path) -> None:
    gold, test = tmp_path / "gold", tmp_path / "test"
    gold.mkdir()
    test.mkdir()
    good = [((0,), (0,)), ((1,), (1,))]
    bad = [((0,), (1,)), ((1,), (0,))]
    write(gold / "a.align", good)
    write(gold / "b.align", good)
    write(test / "a.align", good)
    write(test / "b.align", bad)
    (test / "notes.txt").write_text("ignored", encoding="utf-8")
    assert [(g.name, t.name) for g, t in align_files(gold, test)] == [
        ("a.align", "a.align"),
        ("b.align", "b.align"),
    ]
    s = evaluate_paths(gold, test)
    assert s.strict_precision == pytest.approx(0.5)
    assert s.strict_recall == pytest.approx(0.5)


def test_missing_test_file_in_directory(tmp_path: Path) -> None:
    gold, test = tmp_path / "gold", tmp_path / "test"
    gold.mkdir()
    test.mkdir()
    write(gold / "a.align", GOLD)
    with pytest.raises(InputError, match="a.align"):
        evaluate_paths(gold, test)


def test_empty_gold_directory(tmp_path: Path) -> None:
    gold, test = tmp_path / "gold", tmp_path / "test"
    gold.mkdir()
    test.mkdir()
    with pytest.raises(InputError):
        evaluate_paths(gold, test)


def test_missing_file(tmp_path: Path) -> None:
    g = write(tmp_path / "gold.align", GOLD)
    with pytest.raises(InputError, match="no such file"):
        evaluate_paths(g, tmp_path / "missing.align")
    with pytest.raises(InputError, match="no such file"):
        evaluate_paths(tmp_path / "missing.align", g)


def test_file_against_directory(tmp_path: Path) -> None:
    g = write(tmp_path / "gold.align", GOLD)
    with pytest.raises(InputError):
        evaluate_paths(g, tmp_path)


def test_bad_file_contents(tmp_path: Path) -> None:
    g = write(tmp_path / "gold.align", GOLD)
    bad = tmp_path / "bad.align"
    bad.write_text("[0]:[0]\nnot an alignment\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.align:2"):
        evaluate_paths(g, bad)
    binary = tmp_path / "binary.align"
    binary.write_bytes(b"\xff\xfe\x00[0]:[0]\n\x80")
    with pytest.raises(InputError):
        evaluate_paths(g, binary)
