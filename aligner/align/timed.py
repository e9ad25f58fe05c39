"""Subtitles aligned by the time their cues are on screen.

Two subtitle files of one film are cut differently (a cue of one may be two of the other)
but show a line and its translation at the same time. So when both sides of a document
are subtitle cues (each paragraph one cue with its time), the cues are paired by time:

1. The offset between the two files (a release with a different lead-in) is the shift
   of the English times, in steps of 0.1 s within ±`MAX_SHIFT` seconds, that makes the
   cues overlap most; no shift when none does better.
2. A Chinese and an English cue are linked when their overlap is at least `LINK` of the
   shorter one; the beads are the linked groups (1-1, 1-2, 2-1 ...) in time order, and a
   cue linked to none is a 1-0 or 0-1 bead.
3. A bead's confidence is how much of the time its two sides span they share.
"""

from __future__ import annotations

import numpy as np

from ..model import Document, SentenceBead

MAX_SHIFT = 10.0  # seconds the two files' times may be apart
LINK = 0.3  # least overlap, as a share of the shorter cue, that links two cues


def cue_times(doc: Document) -> tuple[np.ndarray, np.ndarray] | None:
    """The (start, end) of each sentence of both sides when every sentence is a whole
    subtitle cue, else None."""
    out = []
    for side in (doc.zh, doc.en):
        times = []
        for para in side.paragraphs:
            if para.time is None or len(para.sentences) != 1:
                return None
            times.append(para.time)
        out.append(np.array(times, dtype=float).reshape(-1, 2))
    return (out[0], out[1]) if len(out[0]) and len(out[1]) else None


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """The seconds two cues are both on screen."""
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def _total_overlap(zh: np.ndarray, en: np.ndarray) -> float:
    """The time cues of the two sides share, summed, in one sweep (cues in time order)."""
    total, i, j = 0.0, 0, 0
    while i < len(zh) and j < len(en):
        total += _overlap(zh[i], en[j])
        if zh[i, 1] < en[j, 1]:
            i += 1
        else:
            j += 1
    return total


def best_shift(zh: np.ndarray, en: np.ndarray) -> float:
    """The shift of the English times that makes the cues overlap most (none on a tie)."""
    shifts = np.round(np.arange(-MAX_SHIFT, MAX_SHIFT + 1e-9, 0.1), 1)
    totals = [_total_overlap(zh, en + s) for s in shifts]
    best = int(np.argmax(totals))
    return float(shifts[best]) if totals[best] > totals[len(shifts) // 2] else 0.0


def align_by_time(doc: Document) -> list[SentenceBead] | None:
    """The beads of a document whose sides are subtitle cues (see the module's
    docstring), or None when it is not one."""
    found = cue_times(doc)
    if found is None:
        return None
    zh, en = found
    en = en + best_shift(zh, en)

    def linked(i: int, j: int) -> bool:
        shorter = min(zh[i, 1] - zh[i, 0], en[j, 1] - en[j, 0])
        return _overlap(zh[i], en[j]) >= LINK * max(shorter, 1e-3)

    beads: list[SentenceBead] = []
    i = j = 0
    n, m = len(zh), len(en)
    while i < n or j < m:
        if i < n and j < m and linked(i, j):
            zi, ej = [i], [j]
            grew = True
            while grew:  # take in the cues linked to the group's last ones
                grew = False
                if zi[-1] + 1 < n and linked(zi[-1] + 1, ej[-1]):
                    zi.append(zi[-1] + 1)
                    grew = True
                if ej[-1] + 1 < m and linked(zi[-1], ej[-1] + 1):
                    ej.append(ej[-1] + 1)
                    grew = True
            beads.append(_bead(zi, ej, zh, en))
            i, j = zi[-1] + 1, ej[-1] + 1
        elif j >= m or (i < n and zh[i, 0] <= en[j, 0]):
            beads.append(SentenceBead((i,), (), 0.5, para=i))
            i += 1
        else:
            beads.append(SentenceBead((), (j,), 0.5, para=j))
            j += 1
    return beads


def _bead(zi: list[int], ej: list[int], zh: np.ndarray, en: np.ndarray) -> SentenceBead:
    """A bead of cues with its confidence: the time both sides share over the time
    either spans."""
    zs, ze = zh[zi[0], 0], zh[zi[-1], 1]
    es, ee = en[ej[0], 0], en[ej[-1], 1]
    shared = max(0.0, min(ze, ee) - max(zs, es))
    spanned = max(ze, ee) - min(zs, es)
    confidence = round(shared / spanned, 4) if spanned > 0 else 0.0
    return SentenceBead(tuple(zi), tuple(ej), confidence, para=zi[0])
