"""Files in and out: checking an output before the work, atomic writing (and sweeping
the temporaries a killed run left), reading UTF-8 text, one-line cells, the date an
output carries."""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
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

# A temporary older than this process was left by another one, killed while writing
# (a live writer's temporary is newer: it is created when the writing starts).
STARTED = time.time()
WRITING: set[Path] = set()  # the temporaries this process has open, for `remove_temporaries`
TEMPORARY = re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp")  # .NAME.XXXXXXXX.tmp


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file: the same device and inode when both exist (so
    through symbolic and hard links too), else the same resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def check_writable(target: str | Path, inputs: Iterable[str | Path] = ()) -> None:
    """InputError unless `target` can be written, checked before any work is done: not
    a directory, in a folder that exists and is writable, and none of `inputs`."""
    target = Path(target)
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    folder = target.parent
    if not folder.exists():
        raise InputError(f"{folder}: no such directory")
    if not folder.is_dir():
        raise InputError(f"{folder}: not a directory")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{folder}: cannot write in this directory (read-only?)")
    for source in inputs:
        if same_file(target, source):
            raise InputError(
                f"{target}: is an input of this command; writing it would destroy it "
                "(choose another output)"
            )


def temporary_of(path: str | Path) -> str | None:
    """The name of the file a temporary of `atomic_writer` was to become, or None when
    `path` is not named as one."""
    m = TEMPORARY.fullmatch(Path(path).name)
    return m.group(1) if m else None


def stale_temporaries(target: str | Path, older_than: float = STARTED) -> list[Path]:
    """The temporaries of `target` (see `atomic_writer`) beside it, last modified before
    `older_than` (by default: before this process started)."""
    target = Path(target)
    found = []
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        try:
            if temporary_of(tmp) == target.name and tmp.stat().st_mtime < older_than:
                found.append(tmp)
        except OSError:
            continue  # gone meanwhile
    return found


def _writing(target: Path, err: OSError) -> InputError:
    return InputError(f"{target}: cannot write ({err.strerror or err})")


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[TextIO]:
    """Write to a temporary file beside `path` and rename it into place on success, so
    that a failure (a full disk, an exception, a signal that raises) never leaves a
    half-written output, nor the temporary. The temporaries of `path` that killed runs
    left are removed first."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    if not target.parent.exists():
        raise InputError(f"{target.parent}: no such directory")
    for stale in stale_temporaries(target):
        stale.unlink(missing_ok=True)
    # The name is known before the file exists (not so with mkstemp), so that a signal
    # raising at any point after it is created finds it to remove.
    tmp: Path | None = None
    try:
        while tmp is None:
            tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
            WRITING.add(tmp)
            try:
                # 0666 less the umask, as an ordinary new file; no newline translation
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
                fd = os.open(tmp, flags, 0o666)
            except FileExistsError:
                WRITING.discard(tmp)
                tmp = None  # another writer's: not ours to remove
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(tmp, target)
    except OSError as err:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise _writing(target, err) from None
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    finally:
        WRITING.discard(tmp)


def remove_temporaries() -> None:
    """Remove the temporaries this process is writing: for a process about to end at
    once (a worker told to stop), where `atomic_writer` cannot clean up."""
    for tmp in list(WRITING):
        tmp.unlink(missing_ok=True)


def existing_file(path: str | Path, what: str = "file") -> Path:
    """`path`, or InputError when it is a directory or missing (`what` it is, in the
    message for a missing file: "reference file")."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a directory")
    if not p.is_file():
        raise InputError(f"{p}: no such {what}")
    return p


def read_text(path: str | Path, what: str = "file") -> str:
    """The text of a UTF-8 file (a byte-order mark is dropped), or InputError naming it
    (see `existing_file`)."""
    p = existing_file(path, what)
    try:
        return p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{p}: not a UTF-8 text file") from None
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror or err})") from None


def read_json(path: str | Path) -> object:
    """The JSON value of a UTF-8 file, or InputError naming it and the line at fault."""
    p = Path(path)
    try:
        return json.loads(read_text(p))
    except json.JSONDecodeError as err:
        raise InputError(f"{p}:{err.lineno}: not valid JSON ({err.msg})") from None


def read_user_dictionary(path: str | Path) -> bytes:
    """The bytes of a jieba user dictionary (`word [freq] [tag]` lines), checked to be
    UTF-8 text, or InputError naming it."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such user dictionary")
    try:
        data = p.read_bytes()
        text = data.decode("utf-8")
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror or err})") from None
    except UnicodeDecodeError:
        raise InputError(f"{p}: a user dictionary must be UTF-8") from None
    if "\0" in text:
        raise InputError(f"{p}: a binary file, not a user dictionary")
    return data


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
