"""Split paragraphs into sentences, for Chinese and for English, and build the Document."""

from __future__ import annotations

from pathlib import Path

import regex

from .model import EN, ZH, Block, Document, Header, Paragraph, RawSide, Sentence, Side
from .normalise import convert_many, matching_forms
from .progress import Progress, no_progress
from .read import read_sides

CLOSERS = "”’\"'」』）)】]》〉»"

# Chinese: 。！？!? and ……, then any closing quotes or brackets. A `.` is no sentence end
# in Chinese text, and ！？ inside a run (？！) stay together.
ZH_END = regex.compile(rf"(?:[。！？!?]+|……|…)[{regex.escape(CLOSERS)}]*")


def split_sentences_zh(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for m in ZH_END.finditer(text):
        end = m.end()
        # an ellipsis followed by more text in the same clause (……的) is a pause, but one
        # followed by a new clause is an end; the script cannot tell them apart, so end
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = end
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return _merge_punctuation_only(sentences)


# English: . ! ? (and runs like ?! or ...), closing quotes/brackets, space, then a new
# sentence opener. The word before the stop decides whether it is an abbreviation.
EN_END = regex.compile(rf"[.!?…]+[{regex.escape(CLOSERS)}]*(?=\s+)")
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "messrs", "mme",
    "vs", "etc", "cf", "al", "approx", "dept", "est", "fig", "figs", "vol", "vols", "ed",
    "eds", "ch", "pp", "p", "inc", "ltd", "co", "corp", "bros", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "a.m", "p.m",
    "u.s", "u.k", "u.n", "e.u", "d.c", "ph.d", "b.a", "m.a", "viz", "ca", "op", "no",
    "nos", "art", "sec", "para", "ave", "blvd", "rd",
}  # fmt: skip
# After these, a capitalised word is usually a name or a title, not a new sentence.
NAME_PREFIXES = {"mr", "mrs", "ms", "dr", "prof", "st", "mt", "gen", "col", "lt", "sgt",
                 "capt", "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "messrs",
                 "mme", "no", "nos", "vs", "cf", "fig", "figs", "vol", "vols", "ch", "pp",
                 "p", "art", "sec", "para", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                 "sep", "sept", "oct", "nov", "dec", "ca", "op", "e.g", "i.e"}  # fmt: skip
# Words that open a sentence: after an acronym such as U.S. they tell a sentence end from
# a name that follows (U.S. President ...).
SENTENCE_OPENERS = {
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they",
    "we", "i", "you", "there", "in", "on", "at", "but", "and", "or", "so", "yet", "however",
    "moreover", "meanwhile", "then", "if", "when", "while", "as", "after", "before", "since",
    "his", "her", "their", "our", "my", "such", "both", "all", "some", "many", "most", "for",
    "to", "with", "by", "from", "what", "why", "how", "who", "where", "one", "no", "not",
    "still", "also", "even", "first", "second", "third", "finally", "instead", "thus",
    "therefore", "although", "though", "because", "during", "over", "under", "against",
}  # fmt: skip
WORD_BEFORE = regex.compile(r"([\p{L}\p{N}.]+)[.!?…]*[" + regex.escape(CLOSERS) + r"]*$")
OPENERS = "“‘\"'([（《「"
OPENER = regex.compile(r"[\p{Lu}\p{N}" + regex.escape(OPENERS) + r"]|\p{Lo}")
FIRST_WORD = regex.compile(r"[“‘\"'(\[]*([\p{L}]+)")


def _is_sentence_end(text: str, stop_start: int, stop: str, after: str) -> bool:
    """Is the stop `stop` at text[stop_start:] a sentence end, given the text after it?"""
    if not OPENER.match(after):
        return False  # e.g. followed by a lower-case word or a comma
    if "." not in stop or stop.startswith(("!", "?", "…")) or "..." in stop:
        return True
    m = WORD_BEFORE.search(text[: stop_start + 1])
    word = m.group(1).lower().rstrip(".") if m else ""
    next_word = FIRST_WORD.match(after)
    next_lower = next_word.group(1).lower() if next_word else ""
    if next_word and after[next_word.end() : next_word.end() + 1] == ".":
        next_lower = ""  # an abbreviation itself (U.S. No. 5) opens no sentence
    if stop.rstrip(CLOSERS) != stop:  # the quote closed: the sentence is over
        return True
    if word in NAME_PREFIXES:
        return False
    if word == "no" and after[:1].isdigit():
        return False
    if regex.fullmatch(r"\p{Lu}\.?", m.group(1) if m else ""):
        # an initial (J. K. Rowling), unless a sentence ends in a capital letter word
        return next_lower in SENTENCE_OPENERS and len(text[:stop_start].split()) > 3
    if "." in word or word in ABBREVIATIONS:
        # U.S., p.m., etc.: an end only when a sentence clearly starts after it
        return next_lower in SENTENCE_OPENERS
    return True


def split_sentences_en(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for m in EN_END.finditer(text):
        stop = m.group(0)
        after = text[m.end() :].lstrip()
        if _is_sentence_end(text, m.start(), stop, after):
            piece = text[start : m.end()].strip()
            if piece:
                sentences.append(piece)
            start = m.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return _merge_numbering(_merge_punctuation_only(sentences))


# a section or list number alone ("1.", "9.5.1.", "iv."): it opens the sentence after it
NUMBERING = regex.compile(r"^(?:\d+(?:\.\d+)*|[ivxlcIVXLC]+|[a-zA-Z])\.$")


def _merge_numbering(sentences: list[str]) -> list[str]:
    out: list[str] = []
    for k, s in enumerate(sentences):
        if k and NUMBERING.match(sentences[k - 1]):
            out[-1] = f"{out[-1]} {s}"
        else:
            out.append(s)
    return out


PUNCT_ONLY = regex.compile(r"^[\p{P}\p{S}\s]+$")


def _merge_punctuation_only(sentences: list[str]) -> list[str]:
    """A run of punctuation alone (a stray ）or ……) belongs to the sentence before it."""
    out: list[str] = []
    for s in sentences:
        if out and PUNCT_ONLY.match(s):
            out[-1] = out[-1] + s
        else:
            out.append(s)
    return out


def split_sentences(text: str, lang: str) -> list[str]:
    return split_sentences_zh(text) if lang == ZH else split_sentences_en(text)


# ---------------------------------------------------------------- building the document

WHOLE_BLOCKS = frozenset({"heading", "code", "cue"})


def build_side(raw: RawSide, convert: str | None = None) -> Side:
    """Segment a RawSide into paragraphs and sentences with their matching views."""
    places: list[tuple[Block | None, str]] = [(None, "")] * len(raw.paragraphs)
    if raw.presplit:
        groups = [raw.paragraphs]
        para_texts = [" ".join(raw.paragraphs)]
    else:
        if raw.blocks and len(raw.blocks) == len(raw.paragraphs):
            places = _block_places(raw.blocks)
        # a heading, a code block or a subtitle cue is one segment, never cut
        groups = [[p] if block and block.kind in WHOLE_BLOCKS else split_sentences(p, raw.lang)
                  for p, (block, _) in zip(raw.paragraphs, places, strict=True)]  # fmt: skip
        para_texts = raw.paragraphs
    flat = [s for g in groups for s in g]
    norms = matching_forms(flat)
    texts = convert_many(flat, convert) if convert else flat
    headers = raw.headers
    if headers:
        hnorms = matching_forms([h.text for h in headers])
        htexts = convert_many([h.text for h in headers], convert) if convert else None
        headers = [
            Header(h.kind, h.lang, htexts[i] if htexts else h.text, hnorms[i])
            for i, h in enumerate(headers)
        ]
    side = Side(raw.lang, raw.source, headers)
    k = 0
    for pi, group in enumerate(groups):
        source, section = places[pi] if pi < len(places) else (None, "")
        para = Paragraph(raw.lang, pi, para_texts[pi], source=source, section=section)
        for _ in group:
            para.sentences.append(Sentence(texts[k], norms[k], raw.lang, pi, k))
            k += 1
        side.paragraphs.append(para)
    return side


def _block_places(blocks: list[Block]) -> list[tuple[Block | None, str]]:
    """For each block of a structured document (its paragraphs, one a block), the block
    and the heading it stands under."""
    out: list[tuple[Block | None, str]] = []
    section = ""
    for block in blocks:
        if block.kind == "heading":
            section = block.text
        out.append((block, section))
    return out


def load_document(
    paths: list[str | Path],
    presplit: bool = False,
    convert: str | None = None,
    tokens: bool = False,
    progress: Progress = no_progress,
) -> Document:
    """Read, clean and segment one bilingual file or a Chinese and an English file
    (reporting the stages "reading", "segmenting" and, with `tokens`, "tokenising")."""
    progress("reading", 0, 1)
    raw = read_sides(paths, presplit=presplit)
    progress("reading", 1, 1)
    progress("segmenting", 0, 2)
    zh = build_side(raw[ZH], convert)
    progress("segmenting", 1, 2)
    en = build_side(raw[EN], convert)
    progress("segmenting", 2, 2)
    doc = Document(zh, en, Path(paths[0]).stem)
    if tokens:
        from .tokenise import tokenise_document

        tokenise_document(doc, progress)
    return doc


__all__ = ["EN", "ZH", "build_side", "load_document", "split_sentences"]
