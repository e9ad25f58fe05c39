"""The cache folder and its stores."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from aligner.cache import Table, cache_dir, cached_store, pack

ROOT = Path(__file__).resolve().parents[1]


def test_cache_dir_prefers_aligner_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path / "own"))
    assert cache_dir() == tmp_path / "own"
    monkeypatch.delenv("ALIGNER_CACHE")
    assert cache_dir() == tmp_path / "xdg" / "aligner"


# ---------------------------------------------------------------- stores


def small_store() -> dict:
    return {"total": 7, "table": Table({"中美": 3, "中": 1, "美国": 2, "a": 0})}


def test_a_store_gives_its_values_and_tables(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    store = cached_store("s.store", small_store)
    assert store["total"] == 7
    table = store.table("table")
    assert table["中美"] == 3 and "中" in table and table.get("美国") == 2
    assert "美" not in table and "" not in table and table.get("", 5) == 5
    with pytest.raises(KeyError):
        table["美"]
    assert dict(table) == {"中美": 3, "中": 1, "美国": 2, "a": 0} and len(table) == 4
    assert table.shard("中") == {"中美": 3, "中": 1} and table.shard("x") == {}
    # loaded, not built again
    assert cached_store("s.store", lambda: {"total": 8}).table("table")["美国"] == 2


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "pickle"])
def test_a_damaged_store_is_built_again(tmp_path: Path, monkeypatch, damage: str) -> None:
    monkeypatch.setenv("ALIGNER_CACHE", str(tmp_path))
    path = tmp_path / f"{sys.implementation.cache_tag}-s.store"
    cached_store("s.store", small_store)
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        data = data[: len(data) - 3]
    elif damage == "empty":
        data = bytearray()
    else:  # a file of another format under the name
        data = bytearray(pickle.dumps({"total": 1}))
    path.write_bytes(bytes(data))
    built = []
    store = cached_store("s.store", lambda: built.append(1) or small_store())
    assert built == [1] and store["total"] == 7 and store.table("table")["中美"] == 3
    assert path.read_bytes() == pack(small_store())  # put right in the cache too


def test_a_store_is_built_in_memory_where_the_cache_cannot_be_written(tmp_path, monkeypatch):
    from aligner import cache

    # a folder that cannot be written in (test_faults_outputs has a read-only mount)
    monkeypatch.setattr(cache, "cache_dir", lambda: tmp_path / "missing")
    assert cached_store("s.store", small_store).table("table")["美国"] == 2
    assert not (tmp_path / "missing").exists()


WARM = textwrap.dedent(
    """
    import time
    from aligner.cache import Table, cached_store

    def build():
        time.sleep(0.5)  # both processes are building at once
        return {"table": Table({str(k): k for k in range(100_000)})}

    assert cached_store("shared.store", build).table("table")["99999"] == 99999
    """
)


def test_two_processes_warming_one_store(tmp_path: Path) -> None:
    env = dict(os.environ, ALIGNER_CACHE=str(tmp_path), PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", WARM], env=env) for _ in range(2)]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    tag = sys.implementation.cache_tag  # marshal's format is the Python version's
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{tag}-shared.store"]
