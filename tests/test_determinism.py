"""The same command on the same input gives the same bytes, whatever the hash seed.

Python salts the hashes of strings per process (PYTHONHASHSEED), so anything iterated
in set order (word ids, matrix columns, the order of float sums) may change from run to
run. Each check runs in fresh interpreters under two seeds and compares.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aligner.align.features import Units

ROOT = Path(__file__).resolve().parent.parent
ESSAY = ROOT / "corpora" / "zhang-china-us-new-developments.txt"
SEEDS = ("1", "2")

# every command of the CLI in one interpreter, so that a seed costs one start-up
CLI_RUNS = """
import contextlib, sys
from aligner.cli import app
essay = sys.argv[1]
commands = [
    ["align", essay, "-o", "a.jsonl"],
    ["align", essay, "-o", "a.tsv"],
    ["align", essay, "-o", "a.tmx"],
    ["align", essay, "-o", "a.xlf"],
    ["align", essay, "-o", "b.xlf", "-f", "xliff2"],
    ["merge", "a.tmx", "a.jsonl", "-o", "m.tmx"],
    ["glossary", essay, "-o", "t.csv"],
]
for args in commands:
    app(args, standalone_mode=False)
with open("check.txt", "w", encoding="utf-8") as out, contextlib.redirect_stdout(out):
    app(["check", essay, "--all"], standalone_mode=False)
"""

# the lexical model of the essay with a table learned from it, as raw sparse arrays: the
# order of their entries is the order in which later sums run
MODEL_DIGEST = """
import hashlib, sys
from aligner import load_document
from aligner.align import DEFAULT
from aligner.align.evidence import build_lexical_model, learn_table
from aligner.align.features import sentence_features
from aligner.tokenise import tokenise_document
doc = tokenise_document(load_document([sys.argv[1]]))
zh, en = sentence_features(doc.zh.sentences), sentence_features(doc.en.sentences)
k = min(len(zh.lemmas), len(en.lemmas))
table = learn_table(list(zip(zh.lemmas[:k], en.lemmas[:k])), DEFAULT)
lex = build_lexical_model(zh, en, DEFAULT, table)
digest = hashlib.sha256()
for m in (lex.xz, lex.bz, lex.be, lex.we):
    for a in (m.data, m.indices, m.indptr):
        digest.update(a.tobytes())
for a in (lex.wz_total, lex.we_total, lex.wz_content, lex.we_content):
    digest.update(a.tobytes())
print(digest.hexdigest(), sorted((z, sorted(e)) for z, e in table.items()))
"""


def run_python(code: str, seed: str, cwd: Path, *args: str) -> str:
    env = dict(os.environ, PYTHONHASHSEED=seed, SOURCE_DATE_EPOCH="1700000000")
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.usefixtures("lexicon")
def test_cli_outputs_are_the_same_bytes_under_two_hash_seeds(tmp_path: Path) -> None:
    outputs = {}
    for seed in SEEDS:
        folder = tmp_path / seed
        folder.mkdir()
        run_python(CLI_RUNS, seed, folder, str(ESSAY))
        outputs[seed] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    first, second = outputs.values()
    assert sorted(first) == [
        "a.jsonl", "a.tmx", "a.tsv", "a.xlf", "b.xlf", "check.txt", "m.tmx", "t.csv"
    ]
    assert all(first[name] for name in first)  # something was written
    for name in first:
        assert first[name] == second[name], name


@pytest.mark.usefixtures("lexicon")
def test_the_lexical_model_is_the_same_under_two_hash_seeds(tmp_path: Path) -> None:
    first, second = (run_python(MODEL_DIGEST, seed, tmp_path, str(ESSAY)) for seed in SEEDS)
    assert "[]" not in first  # a table was learned
    assert first == second


def test_word_columns_follow_first_sight() -> None:
    words = ["中国", "美国", "关系", "稳定", "合作", "贸易", "气候", "会谈", "北京"]
    units = Units([words[:5], words[3:] + ["的"], ["美国", "北京"]], np.ones(3), np.zeros(3))
    incidence, columns = units.incidence(lambda w: w != "的")
    assert columns == words
    assert incidence[0].indices.tolist() == [0, 1, 2, 3, 4]
