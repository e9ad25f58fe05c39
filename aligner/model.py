"""The dataclasses that carry a document from one pipeline stage to the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

ZH = "zh"
EN = "en"


class InputError(Exception):
    """Bad input the user can fix; the CLI prints it on one line and exits with code 2."""


@dataclass
class Sentence:
    text: str  # original text, cleaned of hard wrapping (or converted on request)
    norm: str  # matching view: NFKC, simplified Chinese, whitespace normalised
    lang: str
    para: int  # paragraph number within its side, 0-based
    index: int  # sentence number within its side, 0-based
    tokens: list[str] = field(default_factory=list)  # surface tokens
    lemmas: list[str] = field(default_factory=list)  # lower-cased matching forms


@dataclass
class Paragraph:
    lang: str
    index: int
    text: str
    sentences: list[Sentence] = field(default_factory=list)
    source: Block | None = None  # of a structured document: the block it was read from
    section: str = ""  # of a structured document: the heading it stands under

    @property
    def block(self) -> str:
        """The kind of block it was read from ("" for plain text)."""
        return self.source.kind if self.source else ""

    @property
    def time(self) -> tuple[float, float] | None:
        """A subtitle cue's start and end, in seconds."""
        cue = self.source
        return (cue.start, cue.end) if cue is not None and cue.start >= 0 else None


@dataclass
class Header:
    """A title, author, affiliation, date or copyright line: kept apart from the body."""

    kind: str  # title | parallel_title | author | affiliation | date | copyright
    lang: str
    text: str
    norm: str = ""


# The kinds of block a document reader gives (see Block).
BLOCK_KINDS = (
    "heading", "paragraph", "list_item", "table_cell", "code", "caption", "quote", "cue",
)  # fmt: skip


@dataclass(frozen=True)
class Block:
    """One block of a structured document (HTML, DOCX, ODT, EPUB, Markdown, PDF,
    subtitles) as its reader gives it: its text on one line, its kind (see BLOCK_KINDS),
    for a heading its level (1 for the top), for a cue its time, for a PDF its page."""

    text: str
    kind: str = "paragraph"
    level: int = 0
    start: float = -1.0  # a subtitle cue's time on screen, in seconds (-1: none)
    end: float = -1.0
    page: int = 0  # the page it begins on (PDF; 0: none)


@dataclass
class RawSide:
    """One language's text as read: headers and paragraph strings (or presplit lines)."""

    lang: str
    source: str
    headers: list[Header] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    presplit: bool = False  # paragraphs holds one sentence per entry, taken as is
    blocks: list[Block] = field(default_factory=list)  # of a structured document, in order


@dataclass
class Side:
    """One language of a document: its headers and its body paragraphs."""

    lang: str
    source: str
    headers: list[Header] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]

    def header(self, kind: str) -> Header | None:
        return next((h for h in self.headers if h.kind == kind), None)


@dataclass
class Document:
    zh: Side
    en: Side
    name: str = ""

    def side(self, lang: str) -> Side:
        return self.zh if lang == ZH else self.en


@dataclass
class Unit:
    """One aligned pair as every export format sees it (a TMX tu, a TSV or JSONL row)."""

    zh: str
    en: str
    confidence: float = 1.0
    kind: str = "1-1"  # bead type (1-2, 0-1, ...) or "title"
    para: int = -1
    doc: str = ""
    zh_ids: tuple[int, ...] = ()
    en_ids: tuple[int, ...] = ()
    status: str = "auto"  # auto | confirmed | edited (see STATUSES)
    part: str = ""  # "i/k": the i-th of the k segment-level units a joined bead splits into
    parts: tuple[Unit, ...] = ()  # those units, when the bead was split (see SentenceBead)
    context: tuple[str, str] = ("", "")  # the Chinese sentences before and after the unit
    block: str = ""  # the kind of document block it comes from (heading, list_item ...)
    section: str = ""  # the heading of the document section it stands in
    time: str = ""  # subtitles: when its cues are on screen ("00:01:02,500 --> 00:01:04,000")
    page: int = 0  # a PDF's page it begins on (0: none)


# What a person did with a unit: nothing yet (the aligner's), confirmed it, or edited it.
# In this order: `--min-status confirmed` keeps confirmed and edited units (both a person's).
STATUSES = ("auto", "confirmed", "edited")
# The most characters a segment may have for Trados to import it.
LONG_SEGMENT = 2000

# The levels an alignment is made at (and a TMX header's `segtype` names).
LEVELS = ("sentence", "paragraph")
DEFAULT_FORMATS = ("tmx", "tsv")  # what a batch writes for each pair unless told


@dataclass(frozen=True)
class ExportOptions:
    """What the translation-memory outputs (TMX, parallel files) keep and how they label
    it; the review formats (TSV, JSONL, .align) keep every unit."""

    zh_lang: str = "zh-CN"
    en_lang: str = "en-US"
    keep_unaligned: bool = False
    min_confidence: float = 0.0
    segtype: str = LEVELS[0]
    creationdate: str = ""  # TMX header date (YYYYMMDDTHHMMSSZ); empty: SOURCE_DATE_EPOCH or now
    user: str = ""  # creationid/changeid of each unit; empty: the tool and its version
    # a bead that joins Chinese sentences also gives one unit per sentence (its parts), in
    # the formats that carry them (TMX, XLIFF, JSONL); one that joins English sentences
    # (its Chinese sentence cut at clause boundaries) only with split_english
    split: bool = True
    split_english: bool = False
    max_bead: int = 0  # >0: a bead with more sentences a side becomes its parts or is left out
    min_status: str = STATUSES[0]  # every format: leave out units a person has not reached


@dataclass
class ExportResult:
    """What writing units did: the files written, the units in them, the units left out."""

    written: int = 0
    skipped_unaligned: int = 0  # units with an empty side (1-0, 0-1) left out
    skipped_low_confidence: int = 0  # units under min_confidence left out
    dropped_chars: int = 0  # characters the format cannot hold (XML 1.0), dropped
    paths: list[Path] = field(default_factory=list)
    split_units: int = 0  # segment-level units written for joined beads
    over_limit_split: int = 0  # beads over max_bead written as their parts ...
    over_limit_dropped: int = 0  # ... or left out, for want of a trustworthy split
    long_segments: int = 0  # units with a side over LONG_SEGMENT characters
    skipped_status: int = 0  # units whose status is below min_status left out


# What a reviewer can do to an alignment (see aligner.review), the `op` of an Edit.
EDIT_OPS = ("join", "split", "move", "detach", "edit", "confirm")
SIDE_ENDS = ("first", "last")  # which sentence of a side `move` and `detach` take


@dataclass(frozen=True)
class Edit:
    """One correction of an alignment under review, as the review screen records it and
    `aligner review --apply` replays it. `bead` is the position (0-based) of the pair it
    applies to in the list as it stands when the edit is made, so a list of edits is
    replayed in order.

    - join: the pair and the next one become one pair;
    - split: the pair becomes two, the first keeping `cut` = (Chinese, English) sentences;
    - move: the `end` (first or last) sentence of `side` (zh or en) goes to the previous
      pair (first) or the next one (last);
    - detach: that sentence becomes a pair of its own, with nothing on the other side,
      before the pair (first) or after it (last);
    - edit: the sentences of a side get new text (`zh`/`en`: one text per sentence, None:
      the side is unchanged);
    - confirm: a person says the pair is right (status confirmed)."""

    op: str  # one of EDIT_OPS
    bead: int
    side: str = ""  # move, detach: zh | en
    end: str = ""  # move, detach: first | last
    cut: tuple[int, int] = (0, 0)  # split: Chinese and English sentences of the first pair
    zh: tuple[str, ...] | None = None  # edit: the Chinese sentences' new text
    en: tuple[str, ...] | None = None  # edit: the English sentences' new text


@dataclass
class GlossaryOptions:
    """How a glossary file is labelled: its title, which TBX it is, and whether a TBX 2
    file written to a path gets the XCS file its header names written beside it."""

    title: str = "Glossary"
    tbx_version: int = 2  # 2: TBX-Basic martif (ISO 30042:2008); 3: ISO 30042:2019
    xcs: bool = True  # TBX 2 to a path: write aligner-TBXBasic-zh-en.xcs beside it


@dataclass(frozen=True)
class BeadPart:
    """One segment-level pair of a bead that joins sentences on a side: one sentence of
    that side and the piece of the other side's text that renders it (a run of clauses,
    cut where the evidence falls), with a confidence of its own."""

    zh: str
    en: str
    confidence: float
    zh_ids: tuple[int, ...]  # the sentences the Chinese comes from (a piece: its sentence)
    en_ids: tuple[int, ...]


@dataclass
class SentenceBead:
    """Chinese and English sentence numbers (0-based, within their side) aligned together."""

    zh: tuple[int, ...]
    en: tuple[int, ...]
    confidence: float
    para: int = -1  # paragraph of the first sentence (Chinese side when it has one)
    parts: tuple[BeadPart, ...] = ()  # one per sentence of the joined side, when trustworthy

    @property
    def kind(self) -> str:
        return f"{len(self.zh)}-{len(self.en)}"


@dataclass
class Alignment:
    """The beads of one document, at sentence level (or paragraph level: then the bead
    indices are paragraph numbers), and the title pair when both sides have one."""

    document: Document
    beads: list[SentenceBead]
    level: str = "sentence"  # or paragraph: then indices are paragraph numbers
    titles: tuple[Header, Header] | None = None

    def texts(self, bead: SentenceBead) -> tuple[str, str]:
        """The two sides of a bead as text, joined as each language joins sentences."""
        if self.level == "paragraph":
            zh = "".join(self.document.zh.paragraphs[i].text for i in bead.zh)
            en = " ".join(self.document.en.paragraphs[j].text for j in bead.en)
            return zh, en
        zs, es = self._sentences
        return "".join(zs[i].text for i in bead.zh), " ".join(es[j].text for j in bead.en)

    def sentences_of(self, side: Side) -> list[Sentence]:
        """The sentences of one side of the document (built once per alignment)."""
        zs, es = self._sentences
        return zs if side is self.document.zh else es

    @cached_property
    def _sentences(self) -> tuple[list[Sentence], list[Sentence]]:
        # Side.sentences builds its list anew on each call: once per alignment, not per bead
        return self.document.zh.sentences, self.document.en.sentences


@dataclass
class Occurrence:
    """One occurrence of a Chinese term candidate in an aligned pair, with its English (the
    term extractor's record: found in the pairs, grouped into `Entry`s, sent back by a
    corpus glossary's workers)."""

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
    formula: bool = False  # a phrase of a set formula, paired by its place in a list
    initial: bool = False  # the English opens a sentence (its capital tells nothing)


@dataclass
class Entry:
    """One termbase entry: a Chinese term and its English renderings."""

    zh: str  # as written in the text (traditional stays traditional)
    zh_simplified: str = ""
    en: str = ""  # the preferred English
    variants: list[str] = field(default_factory=list)  # other renderings seen in the text
    frequency: int = 0  # occurrences of the Chinese term in aligned pairs
    confidence: float = 0.0  # 0..1
    example: tuple[str, str] = ("", "")  # one aligned sentence pair (zh, en)
    source: str = "text"  # text | user
    attested: list[str] = field(default_factory=list)  # renderings the references use
    # TBX-Basic data categories: noun, verb, adjective, adverb, properNoun, other ("" unknown)
    part_of_speech: str = ""
    # TBX-Basic termType of the Chinese term: fullForm, acronym, abbreviation, phrase, ...
    term_type: str = ""
    documents: int = 1  # documents the term occurs in (a corpus glossary's document frequency)

    def __post_init__(self) -> None:
        if not self.zh_simplified:
            from .normalise import simplified  # OpenCC, loaded only when needed

            self.zh_simplified = simplified(self.zh)


@dataclass(frozen=True)
class Quantity:
    """A number a text gives: one value (low == high), or a range for an approximation
    (十四五 14 to 15, 十几 10 to 19, `four or five`)."""

    low: float
    high: float
    approximate: bool = False  # a vague quantity word of the other text meets it too

    def meets(self, other: Quantity) -> bool:
        return self.low <= other.high and other.low <= self.high


@dataclass(frozen=True)
class Numbers:
    """The numbers of one text: those it states (a translation should give them), those
    it only implies (they meet a stated number but are not demanded: `both`, `first`,
    两人), and whether it has a vague quantity word (`several`, `a couple`, 几, 许多)."""

    stated: tuple[Quantity, ...] = ()
    implied: tuple[Quantity, ...] = ()
    vague: bool = False

    def unmatched(self, other: Numbers) -> list[Quantity]:
        """The stated quantities no quantity of `other` meets (an approximation is also met
        by a vague word of `other`), each range once, in order."""
        given = other.stated + other.implied
        missing = {
            (q.low, q.high): q
            for q in self.stated
            if not any(q.meets(o) for o in given) and not (q.approximate and other.vague)
        }
        return [missing[k] for k in sorted(missing)]
