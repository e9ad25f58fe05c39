"""`aligner review` without the screen: the edits (each op, its refusals, undo and redo),
their JSON form, the session file and a changed input, the status a format keeps
(`--min-status`, the TSV status column), rechecking a stretch of pairs, and the
command's `--apply` path and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import PAIRS, REVIEW_BEADS, review_units
from typer.testing import CliRunner

from aligner.check import check_units
from aligner.cli import app
from aligner.formats import read_units, save_units, whole_units
from aligner.model import EDIT_OPS, Edit, ExportOptions, InputError, Unit
from aligner.review import Review, apply_edits, edit_from_json, edit_to_json
from aligner.review.flags import Flags
from aligner.review.session import (
    fingerprint,
    read_edits,
    replay,
    session_path,
    units_digest,
    write_session,
)

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def sides(review: Review) -> list[tuple[list[str], list[str]]]:
    return [review.sentences(i) for i in range(len(review))]


def all_sentences(units: list[Unit]) -> tuple[list[int], list[int]]:
    """Every sentence number of each side, in the order of the pairs."""
    return [k for u in units for k in u.zh_ids], [k for u in units for k in u.en_ids]


# ---------------------------------------------------------------- the edits


def test_join_makes_one_pair_of_the_two() -> None:
    units = review_units()
    review = Review(units)
    made = review.apply(Edit("join", 1))
    assert made == range(1, 2) and len(review) == len(units) - 1
    joined = review.units[1]
    assert joined.zh == units[1].zh + units[2].zh
    assert joined.en == f"{units[1].en} {units[2].en}"
    assert (joined.zh_ids, joined.en_ids) == ((1, 2, 3), (1, 2, 3))
    assert (joined.kind, joined.status, joined.confidence) == ("3-3", "edited", 1.0)
    assert review.units[0] is units[0] and review.units[2] is units[3]  # others untouched


def test_split_at_the_chosen_sentences() -> None:
    review = Review(review_units())
    review.apply(Edit("split", 1, cut=(1, 1)))
    first, second = review.units[1], review.units[2]
    assert (first.zh, first.kind, first.zh_ids, first.en_ids) == (
        "他们同意恢复贸易会谈。", "1-1", (1,), (1,)
    )  # fmt: skip
    assert (second.zh, second.en, second.kind, second.zh_ids) == (
        "官员表示会晤很有益处。", "", "1-0", (2,)
    )  # fmt: skip
    assert all(u.status == "edited" for u in (first, second))


@pytest.mark.parametrize("cut", [(0, 0), (2, 1), (3, 0), (0, 2)])
def test_split_that_leaves_a_pair_empty_is_refused(cut: tuple[int, int]) -> None:
    units = review_units()
    review = Review(units)
    with pytest.raises(InputError, match="pair #2"):
        review.apply(Edit("split", 1, cut=cut))
    assert review.units == units and not review.can_undo


def test_move_a_sentence_to_a_neighbour() -> None:
    review = Review(review_units())
    review.apply(Edit("move", 1, side="zh", end="last"))  # 官员表示... goes to pair 3
    assert sides(review)[1][0] == ["他们同意恢复贸易会谈。"]
    assert sides(review)[2][0] == ["官员表示会晤很有益处。", "代表团访问了上海的三家工厂。"]
    review.apply(Edit("move", 2, side="en", end="first"))  # to the end of pair 2's English
    assert sides(review)[1][1][-1] == "The delegation visited three factories in Shanghai."
    assert review.units[2].en == "It also met local officials."
    # sentence numbers stay in order on both sides, each once
    assert all_sentences(review.units) == ([0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4])
    assert [u.kind for u in review.units] == ["1-1", "1-2", "2-1", "1-0", "1-1"]


def test_moving_the_last_sentence_out_of_a_pair_removes_it() -> None:
    review = Review(review_units())
    review.apply(Edit("move", 3, side="zh", end="first"))  # the 1-0 pair's one sentence
    assert len(review) == 4
    assert review.units[2].zh == "代表团访问了上海的三家工厂。九名学生获得了奖学金。"
    assert review.undo() is not None and review.units == review_units()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (Edit("move", 0, side="zh", end="first"), "no pair before"),
        (Edit("move", 4, side="en", end="last"), "no pair after"),
        (Edit("move", 3, side="en", end="first"), "no English sentence"),
        (Edit("join", 4), "no pair after"),
        (Edit("join", 9), "no such pair"),
        (Edit("detach", 3, side="zh", end="first"), "nothing on the other side"),
        (Edit("move", 1, side="fr", end="first"), "needs a side"),
        (Edit("rotate", 1), "unknown edit"),
        (Edit("edit", 1), "new text"),
    ],
)
def test_edits_that_do_not_apply_are_refused(edit: Edit, message: str) -> None:
    units = review_units()
    review = Review(units)
    with pytest.raises(InputError, match=message):
        review.apply(edit)
    assert review.units == units


def test_join_across_documents_is_refused() -> None:
    units = review_units()
    units[2] = replace(units[2], doc="other")
    with pytest.raises(InputError, match="different documents"):
        Review(units).apply(Edit("join", 1))


@pytest.mark.parametrize(("end", "alone_at"), [("first", 2), ("last", 3)])
def test_detach_makes_a_pair_of_its_own(end: str, alone_at: int) -> None:
    review = Review(review_units())
    review.apply(Edit("detach", 2, side="en", end=end))
    alone, kept = review.units[alone_at], review.units[5 - alone_at]
    sentence = REVIEW_BEADS[2][1][0 if end == "first" else 1]
    assert (alone.zh, alone.en, alone.kind) == ("", sentence, "0-1")
    assert kept.zh == "代表团访问了上海的三家工厂。" and kept.kind == "1-1"
    assert all_sentences(review.units)[1] == [0, 1, 2, 3, 4]


def test_edit_gives_sentences_new_text() -> None:
    units = review_units()
    review = Review(units)
    new = ("They agreed to restart trade talks; officials called the meeting useful.",)
    review.apply(Edit("edit", 1, en=new))
    edited = review.units[1]
    assert edited.en == new[0] and edited.zh == units[1].zh
    assert (edited.status, edited.kind, edited.en_ids) == ("edited", "2-1", (1,))
    assert edited.confidence == units[1].confidence  # the pairing is the aligner's still
    with pytest.raises(InputError, match="has 2 Chinese sentences, not 1"):
        review.apply(Edit("edit", 1, zh=("一句。",)))
    with pytest.raises(InputError, match="empty"):
        review.apply(Edit("edit", 1, zh=("一句。", " ")))
    with pytest.raises(InputError, match="the text it has"):
        review.apply(Edit("edit", 1, en=new))


def test_confirm_once() -> None:
    units = review_units()
    review = Review(units)
    review.apply(Edit("confirm", 2))
    confirmed = review.units[2]
    assert confirmed.status == "confirmed"
    assert replace(confirmed, status="auto") == units[2]  # nothing else changes
    with pytest.raises(InputError, match="already confirmed"):
        review.apply(Edit("confirm", 2))


EVERY_OP = [
    Edit("join", 0),
    Edit("split", 0, cut=(1, 1)),
    Edit("move", 1, side="zh", end="last"),
    Edit("detach", 2, side="en", end="last"),
    Edit("edit", 0, zh=("双方星期一在北京会晤。",)),
    Edit("confirm", 5),
]


def test_every_op_is_in_the_sequence() -> None:
    assert {e.op for e in EVERY_OP} == set(EDIT_OPS)


def test_undo_and_redo_restore_every_state_exactly() -> None:
    units = review_units(context=True)
    review = Review(units)
    states = [list(review.units)]
    for edit in EVERY_OP:
        review.apply(edit)
        states.append(list(review.units))
    assert len({units_digest(s) for s in states}) == len(states)  # each edit changed things
    for state in reversed(states[:-1]):
        assert review.undo() is not None
        assert review.units == state
    assert review.undo() is None
    assert all(a is b for a, b in zip(review.units, units, strict=True))
    for state in states[1:]:
        assert review.redo() is not None
        assert review.units == state
    assert review.redo() is None and review.edits == EVERY_OP
    review.undo()
    review.apply(Edit("confirm", 4))  # a new edit: what was undone cannot be redone
    assert not review.can_redo


def test_apply_edits_replays_the_same_units() -> None:
    units = review_units(context=True)
    review = Review(units)
    for edit in EVERY_OP:
        review.apply(edit)
    assert apply_edits(units, EVERY_OP) == review.units
    assert units == review_units(context=True)  # the units given are not changed
    with pytest.raises(InputError, match=r"edit 2 \(join\): pair #5 is the last"):
        apply_edits(units, [Edit("confirm", 0), Edit("join", 4)])


def test_context_follows_the_edits() -> None:
    units = review_units(context=True)
    joined = apply_edits(units, [Edit("join", 0)])[0]
    assert joined.context == (units[0].context[0], units[1].context[1])
    first, second = apply_edits(units, [Edit("split", 1, cut=(1, 1))])[1:3]
    assert first.context == ("双方周一在北京会晤。", "官员表示会晤很有益处。")
    assert second.context == ("他们同意恢复贸易会谈。", "代表团访问了上海的三家工厂。")


@pytest.mark.parametrize("fmt", ["jsonl", "tmx", "tsv", "xliff"])
def test_edits_round_trip_through_save_and_reload(tmp_path: Path, fmt: str) -> None:
    units = apply_edits(review_units(context=True), EVERY_OP)
    path = tmp_path / f"reviewed.{ {'xliff': 'xlf'}.get(fmt, fmt) }"
    save_units(units, path, fmt, ExportOptions(keep_unaligned=True))
    back = whole_units(read_units(path))
    kept = ["zh", "en", "kind", "status", "confidence"]
    kept += [] if fmt == "tsv" else ["zh_ids", "en_ids"]
    kept += ["context"] if fmt == "tmx" else []
    for a, b in zip(units, back, strict=True):
        assert {k: getattr(a, k) for k in kept} == pytest.approx({k: getattr(b, k) for k in kept})
    assert {u.status for u in back} == {"auto", "confirmed", "edited"}


def test_sentences_cut_from_text_without_numbers(tmp_path: Path) -> None:
    """A TSV has no sentence numbers: a pair's sides are cut by the sentence splitters."""
    path = tmp_path / "pairs.tsv"
    save_units(review_units(), path)
    review = Review(read_units(path))
    assert review.sentences(1) == (REVIEW_BEADS[1][0], REVIEW_BEADS[1][1])
    assert review.sentences(2) == (REVIEW_BEADS[2][0], REVIEW_BEADS[2][1])
    review.apply(Edit("split", 2, cut=(1, 1)))
    assert [u.en for u in review.units[2:4]] == REVIEW_BEADS[2][1]
    assert all(not u.zh_ids and not u.en_ids for u in review.units)


def test_sentences_from_the_document(write_bitext, lexicon) -> None:
    """Aligned here, a pair's sentences are the document's, even those the splitter would
    not cut apart (one per line, no sentence end between them)."""
    from aligner.align import align_document
    from aligner.formats import units_of
    from aligner.segment import load_document

    zh, en = write_bitext([z for z, _ in PAIRS[:4]] + ["附录一"], [e for _, e in PAIRS[:4]] + [
        "Appendix One"])  # fmt: skip
    al = align_document(load_document([zh, en], presplit=True))
    units = units_of(al)
    review = Review(units, al)
    review.apply(Edit("join", 3))
    assert review.units[3].zh.endswith("工厂。附录一")
    assert review.sentences(3)[0] == [PAIRS[3][0], "附录一"]
    review.apply(Edit("split", 3, cut=(1, 1)))
    assert review.units[3:] == [replace(u, status="edited", confidence=1.0, parts=())
                                for u in units[3:]]  # fmt: skip


# ---------------------------------------------------------------- as JSON, in a session


def test_edits_as_json_round_trip() -> None:
    for edit in EVERY_OP:
        data = json.loads(json.dumps(edit_to_json(edit)))
        assert edit_from_json(data, "x") == edit
    assert edit_to_json(Edit("join", 3)) == {"op": "join", "bead": 3}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "an object with an op"),
        ({"op": "join"}, "bead must be"),
        ({"op": "join", "bead": -1}, "no such pair"),
        ({"op": "split", "bead": 0, "cut": [1]}, "cut must be"),
        ({"op": "edit", "bead": 0, "zh": "一句。"}, "list of sentence texts"),
        ({"op": "move", "bead": 0, "side": "zh"}, "an end"),
    ],
)
def test_bad_edit_json_is_one_line(data: object, message: str) -> None:
    with pytest.raises(InputError, match=f"^edits.json: edit 1: .*{message}"):
        edit_from_json(data, "edits.json: edit 1")


def test_session_resumes_and_tells_a_changed_input(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    save_units(review_units(), source)
    units = read_units(source)
    inputs, digest = fingerprint([source]), units_digest(units)
    review = Review(units)
    for edit in EVERY_OP:
        review.apply(edit)
    kept = session_path(tmp_path / "out.tmx")
    assert kept.name == "out.tmx.review.json"
    write_session(kept, review.edits, inputs, digest, cursor=4)
    again = Review(read_units(source))
    assert replay(again, kept, inputs, digest) == (len(EVERY_OP), 4, False)
    assert again.units == review.units and again.edits == review.edits

    # the input changed: its hash is not the session's
    source.write_text(source.read_text(encoding="utf-8").replace("北京", "上海"), "utf-8")
    with pytest.raises(InputError, match="another version of pairs.jsonl.*--restart"):
        read_edits(kept, fingerprint([source]), units_digest(read_units(source)))
    # the same file, other pairs (another aligner version, other options)
    with pytest.raises(InputError, match="another alignment of pairs.jsonl"):
        read_edits(kept, inputs, units_digest(read_units(source)))


def test_session_file_that_is_not_one(tmp_path: Path) -> None:
    bad = tmp_path / "s.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="s.json:1: not valid JSON"):
        read_edits(bad)
    bad.write_text('{"edits": 3}', encoding="utf-8")
    with pytest.raises(InputError, match="not a review session"):
        read_edits(bad)


# ---------------------------------------------------------------- what a format keeps


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "tmx"])
def test_min_status_keeps_what_a_person_reviewed(tmp_path: Path, fmt: str) -> None:
    units = apply_edits(review_units(), [Edit("confirm", 0), Edit("join", 3)])
    path = tmp_path / f"out.{fmt}"
    result = save_units(units, path, options=ExportOptions(min_status="confirmed"))
    back = read_units(path)
    assert [u.status for u in back] == ["confirmed", "edited"]
    assert result.written == 2 and result.skipped_status == 2
    result = save_units(units, path, options=ExportOptions(min_status="edited"))
    assert [u.status for u in read_units(path)] == ["edited"]
    with pytest.raises(InputError, match="status 'done'"):
        save_units(units, path, options=ExportOptions(min_status="done"))


def test_tsv_status_column(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    save_units(apply_edits(review_units(), [Edit("confirm", 1)]), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[-1] == "status"
    assert [line.split("\t")[5] for line in lines[1:3]] == ["auto", "confirmed"]
    # a table without the column (an older one, a person's) reads as auto
    path.write_text("zh\ten\n一。\tOne.\n", encoding="utf-8")
    assert read_units(path)[0].status == "auto"
    path.write_text("zh\ten\tconfidence\ttype\tparagraph\tstatus\n一。\tOne.\t1\t1-1\t0\tdone\n",
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError, match=r"t.tsv:2: status must be one of"):
        read_units(path)


# ---------------------------------------------------------------- rechecking


def test_recheck_of_a_stretch_gives_the_whole_check_flags(lexicon) -> None:
    units = [Unit(zh, en, 0.9, "1-1", 0, "doc", (i,), (i,)) for i, (zh, en) in
             enumerate(PAIRS + PAIRS)]  # fmt: skip
    units[14], units[15] = replace(units[14], en=units[15].en), replace(units[15], en=units[14].en)
    whole = check_units(units)
    flags = Flags()
    try:
        flags.norms = whole.norms
        flags.recheck(units, range(14, 15))
    finally:
        flags.close()
    for i in range(11, 18):  # the pair and its neighbours, checked again
        assert [(f.code, f.reason) for f in flags.of(units[i])] == [
            (f.code, f.reason) for f in whole.pairs[i].flags
        ]
    assert "pair #16" in " ".join(f.reason for f in flags.of(units[14]))
    assert flags.of(units[5]) is None  # far away: not checked again


# ---------------------------------------------------------------- the command


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def one_line_error(result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aligner: error:"), result.output
    assert all(n in lines[0] for n in needles), lines[0]
    return lines[0]


def test_apply_writes_the_edited_alignment(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    save_units(review_units(), source)
    edits = tmp_path / "edits.json"
    edits.write_text(json.dumps([edit_to_json(e) for e in EVERY_OP]), encoding="utf-8")
    out = tmp_path / "out.tmx"
    result = run("review", source, "--apply", edits, "-o", out, "--keep-unaligned")
    assert result.exit_code == 0, result.output
    assert f"applied {len(EVERY_OP)} edits" in result.output
    expected = apply_edits(read_units(source), EVERY_OP)
    back = whole_units(read_units(out))
    assert [(u.zh, u.en, u.status) for u in back] == [(u.zh, u.en, u.status) for u in expected]

    # only what a person confirmed or edited
    result = run("review", source, "--apply", edits, "-o", out, "--min-status", "confirmed")
    assert result.exit_code == 0, result.output
    assert "below --min-status confirmed left out" in result.output
    assert {u.status for u in read_units(out)} == {"confirmed", "edited"}

    # align takes --min-status too, for a reviewed file written in another format
    tsv = tmp_path / "confirmed.tsv"
    result = run("align", out, "-o", tsv, "--min-status", "confirmed")
    assert result.exit_code == 0, result.output
    assert {u.status for u in read_units(tsv)} == {"confirmed", "edited"}


def test_apply_of_a_session_made_on_another_input(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    save_units(review_units(), source)
    units = read_units(source)
    session = tmp_path / "out.jsonl.review.json"
    write_session(session, EVERY_OP, fingerprint([source]), units_digest(units))
    out = tmp_path / "out.jsonl"
    assert run("review", source, "--apply", session, "-o", out).exit_code == 0
    before = out.read_bytes()
    save_units(units[:-1], source)  # the input changes
    result = run("review", source, "--apply", session, "-o", out)
    one_line_error(result, "out.jsonl.review.json", "another version of pairs.jsonl")
    assert out.read_bytes() == before  # the output is not touched


def test_apply_of_an_edit_that_does_not_apply(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    save_units(review_units(), source)
    edits = tmp_path / "edits.json"
    edits.write_text('[{"op": "confirm", "bead": 0}, {"op": "join", "bead": 4}]', "utf-8")
    out = tmp_path / "out.tsv"
    result = run("review", source, "--apply", edits, "-o", out)
    one_line_error(result, "edits.json: edit 2 (join) does not apply", "#5 is the last")
    assert not out.exists()


def test_review_screen_needs_a_terminal(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    save_units(review_units(), source)
    one_line_error(run("review", source, "-o", tmp_path / "o.jsonl"), "needs a terminal")


def test_review_screen_without_textual_says_how_to_install_it(tmp_path: Path) -> None:
    source = tmp_path / "pairs.jsonl"
    save_units(review_units(), source)
    code = (
        "import sys; sys.modules['textual'] = None; sys.argv = ['aligner'] + sys.argv[1:]; "
        "from aligner.cli import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "review", str(source), "-o", str(tmp_path / "o.jsonl")],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines() == [
        "aligner: error: the review screen needs textual: pip install 'aligner[review]' "
        "(without it, --apply EDITS.json -o OUT applies saved edits)"
    ]
    assert not (tmp_path / "o.jsonl").exists()
