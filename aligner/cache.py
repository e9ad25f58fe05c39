"""The cache folder of compiled data (jieba's dictionary, the lexicon, pinyin readings),
kept between runs, and the file form that loads in milliseconds: a `Store`."""

from __future__ import annotations

import hashlib
import marshal
import mmap
import os
import struct
import sys
import tempfile
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """Where compiled data is cached: $ALIGNER_CACHE, else $XDG_CACHE_HOME/aligner, else
    ~/.cache/aligner; a temporary folder when that one cannot be made."""
    if root := os.environ.get("ALIGNER_CACHE"):
        path = Path(root)
    elif xdg := os.environ.get("XDG_CACHE_HOME"):
        path = Path(xdg) / "aligner"
    else:
        path = Path.home() / ".cache" / "aligner"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        path = Path(tempfile.gettempdir()) / "aligner-cache"
        path.mkdir(parents=True, exist_ok=True)
    return path


def _write(folder: Path, name: str, data: bytes) -> None:
    """Put `data` in place as `name` at once (a temporary file of this process, renamed);
    a cache folder that cannot be written costs speed, not correctness."""
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / name)
    except OSError:
        pass
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def stamp(*paths: Path) -> str:
    """A short key of the files a cached value is built from (their names, sizes and
    modification times): a reinstalled or upgraded package gives a new key."""
    h = hashlib.sha1()
    for p in paths:
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()[:12]


# ---------------------------------------------------------------- stores

# A store file: MAGIC, the CRC-32 of the rest and the length of its index, the index
# (marshal of {name: (start, end)}), then the named regions. A region is a value's marshal
# or a `Table`'s parts. Marshal, not pickle: it is the fastest loader Python has for plain
# data; and each part of a table is decoded only when a key of it is looked up, so a
# three-line job decodes a few dozen of a dictionary's ten thousand parts.
MAGIC = b"aligner-store-2\n"
HEADER = struct.Struct("<II")
LENGTH = struct.Struct("<I")


@dataclass(frozen=True)
class Table:
    """A dict (of non-empty string keys) that a store keeps in parts, one per first
    character of its keys (read back as a `Sharded`)."""

    items: Mapping[str, Any]


class Store:
    """Named values (what marshal takes: dicts, tuples, strings, numbers), each decoded on
    first use and kept, and named tables (`table`)."""

    def __init__(self, index: dict[str, tuple[int, int]], body: memoryview) -> None:
        self._index = index
        self._body = body
        self._values: dict[str, Any] = {}

    def _region(self, name: str) -> memoryview:
        start, end = self._index[name]
        return self._body[start:end]

    def __getitem__(self, name: str) -> Any:
        if name not in self._values:
            self._values[name] = marshal.loads(self._region(name))
        return self._values[name]

    def table(self, name: str) -> Sharded:
        if name not in self._values:
            self._values[name] = Sharded(self._region(name))
        return self._values[name]


class Sharded(Mapping[str, Any]):
    """A table of a store: looking a key up decodes only the part of its first character.
    Read-only: never change a part it gives."""

    def __init__(self, region: memoryview) -> None:
        (n,) = LENGTH.unpack_from(region)
        # the first characters in code point order, and where each one's part ends
        self._firsts, ends = marshal.loads(region[LENGTH.size : LENGTH.size + n])
        self._ends = memoryview(ends).cast("Q")
        self._blobs = region[LENGTH.size + n :]
        self._parts: dict[str, dict[str, Any]] = {}

    def shard(self, first: str) -> dict[str, Any]:
        """The part of the table whose keys begin with `first`."""
        part = self._parts.get(first)
        if part is None:
            i = bisect_left(self._firsts, first)
            part = EMPTY
            if i < len(self._firsts) and self._firsts[i] == first:
                start = self._ends[i - 1] if i else 0
                part = marshal.loads(self._blobs[start : self._ends[i]])
            self._parts[first] = part
        return part

    def firsts(self) -> str:
        """Every first character of a key."""
        return self._firsts

    def __getitem__(self, key: str) -> Any:
        if not key:
            raise KeyError(key)
        return self.shard(key[0])[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key != "" and key in self.shard(key[0])

    def get(self, key: str, default: Any = None) -> Any:
        return self.shard(key[0]).get(key, default) if key else default

    def __iter__(self) -> Iterator[str]:
        for first in self._firsts:
            yield from self.shard(first)

    def __len__(self) -> int:
        return sum(len(self.shard(first)) for first in self._firsts)


EMPTY: dict[str, Any] = {}  # the part of a character no key begins with (never changed)


def _table_bytes(table: Mapping[str, Any]) -> bytes:
    parts: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        parts.setdefault(key[0], {})[key] = value
    firsts = sorted(parts)
    blobs = [marshal.dumps(parts[first]) for first in firsts]
    ends = array("Q", accumulate(len(b) for b in blobs))
    head = marshal.dumps(("".join(firsts), ends.tobytes()))
    return LENGTH.pack(len(head)) + head + b"".join(blobs)


def pack(values: dict[str, Any]) -> bytes:
    """The file form of a store of `values` (a `Table` kept in parts)."""
    index: dict[str, tuple[int, int]] = {}
    regions: list[bytes] = []
    at = 0
    for name, value in values.items():
        region = _table_bytes(value.items) if isinstance(value, Table) else marshal.dumps(value)
        index[name] = (at, at + len(region))
        regions.append(region)
        at += len(region)
    head = marshal.dumps(index)
    body = head + b"".join(regions)
    return MAGIC + HEADER.pack(zlib.crc32(body), len(head)) + body


def unpack(data: bytes | mmap.mmap) -> Store | None:
    """The store a file holds; None when it is not one whole (truncated, corrupt or of
    another format). The CRC costs a millisecond for ten megabytes."""
    start = len(MAGIC) + HEADER.size
    if len(data) < start or data[: len(MAGIC)] != MAGIC:
        return None
    crc, head = HEADER.unpack_from(data, len(MAGIC))
    body = memoryview(data)[start:]
    if zlib.crc32(body) != crc:
        return None
    try:
        index = marshal.loads(body[:head])
    except (EOFError, ValueError, TypeError):
        return None
    return Store(index, body[head:])


def _load(path: Path) -> Store | None:
    """The store in a file, mapped into memory (not read: a run touches a few parts)."""
    try:
        with path.open("rb") as fh:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable or empty
        return None
    return unpack(data)


def cached_store(name: str, build: Callable[[], dict[str, Any]]) -> Store:
    """The store of `build()`'s values, kept in the cache folder as `name` (which must
    change whenever the values would; the Python version, whose marshal it is, is added):
    loaded when it is there and whole, else built and written (a read-only folder: built
    and kept in memory only).

    Processes that warm a cold cache at once (a pool's workers) each write their own
    temporary file and move it into place: the last one wins, and no reader ever sees a
    half-written store."""
    folder = cache_dir()
    name = f"{sys.implementation.cache_tag}-{name}"
    store = _load(folder / name)
    if store is None:
        data = pack(build())
        _write(folder, name, data)
        store = unpack(data)
        assert store is not None
    return store
