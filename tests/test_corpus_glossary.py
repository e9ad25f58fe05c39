"""Corpus glossaries: terms counted across documents (alignment files, a batch output
folder, a manifest), the per-document work on local processes or a Dask cluster."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aligner.batch import BatchOptions, read_manifest, run_batch
from aligner.batch.manifest import is_manifest
from aligner.cli import app
from aligner.formats import save_units
from aligner.model import Entry, InputError, Unit
from aligner.terms import build_glossary, corpus_glossary, corpus_inputs, document_pairs
from aligner.terms.entries import _spread, extract_entries

pytestmark = pytest.mark.usefixtures("lexicon")

ROOT = Path(__file__).resolve().parent.parent
BATCH = ROOT / "tests" / "fixtures" / "batch"
runner = CliRunner()

# three documents sharing some sentences (so some terms are in two of them), each in
# another alignment format: the conftest pairs by number
DOCUMENTS = {"a.tsv": [0, 4, 7], "b.jsonl": [1, 4, 5], "c.tmx": [2, 7, 8, 9]}


@pytest.fixture
def corpus(tmp_path: Path, pairs: list[tuple[str, str]]) -> list[Path]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    paths = []
    for name, numbers in DOCUMENTS.items():
        units = [Unit(*pairs[k], confidence=0.9, para=n) for n, k in enumerate(numbers)]
        save_units(units, folder / name)
        paths.append(folder / name)
    return paths


def run(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def holding(paths: list[Path], zh: str) -> int:
    """The documents whose Chinese holds the term."""
    return sum(1 for p in paths if any(zh in q.zh_norm for q in document_pairs(p)))


# ---------------------------------------------------------------- counting


def test_three_documents(corpus: list[Path]) -> None:
    entries = corpus_glossary(corpus, workers=2)
    by_zh = {e.zh: e for e in entries}
    assert (by_zh["气候变化"].frequency, by_zh["气候变化"].documents) == (2, 2)  # a and b
    assert by_zh["气候变化"].en == "climate change"
    assert (by_zh["北京"].frequency, by_zh["北京"].documents) == (3, 2)  # twice in a, once in c
    assert by_zh["奖学金"].documents == 1  # b alone
    assert all(e.documents == holding(corpus, e.zh_simplified) for e in entries)
    # the same entries on one process, and in process as one list of pairs
    assert corpus_glossary(corpus, workers=1) == entries
    pairs = [p for path in corpus for p in document_pairs(path)]
    assert extract_entries(pairs) == entries


def test_one_document_ranks_as_build_glossary(corpus: list[Path]) -> None:
    alone = corpus_glossary(corpus[2:], workers=1)
    pairs = [(p.zh_text, p.en_text) for p in document_pairs(corpus[2])]
    assert alone == build_glossary(pairs)
    assert alone and all(e.documents == 1 for e in alone)


def test_a_term_in_more_documents_gains_confidence_mildly() -> None:
    assert _spread(0.5, 1) == 0.5  # one document: the ranking as it was
    gains = [_spread(0.5, n) for n in (2, 4, 32, 1000)]
    assert 0.5 < gains[0] < gains[1] < gains[2] == gains[3] == 0.5 * 1.25
    assert _spread(0.0, 50) == 0.0  # no translation stays none
    assert _spread(0.95, 32) == 1.0


def test_known_glossary_and_references(corpus: list[Path], tmp_path: Path) -> None:
    """The user's terms are counted across documents too, found by the aligner or not."""
    reference = tmp_path / "ref.txt"
    reference.write_text("Leaders discussed global climate change at length.\n")
    user = [Entry("长城", "", "Great Wall"), Entry("农业合作", "", "farm cooperation")]
    entries = corpus_glossary(corpus, known=user, references=[reference], workers=1)
    by_zh = {e.zh: e for e in entries}
    assert (by_zh["长城"].source, by_zh["长城"].documents, by_zh["长城"].frequency) == (
        "user", 2, 2,
    )  # fmt: skip
    assert by_zh["农业合作"].documents == 1 and "农业合作" in by_zh["农业合作"].example[0]
    assert by_zh["气候变化"].attested == ["climate change"]


# ---------------------------------------------------------------- the command


def test_cli_alignment_files_to_csv(corpus: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "terms.csv"
    result = run("glossary", *corpus, "-o", out, "-j", "1")
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    documents = {r["zh"]: int(r["documents"]) for r in rows}
    assert documents["气候变化"] == 2 and documents["奖学金"] == 1
    assert [r["zh"] for r in rows] == [e.zh for e in corpus_glossary(corpus, workers=1)]


def test_two_alignment_files_are_two_documents(corpus: list[Path]) -> None:
    result = run("glossary", corpus[0], corpus[1], "-j", "1")
    assert result.exit_code == 0, result.output
    assert "气候变化\tclimate change" in result.stdout


def test_a_batch_output_folder(tmp_path: Path) -> None:
    """Each pair once (its JSONL, of the formats it was written in), failures.tsv and
    the done-records left out; the same entries as the JSONL files given one by one."""
    out = tmp_path / "out"
    run_batch(read_manifest(BATCH / "manifest.tsv"), out, workers=1)  # TMX and TSV
    run_batch(read_manifest(BATCH / "manifest.tsv"), out, BatchOptions(formats=("jsonl",)),
              workers=1)  # fmt: skip
    assert corpus_inputs([out]) == [out / "news.jsonl", out / "talks.jsonl", out / "visit.jsonl"]
    result = run("glossary", out, "-o", tmp_path / "g.json", "-j", "1")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert max(e["documents"] for e in data) <= 3
    by_file = corpus_glossary(sorted(out.glob("*.jsonl")), workers=1)
    assert [(e["zh"], e["documents"]) for e in data] == [(e.zh, e.documents) for e in by_file]


def test_a_manifest_is_aligned_first(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(BATCH, folder)
    aligned = tmp_path / "aligned"
    result = run("glossary", folder / "manifest.tsv", "--aligned", aligned, "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in aligned.glob("*.done.json")) == [
        "news.done.json", "talks.done.json", "visit.done.json",
    ]  # fmt: skip
    again = run("glossary", aligned, "-j", "1")  # the folder it aligned into
    assert again.stdout == result.stdout
    # without --aligned: a temporary folder, the same glossary
    assert run("glossary", folder / "manifest.tsv", "-j", "1").stdout == result.stdout


def test_manifest_or_aligned_tsv(corpus: list[Path]) -> None:
    assert is_manifest(BATCH / "manifest.tsv")
    assert not is_manifest(corpus[0])  # an aligned TSV: header zh, en, ... then Chinese
    assert corpus_inputs([BATCH / "news.zh", BATCH / "news.en"]) is None  # one pair
    assert corpus_inputs([BATCH / "talks.txt"]) is None


@pytest.mark.slow
def test_dask_cluster(dask_cluster, corpus: list[Path]) -> None:
    address, _ = dask_cluster
    local = corpus_glossary(corpus, workers=1)
    assert corpus_glossary(corpus, executor="dask", scheduler=address) == local
    result = run("glossary", *corpus, "--executor", "dask", "--scheduler", address)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{e.zh}\t{e.en}" for e in local]


# ---------------------------------------------------------------- bad input


def _bad_inputs(tmp_path: Path, corpus: list[Path]) -> dict[str, tuple[list[Path], str]]:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("你好 hello\n")
    not_tsv = tmp_path / "glossary.tsv"
    not_tsv.write_text("气候变化\tclimate change\n")
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"zh": "你好"}\n')
    manifest = tmp_path / "m.tsv"
    (tmp_path / "empty.zh").write_text("")
    (tmp_path / "empty.en").write_text("")
    manifest.write_text("empty.zh\tempty.en\n")
    return {
        "folder without alignments": ([empty], "no alignment files"),
        "a TSV that is not an alignment": ([corpus[0], not_tsv], "not an aligner TSV"),
        "a JSONL that is not an alignment": ([bad_json], "not an aligner JSONL record"),
        "a document among alignments": ([corpus[0], empty / "notes.txt"], "not an alignment"),
        "a missing alignment": ([tmp_path / "missing.tmx"], "no such alignment file"),
        "an alignment given twice": ([corpus[0], corpus[1], corpus[0]], "given twice"),
        "a pair that cannot be aligned": ([manifest], "pair 'empty' cannot be aligned"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "folder without alignments",
        "a TSV that is not an alignment",
        "a JSONL that is not an alignment",
        "a document among alignments",
        "a missing alignment",
        "an alignment given twice",
        "a pair that cannot be aligned",
    ],
)
def test_bad_inputs_are_refused(case: str, corpus: list[Path], tmp_path: Path) -> None:
    inputs, message = _bad_inputs(tmp_path, corpus)[case]
    out = tmp_path / "out" / "terms.tbx"
    out.parent.mkdir()
    result = run("glossary", *inputs, "-o", out, "-j", "2")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines
    assert "Traceback" not in result.output
    assert not list(out.parent.iterdir())  # nothing written
    with pytest.raises(InputError, match=message):
        corpus_glossary(inputs, workers=1)
