"""Term alignment inside one aligned pair: the pair's tokens and what each Chinese token
matches (its view), the English span of every Chinese candidate (an F-measure of
dictionary composition, romanised names, acronyms, and words neither side explains
paired with each other), and the occurrences that come out.

The pairs come from an Alignment, a list of them, or (zh, en) sentence pairs
(`pairs_from`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex

from ..lexicon import EN_STOP
from ..model import Alignment, InputError, Occurrence, Sentence
from ..normalise import simplified
from ..tokenise import lemma
from .candidates import (
    CLOSED_POS,
    COORDINATORS,
    MAX_EN,
    QUOTES,
    EnToken,
    ZhToken,
    chinese_candidates,
    combined_stem,
    english_spans,
    is_proper,
    segment_zh,
    split_compound,
    tokens_en,
)
from .matching import forms_match, name_matches, token_hits

# ---------------------------------------------------------------- input pairs


@dataclass
class TextPair:
    """One aligned pair as the term extractor sees it."""

    zh_text: str  # as written
    zh_norm: str  # simplified matching view (same length as zh_text when possible)
    en_text: str
    doc: str = ""


# one side of a given pair: its text, or its sentences (Sentences or plain strings)
SideText = str | Sequence[Sentence | str]
# what terms are extracted from: an Alignment, or a list of Alignments and (zh, en) pairs
PairSource = Alignment | Iterable[Alignment | tuple[SideText, SideText]]


def pairs_from(source: PairSource) -> list[TextPair]:
    """Aligned pairs from an Alignment, a list of Alignments, or a list of
    (zh sentences, en sentences) pairs (Sentence lists or plain strings)."""
    if isinstance(source, Alignment):
        return _alignment_pairs(source)
    out: list[TextPair] = []
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
            out.append(TextPair(zt, zn, et))
    return out


MIN_BEAD_CONFIDENCE = 0.2  # beads below this are too unsure to take terms from


def _alignment_pairs(al: Alignment) -> list[TextPair]:
    doc = al.document
    out: list[TextPair] = []  # titles are left out: they are translated too freely
    if al.level == "paragraph":
        for b in al.beads:
            if b.zh and b.en and b.confidence >= MIN_BEAD_CONFIDENCE:
                zt, et = al.texts(b)
                out.append(TextPair(zt, simplified(zt), et, doc.name))
        return out
    zs, es = doc.zh.sentences, doc.en.sentences
    for b in al.beads:
        if not b.zh or not b.en or b.confidence < MIN_BEAD_CONFIDENCE:
            continue
        zt, zn = _zh_side([zs[i] for i in b.zh])
        out.append(TextPair(zt, zn, " ".join(es[j].text for j in b.en), doc.name))
    return out


def _zh_side(zh: SideText) -> tuple[str, str]:
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


def _en_side(en: SideText) -> str:
    if isinstance(en, str):
        return en
    return " ".join(s.text if isinstance(s, Sentence) else str(s) for s in en)


# ---------------------------------------------------------------- alignment inside pairs


@dataclass
class PairView:
    """One pair as term alignment reads it: both sides' tokens and what matches what."""

    pair: TextPair
    zt: list[ZhToken]
    et: list[EnToken]
    match: list[frozenset[int]]  # per Chinese token: the English tokens it matches
    parts: list[list[Part]]  # per Chinese token: its pieces, matched on their own
    orphan_e: list[bool]  # English content words no Chinese word of the pair explains
    names: list[tuple[int, int, int, int]]  # zh start,end (chars), en token s,e
    spans: set[tuple[int, int]] = field(default_factory=set)  # valid English term spans


@dataclass
class Span:
    f: float = 0.0
    p: float = 0.0
    r: float = 0.0
    s: int = -1
    e: int = -1
    covered: frozenset[int] = frozenset()  # character offsets in the pair's Chinese


ORPHAN_CREDIT = 0.5  # an unexplained word paired with an unexplained word counts this much
CHARS_PER_WORD = 2.0  # Chinese characters an unexplained English word may render


@dataclass
class Part:
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


def _affixes_joined(own: list[Part], whole: frozenset[int], text: str, start: int) -> list[Part]:
    """A suffix joined to the piece before it when none of its matches is one of the
    whole word's (`text`, which starts at offset `start`): 建设性 `constructive` is 建设
    and the suffix 性, rendered by one English word together (性 alone would match
    `characterized`)."""

    out: list[Part] = []
    for p in own:
        if out and p.end - p.start == 1 and text[p.start - start] in SUFFIXES:
            if not (p.hits & whole):
                last = out[-1]
                out[-1] = Part(last.start, p.end, last.weight + p.weight, last.hits)
                continue
        out.append(p)
    return out


# derivational suffixes English renders inside the word they make (constructive,
# modernization, producer, transparency), not by a word of their own
SUFFIXES = frozenset("性化者式型度率")


def pair_view(pair: TextPair) -> PairView:
    """The pair's tokens, the English tokens each Chinese token (and each piece of a long
    compound) matches, its romanised names and its term-shaped English spans."""
    zt = segment_zh(pair.zh_norm)
    et = tokens_en(pair.en_text)
    content = [j for j, t in enumerate(et) if t.content]
    parts: list[list[Part]] = []
    for z in zt:
        if z.light:
            parts.append([Part(z.start, z.end, 0)])
            continue
        whole = token_hits(z.text, z.han, content, et)
        # a number is one piece: 三个 `three`, its classifier never rendered on its own
        pieces = split_compound(z.text) if z.han and z.pos != "m" else [z.text]
        own: list[Part] = []
        if len(pieces) > 1:
            pos = z.start
            for piece in pieces:
                hits = token_hits(piece, True, content, et)
                own.append(Part(pos, pos + len(piece), len(piece), frozenset(hits)))
                pos += len(piece)
        if not any(p.hits for p in own):  # the pieces match nothing: the word as a whole
            own = [Part(z.start, z.end, len(z.text) if z.han else 2, frozenset(whole))]
        else:  # what the whole word matches and no piece does goes to the silent pieces
            if whole:
                own = _affixes_joined(own, frozenset(whole), z.text, z.start)
            rest = frozenset(whole) - frozenset().union(*(p.hits for p in own))
            for p in own:
                if rest and not p.hits:
                    p.hits = rest
        parts.append(own)
    # a romanised name's English words are matched by its characters
    names = name_matches(pair.zh_norm, et)
    for zs, ze, s, e in names:
        hits = frozenset(range(s, e + 1))
        for own in parts:
            for p in own:
                if p.weight and p.start < ze and p.end > zs:
                    p.hits = p.hits | hits
    match = [frozenset().union(*(p.hits for p in own)) for own in parts]
    matched_e = set().union(*match) if match else set()
    orphan_e = [t.content and j not in matched_e for j, t in enumerate(et)]
    return PairView(pair, zt, et, match, parts, orphan_e, names, english_spans(et))


def _find_all(text: str, key: str) -> list[int]:
    out, start = [], text.find(key) if key else -1
    while start >= 0:
        out.append(start)
        start = text.find(key, start + len(key))
    return out


def _align_candidate(view: PairView, a: int, b: int, coordinated: bool = False) -> Span:
    """The best English span for Chinese tokens [a, b): the F-measure of the English
    content words the candidate's words explain (precision) and of the candidate's
    characters the span's words render (recall); words no dictionary explains on either
    side are paired with each other (about two characters a word)."""
    et = view.et
    term = _TermParts.of(view, a, b)
    if term.total == 0:
        return Span()
    if _run_continues(view, a, b, term):
        term.orphan_zh = 0  # its unexplained words are not the term's alone to pair
    anchors = set(term.matched)
    if term.orphan_zh:
        anchors |= {j for j, o in enumerate(view.orphan_e) if o}
    if not anchors:
        return Span()
    best, best_cov, best_key = Span(), 0, 0.0
    here = (view.zt[a].start + view.zt[b - 1].end) / 2 / max(1, len(view.pair.zh_norm))
    order = sorted(anchors)
    for si, s in enumerate(order):
        for e in order[si:]:
            if e - s >= MAX_EN:
                break
            if not _span_allowed(view, s, e, coordinated):
                continue
            content = [j for j in range(s, e + 1) if et[j].content]
            if term.matched and not term.edges_ok(content):
                continue
            if _truncated(view, term, s, e):
                continue
            scored = _score_span(view, term, s, e, content)
            if scored is None:
                continue
            f, prec, rec, en_cov, rendered = scored
            # where words no dictionary explains are paired, the span nearer the term's
            # place in the sentence is the likelier (核裁军 `nuclear arms reduction`,
            # not the `nuclear arsenal` of the clause before)
            if en_cov < len(content):
                f -= PLACE_WEIGHT * abs(here - _place(view, s, e))
            if f > best_key + 1e-9 or (f > best_key - 1e-9 and en_cov > best_cov):
                chars = frozenset(c for p in rendered for c in range(p.start, p.end))
                best, best_cov, best_key = Span(scored[0], prec, rec, s, e, chars), en_cov, f
    return best


PLACE_WEIGHT = 0.3  # of the distance (0..1) between the term's and the span's places


def _place(view: PairView, s: int, e: int) -> float:
    """The relative place (0..1) of the English tokens [s, e] in their text."""
    return (view.et[s].start + view.et[e].end) / 2 / max(1, len(view.pair.en_text))


def _run_continues(view: PairView, a: int, b: int, term: _TermParts) -> bool:
    """Does a run of Chinese words no English word explains go on past the candidate's
    edge (中美元首 | 会晤: `summit` may render 元首会晤 as well as 元首)? Then pairing the
    candidate's unexplained words with unexplained English words would cut it."""
    zt, parts = view.zt, view.parts

    def unexplained(i: int) -> bool:
        z = zt[i]
        if z.light or z.pos in CLOSED_POS or not z.han:
            return False
        return all(p.orphan for p in parts[i] if p.weight)

    def joined(i: int, k: int) -> bool:
        return zt[i].end == zt[k].start and zt[i].clause == zt[k].clause

    if term.parts[-1].orphan and b < len(zt) and joined(b - 1, b) and unexplained(b):
        return True
    return term.parts[0].orphan and a > 0 and joined(a - 1, a) and unexplained(a - 1)


def _truncated(view: PairView, term: _TermParts, s: int, e: int) -> bool:
    """Does the span [s, e] cut a rendering short: a name in its middle (`Arms | Control
    and Nonproliferation Consultations`), a run of words no Chinese word explains (核裁军
    `nuclear arms | reduction`), or end on an unexplained participle (… stability
    `characterized`)?"""
    et = view.et

    def joined(a: int, b: int) -> bool:  # two neighbouring tokens of one clause
        return 0 <= a < len(et) and 0 <= b < len(et) and et[a].clause == et[b].clause

    if sum(1 for t in et[s : e + 1] if t.content) > 1 and all(
        t.cap for t in et[s : e + 1] if t.content
    ):
        if joined(s - 1, s) and et[s - 1].cap and et[s - 1].content and not et[s - 1].initial:
            return True
        if joined(e, e + 1) and et[e + 1].cap and et[e + 1].content:
            return True

    def unexplained(j: int) -> bool:
        return view.orphan_e[j] and j not in term.matched

    # a run of unexplained words is cut while the term's unexplained characters could
    # pay for more of it (a word a character at most)
    unpaid = term.orphan_zh - sum(1 for j in range(s, e + 1) if unexplained(j)) > 0
    if unpaid and unexplained(e) and joined(e, e + 1) and unexplained(e + 1):
        return True
    if unpaid and unexplained(s) and joined(s - 1, s) and unexplained(s - 1):
        return True
    return unexplained(e) and et[e].lower.endswith("ed") and "-" not in et[e].lower


@dataclass
class _TermParts:
    """The weighted parts of a Chinese candidate and what they match."""

    parts: list[Part]
    total: int  # the parts' weight
    matched: set[int]  # the English tokens some part matches
    orphan_zh: int  # the weight of the parts that match nothing

    @classmethod
    def of(cls, view: PairView, a: int, b: int) -> _TermParts:
        parts = [p for own in view.parts[a:b] for p in own if p.weight]
        matched: set[int] = set()
        for p in parts:
            matched |= p.hits
        orphan_zh = sum(p.weight for p in parts if p.orphan)
        return cls(parts, sum(p.weight for p in parts), matched, orphan_zh)

    def edges_ok(self, content: list[int]) -> bool:
        """An unexplained English word may stand at an edge of the span only where the
        term has an unexplained part at the same edge (台海 `Taiwan Strait`: 海 and Strait
        both last); else it is the next word of the sentence (… relationship matters)."""
        if content[0] not in self.matched and not self.parts[0].orphan:
            return False
        return content[-1] in self.matched or self.parts[-1].orphan


def _span_allowed(view: PairView, s: int, e: int, coordinated: bool) -> bool:
    """May the English tokens [s, e] render a candidate (coordinated: holding 与, 和 ...)?"""
    if (s, e) not in view.spans:
        return False
    if any(view.et[x].lower == "and" for x in range(s, e)) and not coordinated:
        return False  # X and Y renders X与Y
    return not coordinated or is_proper(view.et, s, e)  # a coordination: only as a name


def _score_span(
    view: PairView, term: _TermParts, s: int, e: int, content: list[int]
) -> tuple[float, float, float, int, list[Part]] | None:
    """The F-measure, precision and recall of the span [s, e] for the term, the English
    words it explains and the parts it renders; None when it renders nothing."""
    matched, orphan_zh = term.matched, term.orphan_zh
    en_cov = sum(1 for j in content if j in matched)
    en_orph = sum(1 for j in content if j not in matched and view.orphan_e[j])
    # the combining form of a closed compound the term's words match by its stem stands
    # for an unexplained Chinese word (网络安全 `cybersecurity`: cyber- for 网络)
    en_orph += sum(1 for j in content if j in matched and combined_stem(view.et[j].lower))
    rendered = _one_to_one(term.parts, view.et, s, e)
    zh_cov = sum(p.weight for p in rendered)
    pair_words = min(en_orph, orphan_zh)  # a word a character at most (裁军 `arms reduction`)
    pair_chars = min(orphan_zh, en_orph * CHARS_PER_WORD)
    prec = min(1.0, (en_cov + ORPHAN_CREDIT * pair_words) / len(content))
    rec = (zh_cov + ORPHAN_CREDIT * pair_chars) / term.total
    if prec <= 0 or rec <= 0:
        return None
    left = pair_chars
    for p in term.parts:  # the unexplained characters the paired words render
        if p.orphan and left > 0:
            rendered.append(p)
            left -= p.weight
    return 2 * prec * rec / (prec + rec), prec, rec, en_cov, rendered


def _one_to_one(parts: list[Part], et: list[EnToken], s: int, e: int) -> list[Part]:
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


def _display(view: PairView, s: int, e: int) -> str:
    text = view.pair.en_text[view.et[s].start : view.et[e].end]
    text = "".join(c for c in text if c not in QUOTES or c == "'")
    text = regex.sub(r"['’]s$", "", text)  # Trump administration's -> ... administration
    return " ".join(text.split())


def en_key(et: list[EnToken], s: int, e: int) -> tuple[str, ...]:
    """The folded form (lemmas of the words) of the English tokens [s, e]."""
    return tuple(lemma(t.lower) for t in et[s : e + 1] if t.word)


def written_form(view: PairView, start: int, end: int) -> str:
    """The term as written (traditional stays traditional) when the text's offsets are
    the matching view's, else as the view has it (normalising moved them: … -> ...)."""
    p = view.pair
    norm = p.zh_norm[start:end]
    if len(p.zh_text) == len(p.zh_norm) and simplified(p.zh_text[start:end]) == norm:
        return p.zh_text[start:end]
    return norm


MIN_SCORE = 0.45  # an occurrence aligned worse than this has no English
MIN_RECALL = 0.6  # an English that leaves more of the Chinese term out is no translation


def _occurrence(
    view: PairView, k: int, zs: int, ze: int, span: Span, tokens: int, first_pos: str
) -> Occurrence:
    o = Occurrence(view.pair.zh_norm[zs:ze], written_form(view, zs, ze), k, tokens=tokens,
                   first_pos=first_pos, score=span.f, recall=span.r)  # fmt: skip
    if span.f >= MIN_SCORE:
        o.en, o.en_key = _display(view, span.s, span.e), en_key(view.et, span.s, span.e)
        o.proper = is_proper(view.et, span.s, span.e) and not view.et[span.s].initial
        o.initial = view.et[span.s].initial
        o.covered = frozenset(c - zs for c in span.covered if zs <= c < ze)
    return o


def _anchor_span(view: PairView, renderings: list[tuple[frozenset[str], int]]) -> Span:
    """The English of a known term in a pair: the term-shaped span whose content words
    are all words of one of the known renderings and that has most of them (the share of
    the rendering's words found is the score)."""
    best = Span()
    for forms, words in renderings:
        hit = {j for j, t in enumerate(view.et) if t.content and forms_match(forms, t.forms)}
        for s, e in view.spans:
            content = [j for j in range(s, e + 1) if view.et[j].content]
            if content and all(j in hit for j in content):
                f = min(1.0, len(content) / max(1, words))
                if (f, e - s) > (best.f, best.e - best.s):
                    best = Span(f, 1.0, 1.0, s, e)
    return best


def _verbal(view: PairView, a: int, span: Span) -> bool:
    """Does the English make the opening Chinese verb its head (`strengthening of X`,
    `handling X`, `establish X`)? Then the pair names an action, not a concept."""
    first = view.et[span.s]
    if span.s not in view.match[a]:
        return False
    if "-" in first.lower:
        return False
    if first.lower.endswith("ing"):
        return True
    nxt = view.et[span.s + 1] if span.s + 1 <= span.e else None
    if nxt is not None and nxt.lower == "of":
        return True
    # `establish bilateral … mechanisms`: a verb, not a noun, opens the English
    return span.e > span.s and not first.lower.rstrip("s").endswith(NOMINAL_END)


NOMINAL_END = ("tion", "sion", "ment", "ance", "ence", "ing", "ure", "ism", "ity", "ness",
               "al", "ship", "cy", "age")  # fmt: skip


def _nominalised(view: PairView, i: int, span: Span) -> bool:
    """Is the verb at token i rendered by a noun in the span (军事应用对话 `military
    applications`, 危机管理 `crisis management`)?"""
    words = [view.et[j].lower for j in view.match[i] if span.s <= j <= span.e]
    return any(w.rstrip("s").endswith(NOMINAL_END) or w.endswith(NOMINAL_END) for w in words)


def align_terms(
    pairs: Sequence[TextPair], anchors: dict[str, list[tuple[frozenset[str], int]]] | None = None
) -> tuple[list[Occurrence], list[PairView]]:
    """Every candidate occurrence in every pair, with its best English span."""
    anchors = anchors or {}
    views = [pair_view(p) for p in pairs]
    occurrences: list[Occurrence] = []
    for k, view in enumerate(views):
        here: dict[tuple[int, int], Occurrence] = {}
        _candidate_occurrences(view, k, here)
        _name_occurrences(view, k, here)
        _anchor_occurrences(view, k, anchors, here)
        occurrences.extend(here.values())
    return occurrences, views


def _candidate_occurrences(view: PairView, k: int, here: dict[tuple[int, int], Occurrence]) -> None:
    """The occurrences of the Chinese candidates of pair k, by their offsets, into `here`."""
    zt = view.zt
    names = [(zs, ze) for zs, ze, _, _ in view.names]
    for a, b in chinese_candidates(view.zt):
        zs, ze = zt[a].start, zt[b - 1].end
        if any(zs < ne and ze > ns and not (zs <= ns and ne <= ze) for ns, ne in names):
            continue  # 后来陈: cuts a name in two
        coordinated = any(z.text in COORDINATORS for z in zt[a:b])
        span = _verb_checked(view, a, b, _align_candidate(view, a, b, coordinated))
        here[zs, ze] = _occurrence(view, k, zs, ze, span, b - a, zt[a].pos)


def _verb_checked(view: PairView, a: int, b: int, span: Span) -> Span:
    """The span, or no span where the verbs of the candidate [a, b) make it an action or
    a clause rather than a term."""
    zt = view.zt
    if zt[a].pos == "v" and span.f and _verbal(view, a, span):
        span = Span()  # 加强…机制 `strengthening of … mechanisms`: an action
    for i in (b - 2, b - 1) if b - a >= 2 else ():
        if zt[i].pos == "v" and i > a and span.f and not _nominalised(view, i, span):
            span = Span()  # 美方了解中方 `U.S. side understands`: a clause
    if zt[b - 1].pos == "v" and b - a >= 2 and span.f:
        last = view.et[span.e].lower.rstrip("s")
        if not last.endswith(NOMINAL_END) or last.endswith("ing"):
            # a term closed by a verb needs a noun at its end, not a participle
            # (配置文件包含 `configuration file containing`)
            span = Span()
    return span


def _name_occurrences(view: PairView, k: int, here: dict[tuple[int, int], Occurrence]) -> None:
    """The romanised names of pair k, each rendered by its English words."""
    for zs, ze, s, e in view.names:
        o = here.get((zs, ze)) or _occurrence(view, k, zs, ze, Span(), 1, "nr")
        o.en, o.en_key, o.score, o.recall = _display(view, s, e), en_key(view.et, s, e), 1.0, 1.0
        o.covered, o.named, o.proper = frozenset(range(ze - zs)), True, True
        here[zs, ze] = o


def _anchor_occurrences(
    view: PairView,
    k: int,
    anchors: dict[str, list[tuple[frozenset[str], int]]],
    here: dict[tuple[int, int], Occurrence],
) -> None:
    """The occurrences in pair k of the user's terms (`anchors`: term -> its renderings'
    forms and word counts)."""
    zt = view.zt
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
