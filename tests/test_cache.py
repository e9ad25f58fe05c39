"""The cache folder and its pickles."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aligner.cache import cache_dir, cached_pickle

ROOT = Path(__file__).resolve().parents[1]


def test_cache_dir_prefers_aligner_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "own"))
    assert cache_dir() == tmp_path / "own"
    monkeypatch.delenv("ALIGNER_CACHE")
    assert cache_dir() == tmp_path / "xdg" / "aligner"


def test_an_unreadable_pickle_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    # a pickle of a class that no longer exists: loading it raises ModuleNotFoundError
    (tmp_path / "x.pickle").write_bytes(b"cno_such_module\nThing\n.")
    assert cached_pickle("x.pickle", lambda: [1, 2]) == [1, 2]
    assert pickle.loads((tmp_path / "x.pickle").read_bytes()) == [1, 2]
    assert cached_pickle("x.pickle", lambda: [3]) == [1, 2]  # loaded, not built


BUILD = textwrap.dedent(
    """
    import sys, time
    from aligner.cache import cached_pickle

    def build():
        time.sleep(0.5)  # both processes are building at once
        return list(range(100_000))

    assert cached_pickle("shared.pickle", build) == list(range(100_000))
    """
)


def test_two_processes_warming_one_cache(tmp_path: Path) -> None:
    env = dict(os.environ, ALIGNER_CACHE=str(tmp_path), PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", BUILD], env=env) for _ in range(2)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared.pickle"]
    assert pickle.loads((tmp_path / "shared.pickle").read_bytes()) == list(range(100_000))
