"""Progress of long work (reading, segmenting, tokenising, aligning).

The library reports to a `Progress`: a callable taking a stage name, the work done in
it and the stage's total. A stage's calls come in one run, in order of the work, `done`
never falling and reaching `total` last; then the next stage begins. Callers report at
most every few hundred units of work, so reporting costs nothing measurable.

`no_progress` (the default everywhere) ignores the calls; `TerminalProgress` draws them
as bars on a terminal.
"""

from __future__ import annotations

import sys
from typing import Protocol, TextIO


class Progress(Protocol):
    def __call__(self, stage: str, done: int, total: int) -> None: ...


def no_progress(stage: str, done: int, total: int) -> None:
    """Report nothing."""


def part_of(progress: Progress, start: int, total: int) -> Progress:
    """A reporter for a part of a stage that begins at `start` of the stage's `total`
    (the part reports its own done and total; its total is not the stage's)."""
    if progress is no_progress:
        return no_progress
    return lambda stage, done, _: progress(stage, start + done, total)


class TerminalProgress:
    """A bar per stage on `stream` (standard error by default), drawn with rich only
    when the stream is a terminal: piped or redirected output sees nothing. The bars go
    away when the work is done. Use as a context manager:

        with TerminalProgress() as progress:
            doc = load_document(paths, progress=progress)
    """

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self._bars = None
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> TerminalProgress:
        if _is_terminal(self.stream):
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bars = Progress(
                SpinnerColumn(),  # moves even while a stage's count stands still
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bars is not None:
            self._bars.stop()
            self._bars = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._bars is None:
            return
        task = self._tasks.get(stage)
        if task is None:
            task = self._tasks[stage] = self._bars.add_task(stage, total=total)
        self._bars.update(task, completed=done, total=total)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False
