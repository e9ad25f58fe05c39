"""Reading: decoding, bilingual halves, headers, unwrapping and paragraphs (aligner.read)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner import InputError, load_document
from aligner.read import (
    decode_bytes,
    is_hard_wrapped,
    join_chinese,
    join_english,
    paragraphs_of,
    read_sides,
    read_text,
    restore_sentence_spaces,
    split_halves,
    split_headers,
)

ROOT = Path(__file__).resolve().parent.parent
ZHANG = ROOT / "corpora" / "zhang-china-us-new-developments.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "small_bilingual.txt"

UNSUPPORTED = "unsupported encoding"


def squash(text: str) -> str:
    """Text without any whitespace: what segmenting and unwrapping must never change."""
    return "".join(text.split())


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)


def sentence_texts(doc) -> tuple[list[str], list[str]]:
    return [s.text for s in doc.zh.sentences], [s.text for s in doc.en.sentences]


# ---------------------------------------------------------------- decoding

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16-le-bom", "utf-16-be-bom", "gb18030", "gbk"]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_supported_encodings_decode_to_the_same_text(encoding: str) -> None:
    text = SMALL.read_text(encoding="utf-8")
    assert decode_bytes(encode(text, encoding), "f.txt") == text


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_supported_encodings_segment_alike(tmp_path: Path, encoding: str) -> None:
    reference = load_document([SMALL])
    path = tmp_path / f"small-{encoding}.txt"
    path.write_bytes(encode(SMALL.read_text(encoding="utf-8"), encoding))
    doc = load_document([path])
    assert sentence_texts(doc) == sentence_texts(reference)
    assert [h.text for h in doc.en.headers] == [h.text for h in reference.en.headers]


def test_utf8_bom_is_not_part_of_the_title(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + SMALL.read_bytes())
    doc = load_document([path])
    assert doc.en.header("title").text == "Talks Resume Between the Two Sides"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16-le-bom", "utf-16-be-bom"])
def test_zhang_essay_in_other_encodings_keeps_its_counts(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "zhang.txt"
    path.write_bytes(encode(ZHANG.read_text(encoding="utf-8"), encoding))
    doc = load_document([path])
    assert (len(doc.zh.sentences), len(doc.en.sentences)) == (38, 47)


def test_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(SMALL.read_bytes().replace(b"\n", b"\r\n"))
    assert sentence_texts(load_document([path])) == sentence_texts(load_document([SMALL]))
    assert "\r" not in read_text(path)


@pytest.mark.parametrize(
    "data",
    [
        "Le café est très bon. À bientôt, garçon. Résumé naïve façade.\n".encode("latin-1"),
        "Müller's résumé: Ärger über Öl.\n".encode("latin-1"),
        "これは日本語の文章です。東京は大きい都市です。\n".encode("shift_jis"),
        ("Tokyo report.\n" + "日本の首相は、東京で記者会見を開いた。\n" * 3).encode("shift_jis"),
        "Привет, мир! Это тест.\n".encode("cp1251"),
    ],
    ids=["latin-1", "latin-1-german", "shift-jis", "shift-jis-mixed", "cp1251"],
)
def test_unsupported_encodings_are_refused(data: bytes) -> None:
    with pytest.raises(InputError, match=UNSUPPORTED) as e:
        decode_bytes(data, "odd.txt")
    assert str(e.value).startswith("odd.txt:")


CHINESE = "中美两国领导人周一在北京会晤，双方同意扩大合作。\n“我们会继续努力。”他说。\n"
TRADITIONAL = "中美兩國領導人週一在北京會晤，雙方同意擴大合作。\n"
ENGLISH = "China’s leaders don’t agree — yet “talks” resume… said the minister.\n"
# each curly apostrophe before a letter makes one GB18030 character: China抯, don抰
APOSTROPHES = "China’s leaders don’t agree with Beijing’s plan.\n"
UTF16_NO_BOM = ["utf-16-le", "utf-16-be"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(CHINESE, e) for e in ["utf-8", "utf-8-sig", "utf-16", *UTF16_NO_BOM, "gb18030", "gbk"]]
    + [(TRADITIONAL, e) for e in ["utf-8", "utf-16", *UTF16_NO_BOM, "gb18030", "gbk", "big5"]]
    + [(ENGLISH, e) for e in ["utf-8", "utf-16", *UTF16_NO_BOM, "gb18030", "gbk", "cp1252",
                              "big5"]]
    + [(APOSTROPHES, e) for e in ["cp1252", "gbk", "big5", *UTF16_NO_BOM]]
    + [(text, "big5") for text in ("你好\n", "臺灣\n", "是。\n", "香港 Hong Kong\n")],
)
def test_encodings_decode_right(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding), "f.txt") == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Le café est très bon. À bientôt, garçon. Résumé, naïve façade.\n", "cp1252"),
        ("Привет, мир! Это тест, и это тоже тест.\n", "cp1251"),
    ],
)
def test_other_encodings_are_refused_not_misread(text: str, encoding: str) -> None:
    with pytest.raises(InputError, match=UNSUPPORTED) as e:
        decode_bytes(text.encode(encoding), "odd.txt")
    assert str(e.value).startswith("odd.txt:") and "\n" not in str(e.value)


@pytest.mark.parametrize("text", ["你好\n", "是。\n", "中国 China\n", "埃及\n", "、\n"])
def test_short_gbk_chinese_is_not_read_as_windows_1252(text: str) -> None:
    assert decode_bytes(text.encode("gbk"), "f.txt") == text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b" \n\t\n  \r\n", "empty"),
        (codecs.BOM_UTF8, "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10", "binary"),
        (b"hello\x00world\x00" * 10, "binary"),
        (b"text \x01\x02\x03\x04\x05\x06\x07 more", "binary"),
    ],
    ids=["empty", "whitespace", "bom-only", "png", "nuls", "control-chars"],
)
def test_empty_and_binary_inputs_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as e:
        decode_bytes(data, "bad.bin")
    assert str(e.value).startswith("bad.bin:")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as e:
        read_text(tmp_path / "nope.txt")
    assert "nope.txt" in str(e.value)
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)


# ---------------------------------------------------------------- halves and files


def bilingual_parts() -> tuple[str, str]:
    """The English and the Chinese half of the small fixture."""
    text = SMALL.read_text(encoding="utf-8")
    cut = text.index("双方恢复会谈")
    return text[:cut], text[cut:]


def test_single_file_halves_in_either_order(tmp_path: Path) -> None:
    en, zh = bilingual_parts()
    zh_first = tmp_path / "zh_first.txt"
    zh_first.write_text(zh + "\n" + en, encoding="utf-8")
    a, b = load_document([SMALL]), load_document([zh_first])
    assert sentence_texts(a) == sentence_texts(b)
    assert a.zh.sentences[0].text == "双方周一在北京会晤。"
    assert a.en.sentences[0].text == "The two sides met in Beijing on Monday."


def test_split_halves_keeps_a_parenthesised_title_with_its_heading() -> None:
    lines = SMALL.read_text(encoding="utf-8").split("\n")
    halves = split_halves(lines, "small")
    assert halves["en"][:2] == ["Talks Resume Between the Two Sides", "(雙方恢復會談)"]
    assert "双方恢复会谈" in halves["zh"]
    assert not any("Beijing" in line for line in halves["zh"])


def test_two_files_in_either_order_told_by_script(tmp_path: Path) -> None:
    en, zh = bilingual_parts()
    (tmp_path / "a.txt").write_text(zh, encoding="utf-8")
    (tmp_path / "b.txt").write_text(en, encoding="utf-8")
    for paths in (
        [tmp_path / "a.txt", tmp_path / "b.txt"],
        [tmp_path / "b.txt", tmp_path / "a.txt"],
    ):
        sides = read_sides(paths)
        assert sides["zh"].source.endswith("a.txt")
        assert sides["en"].source.endswith("b.txt")
        doc = load_document(paths)
        assert sentence_texts(doc) == sentence_texts(load_document([SMALL]))


def test_two_files_of_one_language_are_refused(tmp_path: Path) -> None:
    en, _ = bilingual_parts()
    (tmp_path / "one.txt").write_text(en, encoding="utf-8")
    (tmp_path / "two.txt").write_text(en, encoding="utf-8")
    with pytest.raises(InputError, match="both files are English") as e:
        read_sides([tmp_path / "one.txt", tmp_path / "two.txt"])
    assert "two.txt" in str(e.value)


def test_a_chinese_manual_full_of_commands_is_still_the_chinese_side(tmp_path: Path) -> None:
    """More Latin letters than Chinese characters (untranslated commands, paths, code):
    still the Chinese file, told by comparing the two files."""
    commands = "\n\n".join(f"sudo apt-get install --no-install-recommends package-{n}"
                             for n in range(8))  # fmt: skip
    zh = tmp_path / "manual.zh"
    zh.write_text(f"运行下面的命令安装软件。\n\n{commands}\n\n然后重新启动。\n", encoding="utf-8")
    en = tmp_path / "manual.en"
    en.write_text(f"Run these commands to install.\n\n{commands}\n\nThen restart.\n",
                  encoding="utf-8")  # fmt: skip
    for paths in ([zh, en], [en, zh]):
        sides = read_sides(paths)
        assert (sides["zh"].source, sides["en"].source) == (str(zh), str(en))
    for name in ("one.zh", "two.zh"):
        (tmp_path / name).write_text("双方周一在北京会晤。他们同意恢复会谈。\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"two\.zh: both files are Chinese"):
        read_sides([tmp_path / "one.zh", tmp_path / "two.zh"])


@pytest.mark.parametrize(
    "text, language",
    [
        ("The two sides met. They agreed to talk.\n\nA second paragraph here.\n", "English"),
        ("双方周一在北京会晤。\n\n他们同意恢复会谈。\n", "Chinese"),
    ],
)
def test_single_file_with_one_language_is_refused(tmp_path: Path, text: str, language: str):
    path = tmp_path / "mono.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=f"only {language} text found") as e:
        read_sides([path])
    assert "mono.txt" in str(e.value)


@pytest.mark.parametrize(
    "text",
    [
        "The two sides met in Beijing on Monday and talked about trade.\n" * 20 + "\n会谈\n",
        "双方周一在北京会晤。他们同意恢复贸易和气候问题的会谈。\n" * 10 + "\nReuters\n",
    ],
    ids=["english-and-a-chinese-word", "chinese-and-an-english-word"],
)
def test_single_file_with_a_stray_word_of_the_other_language_is_refused(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "mostly_one.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="only one language") as e:
        read_sides([path])
    assert "mostly_one.txt" in str(e.value)


def test_english_text_quoting_a_chinese_name_is_one_language(tmp_path: Path) -> None:
    text = "The talks went on for hours about trade and climate and more.\n" * 10
    path = tmp_path / "quote.txt"
    path.write_text(text + "Tuosheng Zhang (张沱生) said so.\n" + text, encoding="utf-8")
    with pytest.raises(InputError, match="only one language"):
        read_sides([path])


def test_wrong_number_of_files() -> None:
    with pytest.raises(InputError, match="one bilingual file or two files"):
        read_sides([SMALL, SMALL, SMALL])


# ---------------------------------------------------------------- headers


def test_zhang_english_headers() -> None:
    doc = load_document([ZHANG])
    kinds = {h.kind: h for h in doc.en.headers}
    assert kinds["title"].text == "What the New Developments Mean"
    assert kinds["parallel_title"].text == "中美關係新變化的重大意義"
    assert kinds["parallel_title"].lang == "zh"
    assert kinds["parallel_title"].norm == "中美关系新变化的重大意义"
    assert kinds["author"].text.startswith("Tuosheng Zhang")
    assert kinds["affiliation"].text == (
        "Director of the Academic Committee of the Grandview Institution"
    )
    assert kinds["date"].text == "June 22 , 2026"
    assert [h.kind for h in doc.en.headers] == [
        "title",
        "parallel_title",
        "author",
        "affiliation",
        "date",
    ]


def test_zhang_chinese_headers_and_copyright_footer() -> None:
    doc = load_document([ZHANG])
    assert doc.zh.header("title").text == "中美关系新变化的重大意义"
    footer = doc.zh.header("copyright")
    assert footer is not None and "All rights reserved" in footer.text
    assert doc.zh.headers[-1].kind == "copyright"


def test_zhang_headers_are_not_body() -> None:
    doc = load_document([ZHANG])
    assert doc.en.sentences[0].text.startswith("Since last autumn, China-U.S. relations")
    assert doc.zh.sentences[0].text.startswith("去年秋季以来")
    body = " ".join(s.text for s in doc.en.sentences + doc.zh.sentences)
    for header in ("What the New Developments Mean", "Grandview", "June 22", "Copyright"):
        assert header not in body
    assert "重大意义" not in body and "重大意義" not in body


def test_small_fixture_headers() -> None:
    doc = load_document([SMALL])
    assert [(h.kind, h.lang, h.text) for h in doc.en.headers] == [
        ("title", "en", "Talks Resume Between the Two Sides"),
        ("parallel_title", "zh", "雙方恢復會談"),
        ("author", "en", "Jane Q. Smith"),
        ("affiliation", "en", "Senior Fellow, Institute of Regional Studies"),
        ("date", "en", "March 3, 2025"),
        ("copyright", "en", "Copyright (c) 2025 Example Press. All rights reserved."),
    ]
    assert doc.en.header("parallel_title").norm == "双方恢复会谈"
    assert [(h.kind, h.text) for h in doc.zh.headers] == [("title", "双方恢复会谈")]
    assert len(doc.en.paragraphs) == len(doc.zh.paragraphs) == 2


def test_chinese_headers_with_byline_affiliation_and_date() -> None:
    lines = [
        "双方恢复会谈",
        "",
        "作者：张三",
        "（国际问题研究中心主任）",
        "",
        "2025年3月3日",
        "",
        "双方周一在北京会晤。他们同意恢复贸易和气候问题的会谈。",
        "",
        "两国代表团将于秋季再次会晤。",
        "",
        "版权所有 © 2025",
    ]
    headers, body = split_headers(lines, "zh")
    assert [(h.kind, h.text) for h in headers] == [
        ("title", "双方恢复会谈"),
        ("author", "张三"),
        ("affiliation", "国际问题研究中心主任"),
        ("date", "2025年3月3日"),
        ("copyright", "版权所有 © 2025"),
    ]
    assert [x for x in body if x] == [
        "双方周一在北京会晤。他们同意恢复贸易和气候问题的会谈。",
        "两国代表团将于秋季再次会晤。",
    ]


def test_english_byline_is_stripped() -> None:
    lines = ["Talks Resume", "", "By John Smith", "", "The two sides met. They talked.", ""]
    headers, body = split_headers(lines, "en")
    assert [(h.kind, h.text) for h in headers] == [
        ("title", "Talks Resume"),
        ("author", "John Smith"),
    ]
    assert [x for x in body if x] == ["The two sides met. They talked."]


def test_short_text_without_headers_keeps_everything_as_body() -> None:
    lines = ["Short line one", "", "Short line two", ""]
    headers, body = split_headers(lines, "en")
    assert headers == []
    assert body[0] == "Short line one"


# ---------------------------------------------------------------- unwrapping English


@pytest.mark.parametrize(
    "lines, joined",
    [
        (["relations between China-U.", "S. officials"], "relations between China-U.S. officials"),
        (
            ["two-way and military-to-", "military dialogues"],
            "two-way and military-to-military dialogues",
        ),
        (["the Trump administration'", "s policies"], "the Trump administration's policies"),
        (["the administration’", "s policies"], "the administration’s policies"),
        (
            ["a “relationship of strategic competition,", "” which generated"],
            "a “relationship of strategic competition,” which generated",
        ),
        (['he said "no', '" and left'], 'he said "no" and left'),
        (
            ["Since last autumn, relations moved toward stabilization,", " with a nascent"],
            "Since last autumn, relations moved toward stabilization, with a nascent",
        ),
        (["the U.S.", "President spoke"], "the U.S. President spoke"),
        (["ends here.", "", "Next line"], "ends here. Next line"),
    ],
)
def test_join_english(lines: list[str], joined: str) -> None:
    assert join_english(lines) == joined


@pytest.mark.parametrize(
    "text, fixed",
    [
        (
            "confidence-building measures.In addition, the",
            "confidence-building measures. In addition, the",
        ),
        ("more vitality and space.At the same time", "more vitality and space. At the same time"),
        ("Is it true?Yes it is", "Is it true? Yes it is"),
        ("He shouted!Nobody came", "He shouted! Nobody came"),
        ("He said “stop.”Then he left", "He said “stop.” Then he left"),
        ("the U.S. side", "the U.S. side"),
        ("U.S.President", "U.S.President"),
        ("Track 1.5 dialogues", "Track 1.5 dialogues"),
        ("at 5 p.m. Monday and 9 a.m.Tuesday", "at 5 p.m. Monday and 9 a.m.Tuesday"),
        (
            "see https://example.org/files/report.Final now",
            "see https://example.org/files/report.Final now",
        ),
        ("see www.example.com/news.Today and", "see www.example.com/news.Today and"),
        ("mail jane.Smith@example.org today", "mail jane.Smith@example.org today"),
        ("version 2.0 was released", "version 2.0 was released"),
    ],
)
def test_missing_space_after_sentence_end(text: str, fixed: str) -> None:
    assert restore_sentence_spaces(text) == fixed


def test_zhang_unwrapping() -> None:
    sentences = [s.text for s in load_document([ZHANG]).en.sentences]
    text = " ".join(sentences)
    assert "China-U.S. relations" in sentences[2]  # wrapped as China-U. / S. relations
    assert "military-to-military dialogue" in text
    assert "the Trump administration's policies" in text
    assert "strategic competition,” which generated" in text
    assert "confidence-building measures." in text and "measures.In" not in text
    assert any(s.startswith("In addition, the two sides may explore") for s in sentences)
    assert "  " not in text and "\n" not in text
    assert "China-U. S." not in text and "military-to- military" not in text


# ---------------------------------------------------------------- joining Chinese


def test_join_chinese_without_spaces() -> None:
    lines = ["去年秋季以来,中美关系逐步趋向稳定,今", "年5月13日至15日,特朗普总统访华。"]
    assert (
        join_chinese(lines)
        == "去年秋季以来,中美关系逐步趋向稳定,今年5月13日至15日,特朗普总统访华。"
    )


def test_join_chinese_keeps_a_space_between_latin_words() -> None:
    assert (
        join_chinese(["峰会由 APEC and the", "G20 summit 主办"])
        == "峰会由 APEC and the G20 summit 主办"
    )
    assert join_chinese(["APEC和G", "20峰会"]) == "APEC和G20峰会"


def test_zhang_chinese_lines_join_without_spaces() -> None:
    doc = load_document([ZHANG])
    assert doc.zh.sentences[1].text == "在此形势下,今年5月13日至15日,特朗普总统访华。"
    assert not any(" " in s.text for s in doc.zh.sentences)


# ---------------------------------------------------------------- paragraphs

WRAPPED = [
    "    The first paragraph starts here and it runs on for quite a few words so",
    "that it wraps onto a second line and then a third line of text, all of it",
    "about the same width.",
    "    The second paragraph is indented and follows with no blank line at all,",
    "as some old files were laid out.",
    "",
    "A third paragraph comes after a blank line and it is not indented at all, so",
    "only the blank line tells it apart from the paragraph that came before it.",
]


def test_paragraphs_of_a_hard_wrapped_text() -> None:
    assert is_hard_wrapped(WRAPPED)
    paragraphs = paragraphs_of(WRAPPED, "en")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("The first paragraph")
    assert paragraphs[0].endswith("about the same width.")
    assert paragraphs[1] == (
        "The second paragraph is indented and follows with no blank line at all, "
        "as some old files were laid out."
    )
    assert paragraphs[2].startswith("A third paragraph")


def test_indented_line_after_a_full_line_continues_the_paragraph() -> None:
    lines = [
        "This line of text fills up the width of the wrapped text, like the others.",
        "  and this indented line after it only continues the same paragraph, so",
        "there is no break here at all until the short last line.",
    ]
    assert len(paragraphs_of(lines, "en")) == 1


def test_paragraphs_of_an_unwrapped_text_are_its_lines() -> None:
    lines = [
        "The first paragraph is one long line. " * 6,
        "The second paragraph is another long line. " * 5,
        "The third paragraph is one more. " * 8,
    ]
    assert not is_hard_wrapped(lines)
    assert paragraphs_of(lines, "en") == [x.strip() for x in lines]


def test_chinese_paragraphs_by_full_width_indent() -> None:
    lines = [
        "\u3000\u3000第一段开始，这一段写得很长很长很长很长很长很长很长很长很长很长，",
        "到这里结束。",
        "\u3000\u3000第二段开始，这一段也写得很长很长很长很长很长很长很长很长很长，",
        "第二段结束。",
    ]
    assert paragraphs_of(lines, "zh") == [
        "第一段开始，这一段写得很长很长很长很长很长很长很长很长很长很长，到这里结束。",
        "第二段开始，这一段也写得很长很长很长很长很长很长很长很长很长，第二段结束。",
    ]


def test_zhang_paragraphs() -> None:
    doc = load_document([ZHANG])
    assert len(doc.zh.paragraphs) == 14
    assert len(doc.en.paragraphs) == 14
    assert doc.en.paragraphs[4].text.startswith("First, unlike the characterization")
    assert doc.zh.paragraphs[4].text.startswith("首先,与曾给两国带来")


# ---------------------------------------------------------------- properties

PIECES = list("abcXYZ019 .,-'’”\"?!:()\t") + ["U.", "S.", "中", "美", "\u3000", "  "]
LINE = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=8))
def test_join_english_keeps_every_character(lines: list[str]) -> None:
    assert squash(join_english(lines)) == squash("".join(lines))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('abAB.!?”’"/:@w1 ')), max_size=60))
def test_restore_sentence_spaces_only_adds_spaces(text: str) -> None:
    fixed = restore_sentence_spaces(text)
    assert squash(fixed) == squash(text)
    assert len(fixed) >= len(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINE, max_size=12))
def test_join_chinese_keeps_every_character(lines: list[str]) -> None:
    assert squash(join_chinese(lines)) == squash("".join(lines))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(LINE, st.just(""), st.builds(lambda s: "    " + s, LINE)),
        max_size=12,
    ),
    st.sampled_from(["en", "zh"]),
)
def test_paragraphs_keep_every_character_in_order(lines: list[str], lang: str) -> None:
    assert squash("".join(paragraphs_of(lines, lang))) == squash("".join(lines))
