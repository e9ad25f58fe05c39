"""The scoring signals: lexicon (dictionary, numbers, Latin tokens, names), the length
model, the lexical model and the learned translation table."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from aligner.align.cost import unexplained_share
from aligner.align.evidence import (
    LengthModel,
    build_lexical_model,
    is_content_en,
    is_content_zh,
    learn_table,
)
from aligner.align.features import Units
from aligner.config import DEFAULT
from aligner.lexicon import translations
from aligner.names import name_forms, romanisations
from aligner.numbers import chinese_number
from aligner.tokenise import lemma, lemmas_en, tokenise_en, tokenise_zh

pytestmark = pytest.mark.usefixtures("lexicon")


def en_lemmas(text: str) -> list[str]:
    return lemmas_en(tokenise_en(text))


# ---------------------------------------------------------------- dictionary


def test_dictionary_translation() -> None:
    forms = translations("关系")
    assert lemma("relationship") in forms
    assert lemma("relation") in forms
    assert lemma("agriculture") in translations("农业")
    assert lemma("students") in translations("学生")


def test_unknown_compound_uses_its_parts() -> None:
    # not a CC-CEDICT headword: glossed by its longest dictionary parts
    forms = translations("铁路公司")
    assert lemma("railway") in forms and lemma("company") in forms


def test_punctuation_cue_matches_itself() -> None:
    assert translations("#ask") == frozenset({"#ask"})


# ---------------------------------------------------------------- numbers


NUMBERS = [
    ("零", 0), ("九", 9), ("十", 10), ("十五", 15), ("三十五", 35), ("两百", 200),
    ("一百零五", 105), ("一千九百九十八", 1998), ("一万二千", 12000), ("三万五千", 35000),
    ("一百万", 1_000_000), ("百", 100), ("千", 1000), ("万", 10000),
]  # fmt: skip


@pytest.mark.parametrize(("word", "value"), NUMBERS, ids=[str(v) for _, v in NUMBERS])
def test_chinese_number(word: str, value: int) -> None:
    assert chinese_number(word) == value


@pytest.mark.parametrize("word", ["", "1998", "关系", "三十五个", "G20"])
def test_not_a_chinese_number(word: str) -> None:
    assert chinese_number(word) is None


def test_numbers_translate_to_digits() -> None:
    assert "9" in translations("九")
    assert "35" in translations("三十五")
    assert "2027" in translations("2027")  # digits match themselves


# ---------------------------------------------------------------- Latin tokens


def test_latin_tokens_match_themselves() -> None:
    assert translations("G20") == frozenset({"g20"})
    assert translations("APEC") == frozenset({lemma("APEC")})
    assert "G20" in tokenise_zh("两国领导人将在G20峰会期间再次会晤。")
    assert "g20" in en_lemmas("The two leaders will meet during the G20 summit.")


# ---------------------------------------------------------------- names


def test_name_romanisations() -> None:
    forms = romanisations("习近平")
    assert {"@xi", "@jinping", "@xijinping"} <= forms
    assert all(f.startswith("@") for f in forms)
    assert romanisations("习近平") <= translations("习近平")
    # the @-forms of the English name meet them
    assert set(name_forms("Jinping")) == {"@jinping"}
    assert set(name_forms("Jinping")) <= translations("习近平")
    assert set(name_forms("Xi")) <= translations("习近平")


def test_name_forms_of_english_words() -> None:
    assert name_forms("Ching-te") == ("@ching", "@chingte", "@te")
    assert name_forms("jinping") == ()  # only capitalised words look like names
    assert name_forms("G20") == ()
    assert name_forms("") == ()


def test_romanisations_only_for_short_han_words() -> None:
    assert romanisations("G20") == frozenset()
    assert romanisations("中华人民共和国") == frozenset()  # longer than a name


# ---------------------------------------------------------------- length model


def test_length_model_fit() -> None:
    lm = LengthModel.fit(np.array([10.0, 20.0]), np.array([30.0, 60.0]), DEFAULT)
    assert lm.ratio == pytest.approx(3.0)
    assert (lm.sigma, lm.short) == (DEFAULT.length_sigma, DEFAULT.length_short)
    wide = LengthModel.fit(np.array([10.0]), np.array([30.0]), replace(DEFAULT, length_sigma=2.0))
    assert wide.sigma == 2.0
    # nothing to fit on: a default ratio
    assert LengthModel.fit(np.array([0.0]), np.array([5.0]), DEFAULT).ratio > 0


def length_model(ratio: float) -> LengthModel:
    return LengthModel(ratio, DEFAULT.length_sigma, DEFAULT.length_short)


def test_length_score_is_one_at_the_expected_ratio() -> None:
    lm = length_model(3.0)
    lz = np.array([1.0, 10.0, 40.0, 200.0])
    assert lm.score(lz, 3.0 * lz) == pytest.approx(np.ones(4))


def test_length_score_falls_as_lengths_disagree() -> None:
    lm = length_model(3.0)
    le = np.array([30.0, 45.0, 60.0, 90.0, 300.0])
    above = lm.score(np.full(5, 10.0), le)
    assert (np.diff(above) < 0).all() and above[0] == pytest.approx(1.0)
    le = np.array([30.0, 20.0, 10.0, 5.0, 0.0])
    below = lm.score(np.full(5, 10.0), le)
    assert (np.diff(below) < 0).all()
    assert ((0 <= below) & (below <= 1)).all() and ((0 <= above) & (above <= 1)).all()


def test_length_score_is_lenient_with_short_units() -> None:
    lm = length_model(3.0)
    # both twice the expected English length; the short one is less surprising
    short = lm.score(np.array([2.0]), np.array([12.0]))[0]
    long = lm.score(np.array([200.0]), np.array([1200.0]))[0]
    assert short > long


# ---------------------------------------------------------------- lexical model


def _model(pairs, extra=None):
    zh = [tokenise_zh(z) for z, _ in pairs]
    en = [en_lemmas(e) for _, e in pairs]
    zl = np.array([len(z) for z, _ in pairs], dtype=float)
    el = np.array([len(e) for _, e in pairs], dtype=float)
    zq, eq = np.zeros(len(pairs)), np.zeros(len(pairs))
    return build_lexical_model(Units(zh, zl, zq), Units(en, el, eq), DEFAULT, extra)


def test_true_pairs_match_more_than_wrong_pairs(pairs) -> None:
    lex = _model(pairs)
    n = len(pairs)
    (mz,), (me,) = lex.matches(slice(0, n), slice(0, n))
    assert mz.shape == me.shape == (n, n)
    for i in range(n):
        off = [j for j in range(n) if j != i]
        assert mz[i, i] > mz[i, off].max(), (i, mz[i].round(2))
        assert me[i, i] > me[i, off].max(), (i, me[i].round(2))
    assert (lex.wz_total > 0).all() and (lex.we_total > 0).all()


def test_grouped_model_adds_up(pairs) -> None:
    lex = _model(pairs)
    grouped = lex.group([range(0, 3), range(3, 10)], [range(0, 3), range(3, 10)])
    assert grouped.wz_total == pytest.approx([lex.wz_total[:3].sum(), lex.wz_total[3:].sum()])
    (mz,), _ = grouped.matches(slice(0, 2), slice(0, 2))
    assert mz[0, 0] > mz[0, 1] and mz[1, 1] > mz[1, 0]


def test_extra_translations_count(pairs) -> None:
    pairs = list(pairs) + [
        ("佐布拉特来了。", "Zorblat came."),
        ("我们见到了佐布拉特。", "We met Zorblat."),
    ]
    zh_word = next(w for w in tokenise_zh("佐布拉特来了。") if "佐" in w)
    plain = _model(pairs)
    learned = _model(pairs, {zh_word: {"zorblat"}})
    n = len(pairs)
    (before,), _ = plain.matches(slice(n - 1, n), slice(n - 1, n))
    (after,), _ = learned.matches(slice(n - 1, n), slice(n - 1, n))
    assert after[0, 0] > before[0, 0]


def test_chinese_match_weight_counts_each_matched_form_and_costs_cap_it() -> None:
    """(Xz Be^T)[i, j] counts a Chinese word once per English form of it found in unit j
    (an approximation that keeps the product linear); bead costs cap the matched weight
    at the unit's own weight.

    Unit 0 is 关系 学生; its English counterpart holds two renderings of 关系 (relation,
    relationship) and no 'student'. Word weights are per word, so the weight of 关系 is
    wz_total[0] - wz_total[1] (unit 1 is 学生 alone).
    """
    zh = [["关系", "学生"], ["学生"], ["铁路"], ["工厂"]]
    en = [en_lemmas("relation relationship"), en_lemmas("students"), en_lemmas("railway"),
          en_lemmas("factory")]  # fmt: skip
    ones, zeros = np.ones(4), np.zeros(4)
    lex = build_lexical_model(Units(zh, ones, zeros), Units(en, ones, zeros), DEFAULT)
    (mz,), _ = lex.matches(slice(0, 4), slice(0, 4))
    weight_guanxi = lex.wz_total[0] - lex.wz_total[1]
    assert mz[0, 0] == pytest.approx(2 * weight_guanxi, rel=1e-3)
    weight = np.array([lex.wz_total[0]])
    over = unexplained_share(3 * weight, weight, DEFAULT)
    full = unexplained_share(weight, weight, DEFAULT)
    half = unexplained_share(weight / 2, weight, DEFAULT)
    assert over[0] == pytest.approx(full[0])
    assert 0.0 <= full[0] < 0.5 and full[0] < half[0]


# ---------------------------------------------------------------- learned table


NAME = "佐布拉特"
ZORBLAT_PAIRS = [
    ("佐布拉特喜欢苹果。", "Zorblat likes apples."),
    ("佐布拉特住在北京。", "Zorblat lives in Beijing."),
    ("我们昨天见到了佐布拉特。", "We met Zorblat yesterday."),
    ("佐布拉特写了一封信。", "Zorblat wrote a letter."),
    ("他喜欢北京的春天。", "He likes spring in Beijing."),
    ("学生们在图书馆学习。", "The students study in the library."),
]


def _word_pairs() -> list[tuple[list[str], list[str]]]:
    """Tokenised pairs, keeping the made-up name whole whatever jieba makes of it."""
    out = []
    for z, e in ZORBLAT_PAIRS:
        parts = z.split(NAME)
        toks = [t for part in parts for t in tokenise_zh(part)] + [NAME] * (len(parts) - 1)
        out.append((toks, en_lemmas(e)))
    return out


def test_learn_table_learns_a_co_occurring_pair() -> None:
    table = learn_table(_word_pairs(), DEFAULT)
    assert "zorblat" in table.get("佐布拉特", set())


def test_learn_table_needs_enough_co_occurrences() -> None:
    # 佐布拉特 and zorblat co-occur in 4 pairs
    four, five = replace(DEFAULT, learn_min_count=4), replace(DEFAULT, learn_min_count=5)
    assert "zorblat" in learn_table(_word_pairs(), four).get("佐布拉特", set())
    assert "佐布拉特" not in learn_table(_word_pairs(), five)


def test_learn_table_needs_a_probable_translation() -> None:
    assert "佐布拉特" not in learn_table(_word_pairs(), replace(DEFAULT, learn_threshold=1.01))


def test_learn_table_ignores_function_words() -> None:
    table = learn_table(_word_pairs(), replace(DEFAULT, learn_min_count=1, learn_threshold=0.0))
    learned_en = set().union(*table.values()) if table else set()
    assert not any(w in learned_en for w in ("the", "a", "in"))
    assert "的" not in table and "了" not in table


def test_learn_table_empty() -> None:
    assert learn_table([], DEFAULT) == {}
    assert learn_table([(["的"], ["the"])], DEFAULT) == {}


def test_content_words() -> None:
    assert is_content_zh("关系") and not is_content_zh("的") and not is_content_zh("。")
    assert is_content_en("relationship") and not is_content_en("the")
    assert not is_content_en(".")
    assert is_content_en("#ask") and is_content_en("@xi")


def test_romanising_many_words_at_once_equals_one_by_one() -> None:
    from pypinyin import Style, lazy_pinyin

    from aligner.names import _ROMANISED, romanise_all

    words = ["陈清扬", "重庆", "银行", "长城", "G20", "书提拉", "中华人民共和国", "乐"]
    _ROMANISED.clear()
    romanise_all(words)
    for w in words:
        if len(w) > 4 or not w[0] >= "\u4e00":
            assert romanisations(w) == frozenset()
            continue
        one = lazy_pinyin(w, style=Style.NORMAL)
        assert romanisations(w) == frozenset(
            "@" + f for f in {*one, "".join(one), "".join(one[1:])} if f
        )
    assert "@chongqing" in romanisations("重庆")  # the phrase reading, not zhong


@pytest.mark.parametrize(
    "token, form",
    [("knowest", "know"), ("beholdest", "behold"), ("sittest", "sit"), ("maketh", lemma("make")),
     ("hideth", lemma("hide")), ("forest", None), ("honest", None),
     ("best", None), ("Nazareth", None)],
)  # fmt: skip
def test_archaic_verb_forms_meet_their_modern_glosses(lexicon, token: str, form) -> None:
    from aligner.lexicon import archaic_form

    assert archaic_form(token) == form


def test_romanising_publishes_no_half_answers(monkeypatch) -> None:
    """Another thread asking for a word while the words are spelt must not find (and
    cache) an empty answer: nothing is published before the results are in."""
    import aligner.names as names
    from aligner.names import _ROMANISED, romanise_all

    real = names.syllables
    seen: list[bool] = []

    def watching(word: str) -> list[str]:
        seen.append("陈清扬" in _ROMANISED or "abc" in _ROMANISED)
        return real(word)

    monkeypatch.setattr(names, "syllables", watching)
    _ROMANISED.clear()
    romanise_all(["陈清扬", "abc"])
    assert seen == [False]  # spelt once (abc is no Han word), before anything is published
    assert "@chenqingyang" in _ROMANISED["陈清扬"] and _ROMANISED["abc"] == frozenset()
