"""Faults on the way out, each run as a user would run it (a real `aligner` process):
an output that is an input, an output that cannot be written (checked before the work),
a read-only folder, a full disk, a bad user dictionary, a read-only cache, and signals
(SIGTERM, SIGINT, SIGKILL) during `align`, `merge` and `batch`.

Each case asserts the exit code, the one-line message, that the inputs are
byte-identical afterwards, that no temporary file remains and that no process of the
run remains (every process a run starts carries a mark in its environment)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from aligner.formats import atomic_writer

ROOT = Path(__file__).resolve().parent.parent
ESSAY = ROOT / "corpora" / "zhang-china-us-new-developments.txt"
MARK = "ALIGNER_FAULT_RUN"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


# ---------------------------------------------------------------- running aligner


def _env(**extra: str) -> tuple[dict[str, str], str]:
    mark = uuid.uuid4().hex
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return dict(os.environ, PYTHONPATH=path, **{MARK: mark}, **extra), mark


def processes_of(mark: str) -> list[int]:
    """The live processes whose environment carries `mark` (zombies have none)."""
    found = []
    needle = f"{MARK}={mark}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if needle in environ.split(b"\0"):
                found.append(int(entry.name))
    return found


def assert_no_process_left(mark: str, within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while (left := processes_of(mark)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in left:  # so that a failing case leaves nothing running either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left running: {left}"


@dataclass
class Run:
    """What a finished run left: its exit code and its output."""

    code: int
    stdout: str
    stderr: str


def aligner(*args: str | Path, cwd: Path, timeout: float = 120, **env: str) -> Run:
    environ, mark = _env(**env)
    proc = subprocess.run(
        [sys.executable, "-m", "aligner.cli", *map(str, args)],
        cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert_no_process_left(mark)
    return Run(proc.returncode, proc.stdout, proc.stderr)


class Started:
    """An `aligner` process running in the background, its stderr in a file."""

    def __init__(self, *args: str | Path, cwd: Path) -> None:
        environ, self.mark = _env()
        self.err_path = cwd.parent / f"stderr-{self.mark}"  # not among the files checked
        with self.err_path.open("w") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "aligner.cli", *map(str, args)],
                cwd=cwd, env=environ, stdout=subprocess.DEVNULL, stderr=err,
            )  # fmt: skip

    def wait_for(self, condition, every: float = 0.002, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.proc.poll() is None, f"ended first: {self.stderr()}"
            assert time.monotonic() < deadline, "timed out"
            time.sleep(every)

    def stop(self, sig: int, timeout: float = 30) -> Run:
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            assert_no_process_left(self.mark)
        return Run(code, "", self.stderr())

    def stderr(self) -> str:
        text = self.err_path.read_text()
        self.err_path.unlink(missing_ok=True)
        return text


def one_line_error(run: Run, message: str) -> None:
    assert run.code == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [f"aligner: error: {message}"], run.stderr


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path (temporaries included: none may be)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob(".*.tmp"))


# ---------------------------------------------------------------- inputs


@pytest.fixture
def work(tmp_path: Path, pairs) -> Path:
    """A folder with corpus.zh / corpus.en (ten sentence pairs, one a line), doc.txt (a
    bilingual file: the Zhang essay) and a.tmx / a.tsv (an alignment of the pairs)."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "corpus.zh").write_text("".join(zh + "\n" for zh, _ in pairs), encoding="utf-8")
    (folder / "corpus.en").write_text("".join(en + "\n" for _, en in pairs), encoding="utf-8")
    shutil.copy(ESSAY, folder / "doc.txt")
    from aligner.formats import save_units
    from aligner.model import Unit

    units = [Unit(zh, en, 0.9) for zh, en in pairs]
    save_units(units, folder / "a.tmx")
    save_units(units, folder / "a.tsv")
    return folder


def _mount(path: Path, *options: str) -> bool:
    """Mount a tmpfs at `path` (root only): whether it worked."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(path)],
                          capture_output=True)  # fmt: skip
    return done.returncode == 0


@contextmanager
def read_only(path: Path, files: list[Path] | tuple[Path, ...] = ()) -> Iterator[Path]:
    """A folder holding copies of `files` that nothing can write in: as root (where
    permission bits do not stop writing) a tmpfs remounted read-only, else mode 0555."""
    path.mkdir()
    room = sum(f.stat().st_size for f in files) + 64 * 2**20  # caches of other versions too
    mounted = _mount(path, f"size={room}")
    if not mounted and os.geteuid() == 0:
        pytest.skip("root, and mount is not permitted: no way to make a read-only folder")
    try:  # the mount is undone even when a copy fails
        for f in files:
            shutil.copy(f, path / f.name)
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
        else:
            path.chmod(0o555)
        yield path
    finally:
        if mounted:
            subprocess.run(["umount", str(path)], check=True)
        else:
            path.chmod(0o755)


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    with read_only(tmp_path / "read-only") as path:
        yield path


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a 64 KiB tmpfs."""
    path = tmp_path / "full"
    path.mkdir()
    if not _mount(path, "size=64k"):
        pytest.skip("mount is not permitted: no small file system to fill")
    yield path
    subprocess.run(["umount", str(path)], check=True)


@pytest.fixture
def big_tsv(tmp_path: Path) -> Path:
    """A TSV alignment of 60,000 units: its TMX takes a while to write (about 20 MB)."""
    path = tmp_path / "big.tsv"
    rows = ["zh\ten\tconfidence\ttype\tparagraph\n"]
    rows += [f"第{i}句话。\tSentence number {i}.\t0.900\t1-1\t{i // 10}\n" for i in range(60_000)]
    path.write_text("".join(rows), encoding="utf-8")
    return path


# ---------------------------------------------------------------- an output that is an input

IS_INPUT = "is an input of this command; writing it would destroy it (choose another output)"


@pytest.mark.parametrize(
    ("args", "target"),
    [
        # the README's own naming: parallel files PATH.zh / PATH.en over the inputs
        (["align", "corpus.zh", "corpus.en", "--presplit", "-o", "corpus", "-f", "parallel"],
         "corpus.zh"),
        (["align", "doc.txt", "-o", "doc.txt", "-f", "tsv"], "doc.txt"),
        (["align", "doc.txt", "-o", "symlink.tsv"], "symlink.tsv"),
        (["align", "doc.txt", "-o", "hardlink.tsv"], "hardlink.tsv"),
        (["align", "doc.txt", "-o", "sub/../doc.txt", "-f", "tsv"], "sub/../doc.txt"),
        (["check", "a.tmx", "--html", "a.tmx"], "a.tmx"),
        (["glossary", "a.tsv", "-o", "a.tsv"], "a.tsv"),
        (["glossary", "doc.txt", "--reference", "a.tsv", "-o", "a.tsv"], "a.tsv"),
    ],
)  # fmt: skip
def test_an_output_that_is_an_input_is_refused(work: Path, args: list[str], target) -> None:
    (work / "symlink.tsv").symlink_to(work / "doc.txt")
    os.link(work / "doc.txt", work / "hardlink.tsv")
    (work / "sub").mkdir()
    before = contents(work)
    one_line_error(aligner(*args, cwd=work), f"{target}: {IS_INPUT}")
    assert contents(work) == before
    assert not temporaries(work)


def test_batch_refuses_an_output_that_is_an_input_through_a_link(work: Path) -> None:
    (work / "m.tsv").write_text("doc.txt\n", encoding="utf-8")
    out = work / "out"
    out.mkdir()
    os.link(work / "doc.txt", out / "doc.tsv")  # the pair `doc` writes out/doc.tsv
    before = contents(work)
    run = aligner("batch", "m.tsv", "-o", "out", "-j", "1", cwd=work)
    one_line_error(
        run,
        f"{out / 'doc.tsv'}: an output of pair 'doc' would overwrite an input "
        "(m.tsv:1); choose another output directory",
    )
    assert contents(work) == before
    assert not temporaries(work)


def test_merge_and_a_known_glossary_may_rewrite_in_place(work: Path) -> None:
    run = aligner("merge", "a.tmx", "a.tsv", "-o", "a.tmx", cwd=work)
    assert run.code == 0, run.stderr
    assert run.stderr.startswith("20 units in, 10 duplicates removed\nwrote 10 units to a.tmx")
    known = work / "known.tsv"
    known.write_text("跛脚鸭\tlame duck\n", encoding="utf-8")
    run = aligner("glossary", "doc.txt", "--glossary", "known.tsv", "-o", "known.tsv", cwd=work)
    assert run.code == 0, run.stderr
    assert "跛脚鸭\tlame duck" in known.read_text(encoding="utf-8")
    assert not temporaries(work)


# ---------------------------------------------------------------- outputs checked first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["align", "missing.txt", "-o", "folder.tmx"], "folder.tmx: is a directory"),
        (["align", "missing.txt", "-o", "nowhere/x.tmx"], "nowhere: no such directory"),
        (["align", "missing.txt", "-o", "doc.txt/x.tmx"], "doc.txt: not a directory"),
        (["align", "missing.txt", "-o", "x.docx"],
         "x.docx: cannot tell the format from the suffix (use .tmx, .tsv, .jsonl, .align, .xlf, "
         ".xliff or .po, or --format parallel or --format xliff2)"),
        (["align", "missing.txt", "-o", "x", "-f", "docx"],
         "unknown format 'docx': use one of tmx, tsv, jsonl, align, parallel, xliff, xliff2, po"),
        (["align", "missing.txt", "-o", "x.tmx", "-f", "tsv"],
         "x.tmx: --format tsv contradicts the suffix .tmx (a tmx file): change the suffix or "
         "the format"),
        (["align", "missing.txt", "-o", "x.tsv", "-f", "parallel"],
         "x.tsv: --format parallel contradicts the suffix .tsv (a tsv file): change the suffix "
         "or the format"),
        (["align", "missing.txt", "-f", "tmx"], "--format tmx needs an output path (-o)"),
        (["align", "missing.txt", "-f", "parallel"], "--format parallel needs an output path (-o)"),
        (["align", "missing.txt", "-o", "x.tmx", "--zh-lang", "fr"],
         "--zh-lang 'fr' is not a Chinese language code (zh, zh-CN, ...)"),
        (["align", "missing.txt", "-f", "tsv", "--en-lang", "fr"],
         "--en-lang 'fr' is not an English language code (en, en-US, ...)"),
        (["merge", "missing.tmx", "-o", "x.tmx", "--en-lang", "zh"],
         "--en-lang 'zh' is not an English language code (en, en-US, ...)"),
        (["batch", "m.tsv", "-o", "out", "--zh-lang", "en"],
         "--zh-lang 'en' is not a Chinese language code (zh, zh-CN, ...)"),
        (["glossary", "missing.txt", "-o", "folder.tbx"], "folder.tbx: is a directory"),
        (["glossary", "missing.txt", "-o", "x.tmx"],
         "x.tmx: cannot tell the glossary format from the suffix (use .tbx, .csv, .tsv, "
         ".json, .utf8 or .tab)"),
        (["check", "missing.txt", "--html", "nowhere/r.html"], "nowhere: no such directory"),
        (["merge", "missing.tmx", "-o", "nowhere/x.tmx"], "nowhere: no such directory"),
        (["merge", "missing.tmx", "-o", "x.tsv", "-f", "tmx"],
         "x.tsv: --format tmx contradicts the suffix .tsv (a tsv file): change the suffix or "
         "the format"),
        (["batch", "m.tsv", "-o", "out", "--merge", "x.tsv"],
         "x.tsv: --merge writes a TMX file: name it .tmx"),
        (["batch", "m.tsv", "-o", "out", "--merge", "nowhere/x.tmx"],
         "nowhere: no such directory"),
    ],
)  # fmt: skip
def test_outputs_are_checked_before_the_work(work: Path, args: list[str], message) -> None:
    # the input is missing: any reading would fail, so the output error shows it comes first
    (work / "folder.tmx").mkdir()
    (work / "folder.tbx").mkdir()
    (work / "m.tsv").write_text("doc.txt\n", encoding="utf-8")
    before = contents(work)
    one_line_error(aligner(*args, cwd=work), message)
    assert contents(work) == before
    assert not temporaries(work)


# ---------------------------------------------------------------- the file system


def test_a_read_only_output_folder(work: Path, read_only_dir: Path) -> None:
    before = contents(work)
    run = aligner("align", "missing.txt", "-o", read_only_dir / "x.tmx", cwd=work)
    one_line_error(run, f"{read_only_dir}: cannot write in this directory (read-only?)")
    (work / "m.tsv").write_text("doc.txt\n", encoding="utf-8")
    before = contents(work)
    run = aligner("batch", "m.tsv", "-o", read_only_dir, cwd=work)
    one_line_error(run, f"{read_only_dir}: cannot write in this directory (read-only?)")
    assert contents(work) == before
    assert not list(read_only_dir.iterdir())


def test_a_full_disk(work: Path, full_disk: Path, big_tsv: Path) -> None:
    old = full_disk / "x.tmx"
    old.write_text("an older memory\n", encoding="utf-8")
    before = contents(work)
    run = aligner("merge", big_tsv, "-o", old, cwd=work)
    one_line_error(run, f"{old}: cannot write (No space left on device)")
    assert contents(full_disk) == {"x.tmx": b"an older memory\n"}  # kept; nothing half-written
    assert contents(work) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("跛脚鸭 5 n\n".encode("gb18030"), "a user dictionary must be UTF-8"),
        (b"\x00\x01\x02 word\x00\n", "a binary file, not a user dictionary"),
        (None, "no such user dictionary"),
    ],
)
@pytest.mark.parametrize("command", ["segment", "align", "batch"])
def test_a_bad_user_dictionary(work: Path, command: str, data, message: str) -> None:
    if data is not None:
        (work / "user.dict").write_bytes(data)
    (work / "m.tsv").write_text("doc.txt\n", encoding="utf-8")
    before = contents(work)
    args = ["-o", "out"] if command == "batch" else []
    source = "m.tsv" if command == "batch" else "doc.txt"
    run = aligner(command, source, *args, "--user-dict", "user.dict", cwd=work)
    one_line_error(run, f"user.dict: {message}")
    assert contents(work) == before
    assert not temporaries(work)


def test_a_read_only_cache_folder(work: Path, tmp_path: Path, lexicon) -> None:
    """The compiled lexicon and pinyin readings are there, the store of jieba's dictionary
    is not and cannot be written: the run builds it in memory and works."""
    from aligner.cache import cache_dir
    from aligner.names import syllables

    syllables("张")  # the readings are in the cache
    stores = [*cache_dir().glob("*-cedict-*.store"), *cache_dir().glob("*-pinyin-*.store")]
    with read_only(tmp_path / "cache", sorted(stores)) as cache:
        before = contents(cache)
        run = aligner("align", "doc.txt", "-o", "out.tsv", cwd=work, ALIGNER_CACHE=str(cache))
        assert run.code == 0, run.stderr
        assert run.stderr == "wrote 37 units to out.tsv\n"
        assert contents(cache) == before


def test_a_stale_temporary_is_swept_a_live_one_kept(tmp_path: Path) -> None:
    target = tmp_path / "x.tsv"
    stale, live, other = (tmp_path / n for n in (".x.tsv.abcd1234.tmp", ".x.tsv.efgh5678.tmp",
                                                  ".y.tsv.abcd1234.tmp"))  # fmt: skip
    for tmp in (stale, live, other):
        tmp.write_text("half")
    os.utime(stale, (1, 1))  # before this process started: left by a killed run
    os.utime(other, (1, 1))  # another target's
    with atomic_writer(target) as fh:
        fh.write("whole\n")
    assert target.read_text() == "whole\n"
    assert not stale.exists()
    assert live.exists() and other.exists()  # newer: perhaps being written now


# ---------------------------------------------------------------- signals


def test_sigterm_while_aligning(work: Path, pairs) -> None:
    # 3,000 lines a side: several seconds of aligning
    (work / "long.zh").write_text("".join(zh + "\n" for zh, _ in pairs * 300), encoding="utf-8")
    (work / "long.en").write_text("".join(en + "\n" for _, en in pairs * 300), encoding="utf-8")
    before = contents(work)
    run = Started("align", "long.zh", "long.en", "--presplit", "-o", "out.tmx", cwd=work)
    time.sleep(2.0)
    stopped = run.stop(signal.SIGTERM)
    assert stopped.code == 143, stopped.stderr
    assert stopped.stderr.splitlines() == ["aligner: terminated"]
    assert contents(work) == before
    assert not temporaries(work)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_while_writing_removes_the_temporary(work: Path, big_tsv: Path, sig: int) -> None:
    before = contents(work)
    run = Started("merge", big_tsv, "-o", "a.tmx", cwd=work)
    run.wait_for(lambda: temporaries(work))
    stopped = run.stop(sig)
    assert stopped.code == 128 + sig, stopped.stderr
    word = "terminated" if sig == signal.SIGTERM else "interrupted"
    assert stopped.stderr.splitlines() == [f"aligner: {word}"]
    assert contents(work) == before  # a.tmx as it was
    assert not temporaries(work)


def test_sigkill_while_writing_then_the_next_run_sweeps(work: Path, big_tsv: Path) -> None:
    before = contents(work)
    run = Started("merge", big_tsv, "-o", "a.tmx", cwd=work)
    run.wait_for(lambda: temporaries(work))
    assert run.stop(signal.SIGKILL).code == -signal.SIGKILL
    assert len(temporaries(work)) == 1  # nothing can clean up after SIGKILL
    assert {k: v for k, v in contents(work).items() if not k.endswith(".tmp")} == before
    again = aligner("merge", "a.tsv", "-o", "a.tmx", cwd=work)
    assert again.code == 0, again.stderr
    assert not temporaries(work)


@pytest.fixture
def batch_work(tmp_path: Path) -> Path:
    """Six copies of the essay and a manifest of them: about five seconds on two cores."""
    folder = tmp_path / "batch"
    folder.mkdir()
    for k in range(6):
        shutil.copy(ESSAY, folder / f"essay{k}.txt")
    (folder / "m.tsv").write_text("".join(f"essay{k}.txt\n" for k in range(6)))
    return folder


@pytest.mark.parametrize(
    ("sig", "code", "last_line"),
    [
        (signal.SIGTERM, 143, "aligner: terminated"),
        (signal.SIGINT, 130, "aligner: interrupted"),
        (signal.SIGKILL, -signal.SIGKILL, None),
    ],
)
def test_stopping_a_batch_leaves_no_worker(batch_work: Path, sig: int, code: int, last_line):
    before = contents(batch_work)
    run = Started("batch", "m.tsv", "-o", "out", "-j", "2", cwd=batch_work)
    out = batch_work / "out"
    # both workers started and busy
    run.wait_for(lambda: any(out.glob("*.done.json")), every=0.05)
    assert len(processes_of(run.mark)) >= 3  # the batch and its two workers (at least)
    stopped = run.stop(sig)  # waits for every process of the run to be gone
    assert stopped.code == code, stopped.stderr
    if last_line:
        assert stopped.stderr.splitlines()[-1:] == [last_line]
    assert "Traceback" not in stopped.stderr
    assert {k: v for k, v in contents(batch_work).items() if not k.startswith("out/")} == before
    assert not temporaries(batch_work)
    assert len(list(out.glob("*.done.json"))) < 6  # it was stopped mid-run
