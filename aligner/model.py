"""The dataclasses that carry a document from one pipeline stage to the next."""

from __future__ import annotations

from dataclasses import dataclass, field

ZH = "zh"
EN = "en"
LANGS = (ZH, EN)


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


@dataclass
class Header:
    """A title, author, affiliation, date or copyright line: kept apart from the body."""

    kind: str  # title | parallel_title | author | affiliation | date | copyright
    lang: str
    text: str
    norm: str = ""


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
