"""Start-up: a command loads only what it needs (scripts/startup_bench.py times them)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREE = (
    "中美关系正在改善。\n双方同意加强对话。\n战略稳定很重要。\n\n"
    "China-U.S. relations are improving.\nThe two sides agreed to strengthen dialogue.\n"
    "Strategic stability matters.\n"
)
PROBE = (
    "import sys\n"
    "from aligner.cli import main\n"
    "sys.argv = ['aligner', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "except SystemExit as e:\n"
    "    assert not e.code, e.code\n"
    "print(sorted(m for m in {names} if m in sys.modules), file=sys.stderr)\n"
)
LIBRARIES = ("jieba", "pypinyin", "numpy", "scipy")


def loaded(cwd: Path, *args: str) -> list[str]:
    """Which of LIBRARIES `aligner ARGS` imports."""
    code = PROBE.format(names=LIBRARIES)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return ast.literal_eval(run.stderr.strip().splitlines()[-1])


def warm() -> None:
    """The cache stores made (a first run builds them with jieba and pypinyin)."""
    from aligner.lexicon import cedict_store
    from aligner.names import syllables
    from aligner.tokenise import jieba_store

    cedict_store(), jieba_store(), syllables("张")


def test_a_short_alignment_reads_the_stores_not_the_libraries(tmp_path: Path) -> None:
    warm()
    (tmp_path / "three.txt").write_text(THREE, encoding="utf-8")
    assert loaded(tmp_path, "align", "three.txt", "-o", "three.tmx") == ["numpy", "scipy"]
    # checking a translation memory needs no aligner: no numpy either
    assert loaded(tmp_path, "check", "three.tmx") == []
