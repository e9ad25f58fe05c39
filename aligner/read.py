"""Read files: decode them, split a bilingual file into its halves, undo hard wrapping,
and tell headers (title, author, affiliation, date, copyright) from body paragraphs."""

from __future__ import annotations

import codecs
from collections import Counter
from pathlib import Path

import regex

from .model import EN, ZH, Block, Header, InputError, RawSide
from .normalise import HAN, detect_lang, script_counts

LANG_NAMES = {ZH: "Chinese", EN: "English"}
# of two files, the one with the larger share of Chinese characters (among Chinese
# characters and Latin letters) is the Chinese one, if that share is at least this ...
LEAST_CHINESE = 0.02
# ... and the English one's at most this
MOST_CHINESE_IN_ENGLISH = 0.25


# ---------------------------------------------------------------- decoding

UNSUPPORTED = "unsupported encoding (use UTF-8, UTF-16, GB18030/GBK, or Windows-1252 for English)"
CONTROL = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
CJK_BLOCKS = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef\u2000-\u206f\u00b7]")
# the characters of Latin-1 text besides ASCII: letters, symbols, typographic punctuation
LATIN_TEXT = regex.compile(
    r"[\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2000-\u206f\u20ac\u2122]"
)
# the non-ASCII characters of English besides accented letters
ENGLISH_TYPOGRAPHY = frozenset("‘’“”‚„–—…•·\u00a0©®™°±×÷£€¢§¶½¼¾′″†‡")
COMMON_HAN = 0.9  # share of a real Chinese text's Han characters in GB2312 (or in Big5)
ENGLISH_ACCENTS = 0.02  # English letters are ASCII but for a few loanwords (café, naïve)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when the text
    reads plausibly in one byte order), GB18030/GBK, Big5, or Windows-1252 English;
    refuse the rest rather than read it wrong."""
    text: str | None
    if data.startswith(codecs.BOM_UTF8):
        text = _try_decode(data[len(codecs.BOM_UTF8) :], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try_decode(data, "utf-16")
    elif b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise InputError(f"{name}: binary file, not text")
    else:
        text = _try_decode(data, "utf-8")
        if text is None:
            text = _decode_legacy(data, name)
    if text is None:
        raise InputError(f"{name}: {UNSUPPORTED}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(CONTROL.findall(text))
    if controls > max(2, len(text) // 100):
        raise InputError(f"{name}: binary file, not text")
    if not text.strip():
        raise InputError(f"{name}: file is empty")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark (its ASCII characters hold NUL bytes): the one
    byte order that reads as plausible text, or None (a binary file, or no telling)."""
    if len(data) % 2:
        return None
    readings = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible_text(text):
            readings.append(text)
    return readings[0] if len(readings) == 1 else None


def _plausible_text(text: str) -> bool:
    """Does `text` read as Chinese or English text: no control characters, the non-ASCII
    characters CJK or Latin-1 ones, and the Han characters those a real text uses (the
    wrong byte order of UTF-16, or a binary file, reads as rare characters of any block)?"""
    if CONTROL.search(text):
        return False
    non_ascii = [c for c in text if ord(c) > 127]
    usual = sum(1 for c in non_ascii if CJK_BLOCKS.match(c) or LATIN_TEXT.match(c))
    return usual >= 0.9 * len(non_ascii) and _common_han(non_ascii)


def _common_han(chars: list[str]) -> bool:
    """Are the Han characters among `chars` (if any) those of real text: nearly all in
    GB2312 (simplified) or in Big5 (traditional)? A random pair of bytes read as a Han
    character is in GB2312 one time in three, in Big5 two times in three."""
    han = Counter(c for c in chars if HAN.match(c))
    total = sum(han.values())
    return not total or any(
        sum(n for c, n in han.items() if _encodes(c, charset)) >= COMMON_HAN * total
        for charset in ("gb2312", "big5")
    )


def _encodes(char: str, charset: str) -> bool:
    try:
        char.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def _decode_legacy(data: bytes, name: str) -> str:
    """Text in an 8-bit encoding: GB18030/GBK or Big5 Chinese, or Windows-1252 English.

    English in Windows-1252 often decodes as GB18030 too, each curly quote or dash making
    one Han character with the letter after it (China’s -> China抯): such characters lie
    outside GB2312, which real GBK text keeps to, and the Windows-1252 reading is English
    (ASCII letters, the non-ASCII characters typographic punctuation or a single accented
    letter). Chinese read as Windows-1252 gives runs of accented letters instead."""
    chinese = _try_decode(data, "gb18030")
    if chinese is not None and not _plausible_chinese(chinese, data):
        chinese = None
    # Big5 (traditional Chinese, Taiwan and Hong Kong): GB18030 reads its bytes as rare and
    # private-use characters; when both read plausibly, the reading whose characters are
    # the frequent ones of its own character set is the text
    big5 = _try_decode(data, "cp950")
    if big5 is not None and _plausible_chinese(big5, data):
        if chinese is None or _frequent_share(big5, "big5") > _frequent_share(chinese, "gb2312"):
            chinese = big5
    english = _try_decode(data, "cp1252")
    if english is not None and _plausible_english(english):
        if chinese is None or _beyond_gb2312(chinese):
            return english
    if chinese is not None:
        return chinese
    raise InputError(f"{name}: {UNSUPPORTED}")


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _plausible_chinese(text: str, data: bytes) -> bool:
    """Does the GB18030 reading of `data` read as text: its non-ASCII characters CJK (or
    Latin-1 text: English saved as GBK), its Han characters common ones, and no Shift-JIS
    Japanese?"""
    return _plausible_text(text) and not _is_shift_jis(data)


def _frequent_share(text: str, charset: str) -> float:
    """The share of the Han characters of `text` among the frequent ones of a character
    set: GB2312's level 1 (3,755 characters) or Big5's (5,401)."""
    han = [c for c in text if HAN.match(c)]
    frequent = 0
    for c in han:
        try:
            lead, trail = c.encode(charset)
        except (UnicodeEncodeError, ValueError):
            continue
        if charset == "gb2312":
            frequent += 0xB0 <= lead <= 0xD7
        else:
            frequent += 0xA4 <= lead <= 0xC5 or (lead == 0xC6 and trail <= 0x7E)
    return frequent / len(han) if han else 0.0


def _beyond_gb2312(text: str) -> bool:
    """Does `text` hold Han characters outside GB2312 (GBK's extensions)?"""
    return any(not _encodes(c, "gb2312") for c in set(text) if HAN.match(c))


def _plausible_english(text: str) -> bool:
    """Does the Windows-1252 reading of a text read as English: ASCII letters but for a
    few accented ones, typographic punctuation (’ “ ” – —), and no run of non-ASCII
    characters holding two letters?"""
    letters = [c for c in text if c.isalpha()]
    accented = [c for c in letters if ord(c) > 127]
    if not letters or len(accented) > ENGLISH_ACCENTS * len(letters):
        return False
    if any(ord(c) > 127 and not c.isalpha() and c not in ENGLISH_TYPOGRAPHY for c in text):
        return False
    runs = regex.findall(r"[^\x00-\x7f]+", text)
    return all(sum(1 for c in run if c.isalpha()) <= 1 for run in runs)


KANA = regex.compile(r"[\u3041-\u30ff]")  # full-width hiragana and katakana


def _is_shift_jis(data: bytes) -> bool:
    """Japanese Shift-JIS text also decodes as GB18030, to nonsense Han characters; tell
    it by its kana, which Chinese GBK bytes read as Shift-JIS never produce."""
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return False
    non_ascii = [c for c in text if ord(c) > 127]
    return bool(non_ascii) and len(KANA.findall(text)) >= 0.2 * len(non_ascii)


def read_text(path: str | Path) -> str:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a file")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror})") from None
    return decode_bytes(data, str(p))


# ---------------------------------------------------------------- halves


def _line_weight(line: str) -> tuple[int, int]:
    han, latin = script_counts(line)
    return han * 3, latin


def split_halves(lines: list[str], name: str) -> dict[str, list[str]]:
    """Split the lines of a bilingual file into its Chinese and English halves.

    The halves come one after the other, in either order; the cut is put where the
    fewest letters fall on the wrong side (a parenthesised title in the other script
    under a heading costs little).
    """
    weights = [_line_weight(line) for line in lines]
    total_zh = sum(w[0] for w in weights)
    total_en = sum(w[1] for w in weights)
    if total_zh == 0 or total_en == 0:
        only = LANG_NAMES[ZH] if total_zh else LANG_NAMES[EN]
        raise InputError(f"{name}: only {only} text found; a bilingual file needs both halves")
    best: tuple[float, int, str] | None = None
    zh_before = en_before = 0
    for cut in range(len(lines) + 1):
        if cut:
            zh_before += weights[cut - 1][0]
            en_before += weights[cut - 1][1]
        # cost of "English first": Chinese letters before the cut, English after it
        en_first = zh_before + (total_en - en_before)
        zh_first = en_before + (total_zh - zh_before)
        for cost, order in ((en_first, "en_first"), (zh_first, "zh_first")):
            if best is None or cost < best[0]:
                best = (cost, cut, order)
    assert best is not None
    cost, cut, order = best
    first, second = lines[:cut], lines[cut:]
    halves = {EN: first, ZH: second} if order == "en_first" else {ZH: first, EN: second}
    owns: dict[str, int] = {}
    for lang, half in halves.items():
        h = [_line_weight(x) for x in half]
        owns[lang] = own = sum(w[0] if lang == ZH else w[1] for w in h)
        # a half must carry a real share of its language's text, not a stray line
        total = total_zh if lang == ZH else total_en
        if own < 0.2 * total or not any(x.strip() for x in half):
            raise InputError(
                f"{name}: only one language found; a bilingual file needs a Chinese and an "
                "English half"
            )
    # nor can a stray word or line of the other language be a translation of the rest
    if min(owns.values()) < 0.1 * max(owns.values()):
        raise InputError(
            f"{name}: only one language found; a bilingual file needs a Chinese and an English half"
        )
    return halves


# ---------------------------------------------------------------- unwrapping

WIDE = regex.compile(r"[\p{Han}\u3000-\u303f\uff00-\uffef]")


def display_width(line: str) -> int:
    return len(line) + len(WIDE.findall(line))


ACRONYM_END = regex.compile(r"(?:^|[\s\-/(])(?:\p{Lu}\.)+$")
ACRONYM_START = regex.compile(r"^\p{Lu}\.")
APOSTROPHE_END = regex.compile(r"\p{L}['’]$")
CONTRACTION_START = regex.compile(r"^(?:s|t|d|m|ll|re|ve)\b", regex.IGNORECASE)
HYPHEN_END = regex.compile(r"[\p{L}\p{N}]-$")
MISSING_SPACE = regex.compile(r"(?<=\p{Ll}\p{Ll}[.!?][”’\"]?)(?=\p{Lu}\p{Ll})")
URLISH = regex.compile(r"(?:https?://|www\.)\S+|\S+@\S+")


def join_english(lines: list[str]) -> str:
    """Join hard-wrapped English lines without breaking tokens split over a line end."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
        elif line[0] in "”’" or (line[0] in "\"'" and not line[1:2].isalnum()):
            out = out.rstrip() + line  # a closing quote belongs to the word before it
        elif HYPHEN_END.search(out):
            out += line  # military-to- + military
        elif ACRONYM_END.search(out) and ACRONYM_START.match(line):
            out += line  # China-U. + S.
        elif APOSTROPHE_END.search(out) and CONTRACTION_START.match(line):
            out += line  # administration' + s
        else:
            out += " " + line
    return restore_sentence_spaces(out)


def restore_sentence_spaces(text: str) -> str:
    """measures.In addition -> measures. In addition (but not in U.S., 1.5, p.m., URLs)."""
    if not MISSING_SPACE.search(text):
        return text
    pieces = []
    for token in text.split(" "):
        if not URLISH.search(token):
            token = MISSING_SPACE.sub(" ", token)
        pieces.append(token)
    return " ".join(pieces)


LATIN_END = regex.compile(r"[\p{Latin}\p{N}]$")
LATIN_START = regex.compile(r"^[\p{Latin}\p{N}]")


def join_chinese(lines: list[str]) -> str:
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        # Chinese joins with no space; two Latin words meeting at a line end keep one
        if out and LATIN_END.search(out) and LATIN_START.search(line) and " " in out[-30:]:
            out += " "
        out += line
    return out


def join_lines(lines: list[str], lang: str) -> str:
    return join_chinese(lines) if lang == ZH else join_english(lines)


def line_width(lines: list[str]) -> int:
    """The width most lines stay within: the 90th percentile of the non-blank lines'
    display widths (0 when there are none)."""
    widths = sorted(display_width(x.rstrip()) for x in lines if x.strip())
    return widths[int(0.9 * (len(widths) - 1))] if widths else 0


def is_hard_wrapped(lines: list[str]) -> bool:
    """A text is hard-wrapped when its lines stop at a fixed width well below a paragraph.

    Lines that are whole paragraphs vary widely and run long; wrapped lines cluster
    under one width (about 80 columns, or 40 Chinese characters).
    """
    if sum(1 for x in lines if x.strip()) < 3:
        return False
    return line_width(lines) <= 160


def paragraphs_of(lines: list[str], lang: str) -> list[str]:
    """Paragraph texts: blank lines separate them; in a hard-wrapped text also a short
    line followed by an indented one; in an unwrapped text every line is one."""
    wrapped = is_hard_wrapped(lines)
    width = line_width(lines)
    paragraphs: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if block:
            text = join_lines(block, lang)
            if text:
                paragraphs.append(text)
            block.clear()

    for line in lines:
        if not line.strip():
            flush()
            continue
        if not wrapped:
            block.append(line)
            flush()
            continue
        indented = line[:1] in ("\t", "\u3000") or line.startswith("  ")
        if block and indented and display_width(block[-1].rstrip()) < 0.6 * width:
            flush()
        block.append(line)
    flush()
    return paragraphs


# ---------------------------------------------------------------- headers

COPYRIGHT = regex.compile(
    r"©|\(c\)\s*\d{4}|copyright|all rights reserved|版权所有|版權所有", regex.I
)
MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
DATE = regex.compile(
    rf"^\W*(?:(?:{MONTHS})\.?\s+\d{{1,2}}\s*,?\s*\d{{4}}|\d{{1,2}}\s+(?:{MONTHS})\.?,?\s+\d{{4}}"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?)?"
    rf"|(?:{MONTHS})\.?\s+\d{{4}})\W*$",
    regex.I,
)
AFFILIATION = regex.compile(
    r"\b(?:institut\w*|universit\w*|director|professor|fellow|center|centre|academy|"
    r"committee|school|college|department|ministry|council|foundation|research)\b|"
    r"研究|大学|大學|学院|學院|中心|主任|教授|委员|委員",
    regex.I,
)
SENTENCE_END = regex.compile(r"[.!?。！？…][”’\"')）]*$")
BYLINE = regex.compile(r"^(?:by|作者[:：]?)\s*", regex.I)


def _is_headerish(line: str, lang: str) -> bool:
    text = line.strip()
    if COPYRIGHT.search(text) or DATE.match(text):
        return True
    limit = 40 if lang == ZH else 120
    if len(text) > limit:
        return False
    return not SENTENCE_END.search(text) or _parenthesised(text)


def _parenthesised(text: str) -> bool:
    return text[:1] in "(（" and text[-1:] in ")）"


def _strip_parens(text: str) -> str:
    return text[1:-1].strip() if _parenthesised(text) else text


def split_headers(lines: list[str], lang: str) -> tuple[list[Header], list[str]]:
    """Take the header lines off the top (and copyright lines off the bottom) of a half."""
    body_start = 0
    header_lines: list[str] = []
    blocks = _blocks(lines)
    full = 0.75 * line_width(lines)
    consumed = 0
    for start, block in blocks:
        # a block is header material when every line of it is short and unpunctuated;
        # a wrapped paragraph fills its lines to the wrapping width and is body
        filled = any(display_width(x.rstrip()) >= full for x in block[:-1])
        if len(block) <= 3 and not filled and all(_is_headerish(x, lang) for x in block):
            header_lines.extend(x.strip() for x in block)
            body_start = start + len(block)
            consumed += 1
        else:
            break
    if consumed == len(blocks):  # nothing but short lines: a short text with no header
        header_lines, body_start = [], 0
    body = lines[body_start:]
    footer: list[str] = []
    while body and (not body[-1].strip() or COPYRIGHT.search(body[-1])):
        line = body.pop()
        if line.strip():
            footer.insert(0, line.strip())
    return _classify_headers(header_lines, lang) + [
        Header("copyright", lang, x) for x in footer
    ], body


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    blocks: list[tuple[int, list[str]]] = []
    start, cur = 0, []
    for i, line in enumerate(lines):
        if line.strip():
            if not cur:
                start = i
            cur.append(line)
        elif cur:
            blocks.append((start, cur))
            cur = []
    if cur:
        blocks.append((start, cur))
    return blocks


def _classify_headers(lines: list[str], lang: str) -> list[Header]:
    headers: list[Header] = []
    kinds: set[str] = set()
    for text in lines:
        line_lang = detect_lang(text) or lang
        if COPYRIGHT.search(text):
            kind = "copyright"
        elif DATE.match(text):
            kind = "date"
            text = _strip_parens(text)
        elif "title" not in kinds:
            kind = "title"
        elif line_lang != lang and "parallel_title" not in kinds and headers[-1].kind == "title":
            kind = "parallel_title"
            text = _strip_parens(text)
        elif _parenthesised(text) or AFFILIATION.search(text) or "author" in kinds:
            kind = "affiliation"
            text = _strip_parens(text)
        else:
            kind = "author"
            text = BYLINE.sub("", text)
        kinds.add(kind)
        headers.append(Header(kind, line_lang if kind == "parallel_title" else lang, text))
    return headers


# ---------------------------------------------------------------- entry points


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def document_text(path: str | Path) -> tuple[str, list[Block]]:
    """The text of an input and its blocks: a structured document's blocks (HTML, DOCX,
    EPUB, Markdown, PDF, subtitles) as paragraphs, a blank line between them; or a plain
    text file decoded (no blocks)."""
    from .formats import read_document

    blocks = read_document(path)
    if blocks is None:
        return read_text(path), []
    if not blocks:
        raise InputError(f"{path}: no text found in the document")
    return "\n\n".join(b.text for b in blocks) + "\n", blocks


def read_sides(paths: list[str | Path], presplit: bool = False) -> dict[str, RawSide]:
    """Read one bilingual file or two monolingual ones (either order) into two RawSides."""
    if len(paths) not in (1, 2):
        raise InputError("give one bilingual file or two files (Chinese and English)")
    read = [(str(p), *document_text(p)) for p in paths]
    texts = [(name, text) for name, text, _ in read]
    blocks = {name: found for name, _, found in read}
    if len(texts) == 1:
        name, text = texts[0]
        lines = _lines(text)
        if presplit:
            lines = [x for x in lines if x.strip()]
        halves = split_halves(lines, name)
        return {lang: _side(lang, name, half, presplit) for lang, half in halves.items()}
    shares = []
    for name, text in texts:
        han, latin = script_counts(text)
        if han == 0 and latin == 0:
            raise InputError(f"{name}: no Chinese or English text found")
        shares.append(han / (han + latin))
    # the Chinese file is the one with more Chinese in it: a Chinese manual full of
    # untranslated commands and code may hold more Latin letters than Chinese characters
    zh_at = 0 if shares[0] > shares[1] else 1
    if shares[zh_at] < LEAST_CHINESE or shares[zh_at] == shares[1 - zh_at]:
        lang = ZH if shares[1] >= LEAST_CHINESE else EN
        raise InputError(
            f"{texts[1][0]}: both files are {LANG_NAMES[lang]}; give one Chinese and one "
            "English file"
        )
    if shares[1 - zh_at] > MOST_CHINESE_IN_ENGLISH:
        raise InputError(
            f"{texts[1 - zh_at][0]}: both files are {LANG_NAMES[ZH]}; give one Chinese and "
            "one English file"
        )
    by_lang = {ZH: texts[zh_at], EN: texts[1 - zh_at]}
    return {
        lang: _side(lang, name, _lines(text), presplit, blocks[name])
        for lang, (name, text) in by_lang.items()
    }


def _side(
    lang: str, name: str, lines: list[str], presplit: bool, blocks: list[Block] | None = None
) -> RawSide:
    if presplit:  # one sentence a line, or a document's blocks, taken as they are
        taken = [b.text for b in blocks] if blocks else [x.strip() for x in lines]
        return RawSide(lang, name, [], taken, presplit=True)
    if blocks:  # a structured document: its blocks are its paragraphs, its headings its own
        return RawSide(lang, name, [], [b.text for b in blocks], blocks=blocks)
    headers, body = split_headers(lines, lang)
    paragraphs = paragraphs_of(body, lang)
    if not paragraphs:
        raise InputError(f"{name}: no {LANG_NAMES[lang]} body text found")
    return RawSide(lang, name, headers, paragraphs)
