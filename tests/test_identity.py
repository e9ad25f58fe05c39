"""The aligner's own readers of jieba's dictionary and pypinyin's readings (the cache
stores that start in milliseconds) cut and spell exactly as the libraries themselves do;
scripts/tokenise_identity.py checks the same on MAC-Dev and the Bible."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from aligner import load_document
from aligner.names import MAX_NAME, _plain, romanisations, romanise_all, syllables
from aligner.normalise import HAN_ONLY
from aligner.tokenise import FORCE_SPLIT, Segmenter, jieba_store, jieba_tokenizer, zh_tokenizer

ROOT = Path(__file__).resolve().parent.parent
ESSAY = ROOT / "aligner" / "data" / "zhang-china-us-new-developments.txt"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="module")
def jieba_itself(tmp_path_factory: pytest.TempPathFactory):
    """A fresh jieba Tokenizer, its dictionary built from jieba's dict.txt."""
    import jieba

    jieba.setLogLevel(logging.CRITICAL)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(tmp_path_factory.mktemp("jieba"))
    tok.initialize()
    return tok


def copy_of(tok):
    """Another jieba Tokenizer with `tok`'s dictionary (copied: loading it again costs
    seconds)."""
    import jieba

    new = jieba.Tokenizer()
    new.FREQ, new.total, new.initialized = dict(tok.FREQ), tok.total, True
    return new


def texts() -> list[str]:
    """Every Chinese sentence of the essay (as written and as matched) and of the
    fixtures' Chinese texts, and lines that stress the cut's corners."""
    doc = load_document([ESSAY])
    out = [s.text for s in doc.zh.sentences] + [s.norm for s in doc.zh.sentences]
    for name in ("batch/news.zh", "batch/visit.zh.txt", "small_bilingual.txt"):
        out += (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    out += [
        "今年5月13日,特朗普(CBM)访华。版本9.5.1.发布于https://www.debian.org/。",
        "他说:“我们3.5%的增长率\r\n还不够。”\t结束",
        "乒乒乓乓噼里啪啦叽叽喳喳。韩冰冰和刘晓晓来了",  # the last: a word of the HMM's
        "A股、B股和H股;C++与C#;e-mail地址",
        "",
    ]
    return out


def fresh() -> Segmenter:
    """A segmenter of jieba's dictionary alone (other tests add words to the shared one)."""
    return Segmenter(jieba_store())


def test_cuts_are_jiebas(jieba_itself) -> None:
    ours = fresh()
    for text in texts():
        assert ours.lcut(text) == jieba_itself.lcut(text), text


def test_cuts_with_added_words_are_jiebas(jieba_itself) -> None:

    words = ("一点五轨", "中美战略", "危机管理机制", "双方同意")
    theirs = copy_of(jieba_itself)
    for w in words:
        theirs.add_word(w)
    ours = fresh()
    for w in words:
        ours.add_word(w)
    assert ours.total == theirs.total
    for text in texts():
        assert ours.lcut(text) == theirs.lcut(text), text
    for w in ("中美关系", "一点五", "对话"):  # the count that would make a word stand whole
        assert ours.suggest_freq(w) == theirs.suggest_freq(w, False)


def test_user_dictionary_is_read_as_jieba_reads_it(jieba_itself, tmp_path: Path) -> None:

    data = "\ufeff地区盟国 100 n\r\n一点五轨\n\n战略稳定 3\n大多数地区 nr\n".encode()
    path = tmp_path / "user.dict"
    path.write_bytes(data)
    theirs = copy_of(jieba_itself)
    theirs.load_userdict(str(path))
    ours = fresh()
    ours.load_userdict(data, str(path))
    assert ours.total == theirs.total
    tags = {"地区盟国": "n", "大多数地区": "nr"}
    assert ours.user_word_tag_tab == theirs.user_word_tag_tab == tags
    for w in ("地区盟国", "地区盟", "一点五轨", "战略稳定"):
        assert ours.FREQ[w] == theirs.FREQ[w]
    text = "美国大多数地区盟国与中国的一点五轨对话关乎战略稳定。"
    assert ours.lcut(text) == theirs.lcut(text)
    # the shared tokenizer does not know the word (another test may have added it and
    # deleted it again: a deleted word stays with a count of 0, as in jieba)
    shared = jieba_tokenizer().FREQ
    assert "地区盟国" not in shared or shared["地区盟国"] == 0
    assert zh_tokenizer() is jieba_tokenizer()


def test_a_user_dictionary_must_be_utf8() -> None:
    with pytest.raises(ValueError, match="user.dict must be utf-8"):
        fresh().load_userdict("地区 3\n".encode("gb18030"), "user.dict")


def test_a_deleted_word_is_split_by_the_hmm_as_in_jieba(jieba_itself) -> None:
    """del_word (a count of 0) keeps the HMM from making the word: one set for every
    segmenter, as jieba's finalseg keeps one."""
    import jieba

    theirs = copy_of(jieba_itself)
    ours = fresh()
    text = "韩冰冰和刘晓晓来了"
    before = ours.lcut(text)
    word = next(w for w in before if len(w) > 1 and not ours.FREQ.get(w))  # the HMM's word
    try:
        theirs.del_word(word)
        ours.del_word(word)
        assert ours.lcut(text) == theirs.lcut(text) != before
    finally:
        FORCE_SPLIT.discard(word)
        jieba.finalseg.Force_Split_Words.discard(word)


def test_copies_share_nothing_they_change() -> None:
    base = jieba_tokenizer()
    one = base.copy()
    one.add_word("双方同意加强", 50)
    two = one.copy()
    two.add_word("加强对话机制", 50)
    assert "双方同意加强" in one.FREQ and "双方同意加强" in two.FREQ
    assert "加强对话机制" not in one.FREQ and "加强对话机制" in two.FREQ
    assert "双方同意加强" not in base.FREQ and "加强对话机制" not in base.FREQ
    assert one.total == base.total + 50 and two.total == base.total + 100


def test_the_whole_dictionary_reads_as_jiebas(jieba_itself) -> None:
    ours = fresh()
    assert ours.total == jieba_itself.total
    assert dict(ours.FREQ.items()) == jieba_itself.FREQ


# ---------------------------------------------------------------- pypinyin


def pypinyin_romanisations(words: list[str]) -> dict[str, frozenset[str]]:
    """How the aligner spelt names with pypinyin itself: the words joined by commas."""
    from pypinyin import Style, lazy_pinyin

    names = [w for w in dict.fromkeys(words) if HAN_ONLY.match(w) and len(w) <= MAX_NAME]
    text = ",".join(names)
    spelt = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [""] * len(chars))
    out, k = {}, 0
    for w in names:
        found = [_plain(s) for s in spelt[k : k + len(w)]]
        k += len(w) + 1
        forms = set(found) | {"".join(found), "".join(found[1:])} if all(found) else set()
        out[w] = frozenset("@" + f for f in forms if f)
    return out


def essay_words() -> Iterator[str]:
    doc = load_document([ESSAY])
    for s in doc.zh.sentences:
        yield from jieba_tokenizer().lcut(s.norm)


def test_names_are_spelt_as_pypinyin_spells_them() -> None:
    words = list(essay_words()) + [
        "陈清扬", "重庆", "长安", "赖清德", "曾国藩", "单于", "尉迟", "吕布", "女娲",
        "〇", "々木", "⺀山", "中々国", "𠀀", "兀术", "乐乐乐", "一丁点儿", "朝朝暮暮",
    ]  # fmt: skip
    expected = pypinyin_romanisations(words)
    romanise_all(words)
    for w, forms in expected.items():
        assert romanisations(w) == forms, w
    assert expected["重庆"] == {"@chong", "@qing", "@chongqing"}  # a phrase's reading
    assert len(syllables("中々国")) == 3


def test_not_a_han_word_has_no_romanisation() -> None:
    assert romanisations("abc") == frozenset() and romanisations("中美关系正在改善") == frozenset()
