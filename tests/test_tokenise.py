"""Tokenisers and matching forms (aligner.tokenise), and the CLI's quick start-up."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aligner import InputError, load_document
from aligner.tokenise import (
    jieba_tokenizer,
    lemma,
    lemmas_en,
    load_user_dictionary,
    tokenise_document,
    tokenise_en,
    tokenise_zh,
)

ROOT = Path(__file__).resolve().parent.parent
ZHANG = ROOT / "corpora" / "zhang-china-us-new-developments.txt"


@pytest.fixture
def forget_words() -> Iterator[list[str]]:
    """Words a test adds to jieba's (shared) tokenizer; they are taken out again after it."""
    words: list[str] = []
    yield words
    for w in words:
        jieba_tokenizer().del_word(w)


# ---------------------------------------------------------------- English


@pytest.mark.parametrize(
    "token",
    [
        "China-U.S.",
        "1.5",
        "people-to-people",
        "military-to-military",
        "U.S.",
        "p.m.",
        "e.g.",
        "30,000",
        "9:30",
        "50%",
        "administration's",
        "China’s",
        "https://example.org/a/b.html",
    ],
)
def test_english_token_stays_whole(token: str) -> None:
    assert tokenise_en(f"Before {token} after") == ["Before", token, "after"]


def test_tokenise_en_sentence() -> None:
    text = "China-U.S. relations, Track 1.5 talks and people-to-people exchanges."
    assert tokenise_en(text) == [
        "China-U.S.",
        "relations",
        ",",
        "Track",
        "1.5",
        "talks",
        "and",
        "people-to-people",
        "exchanges",
        ".",
    ]


def test_tokenise_en_splits_off_punctuation_and_quotes() -> None:
    assert tokenise_en("“one China” policy; (CBM)!") == [
        "“",
        "one",
        "China",
        "”",
        "policy",
        ";",
        "(",
        "CBM",
        ")",
        "!",
    ]
    assert tokenise_en("the U.S.") == ["the", "U.S."]
    assert tokenise_en("ended.") == ["ended", "."]


@pytest.mark.parametrize(
    "a, b",
    [
        ("policies", "policy"),
        ("moved", "moving"),
        ("move", "moved"),
        ("stopped", "stop"),
        ("China's", "China"),
        ("China’s", "china"),
        ("relations", "relation"),
        ("Dialogues", "dialogue"),
        ("was", "is"),
        ("took", "take"),
        ("made", "makes"),
        ("has", "have"),
        ("gave", "giving"),
        ("left", "leaves"),
        ("people", "people's"),
        ("hath", "has"),  # Early Modern English
        ("spake", "spoke"),
        ("thine", "your"),
    ],
)
def test_lemma_folds_forms_of_one_word(a: str, b: str) -> None:
    assert lemma(a) == lemma(b)


@pytest.mark.parametrize(
    "a, b", [("policy", "police"), ("this", "thi"), ("news", "new"), ("us", "u"), ("US", "use")]
)
def test_lemma_keeps_different_words_apart(a: str, b: str) -> None:
    assert lemma(a) != lemma(b)


def test_lemma_is_lower_case_and_leaves_odd_tokens() -> None:
    assert lemma("Policies") == lemma("policy") == lemma("POLICY")
    assert lemma("1.5") == "1.5"
    assert lemma("U.S.") == "u.s."
    assert lemmas_en(["Moved", "policies"]) == [lemma("move"), lemma("policy")]


# ---------------------------------------------------------------- Chinese


def test_tokenise_zh_uses_jieba_words() -> None:
    tokens = tokenise_zh("双方周一在北京会晤。")
    assert tokens == ["双方", "周一", "在", "北京", "会晤", "。"]
    assert tokenise_zh("双方 周一\u3000在北京") == ["双方", "周一", "在", "北京"]  # no spaces


def test_extra_words_stand_whole_in_their_call_only() -> None:
    text = "一点五轨对话也有望早日重启"
    plain = tokenise_zh(text)
    assert "一点五轨" not in plain
    assert tokenise_zh(text, ("一点五轨",))[0] == "一点五轨"
    assert "".join(tokenise_zh(text, ("一点五轨",))) == text
    assert tokenise_zh(text) == plain
    assert "一点五轨" not in jieba_tokenizer().FREQ


def test_extra_words_go_with_a_user_dictionary_loaded_later(
    tmp_path: Path, forget_words: list[str]
) -> None:
    text = "美国大多数地区盟国与中国的一点五轨对话"
    words = ("一点五轨", "中国的")  # a word set of this test alone: tokenizers are kept per set
    assert "地区盟国" not in tokenise_zh(text, words)
    path = tmp_path / "userdict.txt"
    path.write_text("地区盟国 100 n\n", encoding="utf-8")
    forget_words.append("地区盟国")
    load_user_dictionary(path)
    cut = tokenise_zh(text, words)
    assert "地区盟国" in cut and "一点五轨" in cut


def test_user_dictionary_changes_segmentation(tmp_path: Path, forget_words: list[str]) -> None:
    text = "美国大多数地区盟国与中国的关系"
    assert "地区盟国" not in tokenise_zh(text)
    path = tmp_path / "userdict.txt"
    path.write_text("地区盟国 100 n\n", encoding="utf-8")
    forget_words.append("地区盟国")
    load_user_dictionary(path)
    assert "地区盟国" in tokenise_zh(text)


def test_missing_user_dictionary_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such user dictionary") as e:
        load_user_dictionary(tmp_path / "missing.dict")
    assert "missing.dict" in str(e.value)


# ---------------------------------------------------------------- whole documents


def test_tokenise_document_fills_tokens_and_lemmas() -> None:
    doc = load_document([ZHANG], tokens=True)
    for side in (doc.zh, doc.en):
        for s in side.sentences:
            assert s.tokens and s.lemmas
            assert "".join(s.tokens) == "".join(s.text.split())
    first = doc.en.sentences[0]
    assert first.tokens[:4] == ["Since", "last", "autumn", ","]
    assert "China-U.S." in first.tokens
    assert first.lemmas[first.tokens.index("moved")] == lemma("move")


def test_chinese_lemmas_come_from_the_simplified_norm(traditional_file: Path) -> None:
    doc = tokenise_document(load_document([traditional_file]))
    s = doc.zh.sentences[1]
    assert "".join(s.tokens) == "中美關係改善。"
    assert s.lemmas == tokenise_zh("中美关系改善。")
    assert s.lemmas != s.tokens


# ---------------------------------------------------------------- start-up


def test_importing_the_cli_does_not_load_jieba() -> None:
    # `aligner --help` must start quickly: jieba (and its dictionary) load only when used
    code = "import sys, aligner.cli; print('jieba' in sys.modules, 'aligner.cli' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["False", "True"]


def test_parallel_cutting_gives_the_serial_result(monkeypatch) -> None:
    import aligner.tokenise as tk

    texts = ["中美关系逐步趋向稳定。", "双方同意扩大贸易合作。", "他点灯台上的灯。"] * 20
    serial = [tk.tokenise_zh(t) for t in texts]
    monkeypatch.setattr(tk, "PARALLEL_FROM", 10)
    assert tk.tokenise_zh_all(texts) == serial


def test_technical_latin_runs_are_cut_as_the_english_is() -> None:
    """A URL, a path, a section number or a package name in Chinese text is cut by the
    English tokenizer, so that identical text matches identically."""
    from aligner.tokenise import tokenise_en, tokenise_zh

    for run in ("https://www.debian.org/releases/stable", "9.5.1.", "zh-cn",
                "/etc/apt/sources.list", "foo_1.0-1_amd64.deb"):  # fmt: skip
        zh = tokenise_zh(f"请看{run}的说明。")
        assert zh[2 : 2 + len(tokenise_en(run))] == tokenise_en(run), (run, zh)
    assert len(tokenise_zh("见 https://www.debian.org/doc/ 。")) == 3
    # plain numbers and words among Chinese are left to jieba as before
    assert tokenise_zh("今年5月13日,特朗普(CBM)访华。")[:4] == ["今年", "5", "月", "13"]
