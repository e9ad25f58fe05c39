"""Check that the aligner cuts Chinese exactly as jieba does and spells names exactly as
pypinyin does, on whole corpora: the aligner reads both from its own cache stores
(aligner.tokenise.Segmenter, aligner.names.syllables) instead of loading the libraries.

Usage: python scripts/tokenise_identity.py ../shared/data [--skip-bible]

Every line of MAC-Dev (mac-dev/zh/*.zh) and of the Bible (bible/bible.zh), and every
Chinese sentence of the shipped Zhang essay (as written and in its matching view), is cut
by jieba's own Tokenizer (its dictionary built from jieba's dict.txt in a temporary
folder) and by the aligner's segmenter, each alone and each with a glossary's words
added (the aligner's test glossary). Every Han word of up to four characters of those
cuts and of jieba's dictionary is romanised as the aligner did with pypinyin and as it
does now. Prints the counts, the mismatches (there must be none; the first few are
shown) and the CPU seconds of each side; exits 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
ESSAY = ROOT / "aligner" / "data" / "zhang-china-us-new-developments.txt"
GLOSSARY = ROOT / "tests" / "fixtures" / "terms" / "known.tsv"


IDEOGRAPHS = re.compile(r"^[\u4e00-\u9fff]+$")


def corpora(data: Path, bible: bool) -> dict[str, list[str]]:
    from aligner import load_document

    doc = load_document([ESSAY])
    out = {
        "Zhang essay": [s.text for s in doc.zh.sentences] + [s.norm for s in doc.zh.sentences],
        "MAC-Dev": [
            line for f in sorted((data / "mac-dev" / "zh").glob("*.zh"))
            for line in f.read_text(encoding="utf-8").splitlines()
        ],
    }  # fmt: skip
    if bible:
        out["Bible"] = (data / "bible" / "bible.zh").read_text(encoding="utf-8").splitlines()
    return out


def glossary_words(texts: list[str]) -> tuple[str, ...]:
    """Words to add: the Chinese terms of the test glossary (zh<TAB>en lines after a
    header; # notes), and made-up ones across word boundaries (characters 2 to 5 of
    every 50th text), which change the dictionary's total and so every path's score."""
    lines = GLOSSARY.read_text(encoding="utf-8").splitlines()[1:]
    terms = [line.split("\t")[0] for line in lines if line.strip() and line[0] != "#"]
    terms += [t[2:6] for t in texts[::50] if len(t) >= 6 and IDEOGRAPHS.match(t[2:6])]
    return tuple(dict.fromkeys(terms))


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """fn's result and the CPU seconds it took."""
    t = time.process_time()
    out = fn()
    return out, time.process_time() - t


def compare(name: str, texts: list[str], old: list, new: list, old_s: float, new_s: float) -> int:
    bad = [k for k in range(len(texts)) if old[k] != new[k]]
    print(f"{name}: {len(texts)}, {len(bad)} mismatches; "
          f"CPU s: old {old_s:.2f}, new {new_s:.2f}")  # fmt: skip
    for k in bad[:3]:
        print(f"  {texts[k]!r}\n    old {old[k]}\n    new {new[k]}")
    return len(bad)


def old_romanisations(words: Iterable[str]) -> dict[str, frozenset[str]]:
    """The aligner's romanisation before the readings store: pypinyin over the words
    joined by commas (aligner.names.romanise_all as it was)."""
    from pypinyin import Style, lazy_pinyin

    from aligner.names import MAX_NAME, _plain
    from aligner.normalise import HAN_ONLY

    todo = list(dict.fromkeys(words))
    out: dict[str, frozenset[str]] = dict.fromkeys(todo, frozenset())
    names = [w for w in todo if HAN_ONLY.match(w) and len(w) <= MAX_NAME]
    text = ",".join(names)
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [""] * len(chars))
    assert len(syllables) == len(text)
    k = 0
    for w in names:
        found = [_plain(s) for s in syllables[k : k + len(w)]]
        k += len(w) + 1
        if all(found):
            forms = set(found) | {"".join(found), "".join(found[1:])}
            out[w] = frozenset("@" + f for f in forms if f)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path, help="the shared data folder (../shared/data)")
    ap.add_argument("--skip-bible", action="store_true")
    args = ap.parse_args()

    import jieba

    from aligner.names import _ROMANISED, romanise_all
    from aligner.normalise import HAN_ONLY
    from aligner.tokenise import jieba_tokenizer, zh_tokenizer

    jieba.setLogLevel(logging.CRITICAL)
    texts_of = corpora(args.data, not args.skip_bible)
    words = glossary_words([t for texts in texts_of.values() for t in texts])
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        real = jieba.Tokenizer()
        real.tmp_dir = tmp
        _, load_s = timed(real.initialize)
        real_with = jieba.Tokenizer()
        real_with.tmp_dir = tmp
        real_with.initialize()
        for w in words:
            real_with.add_word(w)
    ours, ours_load_s = timed(jieba_tokenizer)
    print(f"dictionary load, CPU s: jieba from dict.txt {load_s:.2f}, aligner store "
          f"{ours_load_s:.3f} (its parts are decoded as the cuts need them)")  # fmt: skip
    seen: set[str] = set()
    for name, texts in texts_of.items():
        old, old_s = timed(lambda t=texts: [real.lcut(x) for x in t])
        new, new_s = timed(lambda t=texts: [ours.lcut(x) for x in t])
        bad += compare(f"{name} texts", texts, old, new, old_s, new_s)
        seen.update(w for cut in old for w in cut)
        old, old_s = timed(lambda t=texts: [real_with.lcut(x) for x in t])
        new, new_s = timed(lambda t=texts: [zh_tokenizer(words).lcut(x) for x in t])
        bad += compare(f"{name} texts, {len(words)} words added", texts, old, new, old_s, new_s)

    names = sorted(w for w in seen | set(real.FREQ) if HAN_ONLY.match(w) and len(w) <= 4)
    old_r, old_s = timed(lambda: old_romanisations(names))
    _, new_s = timed(lambda: romanise_all(names))
    old = [old_r[w] for w in names]
    bad += compare("romanised words", names, old, [_ROMANISED[w] for w in names], old_s, new_s)
    print("identical" if not bad else f"{bad} MISMATCHES")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
