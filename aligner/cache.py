"""The cache folder of compiled data (jieba's dictionary, the lexicon), kept between runs."""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


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


def cached_pickle(name: str, build: Callable[[], T]) -> T:
    """`build()`'s result, kept in the cache folder as `name` so that later runs load it
    instead of building it again. `name` must change whenever the result would.

    Processes that warm a cold cache at once (a pool's workers) each write their own
    temporary file and move it into place: the last one wins, and no reader ever sees a
    half-written pickle."""
    folder = cache_dir()
    path = folder / name
    if path.exists():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # noqa: BLE001 - any unreadable cache is a miss: build it again
            pass
    value = build()
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{name}.", suffix=".tmp")
    except OSError:
        return value  # a read-only cache folder costs speed, not correctness
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return value
