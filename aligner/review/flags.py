"""`check`'s flags of the pairs under review, kept by unit: the whole alignment is checked
once, then the pairs an edit makes and their neighbours (a neighbour's `better-match` may
change) are checked again, against the whole document's norms.

Checking is slow (a 30,000-pair text takes a minute or two), so it runs beside the review
screen: in a thread for a short alignment, in a process of its own for a long one, where
it cannot slow the screen down (threads share one interpreter) and where the check's
dictionaries and tokenizer do not add to the screen's memory.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from multiprocessing.pool import ThreadPool
from typing import TypeVar

from ..check import Flag, check_units
from ..check.checks import NEIGHBOURS
from ..check.report import Norms
from ..model import Unit

T = TypeVar("T")
PROCESS_FROM = 1000  # pairs: from this many, the check runs in a process of its own


def _check_all(units: list[Unit], low: float) -> tuple[list[list[Flag]], dict[str, Norms]]:
    report = check_units(units, low_confidence=low)
    return [p.flags for p in report.pairs], report.norms


def _check_some(
    units: list[Unit], low: float, norms: dict[str, Norms], start: int
) -> list[list[Flag]]:
    report = check_units(units, low_confidence=low, norms=norms, start=start)
    return [p.flags for p in report.pairs]


class Flags:
    """The flags of each pair (None: not checked yet), and which pairs need a look. Its
    checks block the calling thread (the screen calls them from worker threads)."""

    def __init__(self, low_confidence: float = 0.5, process: bool = False) -> None:
        self.low_confidence = low_confidence
        self.norms: dict[str, Norms] | None = None  # the documents' norms, once checked
        # id(unit) -> (unit, its flags): an edit makes new units, which have none yet; the
        # unit is kept with its flags so that its id is not another's
        self._of: dict[int, tuple[Unit, list[Flag]]] = {}
        # one worker: checks run one at a time, in the order asked
        self._pool = multiprocessing.get_context("spawn").Pool(1) if process else ThreadPool(1)
        self._process = process
        self._closed = False

    @property
    def ready(self) -> bool:
        """Whether the whole alignment has been checked."""
        return self.norms is not None

    def of(self, unit: Unit) -> list[Flag] | None:
        """The unit's flags, or None when it has not been checked (yet)."""
        kept = self._of.get(id(unit))
        return kept[1] if kept is not None and kept[0] is unit else None

    def needs_look(self, unit: Unit) -> bool:
        """A pair no person has confirmed or edited that is flagged or under the low
        confidence (known before any check)."""
        if unit.status != "auto":
            return False
        return unit.confidence < self.low_confidence or bool(self.of(unit))

    def check_all(self, units: Sequence[Unit]) -> None:
        """Check every pair (what `aligner check` does) and keep the documents' norms."""
        units = list(units)
        flags, norms = self._run(_check_all, units, self.low_confidence)
        for unit, found in zip(units, flags, strict=True):
            self._of[id(unit)] = (unit, found)
        self.norms = norms

    def recheck(self, units: Sequence[Unit], changed: range) -> None:
        """Check again the pairs at `changed` and their neighbours, each with as many
        pairs around it as `check` looks at (nothing before the whole check)."""
        if self.norms is None:
            return
        lo, hi = max(0, changed.start - NEIGHBOURS), min(len(units), changed.stop + NEIGHBOURS)
        first, last = max(0, lo - NEIGHBOURS), min(len(units), hi + NEIGHBOURS)
        window = list(units[first:last])
        flags = self._run(_check_some, window, self.low_confidence, self.norms, first)
        for unit, found in list(zip(window, flags, strict=True))[lo - first : hi - first]:
            self._of[id(unit)] = (unit, found)

    def unchecked(self, units: Sequence[Unit]) -> list[int]:
        """The positions of the pairs not checked yet (made by edits during the check)."""
        return [i for i, u in enumerate(units) if self.of(u) is None]

    def _run(self, check: Callable[..., T], *args: object) -> T:
        """The check's result, waited for; Closed when the screen closes meanwhile."""
        result = self._pool.apply_async(check, args)
        while not result.ready():
            if self._closed:
                raise Closed
            result.wait(0.1)
        return result.get()

    def close(self) -> None:
        """Stop checking: the process is ended; a thread ends with its check."""
        self._closed = True
        if self._process:
            self._pool.terminate()
        else:
            self._pool.close()


class Closed(Exception):
    """The review screen closed while a check was under way."""
