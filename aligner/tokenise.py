"""Tokenisers: jieba for Chinese, a Unicode-aware regex for English, and matching forms."""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from math import log
from pathlib import Path

import regex

from .cache import Store, Table, cached_store, stamp
from .model import ZH, Document, InputError, Side
from .progress import Progress, no_progress, part_of

# ---------------------------------------------------------------- Chinese
#
# jieba's segmentation (`Tokenizer.cut` in its default mode: the dictionary's most likely
# path, unknown runs cut by its HMM), over jieba's own dictionary and HMM kept in a store
# (see cache.py) split by first character. jieba itself keeps the dictionary as one
# marshalled dict that costs 0.65 s CPU to load (0.25 s even from memory); a short job
# here decodes only the parts its characters need, in milliseconds, and the cuts are
# jieba's own (scripts/tokenise_identity.py compares them on whole corpora). The code of
# `Segmenter` follows jieba 0.42's (MIT licence) step by step, so that every word, every
# floating-point sum and every tie comes out the same.

STORE_VERSION = 1  # of the jieba store: bump when its content or layout changes
MIN_FLOAT = -3.14e100
PREV_STATUS = {"B": "ES", "M": "MB", "S": "SE", "E": "BM"}  # jieba.finalseg.PrevStatus
RE_HAN_DEFAULT = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
RE_SKIP_DEFAULT = re.compile("(\r\n|\\s)", re.U)
RE_ENG = re.compile("[a-zA-Z0-9]", re.U)
RE_HAN_HMM = re.compile("([\u4e00-\u9fd5]+)")  # jieba.finalseg's re_han and re_skip
RE_SKIP_HMM = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
RE_USERDICT = re.compile("^(.+?)( [0-9]+)?( [a-z]+)?$", re.U)
# Words given a frequency of 0 (`del_word`): the HMM's words never stand whole. One set
# for every segmenter, as jieba's finalseg.Force_Split_Words is.
FORCE_SPLIT: set[str] = set()


def _jieba_files() -> tuple[Path, ...]:
    """The files of the installed jieba that the store is built from (found without
    importing jieba, which costs 0.1 s)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed")
    root = Path(list(spec.submodule_search_locations)[0])
    return root / "dict.txt", root / "finalseg" / "prob_emit.py", root / "__init__.py"


def _build_jieba_store() -> dict[str, object]:
    """jieba's dictionary (every word and every prefix of one, with its count: 0 for a
    prefix that is no word) split by first character, its total count, and its HMM."""
    import jieba
    from jieba import finalseg

    tok = jieba.Tokenizer()
    freq, total = tok.gen_pfdict(tok.get_dict_file())
    hmm = (finalseg.start_P, finalseg.trans_P, finalseg.emit_P)
    return {"total": total, "hmm": hmm, "words": Table(freq)}


@cache
def jieba_store() -> Store:
    name = f"jieba-v{STORE_VERSION}-{stamp(*_jieba_files())}.store"
    return cached_store(name, _build_jieba_store)


class Segmenter:
    """jieba's `Tokenizer` as this project uses it: `lcut` (default mode, HMM on),
    `add_word`/`del_word`, `suggest_freq`, `load_userdict`, `FREQ` and `total`.

    The dictionary is read from the store one first character at a time; words added
    go into a copy of their character's part, so the store's parts are never changed and
    a copy of a segmenter (`copy`) shares every part neither has changed."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._table = store.table("words")
        self._parts: dict[str, dict[str, int]] = {}  # first character -> its words
        self._own: set[str] = set()  # parts this segmenter made and may change
        self.total: int = store["total"]
        self.user_word_tag_tab: dict[str, str] = {}

    def _part(self, first: str) -> dict[str, int]:
        part = self._parts.get(first)
        if part is None:
            part = self._parts[first] = self._table.shard(first)
        return part

    def copy(self) -> Segmenter:
        """A segmenter with this one's words; words added to either later stay its own."""
        new = Segmenter(self._store)
        new._parts = dict(self._parts)
        new.total = self.total
        new.user_word_tag_tab = dict(self.user_word_tag_tab)
        self._own.clear()  # the parts are shared now: either copies one before changing it
        return new

    def load_all(self) -> None:
        """Decode every part now (before forking workers, which then share them)."""
        for first in self._table.firsts():
            self._part(first)

    @property
    def FREQ(self) -> Mapping[str, int]:  # jieba's name
        """{word or prefix of a word: count}, read-only."""
        return _Frequencies(self)

    # -------------------------------------------------------- the cut (jieba's code)

    def lcut(self, sentence: str, HMM: bool = True) -> list[str]:
        return list(self.cut(sentence, HMM))

    def cut(self, sentence: str, HMM: bool = True) -> Iterator[str]:
        cut_block = self._cut_dag if HMM else self._cut_dag_no_hmm
        for blk in RE_HAN_DEFAULT.split(sentence):
            if not blk:
                continue
            if RE_HAN_DEFAULT.match(blk):
                yield from cut_block(blk)
            else:
                for x in RE_SKIP_DEFAULT.split(blk):
                    if RE_SKIP_DEFAULT.match(x):
                        yield x
                    else:
                        yield from x

    def _dag(self, sentence: str) -> list[list[int]]:
        """For each position, the ends of the dictionary words that start there."""
        dag = []
        n = len(sentence)
        for k in range(n):
            freq = self._part(sentence[k])
            ends = []
            i = k
            frag = sentence[k]
            while i < n and frag in freq:
                if freq[frag]:
                    ends.append(i)
                i += 1
                frag = sentence[k : i + 1]
            if not ends:
                ends.append(k)
            dag.append(ends)
        return dag

    def _route(self, sentence: str) -> list[tuple[float, int]]:
        """The most likely path: for each position, (log probability, end of its word)."""
        dag = self._dag(sentence)
        n = len(sentence)
        route: list[tuple[float, int]] = [(0, 0)] * (n + 1)
        logtotal = log(self.total)
        for idx in range(n - 1, -1, -1):
            freq = self._part(sentence[idx])
            route[idx] = max(
                (log(freq.get(sentence[idx : x + 1]) or 1) - logtotal + route[x + 1][0], x)
                for x in dag[idx]
            )
        return route

    def _freq(self, word: str) -> int | None:
        return self._part(word[0]).get(word)

    def _cut_dag(self, sentence: str) -> Iterator[str]:
        route = self._route(sentence)
        x = 0
        buf = ""
        n = len(sentence)
        while x < n:
            y = route[x][1] + 1
            l_word = sentence[x:y]
            if y - x == 1:
                buf += l_word
            else:
                if buf:
                    yield from self._unknown(buf)
                    buf = ""
                yield l_word
            x = y
        if buf:
            yield from self._unknown(buf)

    def _unknown(self, buf: str) -> Iterator[str]:
        """A run of single characters: the HMM's words when the run is no word."""
        if len(buf) == 1:
            yield buf
        elif not self._freq(buf):
            yield from self._hmm_cut(buf)
        else:
            yield from buf

    def _cut_dag_no_hmm(self, sentence: str) -> Iterator[str]:
        route = self._route(sentence)
        x = 0
        n = len(sentence)
        buf = ""
        while x < n:
            y = route[x][1] + 1
            l_word = sentence[x:y]
            if RE_ENG.match(l_word) and len(l_word) == 1:
                buf += l_word
                x = y
            else:
                if buf:
                    yield buf
                    buf = ""
                yield l_word
                x = y
        if buf:
            yield buf

    def _hmm_cut(self, sentence: str) -> Iterator[str]:
        """jieba.finalseg.cut."""
        for blk in RE_HAN_HMM.split(sentence):
            if RE_HAN_HMM.match(blk):
                for word in _viterbi_words(blk, self._store["hmm"]):
                    if word not in FORCE_SPLIT:
                        yield word
                    else:
                        yield from word
            else:
                for x in RE_SKIP_HMM.split(blk):
                    if x:
                        yield x

    # -------------------------------------------------------- words added

    def add_word(self, word: str, freq: int | str | None = None, tag: str | None = None) -> None:
        count = int(freq) if freq is not None else self.suggest_freq(word)
        first = word[0]
        if first not in self._own:  # copy the part before changing it
            self._parts[first] = dict(self._part(first))
            self._own.add(first)
        part = self._parts[first]
        part[word] = count
        self.total += count
        if tag:
            self.user_word_tag_tab[word] = tag
        for ch in range(len(word)):
            part.setdefault(word[: ch + 1], 0)
        if count == 0:
            FORCE_SPLIT.add(word)

    def del_word(self, word: str) -> None:
        self.add_word(word, 0)

    def suggest_freq(self, word: str) -> int:
        """The count that makes `word` stand whole (jieba's `suggest_freq(word, False)`)."""
        ftotal = float(self.total)
        freq: float = 1
        for seg in self.cut(word, HMM=False):
            freq *= self._part(seg[0]).get(seg, 1) / ftotal
        return max(int(freq * self.total) + 1, self._part(word[0]).get(word, 1))

    def load_userdict(self, data: bytes, name: str = "") -> None:
        """Add the words of a user dictionary (`word [count] [tag]` lines, UTF-8)."""
        for ln in data.split(b"\n"):
            try:
                line = ln.strip().decode("utf-8").lstrip("\ufeff")
            except UnicodeDecodeError:
                raise ValueError(f"dictionary file {name} must be utf-8") from None
            if not line:
                continue
            word, freq, tag = RE_USERDICT.match(line).groups()  # type: ignore[union-attr]
            self.add_word(word, freq.strip() if freq else None, tag.strip() if tag else None)


class _Frequencies(Mapping[str, int]):
    """A segmenter's dictionary as jieba's `FREQ` dict: iterating it decodes every part."""

    def __init__(self, seg: Segmenter) -> None:
        self._seg = seg

    def _all_parts(self) -> Iterator[dict[str, int]]:
        seg = self._seg
        for first in dict.fromkeys([*seg._table.firsts(), *seg._parts]):
            yield seg._part(first)

    def __getitem__(self, word: str) -> int:
        if not word:
            raise KeyError(word)
        return self._seg._part(word[0])[word]

    def __iter__(self) -> Iterator[str]:
        for part in self._all_parts():
            yield from part

    def __len__(self) -> int:
        return sum(map(len, self._all_parts()))

    def items(self) -> Iterator[tuple[str, int]]:  # type: ignore[override]
        """(word, count) pairs, read straight from the parts (half a million of them)."""
        for part in self._all_parts():
            yield from part.items()


def _viterbi_words(sentence: str, hmm: tuple) -> Iterator[str]:
    """jieba.finalseg's `__cut`: the words of the most likely B/M/E/S tagging."""
    start_p, trans_p, emit_p = hmm
    v: list[dict[str, float]] = [{}]
    path: dict[str, list[str]] = {}
    for y in "BMES":
        v[0][y] = start_p[y] + emit_p[y].get(sentence[0], MIN_FLOAT)
        path[y] = [y]
    for t in range(1, len(sentence)):
        v.append({})
        newpath = {}
        for y in "BMES":
            em_p = emit_p[y].get(sentence[t], MIN_FLOAT)
            prob, state = max(
                [(v[t - 1][y0] + trans_p[y0].get(y, MIN_FLOAT) + em_p, y0) for y0 in PREV_STATUS[y]]
            )
            v[t][y] = prob
            newpath[y] = path[state] + [y]
        path = newpath
    _, state = max((v[len(sentence) - 1][y], y) for y in "ES")
    pos_list = path[state]
    begin, nexti = 0, 0
    for i, char in enumerate(sentence):
        pos = pos_list[i]
        if pos == "B":
            begin = i
        elif pos == "E":
            yield sentence[begin : i + 1]
            nexti = i + 1
        elif pos == "S":
            yield char
            nexti = i + 1
    if nexti < len(sentence):
        yield sentence[nexti:]


@cache
def jieba_tokenizer() -> Segmenter:
    """The shared segmenter (jieba's cut over jieba's dictionary), made once."""
    return Segmenter(jieba_store())


# Bumped whenever the shared tokenizer changes, so that tokenizers derived from it are
# derived again.
_generation = 0


def load_user_dictionary(source: str | Path | bytes) -> None:
    """Add a jieba user dictionary (one `word [freq] [tag]` per line: a file, or its
    UTF-8 bytes as a batch worker is sent them) to the tokenizer."""
    global _generation
    if isinstance(source, bytes):
        jieba_tokenizer().load_userdict(source, "<bytes>")
    else:
        p = Path(source)
        if not p.is_file():
            raise InputError(f"{p}: no such user dictionary")
        jieba_tokenizer().load_userdict(p.read_bytes(), str(p))
    _generation += 1


Words = tuple[str, ...]  # words a tokenisation keeps whole beyond the dictionary's


def zh_tokenizer(words: Words = ()) -> Segmenter:
    """The shared tokenizer, or for `words` (glossary terms, for instance) a tokenizer
    that also keeps them whole: the shared one is not changed, so a call with words
    leaves the tokenisation of every later call without them as it was."""
    if not words:
        return jieba_tokenizer()
    return _tokenizer_with(_generation, words)


@lru_cache(maxsize=4)
def _tokenizer_with(generation: int, words: Words) -> Segmenter:
    """A copy of the shared tokenizer (sharing its dictionary: copying costs nothing)
    with `words` added in order, as jieba's `add_word` would add them to the shared one.
    Kept per word set: a batch with one glossary builds it once. `generation` only keys
    the cache."""
    tok = jieba_tokenizer().copy()
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
    # one string object per distinct word: a long text repeats its words a great many
    # times, and as separate objects they set a run's memory (the Bible: 230 MiB)
    one: dict[str, str] = {}
    for k, s in enumerate(sentences):
        if zh:
            s.lemmas = [one.setdefault(w, w) for w in cuts[k]]
            if s.norm == s.text:
                s.tokens = list(s.lemmas)
            elif len(s.norm) == len(s.text):
                s.tokens = _slices(s.text, s.norm, s.lemmas, words)
            else:
                s.tokens = tokenise_zh(s.text, words)
        else:
            s.tokens = [one.setdefault(w, w) for w in tokenise_en(s.text)]
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

    The workers are forked after the tokenizer has decoded its whole dictionary, so they
    share it.
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

    zh_tokenizer(words).load_all()
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
