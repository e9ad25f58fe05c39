"""Tokenisers: jieba for Chinese, a Unicode-aware regex for English, and matching forms."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

import regex

from .cache import cache_dir
from .model import ZH, Document, InputError, Side
from .progress import Progress, no_progress, part_of

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


# Bumped whenever the shared tokenizer changes, so that tokenizers derived from it are
# derived again.
_generation = 0


def load_user_dictionary(source: str | Path | bytes) -> None:
    """Add a jieba user dictionary (one `word [freq] [tag]` per line: a file, or its
    UTF-8 bytes as a batch worker is sent them) to the tokenizer."""
    global _generation
    if isinstance(source, bytes):
        jieba_tokenizer().load_userdict(io.BytesIO(source))
    else:
        p = Path(source)
        if not p.is_file():
            raise InputError(f"{p}: no such user dictionary")
        jieba_tokenizer().load_userdict(str(p))
    _generation += 1


Words = tuple[str, ...]  # words a tokenisation keeps whole beyond the dictionary's


def zh_tokenizer(words: Words = ()):
    """The shared tokenizer, or for `words` (glossary terms, for instance) a tokenizer
    that also keeps them whole: the shared one is not changed, so a call with words
    leaves the tokenisation of every later call without them as it was."""
    if not words:
        return jieba_tokenizer()
    return _tokenizer_with(_generation, words)


@lru_cache(maxsize=4)
def _tokenizer_with(generation: int, words: Words):
    """A copy of the shared tokenizer's dictionary (loaded once, so copying costs tens of
    milliseconds, not the seconds of a load) with `words` added in order, as jieba's
    `add_word` would add them to the shared one. Kept per word set: a batch with one
    glossary builds it once. `generation` only keys the cache."""
    import jieba

    base = jieba_tokenizer()
    tok = jieba.Tokenizer(base.dictionary)
    tok.tmp_dir = base.tmp_dir
    tok.FREQ, tok.total = dict(base.FREQ), base.total
    tok.user_word_tag_tab = dict(base.user_word_tag_tab)
    tok.initialized = True
    for w in words:
        tok.add_word(w)
    return tok


def tokenise_zh(text: str, words: Words = ()) -> list[str]:
    """jieba's tokens of `text` without spaces; `words` are kept whole too. A technical
    Latin run (a URL, a path, a version or section number, a package name: `9.5.1.`,
    `/etc/apt`, `zh-cn`, `U.S.`) is cut by the English tokenizer instead, so that it is
    cut as the English text cuts it (jieba makes a URL twenty-two tokens)."""
    tokenizer = zh_tokenizer(words)
    out: list[str] = []
    at = 0
    for run in ASCII_RUN.finditer(text):
        if TECHNICAL.search(run.group()):
            out += [t for t in tokenizer.lcut(text[at : run.start()]) if t.strip()]
            out += tokenise_en(run.group())
            at = run.end()
    out += [t for t in tokenizer.lcut(text[at:]) if t.strip()]
    return out


ASCII_RUN = regex.compile(r"[!-~]+")
# inner punctuation between letters or digits, a leading slash, a scheme
TECHNICAL = regex.compile(r"[A-Za-z0-9][./:_-]+[A-Za-z0-9]|^/[A-Za-z0-9]|://")


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


REPORT_EVERY = 500  # sentences between two progress reports


def tokenise_side(side: Side, words: Words = (), progress: Progress = no_progress) -> None:
    """Fill tokens and matching forms of every sentence of a side (in place); Chinese
    `words` are kept whole (see `zh_tokenizer`). Reports the stage "tokenising" in
    sentences.

    Chinese is cut once, on the simplified matching view (jieba cuts simplified text
    best); when the view has the original's length (NFKC and OpenCC map characters one to
    one almost always) the original tokens are the same slices of the original text.
    """
    sentences = side.sentences
    total = len(sentences)
    progress("tokenising", 0, total)
    zh = side.lang == ZH
    cuts = tokenise_zh_all([s.norm for s in sentences], words, progress) if zh else []
    for k, s in enumerate(sentences):
        if zh:
            s.lemmas = cuts[k]
            if s.norm == s.text:
                s.tokens = list(s.lemmas)
            elif len(s.norm) == len(s.text):
                s.tokens = _slices(s.text, s.norm, s.lemmas, words)
            else:
                s.tokens = tokenise_zh(s.text, words)
        else:
            s.tokens = tokenise_en(s.text)
            s.lemmas = lemmas_en(s.tokens if s.norm == s.text else tokenise_en(s.norm))
            if k % REPORT_EVERY == REPORT_EVERY - 1:
                progress("tokenising", k + 1, total)
    progress("tokenising", total, total)


PARALLEL_FROM = 5000  # sentences: below this, worker start-up costs more than it saves


def tokenise_zh_all(
    texts: list[str], words: Words = (), progress: Progress = no_progress
) -> list[list[str]]:
    """jieba over many texts, on every core for long inputs (jieba is pure Python);
    reports the stage "tokenising" in texts cut.

    The workers are forked after the tokenizer is made, so they share its dictionary.
    """
    workers = min(os.cpu_count() or 1, 8)
    step = REPORT_EVERY
    parallel = len(texts) >= PARALLEL_FROM and workers >= 2 and os.name == "posix"
    if parallel:
        step = -(-len(texts) // (workers * 4))
    chunks = [(texts[k : k + step], words) for k in range(0, len(texts), step)]
    if not parallel:
        return _gather(map(_cut_chunk, chunks), len(texts), progress)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    zh_tokenizer(words)  # made before forking
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return _gather(pool.map(_cut_chunk, chunks), len(texts), progress)


def _cut_chunk(chunk: tuple[list[str], Words]) -> list[list[str]]:
    texts, words = chunk
    return [tokenise_zh(t, words) for t in texts]


def _gather(parts: Iterator[list[list[str]]], total: int, progress: Progress) -> list[list[str]]:
    """The cuts of the chunks in order, reported as they come."""
    out: list[list[str]] = []
    for part in parts:
        out.extend(part)
        progress("tokenising", len(out), total)
    return out


def _slices(text: str, view: str, view_tokens: list[str], words: Words) -> list[str]:
    """The pieces of `text` at the places of `view_tokens` in the same-length `view`."""
    out, pos = [], 0
    for tok in view_tokens:
        start = view.find(tok, pos)
        if start < 0:
            return tokenise_zh(text, words)
        out.append(text[start : start + len(tok)])
        pos = start + len(tok)
    return out


def tokenise_document(doc: Document, progress: Progress = no_progress) -> Document:
    """Tokenise both sides in place; reports the stage "tokenising" in sentences."""
    zh, en = len(doc.zh.sentences), len(doc.en.sentences)
    tokenise_side(doc.zh, progress=part_of(progress, 0, zh + en))
    tokenise_side(doc.en, progress=part_of(progress, zh, zh + en))
    return doc
