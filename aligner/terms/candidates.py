"""Term candidates on each side of a pair.

Chinese: the text is cut on a lattice of jieba's dictionary and CC-CEDICT (fewest words,
jieba frequencies breaking ties), and candidate terms are runs of one to six words inside
a clause whose edges are content words (no particles, prepositions, pronouns or adverbs,
by jieba's part-of-speech table and the light words of the lexicon).

English: spans of up to eight tokens inside a clause, content words at both ends and only
`of`, `and`, `to`, `for`, `on`, `the` inside (noun-phrase shapes found by stop-word
boundaries), with singular and plural folded.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import regex

from ..lexicon import EN_STOP, ZH_LIGHT, cedict, gloss_forms, readable_glosses
from ..normalise import HAN
from ..numbers import COUNT_WORDS, ZH_ONE_TO_TEN, roman_value
from ..tokenise import jieba_tokenizer, lemma, tokenise_en_spans

# ---------------------------------------------------------------- Chinese segmentation

# a pair's Chinese in runs of one script: Han, a Latin word, or digits
SCRIPT_RUN = regex.compile(
    r"\p{Han}+|[A-Za-z][A-Za-z0-9]*(?:[.\-][A-Za-z0-9]+)*|[0-9]+(?:\.[0-9]+)?"
)
MAX_WORD = 8  # longest dictionary word the lattice considers
TIE_BREAK = 0.02  # weight of -log10 p(word) against one word more or fewer

# The light words (ZH_LIGHT, in the lexicon) may stand inside a term but never at its edge.
# jieba part-of-speech tags of closed classes: particles, prepositions, conjunctions,
# pronouns, adverbs, interjections; none stands at a term's edge or inside it
CLOSED_POS = frozenset("u uj ul uz ud ug uv p c y e o r rr rz rg d df dg h k x zg".split())
START_BAD_POS = CLOSED_POS | {"a", "ad", "b", "z", "mq"}  # evaluative modifiers open none
END_BAD_POS = CLOSED_POS | {"m", "mq", "v", "vd", "vi", "q"}  # numbers and verbs close none
COORDINATORS = frozenset({"与", "和", "及", "或", "、"})
# the common classifiers (measure words), a closed class: a numeral and one of them
# count things (三名士兵 three soldiers), unlike 两国, 两岸 (the two countries, shores)
CLASSIFIERS = frozenset("个位名本件条项次种只张部篇家所座支台辆批轮届场份段句首门把根块片")
# directional complements close a verb phrase, never a term (队长过来 `team leader came`);
# jieba tags some of them as time words
DIRECTIONAL = frozenset("过来 过去 起来 下来 上来 出来 进来 回来 下去 上去 出去 进去 回去".split())
NOMINAL_POS = frozenset("n nr nrfg nrt ns nt nz vn an j l i eng ng".split())


@cache
def _dictionary() -> tuple[dict[str, int], int, dict[str, str]]:
    """{word: jieba frequency (0 for CC-CEDICT-only words)}, jieba's total, POS tags."""
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


def general_total() -> int:
    """The total of jieba's general-language word counts."""
    return _dictionary()[1]


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
    for m in SCRIPT_RUN.finditer(norm):
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
WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")  # one letter or digit
US_FORMS = frozenset({"u.s.", "u.s", "us", "usa", "u.s.a."})
NEG_PREFIX = ("non", "anti", "counter")
# combining forms that make one closed English word of what Chinese says in two words
# (网络安全 `cybersecurity`, 生物武器 `bioweapons`): the word is matched by its stem too,
# and the prefix stands for the other Chinese word
COMBINING_PREFIX = (
    "cyber", "bio", "geo", "eco", "nano", "micro", "macro", "tele", "agri", "aero",
    "astro", "electro", "hydro", "neuro", "petro", "photo", "psycho", "socio", "techno",
    "thermo", "counter", "anti",
)  # fmt: skip (not inter-, trans-, super-: international, transport are words of their own)
MIN_STEM = 5  # letters of a stem left after a combining form


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
    roman = roman_value(tok, highest=6)  # Track II; the extractor reads I to VI
    if roman:
        forms.add(str(roman))
    for w in [low, *parts]:
        for pre in NEG_PREFIX:
            if w.startswith(pre) and len(w) > len(pre) + 4:
                forms.add(lemma(w[len(pre) :].lstrip("-")))
    stem = combined_stem(low)
    if stem:
        forms.add(lemma(stem))
    return frozenset(unaccented(f) for f in forms if f)


def unaccented(form: str) -> str:
    """The form without diacritics: communiqué and communique are one word."""
    if form.isascii():
        return form
    return "".join(c for c in unicodedata.normalize("NFKD", form) if not unicodedata.combining(c))


def combined_stem(word: str) -> str:
    """The stem of a closed compound made with a combining form (cybersecurity ->
    security), or "": only for a word the dictionary's glosses lack whose stem they have
    (agriculture, television, economic are words of their own)."""
    for pre in COMBINING_PREFIX:
        if word.startswith(pre) and len(word) - len(pre) >= MIN_STEM and word.isalpha():
            stem = word[len(pre) :]
            forms = gloss_forms()
            return stem if lemma(word) not in forms and lemma(stem) in forms else ""
    return ""


CLAUSE_PUNCT = frozenset(",;:.!?()[]{}—–─…/|")


def tokens_en(text: str) -> list[EnToken]:
    """English tokens with offsets, clause numbers and matching forms."""
    out: list[EnToken] = []
    clause = 0
    initial = True
    for tok, start, end in tokenise_en_spans(text):
        if tok in CLAUSE_PUNCT or (
            len(tok) == 1 and not WORD_CHAR.match(tok) and tok not in QUOTES
        ):
            clause += 1
            initial = initial or tok in ".!?…"
            continue
        if tok in QUOTES:
            out.append(EnToken(tok, start, end, clause, tok, frozenset(), True, False,
                               False))  # fmt: skip
            continue
        if tok.endswith(".") and not regex.fullmatch(r"(?:\p{L}\.)+", tok.split("-")[-1]):
            tok = tok[:-1]
        low = tok.lower()
        word = bool(WORD_CHAR.search(tok))
        out.append(
            EnToken(
                tok,
                start,
                start + len(tok),
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


# ---------------------------------------------------------------- compounds


def split_compound(word: str) -> list[str]:
    """The dictionary words of a compound of three characters or more, when they are
    words of two characters or more, or two pieces (核 武库); the two characters of a
    two-character word CC-CEDICT does not know; else the word itself."""
    if len(word) == 2 and HAN.match(word):
        gloss = readable_glosses().get(word, "")
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


# ---------------------------------------------------------------- English candidates


def english_spans(et: list[EnToken]) -> set[tuple[int, int]]:
    """English spans that may be a term: one clause, content words at both ends, only a
    few function words inside (`the` only after `of`, `and` only in names), no
    evaluative modifier first."""
    out = set()
    for s, t in enumerate(et):
        if t.content and t.lower not in EN_EVALUATIVE and not _count(t):
            out.update((s, e) for e in _span_ends(et, s))
        elif _count(t) and s + 1 < len(et) and et[s + 1].content and not _count(et[s + 1]):
            # a count may open a name (three Joint Communiques) or a term whose Chinese
            # counts too (两国元首 two heads of state): the Chinese side decides
            out.update((s, e) for e in _span_ends(et, s + 1))
    return out


def _span_ends(et: list[EnToken], s: int) -> Iterator[int]:
    """The last tokens of the term-shaped spans that start at token s."""
    stops = 0
    coordinated = the_after_of = False
    for e in range(s, min(len(et), s + MAX_EN)):
        u = et[e]
        if u.clause != et[s].clause:
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
        if not u.word or _adjective(u):
            # a quotation mark may stand inside, not at an edge; a term ends with its
            # head noun, not a modifier (strategic)
            continue
        if any(regex.search(r"['’]s$", et[x].text) for x in range(s, e)):
            break  # China's red lines: a possessive makes a phrase, not a term
        if (the_after_of or coordinated) and not is_proper(et, s, e):
            # the definition of the ..., a phrase unless a name; a coordination is a
            # term only as a name (Arms Control and ...)
            continue
        yield e


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
    return t.lower in COUNT_WORDS or bool(regex.fullmatch(r"[\d.,]+", t.lower))


def is_proper(et: list[EnToken], s: int, e: int) -> bool:
    """Are all content words of the span capitalised (a name, a title; a count before
    one is not a word of it: three Joint Communiques)?"""
    words = [t for t in et[s : e + 1] if t.content]
    if len(words) > 1 and _count(words[0]):
        words = words[1:]
    return all(t.cap for t in words)


# ---------------------------------------------------------------- Chinese candidates

MAX_ZH_WORDS = 6
MAX_ZH_CHARS = 12


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


def counts_things(term: str) -> bool:
    """Does the term open with a count of its head (三个联合公报, 三次会晤), not a numeral
    that makes a word with the next character (二轨对话, 两军)?"""
    words = segment_zh(term)
    if len(words) < 2:
        return False
    first = words[0].text
    if len(first) == 2 and first[0] in ZH_ONE_TO_TEN and first[1] in CLASSIFIERS:
        return True  # 五本小说, 三名士兵 (jieba does not always tag 五本 as a number)
    return _numeral(words[0]) and len(words[1].text) > 1


def _numeral(z: ZhToken) -> bool:
    return z.pos == "m" or z.text.isdigit()


def chinese_candidates(zt: list[ZhToken]) -> Iterator[tuple[int, int]]:
    """Token ranges [a, b) of the Chinese side that may be terms: content words at the
    edges (no particle, preposition, pronoun, adverb or evaluative adjective first, no
    verb or numeral last), nothing closed-class inside but a coordinator followed by a
    shared head (军控与防扩散磋商), no edge inside an unknown word."""
    n = len(zt)
    for a in range(n):
        if not _may_open(zt, a):
            continue
        first = zt[a]
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
            if _may_close(zt, a, b, coordinator_at):
                yield a, b


def _may_open(zt: list[ZhToken], a: int) -> bool:
    """May a term start at token a?"""
    first = zt[a]
    if first.light or first.pos in START_BAD_POS or _glued(zt, a):
        return False
    if not (first.han or first.text.isupper()):
        return False
    if _numeral(first):  # 多次提出: a count, unless it makes a word (二轨, 两军) or counts a
        # noun (三个联合公报, a name when its English is one: entries decides)
        if a + 1 >= len(zt) or zt[a + 1].start != first.end or zt[a + 1].light:
            return False
        nxt = zt[a + 1]
        return (len(nxt.text) == 1 and nxt.han) or (first.han and nxt.pos in NOMINAL_POS)
    return True


def _may_close(zt: list[ZhToken], a: int, b: int, coordinator_at: int) -> bool:
    """May the term that starts at token a end before token b (a coordinator inside at
    `coordinator_at`, -1 for none)?"""
    first, last = zt[a], zt[b - 1]
    if last.pos in END_BAD_POS and not (b == a + 1 and _rare(last.text)):
        if not (last.pos == "v" and b > a + 1):
            return False  # a verb may close a term its English makes a noun (应用)
    if last.light or last.text in DIRECTIONAL or _glued(zt, b):
        return False
    if b > a + 1 and last.pos == "a" and len(last.text) == 1:
        return False  # 开发新: a one-character adjective modifies what follows
    if coordinator_at >= 0 and b - 1 - coordinator_at < 2:
        return False  # X与Y alone is a coordination, X与Y磋商 a term with a shared head
    if b == a + 1:
        return _one_word_term(first)
    if first.pos == "v":
        # a verb and its object (维护稳定, 加强建立…) is a phrase, not a term
        return not (b - a < 3 or last.pos not in NOMINAL_POS or zt[a + 1].pos not in NOMINAL_POS)
    # a subject, its verb and an object (美方了解中方立场): a clause
    return not any(z.pos == "v" for z in zt[a + 1 : b - 2])


def _one_word_term(z: ZhToken) -> bool:
    """May one Chinese word be a term alone?"""
    if not z.han or len(z.text) == 1:
        return False  # a Latin word alone (APEC) is its own translation
    if z.text[0] in ZH_ONE_TO_TEN:
        return False  # 两国, 三方: a count of things
    return not (z.pos and z.pos not in NOMINAL_POS and not _rare(z.text))


def _rare(word: str) -> bool:
    return general_frequency(word) < 300
