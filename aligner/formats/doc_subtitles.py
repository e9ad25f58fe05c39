"""Subtitles in (SRT, WebVTT): one block per cue with its time on screen, its lines
joined as its language joins wrapped lines, formatting tags left out (pysubs2 reads the
files). A timing line that does not parse is a one-line error naming its line: pysubs2
alone would skip the cue.

Two subtitle files of one film are rarely cut the same way: the aligner pairs their cues
by the time they are on screen (see `align/timed.py`).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import EN, Block, InputError
from ._io import existing_file

TIMING = re.compile(
    r"^\s*(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}\s+-->\s+(?:\d+:)?\d{1,2}:\d{2}[,.]\d{1,3}(?:\s.*)?$"
)


def read_blocks(path: str | Path) -> list[Block]:
    import pysubs2

    from ..normalise import detect_lang
    from ..read import join_lines, read_text

    p = existing_file(path)
    lines = read_text(p).split("\n")
    for n, line in enumerate(lines, 1):
        if "-->" in line and not TIMING.match(line):
            raise InputError(f"{p}:{n}: broken cue timing: {line.strip()[:60]}")
    # a cue's identifier (the line before its timing): pysubs2 would read a WebVTT one as
    # the text of the cue before
    ids = {k for k in range(len(lines) - 1) if TIMING.match(lines[k + 1])}
    text = "\n".join(line for k, line in enumerate(lines) if k not in ids)
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=_format(p, text))
    except (pysubs2.exceptions.Pysubs2Error, ValueError) as err:
        raise InputError(f"{p}: not a subtitle file ({err})") from None
    blocks = []
    for event in subs:
        lines = [x.strip() for x in event.plaintext.split("\n") if x.strip()]
        if lines and not event.is_comment:
            text = join_lines(lines, detect_lang(" ".join(lines)) or EN)
            blocks.append(Block(text, "cue", start=event.start / 1000, end=event.end / 1000))
    return blocks


def _format(p: Path, text: str) -> str:
    return "vtt" if p.suffix.lower() == ".vtt" or text.lstrip().startswith("WEBVTT") else "srt"
