"""The review screen, driven by textual's own test driver (`App.run_test`, `Pilot.press`)
as a reviewer drives it: the screen at 80x24 with Chinese and English rows, each
correction by its keys, undo and redo, moving about, saving and leaving, resuming; and
once through a real terminal (a pseudo-terminal), as a user runs `aligner review`."""

from __future__ import annotations

import asyncio
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from conftest import PAIRS, REVIEW_BEADS, review_units
from rich.cells import cell_len

from aligner.formats import read_units, save_units
from aligner.model import ExportOptions, Unit

textual = pytest.importorskip("textual")

from aligner.review import Review  # noqa: E402
from aligner.review.app import ReviewApp  # noqa: E402
from aligner.review.flags import Flags  # noqa: E402
from aligner.review.session import (  # noqa: E402
    Session,
    fingerprint,
    read_edits,
    replay,
    units_digest,
)

pytestmark = pytest.mark.usefixtures("lexicon")

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "fixtures" / "review" / "screen-80x24.txt"
SIZE = (80, 24)


def make_app(tmp_path: Path, units: list[Unit] | None = None, fmt: str = "jsonl") -> ReviewApp:
    """A review of `units` (by default the review test beads) written from a JSONL file,
    its output `out.FMT` beside it."""
    source = tmp_path / "pairs.jsonl"
    save_units(review_units() if units is None else units, source)
    units = read_units(source)
    session = Session(
        Review(units), tmp_path / f"out.{fmt}", fmt, ExportOptions(keep_unaligned=True),
        fingerprint([source]), units_digest(units),
    )  # fmt: skip
    return ReviewApp(session, Flags(), "pairs")


def screen(app: ReviewApp) -> list[str]:
    """The screen's text, line by line (textual's compositor, as it draws the terminal)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def drive(app: ReviewApp, test: Callable[..., Awaitable[None]]) -> None:
    """Run `app` at 80x24 and `test(pilot, press)` in it, once its check is done; `press`
    presses keys and waits until what they set going (rechecks) is done."""

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:

            async def press(*keys: str) -> None:
                for key in keys:
                    await pilot.press(key)
                    await app.workers.wait_for_complete()
                    await pilot.pause()

            await app.workers.wait_for_complete()
            await pilot.pause()
            await test(pilot, press)

    asyncio.run(run())


def current(app: ReviewApp) -> int:
    return app.query_one("PairList").current


def status_line(app: ReviewApp) -> str:
    return screen(app)[-2]


# ---------------------------------------------------------------- the screen


def snapshot_units() -> list[Unit]:
    """Ten good pairs and a 2-1 bead, a low-confidence pair among them."""
    units = [Unit(zh, en, 0.91, "1-1", 0, "news", (i,), (i,)) for i, (zh, en) in enumerate(PAIRS)]
    units[3].confidence = 0.42
    two = Unit(PAIRS[0][0] + PAIRS[1][0], PAIRS[0][1], 0.45, "2-1", 1, "news", (10, 11), (10,))
    return [units[0], two, *units[1:]]


def test_screen_at_80x24_with_chinese_and_english_rows(tmp_path: Path) -> None:
    app = make_app(tmp_path, snapshot_units())

    async def test(pilot, press) -> None:
        await press("j")  # the 2-1 pair, its two Chinese sentences numbered
        lines = screen(app)
        assert len(lines) == 24 and all(cell_len(line) == 80 for line in lines)
        # the columns are measured in cells (a Han character takes two), so the rule
        # between Chinese and English stands at one column on every row, whatever the
        # rows' lengths in characters
        rows = [line for line in lines[1:-2] if " │ " in line]  # not the title, status, keys
        assert len(rows) >= 12
        columns = {cell_len(row[: row.index(" │ ")]) for row in rows}
        assert len(columns) == 1, rows
        assert len({len(row[: row.index(" │ ")]) for row in rows}) > 1  # not in characters
        text = "\n".join(lines)
        for zh, en in PAIRS[:2]:  # the current pair in full, each sentence numbered
            assert zh[:8] in text and en[:20] in text
        assert "2-1 · auto" in text and "1 习近平主席" in text and "2 双方同意" in text
        assert "low-confidence" in text  # its flag and reason under it
        assert "J join" in lines[-1] and "? help" in lines[-1]
        assert lines[-2].rstrip().endswith("#2 of 11")
        if os.environ.get("ALIGNER_UPDATE_SNAPSHOTS"):
            SNAPSHOT.parent.mkdir(exist_ok=True)
            SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert lines == SNAPSHOT.read_text(encoding="utf-8").splitlines()

    drive(app, test)


def test_help_screen_lists_the_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path)

    async def test(pilot, press) -> None:
        await press("question_mark")
        text = "\n".join(screen(app))
        for words in ("join the pair with the next one", "split the pair", "undo, redo",
                      "confirm the pair", "write out.jsonl", "in out.jsonl.review.json",
                      "escape closes this help"):  # fmt: skip
            assert words in text, words
        await press("escape")
        assert "join the pair" not in "\n".join(screen(app))

    drive(app, test)


# ---------------------------------------------------------------- corrections


def test_join_then_undo_and_redo(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    units = list(app.review.units)

    async def test(pilot, press) -> None:
        await press("j", "J")
        assert len(app.review) == 4 and app.review.units[1].kind == "3-3"
        assert "joined #2 and #3" in status_line(app)
        assert app.flags.of(app.review.units[1]) is not None  # checked again
        await press("u")
        assert app.review.units == units and current(app) == 1
        await press("r")
        assert len(app.review) == 4 and app.review.units[1].zh_ids == (1, 2, 3)
        await press("u", "u")  # nothing more to undo: said, nothing changes
        assert "nothing to undo" in status_line(app) and app.review.units == units

    drive(app, test)


def test_split_choosing_the_sentences(tmp_path: Path) -> None:
    app = make_app(tmp_path)

    async def test(pilot, press) -> None:
        await press("j", "s")
        assert "Split pair #2" in "\n".join(screen(app))
        # the Chinese cut starts after the first of two sentences; move it to the end,
        # then the English cut (after its one sentence) to the start
        await press("down", "tab", "up", "enter")
        first, second = app.review.units[1:3]
        assert (first.zh_ids, first.en_ids, second.zh_ids, second.en_ids) == (
            (1, 2), (), (), (1,)
        )  # fmt: skip
        await press("u", "s", "escape")  # escape: no split
        assert len(app.review) == 5 and app.review.units[1].kind == "2-1"

    drive(app, test)


def test_move_sentences_to_neighbours(tmp_path: Path) -> None:
    app = make_app(tmp_path)

    async def test(pilot, press) -> None:
        await press("j", "right_square_bracket")  # last Chinese sentence of #2 to #3
        assert app.review.sentences(2)[0] == [REVIEW_BEADS[1][0][1], REVIEW_BEADS[2][0][0]]
        assert current(app) == 1  # the pair stays the current one
        await press("j", "right_curly_bracket")  # last English sentence of #3 to #4
        assert app.review.units[3].en == "It also met local officials."
        await press("j", "left_curly_bracket")  # and back, first English of #4 to #3
        assert app.review.units[2].en.endswith("It also met local officials.")
        await press("left_square_bracket")  # the 1-0 pair's Chinese: #4 emptied, gone
        assert len(app.review) == 4 and current(app) == 2  # at the pair that took it
        assert app.review.units[2].zh.endswith("九名学生获得了奖学金。")
        await press("u", "u", "u", "u")
        assert app.review.units == review_units()

    drive(app, test)


def test_a_sentence_with_no_counterpart(tmp_path: Path) -> None:
    app = make_app(tmp_path)

    async def test(pilot, press) -> None:
        await press("j", "j", "x")  # #3: Chinese 1, English 1, English 2
        text = "\n".join(screen(app))
        assert "which sentence has no counterpart" in text and "English 2: It also met" in text
        await press("down", "down", "enter")
        assert [u.kind for u in app.review.units[2:4]] == ["1-1", "0-1"]
        assert app.review.units[3].en == "It also met local officials."
        assert current(app) == 3 and "is a pair of its own" in status_line(app)

    drive(app, test)


def test_edit_text(tmp_path: Path) -> None:
    app = make_app(tmp_path)

    async def test(pilot, press) -> None:
        await press("e")
        await press("end", "backspace", *"!", "tab", "end", *" Yes.", "enter")
        unit = app.review.units[0]
        assert unit.zh == "双方周一在北京会晤!"
        assert unit.en == "The two sides met in Beijing on Monday. Yes."
        assert unit.status == "edited" and "edited #1" in status_line(app)
        await press("e", "end", *"x", "escape")  # escape: nothing kept
        assert app.review.units[0] is unit and len(app.review.edits) == 1

    drive(app, test)


def test_confirm_and_go_on(tmp_path: Path) -> None:
    app = make_app(tmp_path)

    async def test(pilot, press) -> None:
        await press("c", "c")
        assert [u.status for u in app.review.units] == ["confirmed"] * 2 + ["auto"] * 3
        assert current(app) == 2
        await press("k", "c")  # already confirmed: said, and on to the next
        assert "#2 is already confirmed" in status_line(app) and current(app) == 2
        assert "2 reviewed" in screen(app)[0]

    drive(app, test)


# ---------------------------------------------------------------- moving about


def test_moving_searching_and_flagged_pairs(tmp_path: Path) -> None:
    units = review_units() + [
        Unit(zh, en, 0.9, "1-1", 1, "news", (6 + i,), (5 + i,)) for i, (zh, en) in
        enumerate(PAIRS)
    ]  # fmt: skip
    app = make_app(tmp_path, units)

    async def test(pilot, press) -> None:
        # to look at: #3 (confidence 0.41), #4 (no English: 0.30, empty-side)
        await press("f")
        assert current(app) == 2 and "#3: " in status_line(app)
        await press("f", "f")  # after the last: on from the top
        assert current(app) == 2 and "(from the top)" in status_line(app)
        await press("F")
        assert current(app) == 3 and "(from the end)" in status_line(app)
        await press("k", "c", "home", "f")  # once confirmed, #3 is no more to look at
        assert current(app) == 3
        await press("end")
        assert current(app) == len(units) - 1
        await press("colon", *"7", "enter")
        assert current(app) == 6
        await press("colon", *"99", "enter")
        assert current(app) == 6 and "no such pair" in status_line(app)
        await press("slash", *"beijing", "enter")  # English, any case
        assert current(app) == 12 and "Beijing" in app.review.units[12].en
        await press("n")  # none after: on from the top
        assert current(app) == 0 and "(from the top)" in status_line(app)
        await press("n")
        assert current(app) == 5 and "Beijing" in app.review.units[5].en
        await press("N", "N")
        assert current(app) == 12
        await press("slash", "ctrl+u", *"恢复", "enter")  # Chinese
        assert current(app) == 1
        await press("pagedown")
        assert current(app) > 5

    drive(app, test)


# ---------------------------------------------------------------- saving, leaving, resuming


def test_save_leave_and_resume(tmp_path: Path) -> None:
    app = make_app(tmp_path, fmt="tmx")
    out, kept = tmp_path / "out.tmx", tmp_path / "out.tmx.review.json"

    async def test(pilot, press) -> None:
        await press("j", "J")
        assert kept.exists() and not out.exists()  # the edits are kept at once
        assert "not saved" in screen(app)[0] and read_edits(kept)[2] is False
        await press("w")
        assert "wrote 4 units" in status_line(app) and "not saved" not in screen(app)[0]
        assert read_edits(kept)[2] is True  # the session says the output holds its edits
        assert [u.zh for u in read_units(out)] == [u.zh for u in app.review.units]
        await press("c", "c", "q")  # #2 was edited: on to #3, confirmed, on to #4
        assert app.return_value is not None and app.return_value.written == 4

    drive(app, test)
    assert [u.status for u in read_units(out)] == ["auto", "edited", "confirmed", "auto"]
    edits, cursor, saved = read_edits(kept)
    assert [e.op for e in edits] == ["join", "confirm"] and cursor == 3 and saved

    # reopened: the same pairs, at the same place
    units = read_units(tmp_path / "pairs.jsonl")
    again = Review(units)
    assert replay(again, kept, fingerprint([tmp_path / "pairs.jsonl"]), units_digest(units)) == (
        2, 3, True
    )  # fmt: skip
    assert again.units == app.review.units


def test_leaving_without_edits_writes_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path)

    async def test(pilot, press) -> None:
        await press("j", "j", "q")

    drive(app, test)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.jsonl"]


# ---------------------------------------------------------------- in a real terminal


def _terminal(args: list[str], cwd: Path):
    """`aligner ARGS` in a pseudo-terminal of 80x24: (process, its terminal's fd)."""
    import fcntl
    import pty
    import struct
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "aligner.cli", *args], stdin=child, stdout=child, stderr=child,
        cwd=cwd, env=env, close_fds=True,
    )  # fmt: skip
    os.close(child)
    return proc, main


def _session(args: list[str], cwd: Path, keys: list[bytes]) -> tuple[int, str]:
    """Run `aligner ARGS` in a terminal, press `keys` once its screen is up; (exit code,
    what it wrote to the terminal). What it writes is read all along (a terminal that is
    not read fills up, and the program waits)."""
    proc, fd = _terminal(args, cwd)
    seen: list[bytes] = []

    def read() -> None:
        while True:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the terminal closed: the program ended
                    return
                if not chunk:
                    return
                seen.append(chunk)
            elif proc.poll() is not None:
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        end = time.monotonic() + 60
        while " pairs · ".encode() not in b"".join(seen) and proc.poll() is None:
            assert time.monotonic() < end, b"".join(seen)[-2000:]
            time.sleep(0.1)
        for key in keys if proc.poll() is None else []:
            time.sleep(0.3)
            os.write(fd, key)
        code = proc.wait(timeout=60)
        reader.join(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(fd)
    return code, b"".join(seen).decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux pseudo-terminal")
def test_a_review_in_a_terminal_resumes_and_tells_a_changed_input(tmp_path: Path) -> None:
    source = tmp_path / "pairs.tsv"
    save_units(review_units(), source)
    args = ["review", "pairs.tsv", "-o", "out.tsv"]

    code, _ = _session(args, tmp_path, [b"c", b"q"])  # confirm #1 (then at #2), leave
    assert code == 0
    assert [u.status for u in read_units(tmp_path / "out.tsv")][:2] == ["confirmed", "auto"]

    code, _ = _session(args, tmp_path, [b"c", b"q"])  # resumed at #2: confirm it
    assert code == 0
    assert [u.status for u in read_units(tmp_path / "out.tsv")][:3] == [
        "confirmed", "confirmed", "auto"
    ]  # fmt: skip

    source.write_text(source.read_text(encoding="utf-8").replace("北京", "上海"), "utf-8")
    code, text = _session(args, tmp_path, [])
    assert code == 2
    assert "aligner: error: " in text and "another version of pairs.tsv" in text
    assert len(REVIEW_BEADS) == len(read_units(tmp_path / "out.tsv"))
