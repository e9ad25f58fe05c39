"""Bilingual term extraction: from aligned sentence pairs to termbase entries.

The pipeline, for one aligned document or many:

1. Chinese candidates: the text is cut on a lattice of jieba's dictionary and CC-CEDICT
   (fewest words, jieba frequencies breaking ties), and candidate terms are runs of one to
   six words inside a clause whose edges are content words (no particles, prepositions,
   pronouns or adverbs, by jieba's part-of-speech table and a short list of light words).
2. English candidates: spans of up to eight tokens inside a clause, content words at both
   ends and only `of`, `and`, `to`, `for`, `on`, `the` inside (noun-phrase shapes found by
   stop-word boundaries), with singular and plural folded.
3. Term alignment inside each aligned pair: the English span of a Chinese candidate is
   the one whose words best explain and are best explained by the candidate's words
   (an F-measure of CC-CEDICT composition: each Chinese part's translations found in the
   span, each content word of the span found among them), names compared by pinyin and
   Wade-Giles syllables, acronyms by initials, and words neither side can explain paired
   with each other when they stand together (a term the dictionary lacks).
4. Entries: the renderings of a candidate across its occurrences (folded), the preferred
   one and the variants, a confidence from alignment quality, consistency (the Dice
   coefficient of the Chinese term and its English) and termhood; nested candidates keep
   their own entry only when they have their own translation, and one concept (one
   preferred English) keeps one entry.

Nothing here names a particular text's terms: the rules are stop words, parts of speech,
dictionary composition and romanisation.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import regex

from .model import Alignment, Entry, InputError, Sentence
from .normalise import simplified
from .tokenise import lemma, tokenize_en

# ---------------------------------------------------------------- the entry


# ---------------------------------------------------------------- input pairs


@dataclass
class Pair:
    """One aligned pair as the term extractor sees it."""

    zh_text: str  # as written
    zh_norm: str  # simplified matching view (same length as zh_text when possible)
    en_text: str
    doc: str = ""


def pairs_from(source) -> list[Pair]:
    """Aligned pairs from an Alignment, a list of Alignments, or a list of
    (zh sentences, en sentences) pairs (Sentence lists or plain strings)."""
    if isinstance(source, Alignment):
        return _alignment_pairs(source)
    out: list[Pair] = []
    for item in source:
        if isinstance(item, Alignment):
            out.extend(_alignment_pairs(item))
            continue
        try:
            zh, en = item
        except (TypeError, ValueError):
            raise InputError(
                "term extraction needs Alignments or (zh, en) sentence pairs"
            ) from None
        zt, zn = _zh_side(zh)
        et = _en_side(en)
        if zn.strip() and et.strip():
            out.append(Pair(zt, zn, et))
    return out


MIN_BEAD_CONFIDENCE = 0.2  # beads below this are too unsure to take terms from


def _alignment_pairs(al) -> list[Pair]:
    doc = al.document
    out: list[Pair] = []  # titles are left out: they are translated too freely
    if al.level == "paragraph":
        for b in al.beads:
            if b.zh and b.en and b.confidence >= MIN_BEAD_CONFIDENCE:
                zt, et = al.texts(b)
                out.append(Pair(zt, simplified(zt), et, doc.name))
        return out
    zs, es = doc.zh.sentences, doc.en.sentences
    for b in al.beads:
        if not b.zh or not b.en or b.confidence < MIN_BEAD_CONFIDENCE:
            continue
        zt, zn = _zh_side([zs[i] for i in b.zh])
        out.append(Pair(zt, zn, " ".join(es[j].text for j in b.en), doc.name))
    return out


def _zh_side(zh) -> tuple[str, str]:
    """The Chinese as written and its simplified matching view (terms are found on the
    view and given as written when the two have one length)."""
    if isinstance(zh, str):
        return zh, simplified(zh)
    texts, norms = [], []
    for s in zh:
        if not isinstance(s, Sentence):
            s = str(s)
            texts.append(s)
            norms.append(simplified(s))
            continue
        texts.append(s.text)
        norms.append(s.norm or simplified(s.text))
    return "".join(texts), "".join(norms)


def _en_side(en) -> str:
    if isinstance(en, str):
        return en
    return " ".join(s.text if isinstance(s, Sentence) else str(s) for s in en)


# ---------------------------------------------------------------- Chinese segmentation

HAN = regex.compile(r"\p{Han}")
ZH_RUN = regex.compile(r"\p{Han}+|[A-Za-z][A-Za-z0-9]*(?:[.\-][A-Za-z0-9]+)*|[0-9]+(?:\.[0-9]+)?")
MAX_WORD = 8  # longest dictionary word the lattice considers
TIE_BREAK = 0.02  # weight of -log10 p(word) against one word more or fewer

# Light words: they may stand inside a term (与 in X与Y磋商) but never at its edge.
ZH_LIGHT = frozenset(
    """的 地 得 了 着 过 之 是 有 在 和 与 及 或 并 而 也 都 就 又 还 将 会 要 能 可 应 须
    已 被 把 让 使 对 向 从 为 以 于 等 其 该 此 这 那 个 们 所 上 下 中 里 内 外 前 后 时 间
    不 没 无 很 更 最 再 仍 即 则 却 但 如 若 且 虽 乃至 以及 以来 以此 以后 以前 之间 期间
    之后 之前 方面 进行 开展 实现 做出 作出 得到 成为 产生 发挥 加以 予以 给予 受到 获得 各 每
    某 某些 一些 这些 那些 这个 那个 这种 那种 一个 一种 一项 一大 诸多 许多 多 少 大 小 新
    相关 有关 年 月 日 号 尤其 尤其是 特别 特别是 包括 通过 关于 对于 至于 随着 除""".split()
)
# jieba part-of-speech tags of closed classes: particles, prepositions, conjunctions,
# pronouns, adverbs, interjections; none stands at a term's edge or inside it
CLOSED_POS = frozenset("u uj ul uz ud ug uv p c y e o r rr rz rg d df dg h k x zg".split())
START_BAD_POS = CLOSED_POS | {"a", "ad", "b", "z", "mq"}  # evaluative modifiers open none
END_BAD_POS = CLOSED_POS | {"m", "mq", "v", "vd", "vi", "q"}  # numbers and verbs close none
COORDINATORS = frozenset({"与", "和", "及", "或", "、"})
NOMINAL_POS = frozenset("n nr nrfg nrt ns nt nz vn an j l i eng ng".split())


@cache
def _dictionary() -> tuple[dict[str, int], int, dict[str, str]]:
    """{word: jieba frequency (0 for CC-CEDICT-only words)}, jieba's total, POS tags."""
    from .check import readable_glosses
    from .lexicon import cedict
    from .tokenise import jieba_tokenizer

    tok = jieba_tokenizer()
    freq = {w: f for w, f in tok.FREQ.items() if f > 0 and len(w) <= MAX_WORD}
    for table in (cedict(), readable_glosses()):
        for w in table:
            if 1 < len(w) <= MAX_WORD and w not in freq and HAN.match(w):
                freq[w] = 0
    try:
        import jieba.posseg as posseg

        tags = posseg.dt.word_tag_tab
    except Exception:  # noqa: BLE001 - no POS table: edges rest on the light words
        tags = {}
    return freq, max(tok.total, 1), tags


def pos_of(word: str) -> str:
    return _dictionary()[2].get(word, "")


def general_frequency(word: str) -> int:
    """The word's frequency in jieba's general-language dictionary (0 when absent)."""
    return _dictionary()[0].get(word, 0)


def _cut_han(run: str) -> list[str]:
    """Fewest dictionary words (jieba's dictionary and CC-CEDICT), ties broken by jieba's
    word probabilities: 中美军控与防扩散磋商 -> 中美 军控 与 防扩散 磋商."""
    freq, total, _ = _dictionary()
    n = len(run)
    best = [0.0] + [math.inf] * n
    back = [0] * (n + 1)
    log_total = math.log10(total)
    for i in range(n):
        if best[i] == math.inf:
            continue
        for j in range(i + 1, min(n, i + MAX_WORD) + 1):
            w = run[i:j]
            f = freq.get(w)
            if f is None and j > i + 1:
                continue
            cost = 1.0 + TIE_BREAK * (log_total - math.log10((f or 0) + 1))
            if best[i] + cost < best[j]:
                best[j] = best[i] + cost
                back[j] = i
    out, j = [], n
    while j > 0:
        out.append(run[back[j] : j])
        j = back[j]
    return out[::-1]


@dataclass
class ZhToken:
    text: str  # simplified view
    start: int  # offset in the pair's Chinese text
    end: int
    clause: int  # clause number within the pair (punctuation splits clauses)
    pos: str
    han: bool

    @property
    def light(self) -> bool:
        return self.text in ZH_LIGHT


def segment_zh(norm: str) -> list[ZhToken]:
    """The Chinese tokens of a pair, each with its offsets and clause number."""
    out: list[ZhToken] = []
    clause, last = 0, 0
    for m in ZH_RUN.finditer(norm):
        if _breaks_clause(norm[last : m.start()]):
            clause += 1
        last = m.end()
        if HAN.match(m.group(0)):
            pos = m.start()
            for w in _cut_han(m.group(0)):
                tag = pos_of(w)
                prev = out[-1] if out else None
                if prev and prev.han and prev.end == pos and prev.pos == "m" == tag:
                    # one number in several words: 一点 五 -> 一点五 (1.5)
                    out[-1] = ZhToken(prev.text + w, prev.start, pos + len(w), clause, "m", True)
                else:
                    out.append(ZhToken(w, pos, pos + len(w), clause, tag, True))
                pos += len(w)
        else:
            out.append(ZhToken(m.group(0), m.start(), m.end(), clause, "eng", False))
    return out


def _breaks_clause(between: str) -> bool:
    """Anything but spaces and hyphens between two runs ends a clause."""
    return bool(between.strip(" \u3000-·"))


# ---------------------------------------------------------------- English tokens

EN_STOP = frozenset(
    """a an the of to in on at by for from with without into onto upon about as and or but
    nor so than then that this these those there here be am is are was were been being do
    does did doing have has had having it its he him his she her they them their we us our
    you your i me my not no all any some each every such what which who whom whose when
    where why how also very too just only if up down out over off again more most less
    least can could may might must shall should will would also even still yet both either
    neither other another same own rather whether while because since although though
    however thus therefore toward towards across between among through during before after
    against within beyond per via like ones""".split()
)
# Modifiers that make free combinations rather than terms (an important consensus).
EN_EVALUATIVE = frozenset(
    """important significant major serious positive negative new good bad key main
    concrete various many much certain relevant broad broader wide wider great greater
    further additional particular specific effective meaningful sufficient explicit
    consistent extensive strong severe top useful crucial pivotal nascent respective
    existing current recent overall real actual possible necessary difficult clear
    early late long short high low large small first second third fourth last next
    previous prior""".split()
)
INSIDE_OK = frozenset({"of", "and", "to", "for", "on", "the"})
MAX_EN = 8
QUOTES = "“”‘’\"'«»「」『』"
EN_WORD = regex.compile(r"[\p{L}\p{N}]")
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}
US_FORMS = frozenset({"u.s.", "u.s", "us", "usa", "u.s.a."})
NEG_PREFIX = ("non", "anti", "counter")


@dataclass
class EnToken:
    text: str
    start: int
    end: int
    clause: int
    lower: str
    forms: frozenset[str]  # matching forms (lemmas, hyphen parts, digits)
    stop: bool
    word: bool
    cap: bool
    initial: bool = False  # the first word of a sentence (its capital tells nothing)

    @property
    def content(self) -> bool:
        return self.word and not self.stop

    @property
    def forms_whole(self) -> str:
        return lemma(self.text)


def _en_forms(tok: str) -> frozenset[str]:
    low = tok.lower().replace("’", "'")
    forms = {lemma(tok)}
    if low in US_FORMS:
        forms |= {"usa", "america", "american"}
    parts = [p for p in regex.split(r"[-/]", low) if p] if ("-" in low or "/" in low) else []
    for p in parts:
        forms.add(lemma(p))
        if p in US_FORMS:
            forms |= {"usa", "america"}
    if low in ROMAN and tok.isupper():
        forms.add(ROMAN[low])
    for w in [low, *parts]:
        for pre in NEG_PREFIX:
            if w.startswith(pre) and len(w) > len(pre) + 4:
                forms.add(lemma(w[len(pre) :].lstrip("-")))
    return frozenset(f for f in forms if f)


EN_TOKEN_SPANS = regex.compile(
    r"(?:https?://|www\.)[^\s]+[^\s.,;:!?)\]'\"”’]|\p{N}+(?:[.,:]\p{N}+)*%?"
    r"|(?:\p{L}\.){2,}(?:-[\p{L}\p{M}\p{N}]+)*"
    r"|[\p{L}\p{M}\p{N}]+(?:[-'’](?:(?:\p{L}\.){2,}|[\p{L}\p{M}\p{N}]+))*|\S"
)
CLAUSE_PUNCT = frozenset(",;:.!?()[]{}—–─…/|")


def tokens_en(text: str) -> list[EnToken]:
    """English tokens with offsets, clause numbers and matching forms."""
    out: list[EnToken] = []
    clause = 0
    initial = True
    for m in EN_TOKEN_SPANS.finditer(text):
        tok = m.group(0)
        if tok in CLAUSE_PUNCT or (len(tok) == 1 and not EN_WORD.match(tok) and tok not in QUOTES):
            clause += 1
            initial = initial or tok in ".!?…"
            continue
        if tok in QUOTES:
            out.append(EnToken(tok, m.start(), m.end(), clause, tok, frozenset(), True, False,
                               False))  # fmt: skip
            continue
        if tok.endswith(".") and not regex.fullmatch(r"(?:\p{L}\.)+", tok.split("-")[-1]):
            tok = tok[:-1]
        low = tok.lower()
        word = bool(EN_WORD.search(tok))
        out.append(
            EnToken(
                tok,
                m.start(),
                m.start() + len(tok),
                clause,
                low,
                _en_forms(tok),
                low in EN_STOP,
                word,
                tok[:1].isupper(),
                initial and word,
            )  # fmt: skip
        )
        initial = initial and not word
    return out


# ---------------------------------------------------------------- lexical matching


@cache
def _readable_forms(word: str) -> frozenset[str]:
    """Content-word lemmas of the word's first readable CC-CEDICT sense (措施 -> measure,
    which the matching lexicon leaves out as a classifier gloss)."""
    from .check import readable_glosses

    gloss = readable_glosses().get(word, "")
    return frozenset(
        lemma(t) for t in tokenize_en(gloss) if EN_WORD.match(t) and t.lower() not in EN_STOP
    )


NAME_GLOSS = regex.compile(r"^((?:[A-Z][\w'\-]*\s?){1,4})\s*,\s")
NUMERALS = {"一": ("1", "one"), "二": ("2", "two"), "两": ("2", "two"), "三": ("3", "three"),
            "四": ("4", "four"), "五": ("5", "five"), "六": ("6", "six"),
            "七": ("7", "seven"), "八": ("8", "eight"), "九": ("9", "nine"),
            "十": ("10", "ten")}  # fmt: skip


def _first_gloss(word: str) -> str:
    from .check import readable_glosses

    return readable_glosses().get(word, "")


@cache
def char_forms(word: str) -> frozenset[str]:
    """The forms of a compound's characters, for a word whose own glosses match nothing
    in a pair (建立 `establish` in confidence-building: 建 `build`)."""
    from .lexicon import translations

    out: set[str] = set()
    for ch in word:
        out |= {f for f in translations(ch) if not f.startswith("@")} | _readable_forms(ch)
    return frozenset(out)


@cache
def zh_forms(word: str) -> frozenset[str]:
    """English matching forms of a Chinese token: CC-CEDICT (whole word, else its parts),
    its first readable sense, numbers as digits, hyphenated glosses also by their parts."""
    from .lexicon import numbers_in_chinese, translations

    name = NAME_GLOSS.match(_first_gloss(word))
    if name:  # 王毅 `Wang Yi , PRC foreign minister ...`: the name, not the description
        forms = {lemma(t) for t in tokenize_en(name.group(1)) if EN_WORD.match(t)}
    else:
        forms = {f for f in translations(word) if not f.startswith("@")}
        forms |= _readable_forms(word)
    if HAN.match(word):
        forms.update(numbers_in_chinese(word))
        if len(word) <= 3:  # 二轨 -> 2, two; 一中 -> 1, one
            for ch in word:
                if ch in NUMERALS:
                    forms.update(NUMERALS[ch])
    for f in list(forms):
        if "-" in f:  # china-usa -> china, usa
            forms.update(p for p in f.split("-") if len(p) > 1)
    if not HAN.match(word):
        forms.add(word.lower())
        forms.add(lemma(word))
    return frozenset(forms)


PREFIX = 5  # forms of one word share at least this many first letters


@cache
def _prefix_index(forms: frozenset[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = defaultdict(list)
    for f in forms:
        if len(f) >= PREFIX:
            index[f[:PREFIX]].append(f)
    return {k: tuple(v) for k, v in index.items()}


def _same_word(a: str, b: str) -> bool:
    """Two matching forms of one word: a common prefix of five letters or more that
    leaves at most two letters of the shorter (strategy/strategic, relation/relationship,
    proliferat/proliferation)."""
    n = min(len(a), len(b))
    k = 0
    while k < n and a[k] == b[k]:
        k += 1
    return k >= PREFIX and k >= n - 2


def forms_match(zh: frozenset[str], en: frozenset[str]) -> bool:
    if zh & en:
        return True
    index = _prefix_index(zh)
    for g in en:
        if len(g) >= PREFIX:
            for f in index.get(g[:PREFIX], ()):
                if _same_word(f, g):
                    return True
    return False


# ---------------------------------------------------------------- names (romanisation)

VOWELS = "aeiouüv"


@cache
def syllable_spellings(ch: str) -> frozenset[str]:
    """Romanisations of one character as a name syllable: pinyin, Wade-Giles (without
    apostrophes) and their mixtures (Wade-Giles initial with pinyin final and the other
    way round), with common loose forms (yi/i, -ian/-ien, -ong/-ung)."""
    from pypinyin import Style, pinyin

    spellings: set[str] = set()
    py = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    wg = pinyin(ch, style=Style.WADEGILES, heteronym=True, errors="ignore")
    pys = [s.replace("ü", "u").replace("v", "u") for s in (py[0] if py else [])]
    wgs = [s.replace("'", "").replace("ü", "u") for s in (wg[0] if wg else [])]
    for p in pys + wgs:
        spellings.add(p)
    for p in pys:
        for w in wgs:
            po, pr = _onset(p)
            wo, wr = _onset(w)
            spellings.update({wo + pr, po + wr})
    for s in list(spellings):
        if s.startswith("y") and len(s) > 2 and s[1] in "iu":
            spellings.add(s[1:])
        spellings.add(s.replace("ian", "ien").replace("ong", "ung"))
        if s.endswith("e") and len(s) <= 3:
            spellings.add(s[:-1] + "o")
    return frozenset(s for s in spellings if s)


def _onset(s: str) -> tuple[str, str]:
    for i, c in enumerate(s):
        if c in VOWELS:
            return s[:i], s[i:]
    return s, ""


def romanises(han: str, english: str) -> bool:
    """Is `english` (a name: Lai Ching-te, Xi Jinping) a romanisation of `han` (赖清德)?
    Each character must spell one syllable, in order, covering the English exactly;
    a syllable may not cross a space or hyphen of the English."""
    if not (2 <= len(han) <= 4) or not all(HAN.match(c) for c in han):
        return False
    target = regex.sub(r"[’']", "", english.lower())
    if not regex.fullmatch(r"[a-z]+(?:[ \-][a-z]+)*", target):
        return False
    spell = [syllable_spellings(c) for c in han]

    def walk(k: int, pos: int) -> bool:
        if k == len(spell):
            return pos == len(target)
        if pos < len(target) and target[pos] in " -":
            pos += 1
        for s in spell[k]:
            if target.startswith(s, pos):
                nxt = pos + len(s)
                if nxt == len(target) or target[nxt] in " -" or k + 1 < len(spell):
                    if walk(k + 1, nxt):
                        return True
        return False

    return walk(0, 0)


def _acronym_matches(acronym: str, toks: list[EnToken]) -> list[tuple[int, int]]:
    """English spans whose initials spell a Latin acronym (AI -> artificial intelligence,
    CBM -> confidence-building measures)."""
    letters = acronym.lower()
    if not (2 <= len(letters) <= 6) or not acronym.isupper() or not letters.isalpha():
        return []
    initials: list[tuple[int, str]] = []  # (token index, initial) for words and parts
    for j, t in enumerate(toks):
        if t.content:
            for part in regex.split(r"-", t.lower):
                if part:
                    initials.append((j, part[0]))
    out = []
    for k in range(len(initials) - len(letters) + 1):
        if "".join(c for _, c in initials[k : k + len(letters)]) == letters:
            s, e = initials[k][0], initials[k + len(letters) - 1][0]
            if all(toks[x].word for x in range(s, e + 1)) and toks[s].clause == toks[e].clause:
                out.append((s, e))
    return out


# ---------------------------------------------------------------- alignment inside pairs


@dataclass
class Occurrence:
    """One occurrence of a Chinese candidate in an aligned pair, with its English."""

    key: str  # simplified Chinese term
    written: str  # as written
    pair: int  # index of the pair
    en: str = ""  # display form of the English span ("" when none was found)
    en_key: tuple[str, ...] = ()  # its folded form (lemmas)
    score: float = 0.0  # alignment F-measure 0..1
    recall: float = 0.0  # share of the Chinese (by characters) the English renders
    covered: frozenset[int] = frozenset()  # offsets in the term of rendered characters
    tokens: int = 1  # Chinese words in the term
    named: bool = False  # matched as a romanised name
    first_pos: str = ""  # part of speech of its first word
    proper: bool = False  # the English is capitalised, not only as a sentence's first word


@dataclass
class _PairView:
    pair: Pair
    zt: list[ZhToken]
    et: list[EnToken]
    match: list[frozenset[int]]  # per Chinese token: the English tokens it matches
    parts: list[list[_Part]]  # per Chinese token: its pieces, matched on their own
    orphan_e: list[bool]  # English content words no Chinese word of the pair explains
    names: list[tuple[int, int, int, int]]  # zh start,end (chars), en token s,e
    spans: set[tuple[int, int]] = field(default_factory=set)  # valid English term spans


@dataclass
class _Span:
    f: float = 0.0
    p: float = 0.0
    r: float = 0.0
    s: int = -1
    e: int = -1
    covered: frozenset[int] = frozenset()  # character offsets in the pair's Chinese


MAX_ZH_WORDS = 6
MAX_ZH_CHARS = 12
ORPHAN_CREDIT = 0.5  # an unexplained word paired with an unexplained word counts this much
CHARS_PER_WORD = 2.0  # Chinese characters per English content word, for orphan pairing


@dataclass
class _Part:
    """A piece of a Chinese token that is matched on its own: the token itself, or for a
    long compound its dictionary words (政府官员 -> 政府 官员), so that an English word
    rendering one of them does not count as rendering the whole."""

    start: int
    end: int
    weight: int
    hits: frozenset[int] = frozenset()  # English tokens it matches

    @property
    def orphan(self) -> bool:
        return self.weight > 0 and not self.hits


def _split_compound(word: str) -> list[str]:
    """The dictionary words of a compound of three characters or more, when they are
    words of two characters or more, or two pieces (核 武库); the two characters of a
    two-character word CC-CEDICT does not know; else the word itself."""
    if len(word) == 2 and HAN.match(word):
        gloss = _first_gloss(word)
        if not gloss or regex.fullmatch(r"[A-Z]\w+-[A-Z]\w+", gloss):
            return [word[0], word[1]]  # 俄中 `Russia-China`: two names side by side
    if len(word) < 3 or not HAN.match(word):
        return [word]
    freq, total, _ = _dictionary()
    saved = freq.pop(word, None)
    try:
        parts = _cut_han(word)
    finally:
        if saved is not None:
            freq[word] = saved
    if len(parts) == 2 or all(len(p) > 1 for p in parts):
        return parts
    return [word]


def _token_hits(text: str, han: bool, content: list[int], et: list[EnToken]) -> set[int]:
    forms = zh_forms(text)
    hits = {j for j in content if forms_match(forms, et[j].forms)}
    if not hits and han and len(text) > 1:
        # the characters' glosses, but only against the parts of English compounds
        # (建立 in confidence-building by 建 `build`): against whole words they match
        # too much
        forms = char_forms(text)
        hits = {
            j for j in content
            if "-" in et[j].text and forms_match(forms, et[j].forms - {et[j].forms_whole})
        }  # fmt: skip
    if not han:
        for s, e in _acronym_matches(text, et):
            hits.update(range(s, e + 1))
    return hits


def _view(pair: Pair) -> _PairView:
    zt = segment_zh(pair.zh_norm)
    et = tokens_en(pair.en_text)
    content = [j for j, t in enumerate(et) if t.content]
    parts: list[list[_Part]] = []
    for z in zt:
        if z.light:
            parts.append([_Part(z.start, z.end, 0)])
            continue
        whole = _token_hits(z.text, z.han, content, et)
        pieces = _split_compound(z.text) if z.han else [z.text]
        own: list[_Part] = []
        if len(pieces) > 1:
            pos = z.start
            for piece in pieces:
                hits = _token_hits(piece, True, content, et)
                own.append(_Part(pos, pos + len(piece), len(piece), frozenset(hits)))
                pos += len(piece)
        if not any(p.hits for p in own):  # the pieces match nothing: the word as a whole
            own = [_Part(z.start, z.end, len(z.text) if z.han else 2, frozenset(whole))]
        else:  # what the whole word matches and no piece does goes to the silent pieces
            rest = frozenset(whole) - frozenset().union(*(p.hits for p in own))
            for p in own:
                if rest and not p.hits:
                    p.hits = rest
        parts.append(own)
    # a romanised name's English words are matched by its characters
    names = _names(pair.zh_norm, et)
    for zs, ze, s, e in names:
        hits = frozenset(range(s, e + 1))
        for own in parts:
            for p in own:
                if p.weight and p.start < ze and p.end > zs:
                    p.hits = p.hits | hits
    match = [frozenset().union(*(p.hits for p in own)) for own in parts]
    matched_e = set().union(*match) if match else set()
    orphan_e = [t.content and j not in matched_e for j, t in enumerate(et)]
    return _PairView(pair, zt, et, match, parts, orphan_e, names, _valid_spans(et))


def _find_all(text: str, key: str) -> list[int]:
    out, start = [], text.find(key) if key else -1
    while start >= 0:
        out.append(start)
        start = text.find(key, start + len(key))
    return out


def _names(norm: str, et: list[EnToken]) -> list[tuple[int, int, int, int]]:
    """Romanised names: runs of capitalised English words matched to Han substrings."""
    out = []
    j = 0
    while j < len(et):
        if not (et[j].cap and et[j].word and et[j].text.replace("-", "").isalpha()):
            j += 1
            continue
        k = j
        while (
            k + 1 < len(et)
            and et[k + 1].cap
            and et[k + 1].word
            and et[k + 1].clause == et[j].clause
        ):
            k += 1
        done: list[tuple[int, int]] = []
        for width in range(min(k - j, 2), -1, -1):  # the longest first: Xi Jinping, not Jinping
            for s in range(j, k - width + 1):
                e = s + width
                if any(ds <= s and e <= de for ds, de in done):
                    continue
                name = " ".join(t.text for t in et[s : e + 1])
                if len(name.replace(" ", "").replace("-", "")) < 4 or et[s].stop:
                    continue
                for size in (2, 3, 4):
                    for zs in range(len(norm) - size + 1):
                        if romanises(norm[zs : zs + size], name):
                            out.append((zs, zs + size, s, e))
                            done.append((s, e))
        j = k + 1
    return out


def _valid_spans(et: list[EnToken]) -> set[tuple[int, int]]:
    """English spans that may be a term: one clause, content words at both ends, only a
    few function words inside (`the` only after `of`, `and` only in names), no
    evaluative modifier first."""
    out = set()
    n = len(et)
    for s in range(n):
        t = et[s]
        if not t.content or t.lower in EN_EVALUATIVE or _count(t):
            continue
        stops = 0
        coordinated = the_after_of = False
        for e in range(s, min(n, s + MAX_EN)):
            u = et[e]
            if u.clause != t.clause:
                break
            if u.word and u.stop:
                if u.lower not in INSIDE_OK or (u.lower == "the" and et[e - 1].lower != "of"):
                    break
                the_after_of = the_after_of or u.lower == "the"
                stops += 1
                coordinated = coordinated or u.lower == "and"
                if stops > 2:
                    break
                continue
            if not u.word:  # a quotation mark: may stand inside, not at an edge
                continue
            if _adjective(u):
                continue  # a term ends with its head noun, not a modifier (strategic)
            if any(regex.search(r"['’]s$", et[x].text) for x in range(s, e)):
                break  # China's red lines: a possessive makes a phrase, not a term
            if the_after_of and not _proper(et, s, e):
                continue  # the definition of the ..., a phrase unless a name
            if coordinated and not _proper(et, s, e):
                continue  # a coordination is a term only as a name (Arms Control and ...)
            out.add((s, e))
    return out


NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve twenty "
    "thirty hundred thousand million billion dozen".split()
)


ADJECTIVE_END = ("ic", "ical", "ive", "ous", "ful", "less", "able", "ible")
NOUNS_LIKE_ADJECTIVES = frozenset(
    """initiative objective representative executive alternative incentive perspective
    directive narrative motive offensive explosive collective logic public topic music
    clinic critic mechanic republic traffic graphic fabric rhetoric characteristic
    statistic tactic arithmetic panic relative detective cable table vegetable timetable
    variable""".split()
)


def _adjective(t: EnToken) -> bool:
    """An English word that by its ending is an adjective (strategic, constructive,
    dangerous), names and a few nouns of those endings left out."""
    last = t.lower.split("-")[-1]
    if t.cap or "-" in t.lower and not t.lower.endswith(ADJECTIVE_END):
        return False
    return last.endswith(ADJECTIVE_END) and last not in NOUNS_LIKE_ADJECTIVES


def _count(t: EnToken) -> bool:
    """A cardinal number (two, 2027): `two heads of state` counts heads of state."""
    return t.lower in NUMBER_WORDS or bool(regex.fullmatch(r"[\d.,]+", t.lower))


def _proper(et: list[EnToken], s: int, e: int) -> bool:
    """Are all content words of the span capitalised (a name, a title)?"""
    return all(t.cap for t in et[s : e + 1] if t.content)


def _glued(zt: list[ZhToken], i: int) -> bool:
    """May no term start at token i (or end before it)? Two single characters side by
    side are most likely one word the dictionaries lack (二 轨, 两 军), and so are two
    numerals (一点 五)."""
    if i <= 0 or i >= len(zt):
        return False
    x, y = zt[i - 1], zt[i]
    if x.end != y.start or x.clause != y.clause:
        return False
    if x.han and y.han and len(x.text) == 1 and len(y.text) == 1:
        return not (x.light or y.light)
    return _numeral(x) and _numeral(y)


def _numeral(z: ZhToken) -> bool:
    return z.pos == "m" or z.text.isdigit()


def _candidates(view: _PairView) -> Iterable[tuple[int, int]]:
    """Token ranges [a, b) of the Chinese side that may be terms: content words at the
    edges (no particle, preposition, pronoun, adverb or evaluative adjective first, no
    verb or numeral last), nothing closed-class inside but a coordinator followed by a
    shared head (军控与防扩散磋商), no edge inside an unknown word."""
    zt = view.zt
    n = len(zt)
    for a in range(n):
        first = zt[a]
        if first.light or first.pos in START_BAD_POS or _glued(zt, a):
            continue
        if not (first.han or first.text.isupper()):
            continue
        if _numeral(first) and not (
            a + 1 < n and len(zt[a + 1].text) == 1 and zt[a + 1].han
            and zt[a + 1].start == first.end and not zt[a + 1].light
        ):  # fmt: skip
            continue  # 多次提出, 三个联合公报: a count, unless it makes a word (二轨, 两军)
        chars = 0
        coordinator_at = -1
        for b in range(a + 1, min(n, a + MAX_ZH_WORDS) + 1):
            last = zt[b - 1]
            if last.clause != first.clause or (b > a + 1 and last.start != zt[b - 2].end):
                break
            chars += len(last.text)
            if chars > MAX_ZH_CHARS:
                break
            if last.text in COORDINATORS and b > a + 1:
                coordinator_at = b - 1
                continue
            if b > a + 1 and (last.light or last.pos in CLOSED_POS):
                break  # nothing closed-class inside a term but a coordinator
            if last.pos in END_BAD_POS and not (b == a + 1 and _rare(last.text)):
                if not (last.pos == "v" and b > a + 1):
                    continue  # a verb may close a term its English makes a noun (应用)
            if last.light or _glued(zt, b):
                continue
            if coordinator_at >= 0 and b - 1 - coordinator_at < 2:
                continue  # X与Y alone is a coordination, X与Y磋商 a term with a shared head
            if b == a + 1:
                if not first.han or len(first.text) == 1:
                    continue  # a Latin word alone (APEC) is its own translation
                if first.text[0] in NUMERALS:
                    continue  # 两国, 三方: a count of things
                if first.pos and first.pos not in NOMINAL_POS and not _rare(first.text):
                    continue
            elif first.pos == "v" and (
                b - a < 3 or last.pos not in NOMINAL_POS or zt[a + 1].pos not in NOMINAL_POS
            ):
                continue  # a verb and its object (维护稳定, 加强建立…) is a phrase, not a term
            elif first.pos != "v" and any(z.pos == "v" for z in zt[a + 1 : b - 2]):
                continue  # a subject, its verb and an object (美方了解中方立场): a clause
            yield a, b


def _rare(word: str) -> bool:
    return general_frequency(word) < 300


def _align_candidate(view: _PairView, a: int, b: int, coordinated: bool = False) -> _Span:
    """The best English span for Chinese tokens [a, b): the F-measure of the English
    content words the candidate's words explain (precision) and of the candidate's
    characters the span's words render (recall); words no dictionary explains on either
    side are paired with each other (about two characters a word)."""
    et = view.et
    parts = [p for own in view.parts[a:b] for p in own if p.weight]
    total = sum(p.weight for p in parts)
    if total == 0:
        return _Span()
    matched: set[int] = set()
    for p in parts:
        matched |= p.hits
    orphan_zh = sum(p.weight for p in parts if p.orphan)
    anchors = set(matched)
    if orphan_zh:
        anchors |= {j for j, o in enumerate(view.orphan_e) if o}
    if not anchors:
        return _Span()
    # an unexplained English word may stand at an edge of the span only where the term
    # has an unexplained part at the same edge (台海 `Taiwan Strait`: 海 and Strait both
    # last); else it is the next word of the sentence (… relationship matters)
    left_orphan, right_orphan = parts[0].orphan, parts[-1].orphan

    def edges_ok(content: list[int]) -> bool:
        if content[0] not in matched and not left_orphan:
            return False
        return content[-1] in matched or right_orphan

    best, best_cov = _Span(), 0
    order = sorted(anchors)
    for si, s in enumerate(order):
        for e in order[si:]:
            if e - s >= MAX_EN:
                break
            if (s, e) not in view.spans:
                continue
            if any(et[x].lower == "and" for x in range(s, e)) and not coordinated:
                continue  # X and Y renders X与Y
            if coordinated and not _proper(et, s, e):
                continue  # and a coordination is a term only as a name
            content = [j for j in range(s, e + 1) if et[j].content]
            if matched and not edges_ok(content):
                continue
            en_cov = sum(1 for j in content if j in matched)
            en_orph = sum(1 for j in content if j not in matched and view.orphan_e[j])
            rendered = _one_to_one(parts, et, s, e)
            zh_cov = sum(p.weight for p in rendered)
            pair_words = min(en_orph, orphan_zh / CHARS_PER_WORD)
            pair_chars = min(orphan_zh, en_orph * CHARS_PER_WORD)
            prec = (en_cov + ORPHAN_CREDIT * pair_words) / len(content)
            rec = (zh_cov + ORPHAN_CREDIT * pair_chars) / total
            if prec <= 0 or rec <= 0:
                continue
            f = 2 * prec * rec / (prec + rec)
            if f > best.f + 1e-9 or (f > best.f - 1e-9 and en_cov > best_cov):
                left = pair_chars
                for p in parts:  # the unexplained characters the paired words render
                    if p.orphan and left > 0:
                        rendered.append(p)
                        left -= p.weight
                chars = frozenset(c for p in rendered for c in range(p.start, p.end))
                best, best_cov = _Span(f, prec, rec, s, e, chars), en_cov
    return best


def _one_to_one(parts: list[_Part], et: list[EnToken], s: int, e: int) -> list[_Part]:
    """The Chinese parts the span renders, each English word rendering one part (a
    hyphenated word one per piece): `situation` renders 处境 or 困难, not both. The
    heaviest parts first, with augmenting paths (greedy is optimal on a matroid)."""
    options = [(p, [j for j in p.hits if s <= j <= e]) for p in parts]
    options = [(p, js) for p, js in options if js]
    if not options:
        return []
    used = Counter(j for _, js in options for j in js)
    if all(n == 1 for n in used.values()):
        return [p for p, _ in options]
    slots: dict[tuple[int, int], int] = {}  # (English token, piece) -> part number
    capacity = {j: max(1, sum(1 for x in et[j].lower.split("-") if x and x not in EN_STOP))
                for j in used}  # fmt: skip
    options.sort(key=lambda o: -o[0].weight)

    def assign(k: int, seen: set) -> bool:
        for j in options[k][1]:
            for slot in range(capacity[j]):
                if (j, slot) in seen:
                    continue
                seen.add((j, slot))
                if (j, slot) not in slots or assign(slots[j, slot], seen):
                    slots[j, slot] = k
                    return True
        return False

    return [options[k][0] for k in range(len(options)) if assign(k, set())]


def _display(view: _PairView, s: int, e: int) -> str:
    text = view.pair.en_text[view.et[s].start : view.et[e].end]
    text = "".join(c for c in text if c not in QUOTES or c == "'")
    text = regex.sub(r"['’]s$", "", text)  # Trump administration's -> ... administration
    return " ".join(text.split())


def _en_key(view: _PairView, s: int, e: int) -> tuple[str, ...]:
    return tuple(lemma(t.lower) for t in view.et[s : e + 1] if t.word)


def _written(view: _PairView, start: int, end: int) -> str:
    p = view.pair
    return p.zh_text[start:end] if len(p.zh_text) == len(p.zh_norm) else p.zh_norm[start:end]


MIN_SCORE = 0.45  # an occurrence aligned worse than this has no English
MIN_RECALL = 0.6  # an English that leaves more of the Chinese term out is no translation


def _occurrence(
    view: _PairView, k: int, zs: int, ze: int, span: _Span, tokens: int, first_pos: str
) -> Occurrence:
    o = Occurrence(view.pair.zh_norm[zs:ze], _written(view, zs, ze), k, tokens=tokens,
                   first_pos=first_pos, score=span.f, recall=span.r)  # fmt: skip
    if span.f >= MIN_SCORE:
        o.en, o.en_key = _display(view, span.s, span.e), _en_key(view, span.s, span.e)
        o.proper = _proper(view.et, span.s, span.e) and not view.et[span.s].initial
        o.covered = frozenset(c - zs for c in span.covered if zs <= c < ze)
    return o


def _anchor_span(view: _PairView, renderings: list[tuple[frozenset[str], int]]) -> _Span:
    """The English of a known term in a pair: the term-shaped span whose content words
    are all words of one of the known renderings and that has most of them (the share of
    the rendering's words found is the score)."""
    best = _Span()
    for forms, words in renderings:
        hit = {j for j, t in enumerate(view.et) if t.content and forms_match(forms, t.forms)}
        for s, e in view.spans:
            content = [j for j in range(s, e + 1) if view.et[j].content]
            if content and all(j in hit for j in content):
                f = min(1.0, len(content) / max(1, words))
                if (f, e - s) > (best.f, best.e - best.s):
                    best = _Span(f, 1.0, 1.0, s, e)
    return best


def _verbal(view: _PairView, a: int, span: _Span) -> bool:
    """Does the English make the opening Chinese verb its head (`strengthening of X`,
    `handling X`)? Then the pair names an action, not a concept."""
    first = view.et[span.s]
    if span.s not in view.match[a]:
        return False
    if first.lower.endswith("ing") and "-" not in first.lower:
        return True
    nxt = view.et[span.s + 1] if span.s + 1 <= span.e else None
    return nxt is not None and nxt.lower == "of"


NOMINAL_END = ("tion", "sion", "ment", "ance", "ence", "ing", "ure", "ism", "ity", "ness",
               "al", "ship", "cy", "age")  # fmt: skip


def _nominalised(view: _PairView, i: int, span: _Span) -> bool:
    """Is the verb at token i rendered by a noun in the span (军事应用对话 `military
    applications`, 危机管理 `crisis management`)?"""
    words = [view.et[j].lower for j in view.match[i] if span.s <= j <= span.e]
    return any(w.rstrip("s").endswith(NOMINAL_END) or w.endswith(NOMINAL_END) for w in words)


def align_terms(
    pairs: Sequence[Pair], anchors: dict[str, list[tuple[frozenset[str], int]]] | None = None
) -> tuple[list[Occurrence], list[_PairView]]:
    """Every candidate occurrence in every pair, with its best English span."""
    anchors = anchors or {}
    views = [_view(p) for p in pairs]
    occurrences: list[Occurrence] = []
    for k, view in enumerate(views):
        here: dict[tuple[int, int], Occurrence] = {}
        zt = view.zt
        names = [(zs, ze) for zs, ze, _, _ in view.names]
        for a, b in _candidates(view):
            zs, ze = zt[a].start, zt[b - 1].end
            if any(zs < ne and ze > ns and not (zs <= ns and ne <= ze) for ns, ne in names):
                continue  # 后来陈: cuts a name in two
            coordinated = any(z.text in COORDINATORS for z in zt[a:b])
            span = _align_candidate(view, a, b, coordinated)
            if zt[a].pos == "v" and span.f and _verbal(view, a, span):
                span = _Span()  # 加强…机制 `strengthening of … mechanisms`: an action
            for i in (b - 2, b - 1) if b - a >= 2 else ():
                if zt[i].pos == "v" and i > a and span.f and not _nominalised(view, i, span):
                    span = _Span()  # 美方了解中方 `U.S. side understands`: a clause
            if zt[b - 1].pos == "v" and b - a >= 2 and span.f:
                if not view.et[span.e].lower.rstrip("s").endswith(NOMINAL_END):
                    span = _Span()  # a term closed by a verb needs a noun at its end
            here[zs, ze] = _occurrence(view, k, zs, ze, span, b - a, zt[a].pos)
        for zs, ze, s, e in view.names:
            o = here.get((zs, ze)) or _occurrence(view, k, zs, ze, _Span(), 1, "nr")
            o.en, o.en_key, o.score, o.recall = _display(view, s, e), _en_key(view, s, e), 1.0, 1.0
            o.covered, o.named, o.proper = frozenset(range(ze - zs)), True, True
            here[zs, ze] = o
        for key, forms_list in anchors.items():
            for start in _find_all(view.pair.zh_norm, key):
                end = start + len(key)
                idx = [i for i, z in enumerate(zt) if z.start >= start and z.end <= end]
                span = _anchor_span(view, forms_list)
                if not span.f and (start, end) in here:
                    continue
                if not span.f and idx:
                    span = _align_candidate(view, idx[0], idx[-1] + 1)
                pos = zt[idx[0]].pos if idx else ""
                o = _occurrence(view, k, start, end, span, max(2, len(idx)), pos)
                if o.en:
                    o.covered = frozenset(range(end - start))
                here[start, end] = o
        occurrences.extend(here.values())
    return occurrences, views


# ---------------------------------------------------------------- entries


@dataclass
class _Candidate:
    key: str
    occurrences: list[Occurrence]
    preferred: tuple[str, ...] = ()
    agreement: float = 0.0  # occurrences rendered like the preferred English (soft count)
    confidence: float = 0.0

    @property
    def frequency(self) -> int:
        return len(self.occurrences)

    @property
    def rendered(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.en_key]


def _content(key: tuple[str, ...]) -> Counter:
    return Counter(w for w in key if w not in EN_STOP)


def _similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Dice coefficient of two renderings' content words (1 for the same rendering)."""
    if a == b:
        return 1.0
    ca, cb = _content(a), _content(b)
    total = sum(ca.values()) + sum(cb.values())
    return 2 * sum((ca & cb).values()) / total if total else 0.0


def _group(occurrences: list[Occurrence]) -> dict[str, _Candidate]:
    """Occurrences by Chinese term, each with its preferred rendering: the one most like
    all the others (weighted by how well each was aligned), so that the core rendering
    wins over ones with a word added (constructive [bilateral] relationship of ...)."""
    by_key: dict[str, list[Occurrence]] = defaultdict(list)
    for o in occurrences:
        by_key[o.key].append(o)
    out = {}
    for key, occ in by_key.items():
        c = _Candidate(key, occ)
        rendered = [o for o in c.rendered if o.recall >= MIN_RECALL]
        if rendered:
            keys = sorted({o.en_key for o in rendered})

            def support(k: tuple[str, ...], rendered=rendered) -> tuple[float, float]:
                s = sum(o.score * _similarity(k, o.en_key) for o in rendered)
                best = max((o.score for o in rendered if o.en_key == k), default=0.0)
                return s, best

            c.preferred = max(keys, key=support)
            c.agreement = sum(_similarity(c.preferred, o.en_key) for o in rendered)
        out[key] = c
    return out


def _termhood(c: _Candidate) -> float:
    """How much a terminologist would want this pair in a termbase, 0..1. Names, terms
    of several Chinese words and Chinese words rendered by several English words are
    terms; one word rendered by one word (对话 dialogue) is general vocabulary unless it
    is a name (台湾 Taiwan), less so the rarer the Chinese word is in general use (jieba's
    frequencies); a verb or an adjective alone is a term only when English needs several
    words for it (互信 mutual trust)."""
    if any(o.named for o in c.occurrences):
        return 1.0
    words = max(o.tokens for o in c.occurrences)
    if words >= 2:
        return 1.0
    en_words = [w for w in _content(c.preferred) if w not in NUMBER_WORDS]
    separate = len([w for w in c.preferred if w not in EN_STOP])  # hyphenated counts once
    pos = c.occurrences[0].first_pos
    if pos and pos not in NOMINAL_POS and separate < 2:
        return 0.0
    if len(en_words) >= 2:
        return 1.0
    general = math.log10(general_frequency(c.key) + 1)
    if _proper_key(c):  # a name: 特朗普 more than 中国, which everyone translates
        return max(0.4, 0.95 - 0.1 * general)
    return max(0.2, 0.55 - 0.08 * general)


def _proper_key(c: _Candidate) -> bool:
    """Is the preferred English a name (capitalised inside a sentence)?"""
    return any(o.proper for o in c.occurrences if o.en_key == c.preferred)


def _confidence(c: _Candidate, en_freq: int) -> float:
    """Alignment quality x association x support x termhood.

    quality: the mean F-measure of the occurrences rendered like the preferred English;
    association: the Dice coefficient of the Chinese term and its English over the pairs;
    support: one occurrence gives 0.75, two 0.875, ...; termhood: `_termhood`."""
    n = c.frequency
    like = [
        o for o in c.rendered
        if _similarity(o.en_key, c.preferred) >= 0.5 and o.recall >= MIN_RECALL
    ]  # fmt: skip
    if not like:
        return 0.0
    # renderings with a word added (constructive [bilateral] relationship ...) are
    # variants, not misalignments: the best occurrence counts as much as the mean
    quality = (sum(o.score for o in like) / len(like) + max(o.score for o in like)) / 2
    recall = sum(o.recall for o in like) / len(like)
    dice = min(1.0, 2 * c.agreement / (n + max(en_freq, c.agreement)))
    support = 1 - 0.5 ** (c.agreement + 1)
    fit = quality**2 * min(1.0, 0.5 + recall / 2)
    return round(fit * (0.5 + 0.5 * dice) * support * _termhood(c), 4)


def _extra_rendered(long: _Candidate, short: _Candidate) -> bool:
    """Does the long candidate's English render its characters beyond the short one
    (建设性 in 建设性战略稳定关系 beyond 战略稳定关系) in most of its occurrences?"""
    off = long.key.find(short.key)
    extra = [
        i for i in range(len(long.key))
        if not off <= i < off + len(short.key) and long.key[i] not in "与和及或、的之"
    ]  # fmt: skip
    if not extra:
        return False
    rendered = sum(
        1 for o in long.rendered if sum(1 for i in extra if i in o.covered) * 2 >= len(extra)
    )
    return rendered * 2 >= long.frequency


def _nested_losers(live: list[_Candidate]) -> set[str]:
    """Of two nested candidates where the short one never occurs outside the long one,
    only one can be a term: the long one when its English renders its extra words
    (战略稳定关系 < 建设性战略稳定关系), else the short one (中美 is left out of most
    renderings of 中美建设性战略稳定关系). A name never loses to a longer candidate."""
    losers: set[str] = set()
    by_len = sorted(live, key=lambda c: len(c.key))
    for i, short in enumerate(by_len):
        for long in by_len[i + 1 :]:
            if short.key not in long.key or len(long.key) == len(short.key):
                continue
            if short.frequency > long.frequency:
                continue
            named = any(o.named for o in short.occurrences)  # 王毅 in 王毅外长
            if _extra_rendered(long, short) and not named:
                losers.add(short.key)
            else:
                losers.add(long.key)
    return losers


def _conflict(a: _Candidate, b: _Candidate) -> bool:
    """One concept, one entry: two candidates with the same preferred English, or two
    nested ones with much the same English, cannot both be entries."""
    if a.preferred == b.preferred:
        return True
    if a.key in b.key or b.key in a.key:
        return _similarity(a.preferred, b.preferred) >= 0.8
    return False


def _select(cands: dict[str, _Candidate], en_freq: Counter) -> list[_Candidate]:
    """Candidates with a translation, best first, each kept unless it conflicts with a
    better one already kept."""
    live = [c for c in cands.values() if c.preferred]
    for c in live:
        c.confidence = _confidence(c, en_freq[c.preferred])
    live = [c for c in live if c.confidence > 0]
    losers = _nested_losers(live)
    live = [c for c in live if c.key not in losers]
    live.sort(key=lambda c: (c.confidence, c.frequency, len(c.key)), reverse=True)
    kept: list[_Candidate] = []
    for c in live:
        if not any(_conflict(c, k) for k in kept):
            kept.append(c)
    return kept


def _singular(word: str) -> str | None:
    w = word
    if len(w) <= 3 or not w.isalpha() or not w.endswith("s") or w.endswith(("ss", "us", "is")):
        return None
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "zes")):
        return w[:-2]
    return w[:-1]


def _canonical(display: str, vocabulary: set[str]) -> str:
    """The head noun made singular when the text uses it in the singular too
    (Track II dialogues -> Track II dialogue; confidence-building measures stay)."""
    words = display.split(" ")
    head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    if head < 0:
        return display
    sing = _singular(words[head])
    if sing and sing.lower() in vocabulary:
        words[head] = sing
    return " ".join(words)


def _example(c: _Candidate, pairs: Sequence[Pair]) -> tuple[str, str]:
    """The shortest pair among the best-aligned occurrences of the preferred English."""
    best = max(
        (o for o in c.occurrences if o.en_key == c.preferred),
        key=lambda o: (round(o.score, 2), -len(pairs[o.pair].zh_text)),
        default=c.occurrences[0],
    )
    p = pairs[best.pair]
    return " ".join(p.zh_text.split()), " ".join(p.en_text.split())


MIN_VARIANT_RECALL = 0.7  # a rendering that leaves more of the Chinese out is no variant


def _entries(chosen: list[_Candidate], pairs: Sequence[Pair], vocabulary: set[str]) -> list[Entry]:
    out = []
    for c in chosen:
        forms: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        for o in c.rendered:
            forms[o.en_key][o.en] += 1
        en = _canonical(forms[c.preferred].most_common(1)[0][0], vocabulary)
        variants: list[str] = []
        counts = Counter(o.en_key for o in c.rendered if o.recall >= MIN_VARIANT_RECALL)
        for k, _ in counts.most_common():
            form = _canonical(forms[k].most_common(1)[0][0], vocabulary)
            if k != c.preferred and form.lower() != en.lower() and form not in variants:
                if _similarity(k, c.preferred) > 0.5:
                    variants.append(form)
        written = Counter(o.written for o in c.occurrences).most_common(1)[0][0]
        out.append(
            Entry(written, c.key, en, variants, c.frequency, c.confidence, _example(c, pairs))
        )
    return out


def extract_entries(
    pairs: Sequence[Pair], anchors: dict[str, list[tuple[frozenset[str], int]]] | None = None
) -> list[Entry]:
    """Entries found in the pairs, best first (no filtering by frequency or rank)."""
    occurrences, views = align_terms(pairs, anchors)
    cands = _group(occurrences)
    en_freq: Counter = Counter()
    for view in views:
        en_freq.update({_en_key(view, s, e) for s, e in view.spans})
    vocabulary = {t.lower for v in views for t in v.et if t.word}
    chosen = _select(cands, en_freq)
    entries = _entries(chosen, pairs, vocabulary)
    entries.sort(key=lambda e: (-e.confidence, -e.frequency, e.zh))
    return entries


# ---------------------------------------------------------------- references


def read_reference(path: str | Path) -> str:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such reference file")
    try:
        return p.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError):
        raise InputError(f"{p}: not a readable UTF-8 text file") from None


MAX_INSERTED = 2  # words a reference may add inside a term (constructive China-US ...)


def attest(entries: list[Entry], texts: Iterable[str]) -> None:
    """Fill each entry's `attested` with the renderings of its English (preferred and
    variants) that the reference texts use, most used first: the same words in the same
    order, singular and plural folded, with up to two more words inside (`constructive
    China-US relationship of strategic stability`), within one clause."""
    docs = []
    for text in texts:
        toks = tokens_en(text)
        docs.append((text, toks, [lemma(t.lower) if t.word else "" for t in toks]))
    index: list[dict[str, list[int]]] = []
    for _, _, lems in docs:
        ix: dict[str, list[int]] = defaultdict(list)
        for i, w in enumerate(lems):
            if w:
                ix[w].append(i)
        index.append(ix)
    for entry in entries:
        found: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        forms = [entry.en, *entry.variants]
        if len(tokens_en(entry.en)) > 1:  # a one-word variant of a phrase is too loose
            forms = [f for f in forms if len(tokens_en(f)) > 1]
        for form in forms:
            words = [lemma(t.lower) for t in tokens_en(form) if t.word]
            if not words:
                continue
            for (text, toks, lems), ix in zip(docs, index, strict=True):
                for start in ix.get(words[0], []):
                    end = _subsequence_end(lems, toks, start, words)
                    if end is not None:
                        surface = " ".join(text[toks[start].start : toks[end].end].split())
                        surface = "".join(c for c in surface if c not in QUOTES or c == "'")
                        surface = regex.sub(r"['’]s$", "", surface)
                        key = tuple(lemma(t.lower) for t in tokens_en(surface) if t.word)
                        found[key][surface] += 1
        ranked = sorted(found.values(), key=lambda c: -sum(c.values()))
        entry.attested = [c.most_common(1)[0][0] for c in ranked[:8]]


def _subsequence_end(lems, toks, start, words) -> int | None:
    """The end of a match of `words` from `start` (inserted words allowed, same clause)."""
    k, i, inserted = 1, start + 1, 0
    if len(words) == 1:
        return start
    while i < len(lems) and toks[i].clause == toks[start].clause:
        if not toks[i].word:
            i += 1
            continue
        if lems[i] == words[k]:
            k += 1
            if k == len(words):
                return i
        else:
            inserted += 1
            if inserted > MAX_INSERTED:
                return None
        i += 1
    return None


# ---------------------------------------------------------------- the glossary


def build_glossary(
    source,
    *,
    known: list[Entry] | None = None,
    references: Sequence[str | Path] | None = None,
    min_freq: int = 1,
    top: int | None = None,
    min_confidence: float = 0.0,
) -> list[Entry]:
    """The glossary of one aligned document or many, best first.

    `source`: an Alignment, a list of Alignments, or a list of (zh, en) sentence pairs.
    `known`: a user's glossary; its entries are kept (source 'user') and anchor the
    alignment of their terms; what the text adds (frequency, variants, example) is merged.
    `references`: monolingual English files searched for each entry's renderings.
    """
    if min_freq < 1:
        raise InputError(f"min_freq must be at least 1, not {min_freq}")
    if top is not None and top < 0:
        raise InputError(f"top must not be negative, not {top}")
    texts = [read_reference(r) for r in references or []]  # bad files fail first
    pairs = pairs_from(source)
    known = _unique(known or [])
    anchors: dict[str, list[tuple[frozenset[str], int]]] = {}
    for k in known:
        renderings = []
        for en in [k.en, *k.variants]:
            words = [t for t in tokens_en(en) if t.content]
            if words:
                renderings.append((frozenset(f for t in words for f in t.forms), len(words)))
        anchors[k.zh_simplified or simplified(k.zh)] = renderings
    found = extract_entries(pairs, anchors)
    entries = _merge_known(found, known, pairs)
    entries = [e for e in entries if e.frequency >= min_freq or e.source == "user"]
    entries = [e for e in entries if e.confidence >= min_confidence or e.source == "user"]
    if texts:
        attest(entries, texts)
    entries.sort(key=lambda e: (-e.confidence, -e.frequency, e.zh))
    return entries[:top] if top is not None else entries


def _unique(known: list[Entry]) -> list[Entry]:
    """The user's entries, one per Chinese term (the first wins)."""
    out: dict[str, Entry] = {}
    for k in known:
        key = k.zh_simplified or simplified(k.zh)
        if key and k.en and key not in out:
            out[key] = k
    return list(out.values())


def _merge_known(found: list[Entry], known: list[Entry], pairs: Sequence[Pair]) -> list[Entry]:
    by_zh = {e.zh_simplified: e for e in found}
    out: list[Entry] = []
    used: set[str] = set()
    for k in known:
        key = k.zh_simplified or simplified(k.zh)
        e = Entry(k.zh, key, k.en, list(k.variants), k.frequency, 1.0, k.example, "user",
                  list(k.attested))  # fmt: skip
        text = by_zh.get(key)
        if text is not None:
            used.add(key)
            e.frequency = text.frequency
            for v in [text.en, *text.variants]:
                if v and v.lower() != e.en.lower() and v not in e.variants:
                    e.variants.append(v)
            if not any(e.example):
                e.example = text.example
        else:
            e.frequency = sum(p.zh_norm.count(key) for p in pairs) if key else 0
            if not any(e.example):
                hit = next((p for p in pairs if key and key in p.zh_norm), None)
                if hit:
                    e.example = (hit.zh_text, hit.en_text)
        out.append(e)
    known_en = {k.en.lower() for k in known}
    for e in found:
        if e.zh_simplified in used or e.en.lower() in known_en:
            continue
        out.append(e)
    return out


__all__ = [
    "Entry",
    "Pair",
    "align_terms",
    "attest",
    "build_glossary",
    "extract_entries",
    "pairs_from",
    "romanises",
    "segment_zh",
    "tokens_en",
]
