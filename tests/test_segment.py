"""Sentence splitting, the matching view and building the Document (aligner.segment)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner import InputError, load_document, split_sentences
from aligner.normalise import convert_script, detect_lang, fold, matching_form
from aligner.segment import split_sentences_en, split_sentences_zh

ROOT = Path(__file__).resolve().parent.parent
ZHANG = ROOT / "corpora" / "zhang-china-us-new-developments.txt"
SMALL = Path(__file__).resolve().parent / "fixtures" / "small_bilingual.txt"


def squash(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- Chinese sentences


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("他说：“好。”然后走了。", ["他说：“好。”", "然后走了。"]),
        ("他问：“你来吗？”她说：“来！”", ["他问：“你来吗？”", "她说：“来！”"]),
        ("真的吗？！是的。", ["真的吗？！", "是的。"]),
        ("天哪!太好了?对。", ["天哪!", "太好了?", "对。"]),
        ("他沉默了……然后离开。", ["他沉默了……", "然后离开。"]),
        ("《红楼梦》很好。「你好！」她说。", ["《红楼梦》很好。", "「你好！」", "她说。"]),
        ("他说(见附件。)然后走。", ["他说(见附件。)", "然后走。"]),
        ("这是1.5轨对话。还有U.S.字样。", ["这是1.5轨对话。", "还有U.S.字样。"]),
        ("没有句号的一句", ["没有句号的一句"]),
        ("", []),
    ],
)
def test_split_sentences_zh(text: str, sentences: list[str]) -> None:
    assert split_sentences_zh(text) == sentences


@pytest.mark.parametrize(
    "text, sentences",
    [
        (
            "前文到此为止。两国须共同克服的障碍主要包括:",
            ["前文到此为止。", "两国须共同克服的障碍主要包括:"],
        ),
        (
            "前文到此为止。两国须共同克服的障碍主要包括：",
            ["前文到此为止。", "两国须共同克服的障碍主要包括："],
        ),
        ("第一,经贸:第二,安全。", ["第一,经贸:第二,安全。"]),  # a colon inside is no end
    ],
)
def test_paragraph_final_colon_clause_is_a_sentence(text: str, sentences: list[str]) -> None:
    assert split_sentences_zh(text) == sentences


def test_full_and_half_width_chinese_punctuation_split_alike() -> None:
    full = "首先，加强建立信任措施（CBM）：探讨对话！其次，恢复磋商？最后，主要包括："
    half = "首先,加强建立信任措施(CBM):探讨对话!其次,恢复磋商?最后,主要包括:"
    a, b = split_sentences_zh(full), split_sentences_zh(half)
    assert len(a) == len(b) == 3
    assert [matching_form(s) for s in a] == [matching_form(s) for s in b]
    assert b[0] == "首先,加强建立信任措施(CBM):探讨对话!"


def test_zhang_paragraph_with_half_width_parentheses() -> None:
    doc = load_document([ZHANG])
    sentence = next(s for s in doc.zh.sentences if "(CBM)" in s.text)
    assert sentence.text.startswith("如重启“中美军控与防扩散磋商”")
    assert sentence.text.endswith("太空安全对话等。")
    last = doc.zh.paragraphs[8].sentences[-1]
    assert last.text == "两国须共同克服的障碍主要包括:"


# ---------------------------------------------------------------- English sentences


@pytest.mark.parametrize(
    "text, sentences",
    [
        (
            "The U.S. and the U.K. agreed. Then they left.",
            ["The U.S. and the U.K. agreed.", "Then they left."],
        ),
        (
            "Mr. Smith met Dr. Jones at 5 p.m. on Monday. They talked.",
            ["Mr. Smith met Dr. Jones at 5 p.m. on Monday.", "They talked."],
        ),
        (
            "See item No. 5 in the list. It is short.",
            ["See item No. 5 in the list.", "It is short."],
        ),
        (
            "Use tools, e.g. hammers, i.e. heavy ones. Fine.",
            ["Use tools, e.g. hammers, i.e. heavy ones.", "Fine."],
        ),
        (
            "The book by J. K. Rowling sold well. Readers loved it.",
            ["The book by J. K. Rowling sold well.", "Readers loved it."],
        ),
        ("Harry S. Truman was president. He was.", ["Harry S. Truman was president.", "He was."]),
        ("Growth was 1.5 percent. Inflation fell.", ["Growth was 1.5 percent.", "Inflation fell."]),
        (
            "Track II talks resumed. Track 1.5 talks did too. Track I talks did not.",
            ["Track II talks resumed.", "Track 1.5 talks did too.", "Track I talks did not."],
        ),
        ("It met at 9 a.m. The talks went on.", ["It met at 9 a.m.", "The talks went on."]),
        (
            "He moved to the U.S. The weather was nice.",
            ["He moved to the U.S.", "The weather was nice."],
        ),
        ("The U.S. President spoke. He was brief.", ["The U.S. President spoke.", "He was brief."]),
        (
            "The U.K. Parliament voted. The U.N. agreed.",
            ["The U.K. Parliament voted.", "The U.N. agreed."],
        ),
        ("We chose plan B. Then it failed.", ["We chose plan B.", "Then it failed."]),
        (
            "The U.S. No. 2 diplomat arrived. He moved to the U.S. No one came.",
            ["The U.S. No. 2 diplomat arrived.", "He moved to the U.S.", "No one came."],
        ),
        ('He said, "We will win." Then he left.', ['He said, "We will win."', "Then he left."]),
        ("He said, “We will win.” Then he left.", ["He said, “We will win.”", "Then he left."]),
        ('He asked, "Why?" Nobody answered.', ['He asked, "Why?"', "Nobody answered."]),
        ("“We will win,” he said. “Then we rest.”", ["“We will win,” he said.", "“Then we rest.”"]),
        ("(This is in brackets.) And this is not.", ["(This is in brackets.)", "And this is not."]),
        (
            "Wait... What happened? Nothing! Really.",
            ["Wait...", "What happened?", "Nothing!", "Really."],
        ),
        ("It rose sharply. and then fell.", ["It rose sharply. and then fell."]),
        ("No full stop at the end", ["No full stop at the end"]),
        ("", []),
    ],
)
def test_split_sentences_en(text: str, sentences: list[str]) -> None:
    assert split_sentences_en(text) == sentences


def test_split_sentences_dispatches_on_language() -> None:
    assert split_sentences("好。对。", "zh") == ["好。", "对。"]
    assert split_sentences("Yes. No.", "en") == ["Yes.", "No."]
    assert split_sentences("U.S. side", "en") == ["U.S. side"]


# ---------------------------------------------------------------- the Zhang essay


def test_zhang_counts() -> None:
    doc = load_document([ZHANG])
    assert len(doc.zh.sentences) == 38
    assert len(doc.zh.paragraphs) == 14
    assert len(doc.en.sentences) == 47
    assert len(doc.en.paragraphs) == 14
    assert doc.name == "zhang-china-us-new-developments"


@pytest.mark.parametrize("phrase", ["U.S. President Donald Trump", "China-U.S. Arms Control"])
def test_zhang_abbreviations_stay_inside_one_sentence(phrase: str) -> None:
    sentences = [s.text for s in load_document([ZHANG]).en.sentences]
    holding = [s for s in sentences if phrase in s]
    assert len(holding) == 1
    assert not any(s.endswith(("U.S.", "China-U.")) for s in sentences)


def test_zhang_quotes_stay_with_their_sentence() -> None:
    sentences = [s.text for s in load_document([ZHANG]).en.sentences]
    assert any(s.endswith("support Taiwan independence.”") for s in sentences)
    assert not any(s.startswith("”") for s in sentences)
    zh = [s.text for s in load_document([ZHANG]).zh.sentences]
    assert any(s.endswith("不认同也不接受台湾走向独立”。") for s in zh)


def test_sentence_numbering() -> None:
    doc = load_document([ZHANG])
    for side in (doc.zh, doc.en):
        assert [s.index for s in side.sentences] == list(range(len(side.sentences)))
        for p in side.paragraphs:
            assert all(s.para == p.index for s in p.sentences)
            assert all(s.lang == side.lang for s in p.sentences)
        assert [p.index for p in side.paragraphs] == list(range(len(side.paragraphs)))
        assert all(p.sentences for p in side.paragraphs)
        assert all(s.tokens == [] for s in side.sentences)  # tokens only on request


# ---------------------------------------------------------------- the matching view


def test_norm_folds_traditional_to_simplified() -> None:
    assert matching_form("中美關係") == matching_form("中美关系") == "中美关系"


def test_norm_is_nfkc_and_whitespace_normalised() -> None:
    assert matching_form("  中美關係  ＡＰＥＣ\u00a0峰會，（１）\n") == "中美关系 APEC 峰会,(1)"
    assert fold(" a\tb\n\n c ") == "a b c"
    assert matching_form("The  U.S.\tside") == "The U.S. side"


def test_detect_lang_weights_han_characters() -> None:
    assert detect_lang("Tuosheng Zhang (张沱生)") == "en"
    assert detect_lang("中美关系 APEC") == "zh"
    assert detect_lang("123 ... !!") is None


def test_text_keeps_the_original_script_and_norm_is_simplified(traditional_file: Path) -> None:
    doc = load_document([traditional_file])
    assert [s.text for s in doc.zh.sentences] == ["雙方舉行會談。", "中美關係改善。"]
    assert [s.norm for s in doc.zh.sentences] == ["双方举行会谈。", "中美关系改善。"]
    assert doc.zh.header("title").text == "會談恢復"
    assert doc.zh.header("title").norm == "会谈恢复"


def test_convert_t2s(traditional_file: Path) -> None:
    doc = load_document([traditional_file], convert="t2s")
    assert [s.text for s in doc.zh.sentences] == ["双方举行会谈。", "中美关系改善。"]
    assert doc.zh.header("title").text == "会谈恢复"
    assert [s.text for s in doc.en.sentences] == ["The two sides met.", "Relations improved."]


def test_convert_s2t_changes_text_not_norm() -> None:
    doc = load_document([ZHANG], convert="s2t")
    assert doc.en.header("parallel_title").text == "中美關係新變化的重大意義"
    assert doc.zh.header("title").text == "中美關係新變化的重大意義"
    assert doc.zh.sentences[0].text.startswith("去年秋季以來,中美關係")
    assert doc.zh.sentences[0].norm.startswith("去年秋季以来,中美关系")
    assert len(doc.zh.sentences) == 38


def test_unknown_conversion_is_an_input_error() -> None:
    with pytest.raises(InputError, match="t2s or s2t"):
        convert_script("中美", "x2y")


def test_zhang_norms_are_simplified_and_folded() -> None:
    doc = load_document([ZHANG])
    for s in doc.zh.sentences + doc.en.sentences:
        assert s.norm == matching_form(s.text)
        assert "  " not in s.norm


# ---------------------------------------------------------------- presplit


def test_presplit_two_files_one_sentence_per_line(tmp_path: Path) -> None:
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_text("双方周一在北京会晤。他们同意恢复会谈。\n\n官员表示\n会谈很有益处。\n", "utf-8")
    en.write_text(
        "The two sides met. They agreed to talk.\nOfficials said\nit was useful.\n", "utf-8"
    )
    doc = load_document([en, zh], presplit=True)
    assert [s.text for s in doc.zh.sentences] == [
        "双方周一在北京会晤。他们同意恢复会谈。",
        "",
        "官员表示",
        "会谈很有益处。",
    ]
    assert [s.text for s in doc.en.sentences] == [
        "The two sides met. They agreed to talk.",
        "Officials said",
        "it was useful.",
    ]
    assert [s.index for s in doc.en.sentences] == [0, 1, 2]
    assert doc.en.headers == [] and doc.zh.headers == []


def test_presplit_single_bilingual_file(tmp_path: Path) -> None:
    path = tmp_path / "pairs.txt"
    path.write_text(
        "Talks resumed. Both sides met.\nOfficials said it was useful.\n\n"
        "会谈恢复。双方会面。\n官员表示会谈很有益处。\n",
        encoding="utf-8",
    )
    doc = load_document([path], presplit=True)
    assert [s.text for s in doc.en.sentences] == [
        "Talks resumed. Both sides met.",
        "Officials said it was useful.",
    ]
    assert [s.text for s in doc.zh.sentences] == ["会谈恢复。双方会面。", "官员表示会谈很有益处。"]


# ---------------------------------------------------------------- properties

ZH_ALPHABET = list("中美关系好他说的。！？!?…：:，,“”‘’「」（）()《》【】 \u3000\nabc1.")
EN_ALPHABET = list("abcAZJK19 .!?…,;:'\"“”‘’()[]-\n\u00a0") + ["U.S.", "Mr.", "p.m.", "1.5", "中"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ZH_ALPHABET), max_size=60).map("".join))
def test_split_sentences_zh_keeps_every_character_in_order(text: str) -> None:
    sentences = split_sentences_zh(text)
    assert squash("".join(sentences)) == squash(text)
    assert all(s and s == s.strip() for s in sentences)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(EN_ALPHABET), max_size=60).map("".join))
def test_split_sentences_en_keeps_every_character_in_order(text: str) -> None:
    sentences = split_sentences_en(text)
    assert squash("".join(sentences)) == squash(text)
    assert all(s and s == s.strip() for s in sentences)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_split_sentences_keep_any_text(text: str) -> None:
    for lang in ("zh", "en"):
        assert squash("".join(split_sentences(text, lang))) == squash(text)


PHRASES = st.sampled_from(
    [
        "talks",
        "U.S.",
        "the U.K.",
        "Mr. Smith",
        "Dr. Jones",
        "No. 5",
        "1.5",
        "at 9 a.m.",
        "p.m.",
        "e.g. trade",
        "i.e. tariffs",
        "J. K. Rowling",
        "Track II",
        "China-U.S.",
        "“quoted,”",
    ]
)
SENTENCE = st.lists(PHRASES, max_size=6).map(lambda ws: " ".join(["The", *ws, "ended."]))


@settings(max_examples=200, deadline=None)
@given(st.lists(SENTENCE, min_size=1, max_size=5))
def test_split_sentences_en_finds_exactly_the_sentences(sentences: list[str]) -> None:
    # abbreviations, initials and decimals inside a sentence never end it; a full stop
    # before "The" always does
    assert split_sentences_en(" ".join(sentences)) == sentences
