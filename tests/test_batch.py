"""`aligner batch`: manifests, failure isolation, resuming, worker counts, Dask."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest
from cluster import env, kill
from typer.testing import CliRunner

from aligner.batch import (
    BatchOptions,
    DocumentPair,
    ManifestError,
    align_pair,
    read_manifest,
    run_batch,
)
from aligner.batch.executors import run_pool
from aligner.batch.records import Task
from aligner.batch.worker import settings
from aligner.cli import app
from aligner.formats import read_units, validate_tmx
from aligner.formats.tmx import read as read_tmx
from aligner.model import ExportOptions, InputError

pytestmark = pytest.mark.usefixtures("lexicon")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "batch"
ESSAY = ROOT / "corpora" / "zhang-china-us-new-developments.txt"
IDS = ["news", "visit", "talks"]
runner = CliRunner()


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the fixture folder: news.zh/.en, visit.zh.txt/.en.txt, talks.txt (one
    bilingual file) and manifest.tsv naming the three."""
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES, folder)
    return folder


@pytest.fixture
def manifest(corpus: Path) -> Path:
    return corpus / "manifest.tsv"


def write_manifest(folder: Path, text: str, name: str = "m.tsv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def files(folder: Path) -> dict[str, bytes]:
    """Every file of an output folder (no temporaries), by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ---------------------------------------------------------------- manifests


def test_manifest_tsv(manifest: Path, corpus: Path) -> None:
    pairs = read_manifest(manifest)
    assert [p.id for p in pairs] == IDS  # comment, header and blank line skipped
    assert pairs[0].paths == (corpus / "news.zh", corpus / "news.en")  # relative to it
    assert pairs[1].paths == (corpus / "visit.zh.txt", corpus / "visit.en.txt")
    assert pairs[2].paths == (corpus / "talks.txt",)  # one bilingual file
    assert all(p.is_absolute() for pair in pairs for p in pair.paths)
    assert pairs[1].where == f"{manifest}:5"


def test_manifest_ids_derived_and_bilingual_alone(corpus: Path) -> None:
    m = write_manifest(
        corpus, f"news.zh\tnews.en\n{corpus / 'talks.txt'}\nvisit.zh.txt\tvisit.en.txt\t\n"
    )
    assert [p.id for p in read_manifest(m)] == ["news", "talks", "visit"]


def test_manifest_directory(corpus: Path) -> None:
    pairs = read_manifest(corpus)  # talks.txt and manifest.tsv are no pairs: left alone
    assert [p.id for p in pairs] == ["news", "visit"]
    assert pairs[1].paths == (corpus / "visit.zh.txt", corpus / "visit.en.txt")


def test_manifest_directory_zh_en_subfolders(tmp_path: Path) -> None:
    for lang in ("zh", "en"):
        (tmp_path / lang).mkdir()
        for n in ("001", "002"):
            shutil.copy(FIXTURES / f"news.{lang}", tmp_path / lang / f"{n}.{lang}")
    pairs = read_manifest(tmp_path)  # the MAC-Dev layout
    assert [p.id for p in pairs] == ["001", "002"]
    assert pairs[0].paths == (tmp_path / "zh" / "001.zh", tmp_path / "en" / "001.en")


@pytest.mark.parametrize(
    "text, needles",
    [
        ("news.zh\tnews.en\nnope.zh\tnews.en\n", ["m.tsv:2", "nope.zh", "no such file"]),
        ("news.zh news.en\n", ["m.tsv:1", "separated by tabs"]),
        ("news.zh\tnews.en\tx\textra\n", ["m.tsv:1", "4 columns"]),
        ("\tnews.en\n", ["m.tsv:1", "empty"]),
        ("news.zh\tnews.en\ta\nvisit.zh.txt\tvisit.en.txt\ta\n",
         ["m.tsv:2", "duplicate id 'a'", "m.tsv:1"]),
        ("news.zh\tnews.en\nnews.zh\tnews.en\n", ["m.tsv:2", "duplicate id 'news'"]),
        ("news.zh\tnews.en\tA\nvisit.zh.txt\tvisit.en.txt\ta\n", ["duplicate id 'a'"]),
        ("news.zh\tnews.en\t../up\n", ["m.tsv:1", "cannot name a file"]),
        ("news.zh\tnews.en\tfailures\n", ["m.tsv:1", "reserved", "give another id"]),
        ("# nothing\n\n", ["no pairs"]),
        ("a.zh\tb.en\nc.zh\td.en\n", ["m.tsv:1", "and 1 more errors"]),
    ],
)  # fmt: skip
def test_manifest_errors(corpus: Path, text: str, needles: list[str]) -> None:
    m = write_manifest(corpus, text)
    with pytest.raises(ManifestError) as info:
        read_manifest(m)
    message = str(info.value)
    assert "\n" not in message
    for needle in needles:
        assert needle in message, message


def test_derived_id_failures_is_reserved(corpus: Path, tmp_path: Path) -> None:
    """A pair named `failures` by its files would write failures.tsv, the list of the
    failed pairs: refused, whether the files are in a directory or a TSV manifest."""
    folder = tmp_path / "pairs"
    folder.mkdir()
    for lang in ("zh", "en"):
        shutil.copy(FIXTURES / f"news.{lang}", folder / f"failures.{lang}")
    with pytest.raises(ManifestError, match=r"failures\.zh: id 'failures' is reserved.*rename"):
        read_manifest(folder)
    m = write_manifest(folder, "failures.zh\tfailures.en\n")
    with pytest.raises(ManifestError, match=r"m\.tsv:1: id 'failures' is reserved.*rename"):
        read_manifest(m)
    result = run("batch", folder, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "reserved for failures.tsv" in result.output, result.output
    assert not (tmp_path / "out" / "failures.tsv").exists()


def test_run_batch_refuses_a_pair_named_failures(tmp_path: Path) -> None:
    pair = DocumentPair("failures", (FIXTURES / "news.zh", FIXTURES / "news.en"))
    with pytest.raises(InputError, match="failures.tsv would be the list of failures"):
        run_batch([pair], tmp_path / "out", workers=1)
    assert not (tmp_path / "out" / "failures.tsv").exists()


def test_manifest_missing_and_lone_files(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="no such manifest"):
        read_manifest(tmp_path / "absent.tsv")
    shutil.copy(FIXTURES / "news.zh", tmp_path / "news.zh")
    with pytest.raises(ManifestError, match=r"news\.zh: no news\.en"):
        read_manifest(tmp_path)
    (tmp_path / "news.zh").unlink()
    with pytest.raises(ManifestError, match="no NAME.zh"):
        read_manifest(tmp_path)


def test_cli_manifest_error_exit_2(corpus: Path, tmp_path: Path) -> None:
    m = write_manifest(corpus, "news.zh\tnews.en\nnope.zh\tnews.en\n")
    result = run("batch", m, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "aligner: error:" in result.output and "m.tsv:2" in result.output
    assert not (tmp_path / "out").exists()  # nothing run


# ---------------------------------------------------------------- a run, failures


def test_batch_writes_outputs_and_records(manifest: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen = []
    summary = run_batch(read_manifest(manifest), out, workers=1, progress=seen.append)
    assert (summary.pairs, summary.done, summary.skipped, summary.failed) == (3, 3, 0, 0)
    assert sorted(r.id for r in seen) == sorted(IDS)
    assert summary.beads > 0 and 0 < summary.mean_confidence <= 1
    assert summary.sentences_zh >= 10 and summary.workers == 1
    names = set(files(out))
    for pair_id in IDS:
        assert {f"{pair_id}.tmx", f"{pair_id}.tsv", f"{pair_id}.done.json"} <= names
        assert validate_tmx(out / f"{pair_id}.tmx") == []
    assert (out / "failures.tsv").read_text() == "id\tzh_path\ten_path\treason\n"
    units = read_tmx(out / "news.tmx")
    assert {u.doc for u in units} == {"news"}  # the pair id names the document


def test_failure_isolation(manifest: Path, corpus: Path, tmp_path: Path, monkeypatch) -> None:
    (corpus / "broken.zh").write_bytes(b"\x00\x01\x02\xff\xfe" * 50)
    with manifest.open("a") as fh:
        fh.write("broken.zh\tnews.en\n")
    import aligner.align

    real = aligner.align.align_document

    def flaky(doc, **kw):
        if doc.name == "visit":
            raise RuntimeError("boom\nsecond line")
        return real(doc, **kw)

    monkeypatch.setattr(aligner.align, "align_document", flaky)
    out = tmp_path / "out"
    summary = run_batch(read_manifest(manifest), out, workers=1)
    assert (summary.done, summary.failed) == (2, 2)
    reasons = dict((pair.id, reason) for pair, reason in summary.failures)
    assert reasons["visit"] == "RuntimeError: boom second line"
    assert "broken.zh" in reasons["broken"]
    rows = (out / "failures.tsv").read_text().splitlines()
    assert rows[0] == "id\tzh_path\ten_path\treason"
    assert [r.split("\t")[0] for r in rows[1:]] == ["visit", "broken"]  # manifest order
    assert rows[2].split("\t")[1:3] == [str(corpus / "broken.zh"), str(corpus / "news.en")]
    assert all(len(r.split("\t")) == 4 for r in rows)
    names = set(files(out))
    assert {"news.tmx", "news.done.json", "talks.tsv"} <= names
    assert not [n for n in names if n.startswith(("visit.", "broken."))]


def test_cli_failure_exit_1(manifest: Path, corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.zh").write_bytes(b"\x00\x01\x02\xff\xfe" * 50)
    with manifest.open("a") as fh:
        fh.write("broken.zh\tnews.en\n")
    out = tmp_path / "out"
    result = run("batch", manifest, "-o", out, "-j", "1")
    assert result.exit_code == 1, result.output
    assert "1 of 4 pairs failed" in result.output
    assert str(out / "failures.tsv") in result.output
    assert "failed: broken:" in result.output
    for row in ("pairs", "failed", "beads", "mean confidence", "peak memory per worker"):
        assert row in result.output
    assert (out / "news.tmx").is_file()


def test_cli_formats_and_merge(manifest: Path, tmp_path: Path) -> None:
    out, memory = tmp_path / "out", tmp_path / "memory.tmx"
    result = run(
        "batch", manifest, "-o", out, "-j", "1", "-f", "tsv,jsonl", "-f", "align", "--merge", memory
    )
    assert result.exit_code == 0, result.output
    names = set(files(out))
    assert {"news.tsv", "news.jsonl", "news.align", "talks.align"} <= names
    assert not [n for n in names if n.endswith(".tmx")]
    assert validate_tmx(memory) == []
    merged = read_tmx(memory)
    assert {u.doc for u in merged} == set(IDS)
    per_pair = [u for i in IDS for u in read_units(out / f"{i}.jsonl") if u.zh and u.en]
    assert len(merged) == len(per_pair)
    assert "merged TMX" in result.output


def test_cli_parallel_format(manifest: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("batch", manifest, "-o", out, "-j", "1", "--format", "parallel")
    assert result.exit_code == 0, result.output
    zh = (out / "news.parallel.zh").read_text().splitlines()
    assert len(zh) == len((out / "news.parallel.en").read_text().splitlines()) == 5


@pytest.mark.parametrize(
    "args, needle",
    [
        (["-f", "tmx,docx"], "unknown format 'docx'"),
        (["--merge", "m.tmx", "-f", "align"], "--merge needs"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --executor dask"),
        (["--zh-lang", "fr"], "--zh-lang 'fr' is not a Chinese language code (zh, zh-CN"),
        (["--en-lang", "zh"], "--en-lang 'zh' is not an English language code"),
        (["--min-confidence", "1.5"], "--min-confidence"),
    ],
)
def test_cli_bad_settings(manifest: Path, tmp_path: Path, args: list[str], needle: str) -> None:
    result = run("batch", manifest, "-o", tmp_path / "out", *args)
    assert result.exit_code == 2, result.output
    assert needle in result.output


@pytest.mark.parametrize("least", [-0.5, 1.5])
def test_min_confidence_is_range_checked(manifest: Path, tmp_path: Path, least: float) -> None:
    with pytest.raises(InputError, match="give a value from 0 to 1"):
        run_batch(
            read_manifest(manifest),
            tmp_path / "out",
            BatchOptions(export=ExportOptions(min_confidence=least)),
        )
    assert not (tmp_path / "out").exists()


def test_outputs_never_overwrite_inputs(corpus: Path) -> None:
    shutil.copy(corpus / "talks.txt", corpus / "talks.tsv")
    m = write_manifest(corpus, "talks.tsv\t\ttalks\n")
    result = run("batch", m, "-o", corpus, "-j", "1")
    assert result.exit_code == 2, result.output
    assert "would overwrite an input" in result.output


def test_dask_not_installed(manifest: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    result = run("batch", manifest, "-o", tmp_path / "out", "--executor", "dask")
    assert result.exit_code == 2, result.output
    assert "pip install 'aligner[dask]'" in result.output


def test_dask_cluster_that_cannot_start(manifest: Path, tmp_path: Path, monkeypatch) -> None:
    """No scheduler address: the message is about the local cluster, not an address."""

    def cannot_start(**kwargs):
        raise OSError("no free port")

    fake = types.SimpleNamespace(LocalCluster=cannot_start)
    monkeypatch.setitem(sys.modules, "distributed", fake)
    with pytest.raises(InputError, match="^cannot start a local Dask cluster: no free port$"):
        run_batch(read_manifest(manifest), tmp_path / "out", executor="dask", workers=1)


# ---------------------------------------------------------------- resuming


def test_resume_after_interruption(manifest: Path, tmp_path: Path) -> None:
    pairs = read_manifest(manifest)
    whole = tmp_path / "whole"
    run_batch(pairs, whole, workers=1)

    out = tmp_path / "resumed"
    done: list[str] = []

    def interrupt(result) -> None:
        done.append(result.id)
        if len(done) == 1:
            raise KeyboardInterrupt  # as a Ctrl-C (or a kill) after the first pair

    with pytest.raises(KeyboardInterrupt):
        run_batch(pairs, out, workers=1, progress=interrupt)
    assert sorted(p.name for p in out.glob("*.done.json")) == ["news.done.json"]
    # what a killed run may leave: a temporary file, and outputs without their record
    (out / ".visit.tsv.abcd1234.tmp").write_text("half")
    (out / "visit.tmx").write_text("half-written garbage")

    seen = []
    summary = run_batch(pairs, out, workers=1, progress=seen.append)
    assert (summary.done, summary.skipped, summary.failed) == (2, 1, 0)
    assert {r.id: r.status for r in seen}["news"] == "skipped"
    assert files(out) == files(whole)  # byte for byte, the TMX dates included
    assert not list(out.glob(".*.tmp"))

    # a rerun does nothing; --force redoes all, to the same bytes
    assert run_batch(pairs, out, workers=1).skipped == 3
    assert run_batch(pairs, out, workers=1, force=True).done == 3
    assert files(out) == files(whole)


def test_rerun_redoes_changed_pairs_only(manifest: Path, corpus: Path, tmp_path: Path) -> None:
    pairs = read_manifest(manifest)
    out = tmp_path / "out"
    run_batch(pairs, out, workers=1)
    news = corpus / "news.en"
    news.write_text(news.read_text() + "One more sentence at the end.\n")
    summary = run_batch(pairs, out, workers=1)
    assert [r.id for r in summary.results if r.status == "done"] == ["news"]
    # other options: every pair is redone, and outputs no longer asked for are removed
    summary = run_batch(pairs, out, BatchOptions(formats=("jsonl",)), workers=1)
    assert summary.done == 3
    assert not list(out.glob("*.tmx")) and len(list(out.glob("*.jsonl"))) == 3


def test_cli_resume_reports_skipped(manifest: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("batch", manifest, "-o", out, "-j", "1").exit_code == 0
    result = run("batch", manifest, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    assert "already done (skipped)" in result.output
    lines = [line for line in result.output.splitlines() if "skipped" in line]
    assert lines and lines[0].rstrip(" │|").endswith("3")


# ---------------------------------------------------------------- workers and Dask


def test_one_and_two_workers_identical(manifest: Path, tmp_path: Path) -> None:
    pairs = read_manifest(manifest)
    one = run_batch(pairs, tmp_path / "one", workers=1)
    two = run_batch(pairs, tmp_path / "two", workers=2)
    assert (two.done, two.failed) == (3, 0)
    assert 1 <= two.workers <= 2
    assert all(r.worker.split(":")[-1] != str(os.getpid()) for r in two.results)
    assert 0 < two.peak_rss < 2**30
    assert (one.beads, one.mean_confidence) == (two.beads, two.mean_confidence)
    assert files(tmp_path / "one") == files(tmp_path / "two")


def crash_on_visit(pair: DocumentPair, task: Task):
    """A pair function for the pool test: kills its worker process on the visit pair."""
    if pair.id == "visit":
        os._exit(3)
    return align_pair(pair, task)


def test_a_dying_worker_fails_only_its_pair(manifest: Path, tmp_path: Path) -> None:
    pairs = read_manifest(manifest)
    out = tmp_path / "out"
    out.mkdir()
    options = BatchOptions()
    task = Task(str(out), options, settings(options))
    results = {r.id: r for r in run_pool(pairs, task, 2, fn=crash_on_visit)}
    assert set(results) == set(IDS)
    assert results["visit"].status == "failed"
    assert "worker process died" in results["visit"].reason
    assert results["news"].status == results["talks"].status == "done"


@pytest.mark.slow
def test_dask_cluster(dask_cluster, manifest: Path, tmp_path: Path) -> None:
    """The same bytes as local processes; a worker killed mid-run loses no pair; resuming
    works on the cluster too."""
    import distributed

    address, workers = dask_cluster
    pairs = read_manifest(manifest)
    run_batch(pairs, tmp_path / "local", workers=1)
    result = run("batch", manifest, "-o", tmp_path / "dask", "--executor", "dask",
                 "--scheduler", address)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert files(tmp_path / "dask") == files(tmp_path / "local")

    folder = tmp_path / "essays"  # six pairs of a few seconds each
    folder.mkdir()
    for k in range(6):
        shutil.copy(ESSAY, folder / f"essay{k}.txt")
    (folder / "m.tsv").write_text("".join(f"essay{k}.txt\n" for k in range(6)))
    out = folder / "out"
    batch = subprocess.Popen(
        [sys.executable, "-m", "aligner.cli", "batch", "m.tsv", "-o", "out",
         "--executor", "dask", "--scheduler", address],
        cwd=folder, env=env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        with distributed.Client(address, timeout="30s") as client:
            names = {addr: w["name"] for addr, w in client.scheduler_info()["workers"].items()}
            deadline = time.monotonic() + 120
            while not any(out.glob("*.done.json")):
                assert batch.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
            busy = [names[addr] for addr, keys in client.processing().items() if keys]
            assert "w0" in busy  # it has a pair in hand: killed, that pair must be redone
            workers["w0"].kill()
            workers["w0"].wait(15)
        _, errors = batch.communicate(timeout=120)
    finally:
        kill([batch])
    assert batch.returncode == 0, errors
    assert sorted(p.name for p in out.glob("*.done.json")) == [
        f"essay{k}.done.json" for k in range(6)
    ]
    assert (out / "failures.tsv").read_text().count("\n") == 1  # the header alone
    assert not list(out.glob(".*.tmp"))
    assert all(not validate_tmx(out / f"essay{k}.tmx") for k in range(6))

    summary = run_batch(pairs, tmp_path / "dask", executor="dask", scheduler=address)
    assert summary.skipped == 3
