"""Tokenisers: jieba for Chinese, a Unicode-aware regex for English, and matching forms."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import regex

from .cache import cache_dir
from .model import ZH, Document, InputError, Side

# ---------------------------------------------------------------- Chinese


@cache
def jieba_tokenizer():
    """jieba's `Tokenizer` (hence the spelling), loaded once (lazily) with its dictionary
    cached on disk."""
    import jieba

    # jieba's one error log is a traceback when it cannot write its cache (a read-only
    # cache folder): that costs speed, not correctness
    jieba.setLogLevel(logging.CRITICAL)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(cache_dir())
    tok.initialize()
    return tok


def load_user_dictionary(path: str | Path) -> None:
    """Add a jieba user dictionary (one `word [freq] [tag]` per line) to the tokenizer."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such user dictionary")
    jieba_tokenizer().load_userdict(str(p))


def add_words(words: list[str]) -> None:
    """Make jieba keep these words whole (glossary terms, for instance)."""
    tok = jieba_tokenizer()
    for w in words:
        tok.add_word(w)


def tokenise_zh(text: str) -> list[str]:
    return [t for t in jieba_tokenizer().lcut(text) if t.strip()]


# ---------------------------------------------------------------- English

EN_TOKEN = regex.compile(
    r"""
    (?:https?://|www\.)[^\s]+[^\s.,;:!?)\]'"”’]            # URLs
    | \p{N}+(?:[.,:]\p{N}+)*%?                               # 1.5  30,000  9:30
    | (?:\p{L}\.){2,}                                        # U.S.  e.g.  p.m.
      (?:-[\p{L}\p{M}\p{N}]+)*
    | [\p{L}\p{M}\p{N}]+                                     # words, with inner - and '
      (?:[-'’](?:(?:\p{L}\.){2,}|[\p{L}\p{M}\p{N}]+))*
    | \S                                                     # any other single character
    """,
    regex.VERBOSE,
)


def tokenise_en(text: str) -> list[str]:
    return EN_TOKEN.findall(text)


def tokenise_en_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """The tokens of `tokenise_en` with their offsets in `text`: (token, start, end)."""
    for m in EN_TOKEN.finditer(text):
        yield m.group(0), m.start(), m.end()


IRREGULAR = {
    "was": "be", "were": "be", "is": "be", "are": "be", "am": "be", "been": "be",
    "being": "be", "has": "have", "had": "have", "having": "have", "did": "do",
    "does": "do", "done": "do", "went": "go", "gone": "go", "goes": "go", "said": "say",
    "says": "say", "made": "make", "took": "take", "taken": "take", "came": "come",
    "saw": "see", "seen": "see", "knew": "know", "known": "know", "got": "get",
    "gotten": "get", "gave": "give", "given": "give", "found": "find", "thought": "think",
    "told": "tell", "felt": "feel", "left": "leave", "kept": "keep", "held": "hold",
    "brought": "bring", "began": "begin", "begun": "begin", "ran": "run", "wrote": "write",
    "written": "write", "stood": "stand", "heard": "hear", "met": "meet", "sat": "sit",
    "spoke": "speak", "spoken": "speak", "lay": "lie", "led": "lead", "sent": "send",
    "fell": "fall", "fallen": "fall", "ate": "eat", "eaten": "eat", "drank": "drink",
    "bought": "buy", "caught": "catch", "taught": "teach", "fought": "fight",
    "became": "become", "broke": "break", "broken": "break", "chose": "choose",
    "drew": "draw", "drove": "drive", "flew": "fly", "forgot": "forget", "grew": "grow",
    "hid": "hide", "hit": "hit", "hung": "hang", "lost": "lose", "meant": "mean",
    "paid": "pay", "rode": "ride", "rose": "rise", "sang": "sing", "slept": "sleep",
    "sold": "sell", "spent": "spend", "stole": "steal", "struck": "strike", "swam": "swim",
    "threw": "throw", "understood": "understand", "woke": "wake", "wore": "wear",
    "won": "win", "men": "man", "women": "woman", "children": "child", "feet": "foot",
    "teeth": "tooth", "mice": "mouse", "people": "people", "better": "good",
    "best": "good", "worse": "bad", "worst": "bad", "an": "a", "n't": "not",
    "dying": "die", "lying": "lie",
    # Early Modern English (older translations: the King James Bible, Legge's classics);
    # not the forms that are also modern words (brake, wilt, slew, art)
    "thou": "you", "thee": "you", "ye": "you", "thy": "your", "thine": "your",
    "hath": "have", "hast": "have", "hadst": "have", "doth": "do", "dost": "do",
    "didst": "do", "saith": "say", "spake": "speak", "shalt": "shall",
    "canst": "can", "couldst": "could", "wouldst": "would", "shouldst": "should",
    "wast": "be", "wert": "be", "begat": "beget", "sware": "swear",
    "slain": "slay", "smote": "smite", "smitten": "smite",
    "wrought": "work", "durst": "dare", "forsook": "forsake", "forsaken": "forsake",
    "arose": "arise", "arisen": "arise", "shew": "show", "shewed": "show",
}  # fmt: skip
NO_STRIP = {"this", "his", "its", "us", "yes", "thus", "was", "has", "is", "as", "gas",
            "bus", "plus", "news", "series", "species", "always", "perhaps", "towards",
            "less", "unless", "across", "chaos", "bias", "politics", "economics", "physics",
            "sometimes", "nowadays", "afterwards", "upstairs", "downstairs"}  # fmt: skip


@cache
def lemma(word: str) -> str:
    """A lower-cased matching form that forms of one word share: `policies`/`policy`,
    `moved`/`moving`/`move`, `stopped`/`stop`, `China's`/`China`. It is a light stemmer,
    applied alike to text and to dictionary glosses, so what matters is that forms of one
    word meet, not that the form is a dictionary headword."""
    w = word.lower().replace("’", "'")
    if w.endswith(("'s", "s'")) and len(w) > 3:
        w = w[:-2] if w.endswith("'s") else w[:-1]
    if w in IRREGULAR:
        base = IRREGULAR[w]  # took -> take, which then goes on as take does: tak
        return base if base == w else lemma(base)
    if not w.isalpha() or len(w) <= 3 or w in NO_STRIP:
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    elif w.endswith("ed") and len(w) > 4:
        w = _undouble(w[:-2])
    elif w.endswith("ing") and len(w) > 5:
        w = _undouble(w[:-3])
    if w.endswith("e") and not w.endswith("ee") and len(w) > 3:
        w = w[:-1]  # move/moved/moving all meet at "mov"
    return w


def _undouble(stem: str) -> str:
    """stopp -> stop, but kill, pass and buzz keep their double letter."""
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz" + "aeiou":
        return stem[:-1]
    return stem


def lemmas_en(tokens: list[str]) -> list[str]:
    return [lemma(t) for t in tokens]


# ---------------------------------------------------------------- whole sides


def tokenise_side(side: Side) -> None:
    """Fill tokens and matching forms of every sentence of a side (in place).

    Chinese is cut once, on the simplified matching view (jieba cuts simplified text
    best); when the view has the original's length (NFKC and OpenCC map characters one to
    one almost always) the original tokens are the same slices of the original text.
    """
    sentences = side.sentences
    cuts = tokenise_zh_all([s.norm for s in sentences]) if side.lang == ZH else []
    for k, s in enumerate(sentences):
        if side.lang == ZH:
            s.lemmas = cuts[k]
            if s.norm == s.text:
                s.tokens = list(s.lemmas)
            elif len(s.norm) == len(s.text):
                s.tokens = _slices(s.text, s.norm, s.lemmas)
            else:
                s.tokens = tokenise_zh(s.text)
        else:
            s.tokens = tokenise_en(s.text)
            s.lemmas = lemmas_en(s.tokens if s.norm == s.text else tokenise_en(s.norm))


PARALLEL_FROM = 5000  # sentences: below this, worker start-up costs more than it saves


def tokenise_zh_all(texts: list[str]) -> list[list[str]]:
    """jieba over many texts, on every core for long inputs (jieba is pure Python).

    The workers are forked after the dictionary is loaded, so they share it.
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(texts) < PARALLEL_FROM or workers < 2 or os.name != "posix":
        return [tokenise_zh(t) for t in texts]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jieba_tokenizer()  # load before forking
    step = -(-len(texts) // (workers * 4))
    chunks = [texts[k : k + step] for k in range(0, len(texts), step)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return [cut for part in pool.map(_cut_chunk, chunks) for cut in part]


def _cut_chunk(texts: list[str]) -> list[list[str]]:
    return [tokenise_zh(t) for t in texts]


def _slices(text: str, view: str, view_tokens: list[str]) -> list[str]:
    """The pieces of `text` at the places of `view_tokens` in the same-length `view`."""
    out, pos = [], 0
    for tok in view_tokens:
        start = view.find(tok, pos)
        if start < 0:
            return tokenise_zh(text)
        out.append(text[start : start + len(tok)])
        pos = start + len(tok)
    return out


def tokenise_document(doc: Document) -> Document:
    tokenise_side(doc.zh)
    tokenise_side(doc.en)
    return doc
