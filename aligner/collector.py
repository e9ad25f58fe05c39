"""The interpreter's garbage collector during long work on one document.

Usable as a context manager or a decorator: `with fewer_full_collections(): ...`.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

FULL_COLLECTION_FACTOR = 100  # how much rarer the interpreter's full collections are
_collections_lock = threading.Lock()
_relaxed: list[tuple[int, int, int]] = []  # the thresholds to restore, once a caller


@contextmanager
def fewer_full_collections() -> Iterator[None]:
    """Full cyclic garbage collections made rarer while a document is read, aligned and
    written. Each walks every object alive, and aligning builds millions (tokens, word
    lists): `aligner align` on the Bible spent 2.5 of 33 CPU seconds in the collector,
    0.9 with full collections a hundred times rarer (none at all in that run; 1.0 with
    ten times rarer young collections too, 2.0 with ten times rarer full ones). What
    aligning frees is mostly freed by reference counts, not by the collector. The
    thresholds are restored when the last of concurrent callers leaves."""
    with _collections_lock:
        if not _relaxed:
            g0, g1, g2 = gc.get_threshold()
            gc.set_threshold(g0, g1, g2 * FULL_COLLECTION_FACTOR)
            _relaxed.append((g0, g1, g2))
        else:
            _relaxed.append(_relaxed[0])
    try:
        yield
    finally:
        with _collections_lock:
            saved = _relaxed.pop()
            if not _relaxed:
                gc.set_threshold(*saved)
