"""The numeral readers (aligner.numbers): one implementation, each reader's own view."""

from __future__ import annotations

import pytest

from aligner.lexicon import readable_glosses
from aligner.model import Numbers, Quantity
from aligner.numbers import (
    ZH_ONE_TO_TEN,
    chinese_number,
    numbers_en,
    numbers_in_chinese,
    numbers_zh,
    roman_number,
    roman_value,
    zh_numeral,
    zh_quantity,
)

pytestmark = pytest.mark.usefixtures("lexicon")


def zh_numbers(text: str) -> Numbers:
    """The numbers a Chinese text gives, its words' glosses from the lexicon."""
    return numbers_zh(text, readable_glosses())


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
    assert numbers_en("Track ii, part v") == Numbers((), (Quantity(2, 2),))


def test_numerals_of_one_to_ten_for_terms() -> None:
    assert set(ZH_ONE_TO_TEN) == set("一二两三四五六七八九十")
    assert ZH_ONE_TO_TEN["两"] == ("2", "two") and ZH_ONE_TO_TEN["十"] == ("10", "ten")


# ---------------------------------------------------------------- numbers a text gives


def values(quantities: tuple[Quantity, ...]) -> set[float | tuple[float, float]]:
    """Quantities as values, a range as (low, high)."""
    return {q.low if q.low == q.high else (q.low, q.high) for q in quantities}


@pytest.mark.parametrize(
    ("zh", "stated"),
    [
        ("今年中国经济增长了百分之五。", {5}),
        ("代表团访问了上海的三家工厂。", {3}),
        ("投资30亿元，增长3.5%。", {3_000_000_000, 3.5}),
        ("三亿五千万人", {350_000_000}),
        ("第十四个五年规划", {14, 5}),
        ("二〇二四年", {2024}),
        ("这十分重要，万一出事。", set()),  # 十分 `very`, 万一 `just in case`
        ("两岸关系和统一", set()),
        ("周一和三月", set()),
        ("ＡＰＥＣ会议１２０人", {120}),
        # a number after a comma (folded from ，) is no group of thousands
        ("项目于1989年启动，2003年完成。", {1989, 2003}),
        ("一九八九年", {1989}),  # the digits of a year: 八九 is no range here
    ],
)
def test_numbers_stated_in_chinese(zh: str, stated: set[float]) -> None:
    assert values(zh_numbers(zh).stated) == stated


@pytest.mark.parametrize(
    ("zh", "stated"),
    [
        ("她十四五岁。", {(14, 15)}),
        ("来了三四十个人。", {(30, 40)}),
        ("门口站着一二十个人。", {(10, 20)}),
        ("院里有三二十个孩子。", {(20, 30)}),  # the colloquial order
        ("又来了三两个人。", {(2, 3)}),
        ("过一两天再来。", {(1, 2)}),
        ("他喝了十几杯茶。", {(10, 19)}),
        ("走了几百步。", {(100, 900)}),
        ("他教了三十多年书。", {(30, 40)}),
        ("一百多亿年前", {(1e10, 2e10)}),
        ("全家三百余口人", {(300, 400)}),
        ("一九六几年", {(1960, 1969)}),
    ],
)
def test_chinese_approximations_are_ranges(zh: str, stated: set) -> None:
    numbers = zh_numbers(zh)
    assert values(numbers.stated) == stated
    assert all(q.approximate for q in numbers.stated)


def test_the_tael_is_no_digit() -> None:
    assert zh_quantity("二十两", "银子") == (Quantity(20, 20), 2)  # 22 is 二十二
    assert zh_quantity("三两", "银子") == (Quantity(3, 3), 1)
    assert zh_quantity("三两", "个人") == (Quantity(2, 3, True), 2)  # two or three
    assert zh_quantity("八九两", "") == (Quantity(8, 9, True), 2)
    assert zh_quantity("几", "个") is None  # no number: a vague word
    assert zh_numbers("来了几个人").vague and zh_numbers("来了许多人").vague
    assert not zh_numbers("来了三个人").vague


@pytest.mark.parametrize(
    ("zh", "stated", "implied"),
    [
        # numerals inside a name, a word or an idiom are no count
        ("李四把门关上了。", set(), {4}),
        ("李四买了四本书。", {4}, {4}),  # the name's four implied, the books' stated
        ("陈小五等人来了。", set(), {5}),
        ("他叫三蛋儿。", set(), {3}),
        ("买了三个蛋。", {3}, set()),
        ("她五官端正。", set(), {5}),  # `features`
        ("他十指交叉。", set(), {10}),
        ("他七拼八凑地写完了。", set(), {7, 8}),
        ("放学后十有九次不在家。", set(), {10, 9}),
        # ordinals and counts: a numeral before a classifier or counted noun counts
        ("他被分到十五队。", {15}, set()),
        ("我二十一岁那年离开了家。", {21}, set()),
        ("曾三次访华", {3}, set()),
        ("他们三人", {3}, set()),
        # 二 alone is an ordinal or a name's; 两 names a pair unless it measures
        ("二奶奶在屋里。", set(), {2}),
        ("两人相视一笑。", set(), {1, 2}),
        ("他在那里住了两年。", {2}, set()),
        ("等了两个小时。", {2}, set()),
        ("花了两千元。", {2000}, set()),
        # 零 alone is a word part (零件 parts) or zero, implied
        ("零件都坏了。", set(), {0}),
        ("温度是零点五度。", {0.5}, set()),
    ],
)
def test_numerals_that_are_no_count_are_implied(zh: str, stated: set, implied: set) -> None:
    numbers = zh_numbers(zh)
    assert values(numbers.stated) == stated
    assert values(numbers.implied) == implied


@pytest.mark.parametrize(
    ("en", "stated"),
    [
        ("China's economy grew by five percent.", {5}),
        ("investing 3 billion yuan, up 3.5%, with 3,500 people", {3e9, 3.5, 3500}),
        ("two thousand and nineteen; twenty-five", {2019, 25}),
        ("five, six and seven", {5, 6, 7}),
        ("COVID-19 and the G20 summit", set()),  # digits in names are Latin tokens
        ("On Monday the first and second meetings", set()),  # implied only
        ("twenty-one people and a hundred and one nights", {21, 101}),
        ("two three-inch lotuses", {2, 3}),  # two units do not add up
        ("for four decades", {40}),
        ("two dozen eggs", {24}),
        ("Seven willows grew there.", {7}),  # capitalised at the start of a sentence
    ],
)
def test_numbers_stated_in_english(en: str, stated: set[float]) -> None:
    assert values(numbers_en(en).stated) == stated


@pytest.mark.parametrize(
    ("en", "implied"),
    [
        ("until my twenty-first birthday", {21}),
        ("the fifteenth team, the nineteenth day", {15, 19}),
        ("ON HER SIXTEENTH BIRTHDAY", {16}),
        ("the two of them", {2}),
        ("She lived in Seven Willows Lane.", {7}),  # a name holds the number
        ("a song called Two-in-a-row", {1, 2}),
        ("back in the sixties", {(60, 69), (1960, 1969)}),
        ("in the 1980s", {(80, 89), (1980, 1989)}),
    ],
)
def test_numbers_only_implied_in_english(en: str, implied: set) -> None:
    numbers = numbers_en(en)
    assert values(numbers.stated) == set()
    assert values(numbers.implied) == implied


def test_english_approximations() -> None:
    assert numbers_en("four or five").stated == (Quantity(4, 5, True),)
    assert numbers_en("on one or two occasions").stated == (Quantity(1, 2, True),)
    a_day_or_two = numbers_en("come back in a day or two")
    assert a_day_or_two.stated == () and a_day_or_two.vague
    assert numbers_en("in a couple of days").vague and numbers_en("a few times").vague
    assert numbers_en("a million shards").stated == (Quantity(1e6, 1e6, True),)
    assert not numbers_en("ten days").vague


def test_unmatched_quantities() -> None:
    range_14_15 = Numbers((Quantity(14, 15, True),))
    assert range_14_15.unmatched(numbers_en("a boy of fourteen")) == []
    assert range_14_15.unmatched(numbers_en("a boy of fifteen or sixteen")) == []
    assert range_14_15.unmatched(numbers_en("a boy of twelve")) == [Quantity(14, 15, True)]
    assert range_14_15.unmatched(numbers_en("a boy of a few years")) == []  # vague
    exact = Numbers((Quantity(3, 3), Quantity(3, 3)))
    assert exact.unmatched(numbers_en("several")) == [Quantity(3, 3)]  # once, not vague
    assert exact.unmatched(numbers_en("the third")) == []  # implied numbers meet it
