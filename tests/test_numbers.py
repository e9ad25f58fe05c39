"""The numeral readers (aligner.numbers): one implementation, each reader's own view."""

from __future__ import annotations

from aligner.numbers import (
    ZH_ONE_TO_TEN,
    chinese_number,
    numbers_en,
    numbers_in_chinese,
    roman_number,
    roman_value,
    zh_numeral,
)


def test_chinese_numerals_as_the_aligner_reads_them() -> None:
    assert numbers_in_chinese("增长一点五倍，二十人，一个") == ["1.5", "20"]  # a lone 一 is "a"
    assert numbers_in_chinese("一点五零") == ["1.50"]  # the fraction as written
    assert numbers_in_chinese("三亿") == ["3"]  # 亿 is not read
    assert chinese_number("三十五") == 35 and chinese_number("三亿") is None


def test_chinese_numerals_as_the_checker_reads_them() -> None:
    assert zh_numeral("三亿五千万") == 350_000_000
    assert zh_numeral("亿") == 100_000_000
    assert zh_numeral("一点五零") == 1.5
    assert zh_numeral("三点十") is None


def test_roman_numerals_per_reader() -> None:
    assert roman_number("II") == "2" and roman_number("X") == "10"
    assert roman_number("I") is None and roman_number("ii") is None  # the pronoun, a word
    assert roman_value("VI", highest=6) == 6 and roman_value("VII", highest=6) is None
    assert roman_value("vii", any_case=True) == 7
    # the checker: numerals of two letters or more, in any case, imply a number
    assert numbers_en("Track ii, part v") == (set(), {2})


def test_numerals_of_one_to_ten_for_terms() -> None:
    assert set(ZH_ONE_TO_TEN) == set("一二两三四五六七八九十")
    assert ZH_ONE_TO_TEN["两"] == ("2", "two") and ZH_ONE_TO_TEN["十"] == ("10", "ten")
