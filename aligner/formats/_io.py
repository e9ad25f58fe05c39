"""Files in and out: atomic writing, reading UTF-8 text, one-line cells, the date an
output carries."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import regex

from ..model import InputError

# Control characters a one-line cell drops; tab, line breaks, VT and FF are whitespace
# there and become one space with the other whitespace runs.
CONTROL = regex.compile(r"[\p{Cc}--[\t\n\r\x0b\x0c]]", regex.V1)


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[TextIO]:
    """Write to a temporary file beside `path` and rename it into place on success, so
    that a failure never leaves a half-written output (nor the temporary)."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    if not target.parent.exists():
        raise InputError(f"{target.parent}: no such directory")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_text(path: str | Path, what: str = "file") -> str:
    """The text of a UTF-8 file (a byte-order mark is dropped), or InputError naming it
    (`what` it is, in the message for a missing file: "reference file")."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a directory")
    if not p.is_file():
        raise InputError(f"{p}: no such {what}")
    try:
        return p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{p}: not a UTF-8 text file") from None
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror or err})") from None


def creationdate(inputs: Iterable[str | Path] = ()) -> str:
    """The date an output carries (TMX `creationdate`, YYYYMMDDTHHMMSSZ): the
    SOURCE_DATE_EPOCH of reproducible builds when it is set, else the newest modification
    time of `inputs`, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        stamp = float(epoch)
    else:
        stamp = max((os.stat(p).st_mtime for p in inputs), default=time.time())
    return datetime.fromtimestamp(int(stamp), UTC).strftime("%Y%m%dT%H%M%SZ")


def one_line(text: object) -> str:
    """A text on one line: control characters dropped, whitespace runs (tabs, line
    breaks) made one space."""
    return " ".join(CONTROL.sub("", str(text)).split())
