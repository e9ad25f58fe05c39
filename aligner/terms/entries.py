"""From occurrences to termbase entries: the renderings of a candidate across its
occurrences (folded), the preferred one and the variants, a confidence from alignment
quality, consistency (the Dice coefficient of the Chinese term and its English) and
termhood; nested candidates keep their own entry only when they have their own
translation, and one concept (one preferred English) keeps one entry. Then the
renderings a reference text attests, a user's known glossary merged in, and
`build_glossary`, the whole pipeline."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from ..formats import read_text
from ..lexicon import EN_STOP
from ..model import Entry, InputError, Occurrence
from ..normalise import simplified
from ..numbers import COUNT_WORDS
from ..tokenise import lemma
from .candidates import (
    COORDINATORS,
    NOMINAL_POS,
    QUOTES,
    EnToken,
    counts_things,
    segment_zh,
    split_compound,
    tokens_en,
)
from .formulae import formula_occurrences
from .inpair import (
    MIN_RECALL,
    PairSource,
    PairView,
    TextPair,
    align_terms,
    en_key,
    pairs_from,
)
from .ranking import FULL_WEIRDNESS, Keyness


@dataclass
class _Candidate:
    key: str
    occurrences: list[Occurrence]
    preferred: tuple[str, ...] = ()
    agreement: float = 0.0  # occurrences rendered like the preferred English (soft count)
    confidence: float = 0.0
    documents: int = 1  # distinct documents of its occurrences

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

            def support(
                k: tuple[str, ...], rendered: list[Occurrence] = rendered
            ) -> tuple[float, float]:
                s = sum(o.score * _similarity(k, o.en_key) for o in rendered)
                best = max((o.score for o in rendered if o.en_key == k), default=0.0)
                return s, best

            c.preferred = max(keys, key=support)
            c.agreement = sum(_similarity(c.preferred, o.en_key) for o in rendered)
        out[key] = c
    return out


def _termhood(c: _Candidate, keyness: Keyness) -> float:
    """How much a terminologist would want this pair in a termbase, 0..1. Romanised names
    are terms; a verb or an adjective alone is a term only when English needs several
    words for it (互信 mutual trust); for the rest, the more specific the Chinese is to the
    text against general language (`Keyness`), the more a term: terms of several Chinese
    words or rendered by several English words most, names rendered from the dictionary
    (台湾 Taiwan) less, one word rendered by one word (对话 dialogue) least."""
    specific = keyness.specificity(c.key)
    if any(o.formula for o in c.occurrences):
        return max(0.8, 0.45 + 0.55 * specific)  # a phrase of a set formula: a term by form
    if counts_things(c.key) and not _proper_key(c):
        return 0.0  # 三次会晤 `three meetings`: a count of things, unless a name (三个联合公报)
    if any(o.named for o in c.occurrences):
        return 0.6 + 0.4 * specific  # 赖清德 more than 台湾, which everyone knows
    # a compound the dictionary lists as one word is still several (网络安全 cybersecurity)
    parts = split_compound(c.key)
    words = max(o.tokens for o in c.occurrences)
    if all(len(p) > 1 for p in parts):  # words of two characters, not 透明度 or 中美
        words = max(words, len(parts))
    en_words = [w for w in _content(c.preferred) if w not in COUNT_WORDS]
    separate = len([w for w in c.preferred if w not in EN_STOP])  # hyphenated counts once
    pos = c.occurrences[0].first_pos
    if words < 2 and pos and pos not in NOMINAL_POS and separate < 2:
        return 0.0
    if words >= 2 or len(en_words) >= 2:
        return 0.3 + 0.7 * specific
    if _proper_key(c) and not all(len(p) == 1 for p in parts):
        return 0.2 + 0.5 * specific  # not two names' characters side by side (中美 China-U.S.)
    return 0.1 + 0.2 * specific


def _proper_key(c: _Candidate) -> bool:
    """Is the preferred English a name (capitalised inside a sentence)?"""
    return any(o.proper for o in c.occurrences if o.en_key == c.preferred)


def _confidence(c: _Candidate, en_freq: int, keyness: Keyness) -> float:
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
    return round(fit * (0.5 + 0.5 * dice) * support * _termhood(c, keyness), 4)


LINK_WORDS = COORDINATORS | {"的", "之"}  # words English need not render inside a term


def _extra_rendered(long: _Candidate, short: _Candidate) -> bool:
    """Does the long candidate's English render its characters beyond the short one
    (建设性 in 建设性战略稳定关系 beyond 战略稳定关系) in most of its occurrences?"""
    off = long.key.find(short.key)
    extra = [
        i for i in range(len(long.key))
        if not off <= i < off + len(short.key) and long.key[i] not in LINK_WORDS
    ]  # fmt: skip
    if not extra:
        return False
    rendered = sum(
        1 for o in long.rendered if sum(1 for i in extra if i in o.covered) * 2 >= len(extra)
    )
    return rendered * 2 >= long.frequency


def _nested_losers(live: list[_Candidate]) -> set[str]:
    """Of two nested candidates where the short one never occurs outside the long one,
    both are terms when each is a term of several words aligned on its own and the long
    one's English holds the short one's (危机管理机制 in 双边危机管理机制); else only one can
    be: the long one when its English renders its extra words (战略稳定 < 建设性战略稳定),
    else the short one (中美 is left out of most renderings of 中美建设性战略稳定关系). A name
    never loses to a longer candidate."""
    losers: set[str] = set()
    for long, short in _nested_pairs(live):
        if short.frequency > long.frequency:
            continue
        named = any(o.named for o in short.occurrences)  # 王毅 in 王毅外长
        extra = _extra_rendered(long, short)
        if extra and _nested_term(short, long):
            continue
        if extra and not named:
            losers.add(short.key)
        else:
            losers.add(long.key)
    return losers


def _pieces(key: str) -> Iterator[str]:
    """Every substring of a term shorter than the term itself."""
    for i in range(len(key)):
        for j in range(i + 1, len(key) + 1):
            if j - i < len(key):
                yield key[i:j]


def _nested_pairs(cands: list[_Candidate]) -> Iterator[tuple[_Candidate, _Candidate]]:
    """(long, short) for every two candidates of which one holds the other, found through
    the substrings of each (a term has a few dozen), not by comparing every two."""
    by_key = {c.key: c for c in cands}
    for long in cands:
        for piece in dict.fromkeys(_pieces(long.key)):
            short = by_key.get(piece)
            if short is not None:
                yield long, short


def _nested_term(short: _Candidate, long: _Candidate) -> bool:
    """Is the short candidate a term of its own inside the long one: its head (the long
    one ends with it: a modifier before a term, not a term's modifier 双边危机), several
    words, its English among the long one's words and aligned as well?"""
    if not long.key.endswith(short.key) or max(o.tokens for o in short.occurrences) < 2:
        return False
    if long.key[: -len(short.key)][-1:] in COORDINATORS:  # 军控与[防扩散磋商]: a shared head
        return False
    inside = _content(short.preferred)
    return not (inside - _content(long.preferred)) and short.confidence >= 0.5 * long.confidence


def _conflict(a: _Candidate, b: _Candidate) -> bool:
    """One concept, one entry: two candidates with the same preferred English, or two
    nested ones with much the same English where the long one's English does not render
    its extra words, cannot both be entries (核战略稳定 `nuclear strategic stability`
    beside 战略稳定 is a term of its own)."""
    if a.preferred == b.preferred:
        return True
    if a.key in b.key or b.key in a.key:
        short, long = (a, b) if len(a.key) < len(b.key) else (b, a)
        if _extra_rendered(long, short) and _content(long.preferred) - _content(short.preferred):
            return False
        return _similarity(a.preferred, b.preferred) >= 0.8
    return False


def _select(cands: dict[str, _Candidate], en_freq: Counter, keyness: Keyness) -> list[_Candidate]:
    """Candidates with a translation, best first, each kept unless it conflicts with a
    better one already kept."""
    live = [c for c in cands.values() if c.preferred]
    for c in live:
        c.confidence = _spread(_confidence(c, en_freq[c.preferred], keyness), c.documents)
    live = [c for c in live if c.confidence > 0]
    by_key = {c.key: c for c in live}
    for c in live:
        if _free_combination(c, by_key, keyness):
            c.confidence = round(c.confidence * FREE_COMBINATION, 4)
    losers = _nested_losers(live)
    live = [c for c in live if c.key not in losers]
    # of the candidates one English renders, the one it renders most fully (建立信任措施
    # `confidence-building measures`, not 信任措施) is the concept's entry
    fullest: dict[tuple[str, ...], _Candidate] = {}
    for c in sorted(live, key=lambda c: (_rendered_share(c), len(c.key)), reverse=True):
        fullest.setdefault(c.preferred, c)
    live = sorted(fullest.values(), key=lambda c: (_rank(c), c.frequency, c.key), reverse=True)
    kept: list[_Candidate] = []
    kept_by_key: dict[str, _Candidate] = {}
    holding: dict[str, list[_Candidate]] = defaultdict(list)  # a piece -> kept terms with it
    for c in live:
        # the English is each candidate's own (one per English, above): only nested
        # candidates can conflict with it
        near = [kept_by_key[p] for p in _pieces(c.key) if p in kept_by_key] + holding[c.key]
        if any(_conflict(c, k) for k in near):
            continue
        kept.append(c)
        kept_by_key[c.key] = c
        for piece in dict.fromkeys(_pieces(c.key)):
            holding[piece].append(c)
    return kept


FREE_COMBINATION = 0.6  # of the confidence of a general modifier put before a term
# shell nouns: heads that say `the field of`, `the aspect of` a term, not a new concept
GENERIC_HEADS = ("领域", "方面", "层面", "范围", "情况", "角度", "程度")


def _free_combination(c: _Candidate, by_key: dict[str, _Candidate], keyness: Keyness) -> bool:
    """Is the candidate a term with a shell noun after it (核领域), or a general modifier
    before it, which makes a phrase rather than a term of its own: a name (中美战略核关系
    `China-U.S. strategic nuclear relations`) or a word the text uses no more than
    general language does (全球战略稳定);
    核战略稳定 `nuclear strategic stability` is a term (核 is this text's word)."""
    for head in GENERIC_HEADS:
        before = c.key[: -len(head)]
        if c.key.endswith(head) and (before in by_key or len(before) == 1):
            return True  # 核领域 `nuclear domain`: a term's domain, named by a shell noun
    for cut in range(1, len(c.key)):
        head = by_key.get(c.key[cut:])
        if (
            head is None
            or min(len(_content(head.preferred)), *(o.tokens for o in head.occurrences)) < 2
        ):
            continue  # a term of several words on both sides: 中美关系 is a term, 关系 is not
        modifier = c.key[:cut]
        added = [w for w in c.preferred if w not in head.preferred and w not in EN_STOP]
        if not added:
            continue
        if keyness.specificity(modifier) * FULL_WEIRDNESS < GENERAL_WEIRDNESS:
            return True
        occ = [o for o in c.occurrences if o.en_key == c.preferred]
        if all(_capitalised(o.en, added) for o in occ):
            return True
    return False


GENERAL_WEIRDNESS = 1.0  # log10 ratio below which a word is general language in the text


def _capitalised(display: str, words: list[str]) -> bool:
    """Are the display form's words that fold to `words` all capitalised?"""
    caps = [t for t in tokens_en(display) if t.word and lemma(t.lower) in words]
    return bool(caps) and all(t.cap for t in caps)


def _rendered_share(c: _Candidate) -> float:
    """The mean recall of the occurrences rendered by the preferred English, to a tenth."""
    like = [o.recall for o in c.rendered if o.en_key == c.preferred]
    return round(sum(like) / len(like), 1) if like else 0.0


def _rank(c: _Candidate) -> float:
    """The order of the glossary: confidence, and how much of the text the term is (a
    term used eight times before one used once, other things equal; its variants count;
    a recurring term of many words before a short one)."""
    use = 0.55 + 0.45 * min(1.0, math.log2(1 + c.agreement) / 3)
    # a long unit that recurs is the more a term (the C-value of term extraction)
    words = max(o.tokens for o in c.occurrences)
    length = 1 + LENGTH_BONUS * min(3, max(0, words - 2)) if c.agreement > 1.5 else 1
    return c.confidence * use * length


LENGTH_BONUS = 0.1  # of the rank, for each Chinese word past two (up to three)


SPREAD_GAIN = 0.05  # a corpus glossary's confidence gain per doubling of a term's documents
SPREAD_MAX = 1.25  # ... up to this factor (32 documents)


def _spread(confidence: float, documents: int) -> float:
    """A corpus glossary's term found in many documents is more of a term: its confidence
    grows mildly with its documents (x1.05 in two, x1.25 from 32 on); one document's is
    left as it is."""
    if documents <= 1 or confidence <= 0:
        return confidence
    factor = min(SPREAD_MAX, 1 + SPREAD_GAIN * math.log2(documents))
    return round(min(1.0, confidence * factor), 4)


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


def _example_pair(c: _Candidate, zh_length: Callable[[int], int]) -> int:
    """The pair of the example: the shortest pair among the best-aligned occurrences of
    the preferred English (`zh_length`: the length of a pair's Chinese)."""
    best = max(
        (o for o in c.occurrences if o.en_key == c.preferred),
        key=lambda o: (round(o.score, 2), -zh_length(o.pair)),
        default=c.occurrences[0],
    )
    return best.pair


def _one_line(texts: tuple[str, str]) -> tuple[str, str]:
    return " ".join(texts[0].split()), " ".join(texts[1].split())


MIN_VARIANT_RECALL = 0.7  # a rendering that leaves more of the Chinese out is no variant


def _sentence_case(o: Occurrence, lowercase: set[str]) -> str:
    """The English of an occurrence, its first word lowercased when only a sentence's
    start capitalised it and the text writes the word lowercase elsewhere (`Nuclear
    strategic stability differs …` -> nuclear; `Track II dialogues are …` keeps Track)."""
    first, _, rest = o.en.partition(" ")
    if o.initial and first[:1].isupper() and first[1:].islower() and first.lower() in lowercase:
        return " ".join(filter(None, [first.lower(), rest]))
    return o.en


def _entries(
    chosen: list[_Candidate],
    examples: dict[str, tuple[str, str]],
    vocabulary: set[str],
    lowercase: set[str],
) -> list[Entry]:
    out = []
    for c in chosen:
        forms: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        for o in c.rendered:
            forms[o.en_key][_sentence_case(o, lowercase)] += 1
        en = _canonical(forms[c.preferred].most_common(1)[0][0], vocabulary)
        variants: list[str] = []
        counts = Counter(o.en_key for o in c.rendered if o.recall >= MIN_VARIANT_RECALL)
        for k, _ in counts.most_common():
            form = _canonical(forms[k].most_common(1)[0][0], vocabulary)
            if k != c.preferred and form.lower() != en.lower() and form not in variants:
                if _similarity(k, c.preferred) > 0.5:
                    variants.append(form)
        written = Counter(o.written for o in c.occurrences).most_common(1)[0][0]
        entry = Entry(written, c.key, en, variants, c.frequency, c.confidence,
                      _one_line(examples[c.key]), documents=c.documents)  # fmt: skip
        entry.part_of_speech, entry.term_type = _grammar(c)
        out.append(entry)
    return out


# jieba's part-of-speech tags of a term's head word, as TBX-Basic's partOfSpeech values
# (a name is a proper noun by its English: jieba tags 中美关系 and 跛脚鸭 as names too)
TBX_POS = {"v": "verb", "vi": "verb", "vd": "verb", "a": "adjective", "ad": "adjective",
           "b": "adjective", "d": "adverb"}  # fmt: skip


def _grammar(c: _Candidate) -> tuple[str, str]:
    """TBX-Basic's partOfSpeech and termType of the term: a phrase of a set formula is a
    phrase; a Latin acronym (AI) an acronym, a word jieba tags as an abbreviation (台独)
    an abbreviation; the part of speech is the head word's (the last), a name's when the
    English is capitalised, a noun's when a verb or adjective is rendered by a noun
    phrase (互信 `mutual trust`)."""
    if any(o.formula for o in c.occurrences):
        return "other", "phrase"
    words = segment_zh(c.key)
    if len(words) == 1 and not words[0].han and words[0].text.isupper():
        return "noun", "acronym"
    term_type = "abbreviation" if len(words) == 1 and words[0].pos == "j" else "fullForm"
    if _proper_key(c) or any(o.named for o in c.occurrences):
        return "properNoun", term_type
    pos = TBX_POS.get(words[-1].pos if words else "", "noun")
    if pos in ("verb", "adjective") and (len(words) > 1 or len(_content(c.preferred)) > 1):
        pos = "noun"  # 危机管理 `crisis management`, 互信 `mutual trust`
    return pos, term_type


EnKey = tuple[str, ...]
# what the English of the pairs says, asked for once the preferred renderings are known:
# english(preferred renderings, example pairs) -> (pairs holding each rendering as a
# term-shaped span, every English word as written, the example pairs' (zh, en) texts)
English = Callable[[set[EnKey], set[int]], tuple[Counter, set[str], dict[int, tuple[str, str]]]]


def term_occurrences(
    pairs: Sequence[TextPair], anchors: Anchors | None = None
) -> tuple[list[Occurrence], list[PairView], Counter]:
    """Every term occurrence of the pairs (a set formula's place beating the dictionary
    for its phrases), the pairs' views, and how often their Chinese uses each word."""
    occurrences, views = align_terms(pairs, anchors)
    formulae = formula_occurrences(views)
    placed = {(o.pair, o.key) for o in formulae}
    occurrences = [o for o in occurrences if (o.pair, o.key) not in placed] + formulae
    zh_words = Counter(z.text for view in views for z in view.zt if z.han)
    return occurrences, views, zh_words


def extract_entries(
    pairs: Sequence[TextPair], anchors: dict[str, list[tuple[frozenset[str], int]]] | None = None
) -> list[Entry]:
    """Entries found in the pairs, best first (no filtering by frequency or rank)."""
    occurrences, views, zh_words = term_occurrences(pairs, anchors)

    def english(preferred: set[EnKey], wanted: set[int]) -> tuple[Counter, set[str], dict]:
        en_freq: Counter = Counter()
        for view in views:
            en_freq.update({en_key(view.et, s, e) for s, e in view.spans})
        words = {t.text for v in views for t in v.et if t.word}
        return en_freq, words, {k: (pairs[k].zh_text, pairs[k].en_text) for k in wanted}

    return rank_entries(
        occurrences, lambda k: pairs[k].doc, lambda k: len(pairs[k].zh_text), english, zh_words
    )


def rank_entries(
    occurrences: list[Occurrence],
    doc_of: Callable[[int], object],
    zh_length: Callable[[int], int],
    english: English,
    zh_words: Counter,
) -> list[Entry]:
    """Entries of the occurrences of one document or many (their `pair` numbers the pairs
    of them all), in rank order: `doc_of(pair)` names a pair's document, `zh_length(pair)`
    is its Chinese's length, `english` what the English says (see `English`), `zh_words`
    how often the Chinese uses each word (for `Keyness`). A corpus glossary counts a
    corpus's English in its executors, after grouping: one way to rank for one document
    and for thousands."""
    cands = _group(occurrences)
    for c in cands.values():
        c.documents = len({doc_of(o.pair) for o in c.occurrences})
    live = [c for c in cands.values() if c.preferred]
    example_pairs = {c.key: _example_pair(c, zh_length) for c in live}
    en_freq, words, texts = english({c.preferred for c in live}, set(example_pairs.values()))
    vocabulary = {w.lower() for w in words}
    lowercase = {w for w in words if w.islower()}
    chosen = _select(cands, en_freq, Keyness(zh_words))
    examples = {c.key: texts[example_pairs[c.key]] for c in chosen}
    return _entries(chosen, examples, vocabulary, lowercase)


# ---------------------------------------------------------------- references


def read_reference(path: str | Path) -> str:
    """The text of an English reference document (UTF-8), or InputError naming it."""
    return read_text(path, "reference file")


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


def _subsequence_end(
    lems: list[str], toks: list[EnToken], start: int, words: list[str]
) -> int | None:
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
    source: PairSource,
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
    check_limits(min_freq, top)
    texts = [read_reference(r) for r in references or []]  # bad files fail first
    pairs = pairs_from(source)
    known, anchors = known_anchors(known or [])
    found = extract_entries(pairs, anchors)
    return finish_glossary(
        found, known, _known_in(pairs), texts, min_freq=min_freq, top=top,
        min_confidence=min_confidence,
    )  # fmt: skip


def check_limits(min_freq: int, top: int | None) -> None:
    if min_freq < 1:
        raise InputError(f"min_freq must be at least 1, not {min_freq}")
    if top is not None and top < 0:
        raise InputError(f"top must not be negative, not {top}")


Anchors = dict[str, list[tuple[frozenset[str], int]]]
# where a user's term occurs in the text: term -> (occurrences, documents, first pair's texts)
KnownIn = Callable[[str], tuple[int, int, tuple[str, str]]]


def known_anchors(known: list[Entry]) -> tuple[list[Entry], Anchors]:
    """The user's entries, one per Chinese term, and the anchors they give term alignment
    (term -> the English forms and word count of each of its renderings)."""
    known = _unique(known)
    anchors: Anchors = {}
    for k in known:
        renderings = []
        for en in [k.en, *k.variants]:
            words = [t for t in tokens_en(en) if t.content]
            if words:
                renderings.append((frozenset(f for t in words for f in t.forms), len(words)))
        anchors[k.zh_simplified or simplified(k.zh)] = renderings
    return known, anchors


def finish_glossary(
    found: list[Entry],
    known: list[Entry],
    known_in: KnownIn,
    texts: list[str],
    *,
    min_freq: int = 1,
    top: int | None = None,
    min_confidence: float = 0.0,
) -> list[Entry]:
    """The glossary of the entries found: the user's entries merged in, the limits
    applied, the references' renderings attested, best first."""
    entries = _merge_known(found, known, known_in)
    entries = [e for e in entries if e.frequency >= min_freq or e.source == "user"]
    entries = [e for e in entries if e.confidence >= min_confidence or e.source == "user"]
    if texts:
        attest(entries, texts)
    entries.sort(key=lambda e: e.source != "user")  # the user's first, the rest by rank
    return entries[:top] if top is not None else entries


def _known_in(pairs: Sequence[TextPair]) -> KnownIn:
    def known_in(key: str) -> tuple[int, int, tuple[str, str]]:
        hits = [p for p in pairs if key in p.zh_norm]
        example = (hits[0].zh_text, hits[0].en_text) if hits else ("", "")
        return sum(p.zh_norm.count(key) for p in hits), len({p.doc for p in hits}), example

    return known_in


def _unique(known: list[Entry]) -> list[Entry]:
    """The user's entries, one per Chinese term (the first wins)."""
    out: dict[str, Entry] = {}
    for k in known:
        key = k.zh_simplified or simplified(k.zh)
        if key and k.en and key not in out:
            out[key] = k
    return list(out.values())


def _merge_known(found: list[Entry], known: list[Entry], known_in: KnownIn) -> list[Entry]:
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
            e.frequency, e.documents = text.frequency, text.documents
            for v in [text.en, *text.variants]:
                if v and v.lower() != e.en.lower() and v not in e.variants:
                    e.variants.append(v)
            if not any(e.example):
                e.example = text.example
        else:
            e.frequency, e.documents, example = known_in(key) if key else (0, 0, ("", ""))
            if not any(e.example):
                e.example = example
        out.append(e)
    known_en = {k.en.lower() for k in known}
    for e in found:
        if e.zh_simplified in used or e.en.lower() in known_en:
            continue
        out.append(e)
    return out
