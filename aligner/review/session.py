"""A review session, kept beside its output: the edits made so far (a small JSON file,
`OUTPUT.review.json`), with what they were made on, so that reopening the review resumes
where the reviewer stopped, and a changed input is told, not edited blindly.

What the edits were made on is said twice: the sha256 of each input file (the input
changed) and a digest of the units the review started from (the same files aligned by
another aligner version, or with other options, give other pairs). Edits are positions in
a list of pairs: replayed on another list they would change the wrong pairs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from ..formats import atomic_writer, read_json, save_units
from ..model import Edit, ExportOptions, ExportResult, InputError, Unit
from .operations import Review, edit_from_json, edit_to_json

SUFFIX = ".review.json"
VERSION = 1


def session_path(output: str | Path) -> Path:
    """The session file of a review written to `output`: beside it, `OUTPUT.review.json`."""
    output = Path(output)
    return output.with_name(output.name + SUFFIX)


def fingerprint(paths: Sequence[str | Path]) -> list[dict[str, str]]:
    """The input files by name and sha256."""
    out = []
    for path in paths:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        out.append({"name": Path(path).name, "sha256": digest})
    return out


def units_digest(units: Sequence[Unit]) -> str:
    """A digest of the pairs a review starts from: their text, sentence numbers, bead type
    and status, in order."""
    h = hashlib.sha256()
    for u in units:
        record = [u.zh, u.en, list(u.zh_ids), list(u.en_ids), u.kind, u.status, u.doc]
        h.update(json.dumps(record, ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def read_edits(
    path: str | Path,
    inputs: list[dict[str, str]] | None = None,
    digest: str | None = None,
) -> tuple[list[Edit], int, bool]:
    """The edits of a session file (or of a file holding a JSON list of edits), the pair
    the reviewer was at, and whether the output was written with all of them. A session
    made on other `inputs`, or from other units (`digest`), is an InputError saying so; so
    is a file that is not one of edits."""
    p = Path(path)
    data = read_json(p)
    if isinstance(data, list):
        data = {"edits": data}
    if not isinstance(data, dict) or not isinstance(data.get("edits"), list):
        raise InputError(f"{p}: not a review session (a JSON list of edits, or an object with one)")
    edits = [edit_from_json(e, f"{p}: edit {k}") for k, e in enumerate(data["edits"], 1)]
    n = f"{len(edits)} edit{'' if len(edits) == 1 else 's'}"
    names = ", ".join(f["name"] for f in inputs or []) or "the input"
    if inputs is not None and data.get("inputs") not in (None, inputs):
        raise InputError(
            f"{p}: its {n} were made on another version of {names} (the input changed "
            "since); --restart discards them"
        )
    if digest is not None and data.get("units") not in (None, digest):
        raise InputError(
            f"{p}: its {n} were made on another alignment of {names} (another aligner "
            "version, or other options); --restart discards them"
        )
    cursor = data.get("cursor", 0)
    cursor = cursor if type(cursor) is int and cursor >= 0 else 0
    return edits, cursor, data.get("saved") is True


def replay(
    review: Review, path: str | Path, inputs: list[dict[str, str]], digest: str
) -> tuple[int, int, bool]:
    """Make the edits of a session file (or a file of edits) on `review`, once the file is
    found to be made on these `inputs` and units (`digest`): (edits made, the pair the
    reviewer was at, whether the output holds them). InputError naming the file and the
    edit that does not apply."""
    edits, cursor, saved = read_edits(path, inputs, digest)
    for k, edit in enumerate(edits, 1):
        try:
            review.apply(edit)
        except InputError as err:
            raise InputError(f"{path}: edit {k} ({edit.op}) does not apply: {err}") from None
    return len(edits), min(cursor, max(len(review) - 1, 0)), saved


def write_session(
    path: str | Path,
    edits: Sequence[Edit],
    inputs: list[dict[str, str]],
    digest: str,
    cursor: int = 0,
    saved: bool = False,
) -> None:
    """Write a session file, atomically (`saved`: the output holds these edits)."""
    data = {
        "aligner_review": VERSION,
        "inputs": inputs,
        "units": digest,
        "cursor": cursor,
        "saved": saved,
        "edits": [edit_to_json(e) for e in edits],
    }
    with atomic_writer(path) as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


class Session:
    """What the review screen saves: the session file after each change, and the output,
    in its format, when asked (and on leaving)."""

    def __init__(
        self,
        review: Review,
        output: Path,
        fmt: str,
        options: ExportOptions,
        inputs: list[dict[str, str]],
        digest: str,
        saved: bool = True,
    ) -> None:
        self.review = review
        self.output = output
        self.fmt = fmt
        self.options = options
        self.inputs = inputs
        self.digest = digest
        self.path = session_path(output)
        # what the output holds: `saved` says whether it holds these pairs (the edits
        # resumed; not, when the review starts over on an output of an earlier one)
        self.saved_version = review.version if saved else -1
        self.cursor = 0  # the pair the reviewer is at
        self.kept: tuple[int, int, bool] | None = None  # what the session file says

    @property
    def unsaved(self) -> bool:
        """Whether the output does not hold the latest edits."""
        return self.review.version != self.saved_version

    def keep(self, cursor: int | None = None) -> None:
        """Write the session file when it would change: after an edit, an undo or a redo,
        once the output is written, on leaving (for the pair the reviewer is at); and only
        once there are edits (or a file to bring up to date): looking through an
        alignment leaves nothing."""
        self.cursor = self.cursor if cursor is None else cursor
        state = (self.review.version, self.cursor, not self.unsaved)
        if state == self.kept or not (self.review.edits or self.path.exists()):
            return
        write_session(
            self.path, self.review.edits, self.inputs, self.digest, self.cursor, not self.unsaved
        )
        self.kept = state

    def save(self) -> ExportResult:
        """Write the output (atomically), and say so in the session file."""
        result = save_units(self.review.units, self.output, self.fmt, self.options)
        self.saved_version = self.review.version
        self.keep()
        return result
