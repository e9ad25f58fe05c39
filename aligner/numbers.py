"""Numbers in text: Chinese numerals, English number words, digits with scales and roman
numerals, read in one place.

Three readers of one text may want different numbers, and each asks for its own here:

- the aligner matches words: `numbers_in_chinese` gives the numerals of a Chinese
  sentence as digit strings (a lone 一 left out, 亿 not read), `roman_number` Track II's
  II to X (the pronoun I left alone);
- the checker compares the numbers a pair gives: `numbers_zh` and `numbers_en` give the
  `Numbers` of a text, the quantities it states and those it only implies (approximations
  as ranges: 十四五, `four or five`), `zh_numeral` reads 亿 and fractions as values;
- the term extractor reads I to VI (`roman_value(token, highest=6)`), counts by
  `COUNT_WORDS` and numerals of one to ten by `ZH_ONE_TO_TEN`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import regex

from .model import Numbers, Quantity
from .normalise import HAN, matching_form
from .tokenise import tokenise_zh

# ---------------------------------------------------------------- Chinese numerals

ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9, "十": 10, "百": 100, "千": 1000, "万": 10000}  # fmt: skip
NUMERAL_CHARS = "".join(ZH_DIGITS)
FRACTION_CHARS = "零〇一二三四五六七八九"  # the digits after 点 (两 is never one)
ZH_SCALES = {"百": 100, "千": 1000, "万": 10**4, "亿": 10**8}


def chinese_number(word: str) -> int | None:
    """三十五 -> 35, 1998 -> None (digits are matched as they are); no 亿 (see
    `zh_numeral`)."""
    if not word or any(c not in ZH_DIGITS for c in word):
        return None
    total, section, current = 0, 0, 0
    for c in word:
        v = ZH_DIGITS[c]
        if v >= 10:
            if v == 10000:
                total += ((section + current) or 1) * v
                section, current = 0, 0
            else:
                section += (current or 1) * v
                current = 0
        else:
            current = current * 10 + v if current else v
    return total + section + current


def fraction_digits(frac: str) -> str | None:
    """The digits of a decimal fraction written in numerals: 五零 -> "50" (None when a
    character is no digit)."""
    if any(ZH_DIGITS.get(c, 10) >= 10 for c in frac):
        return None
    return "".join(str(ZH_DIGITS[c]) for c in frac)


def zh_numeral(word: str) -> float | None:
    """The value of a numeral with 亿 and a fraction: 三千五百 -> 3500, 三亿五千万 ->
    350000000, 三点五 -> 3.5."""
    whole, _, frac = word.partition("点")
    parts = whole.split("亿")
    total: float = 0
    for k, part in enumerate(reversed(parts)):
        if part:
            v = chinese_number(part)
            if v is None:
                return None
            total += v * 10 ** (8 * k)
    if len(parts) > 1 and not parts[0]:
        total += 10 ** (8 * (len(parts) - 1))  # 亿 alone: one hundred million
    if frac:
        digits = fraction_digits(frac)
        if digits is None:
            return None
        total = float(f"{total}.{digits}")
    return total


ZH_NUMBER = regex.compile(f"[{NUMERAL_CHARS}]+(?:点[{FRACTION_CHARS}]+)?")


def numbers_in_chinese(text: str) -> list[str]:
    """Numbers written in Chinese numerals, as the aligner matches them: digit strings,
    一点五 -> 1.5, 二十 -> 20, the fraction as written (一点五零 -> 1.50); a lone 一 is left
    out (it is mostly "a", not a count) and 亿 is not read (三亿 -> 3)."""
    out = []
    for m in ZH_NUMBER.finditer(text):
        whole, _, frac = m.group(0).partition("点")
        if whole == "一" and not frac:
            continue
        value = chinese_number(whole)
        if value is None:
            continue
        digits = fraction_digits(frac)
        out.append(f"{value}.{digits}" if digits else str(value))
    return out


# ---------------------------------------------------------------- roman numerals

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9,
         "X": 10}  # fmt: skip
ROMAN_ANY_CASE = {k.lower(): v for k, v in ROMAN.items()}


def roman_value(
    token: str, *, lowest: int = 1, highest: int = 10, any_case: bool = False
) -> int | None:
    """The value of a roman numeral from I to X in [lowest, highest]: written in capitals
    only (Track II; `vi` is a word) unless `any_case`."""
    value = ROMAN_ANY_CASE.get(token.lower()) if any_case else ROMAN.get(token)
    return value if value is not None and lowest <= value <= highest else None


def roman_number(token: str) -> str | None:
    """Track II -> 2, as the aligner matches it (the pronoun I is left alone)."""
    value = roman_value(token, lowest=2)
    return str(value) if value else None


# ---------------------------------------------------------------- English number words


# `one` is left out: mostly "a", it only implies a number (see WEAK_WORDS), unless it ends
# a compound (twenty-one, a hundred and one)
NUMBER_WORDS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
          "trillion": 10**12}  # fmt: skip
# ordinals imply their number (`Second,` often renders 其次, not 第二); after a tens word
# they end a compound: twenty-first
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90, "hundredth": 100, "thousandth": 1000,
    "millionth": 10**6,
}  # fmt: skip
# words that may render a number without naming it: they match but do not demand a match;
# roman numerals of two letters or more are read with them (see `numbers_en`)
WEAK_WORDS = {
    "one": 1, "a": 1, "an": 1, "once": 1, "single": 1, "both": 2, "twice": 2,
    "double": 2, "pair": 2, "bilateral": 2, "dual": 2, "twin": 2, "half": 0.5, "dozen": 12,
    "dozens": 12, "decade": 10, "decades": 10, "century": 100, "centuries": 100,
    "hundreds": 100, "thousands": 1000, "millions": 10**6, "billions": 10**9, "triple": 3,
    "trilateral": 3, "tripartite": 3, "quarter": 4, "january": 1, "february": 2,
    "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8, "september": 9,
    "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
    "sunday": 7,
} | ORDINALS  # fmt: skip
# the decades: `the sixties` implies 60 to 69 and 1960 to 1969
DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
           "seventies": 70, "eighties": 80, "nineties": 90}  # fmt: skip
# a number word before these counts them: four decades (40), two dozen (24)
COUNTED_BY = {"decade": 10, "decades": 10, "dozen": 12, "score": 20, "century": 100,
              "centuries": 100}  # fmt: skip
# the number words the term extractor takes for counts (`two heads of state` counts heads
# of state): a shorter list than NUMBER_WORDS and SCALES
COUNT_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve twenty "
    "thirty hundred thousand million billion dozen".split()
)
NUMBER_NAMES = {v: w for w, v in NUMBER_WORDS.items()} | {1: "one"}
# 一 to 十 as the term extractor matches them: as digits and as English words (二轨 -> 2, two)
ZH_ONE_TO_TEN = {c: (str(v), NUMBER_NAMES[v]) for c, v in ZH_DIGITS.items() if 1 <= v <= 10}

# ---------------------------------------------------------------- numbers an English text gives

# digits, not inside a name (G20, COVID-19) nor a group of thousands (the 500 of 3,500)
DIGITS = r"(?<![\p{Latin}0-9.]|\p{Latin}-|[0-9],)([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)"
EN_NUMBER = regex.compile(
    DIGITS + r"(?:\s*-?\s*(hundred|thousand|million|billion|trillion)s?\b)?(s\b)?"
)
EN_WORD = regex.compile(r"[\p{L}]+")
# words that give a quantity without a number: an approximation of the other text meets them
EN_VAGUE = regex.compile(
    r"\b(?:few|several|couple|dozens?|scores|handful|numerous|countless|myriad|umpteen|"
    r"hundreds|thousands|millions|billions)\b",
    regex.I,
)
SENTENCE_START = regex.compile(r"(?:^|[.!?:;…—–])[\s\"'“‘(\[]*$")
NAME_GOES_ON = regex.compile(r"^(?:\s+\p{Lu}\p{Ll}|-(\p{L}+))")


@dataclass
class _Reading:
    """A number found in English text, before the rules that join and weigh readings."""

    low: float
    high: float
    start: int
    end: int
    stated: bool
    approximate: bool = False
    word: bool = False  # written in words (a name may hold it: Two Dukes Street)

    @property
    def quantity(self) -> Quantity:
        return Quantity(self.low, self.high, self.approximate)


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _word_run(text: str, words: list[regex.Match], i: int) -> tuple[float, int, bool] | None:
    """The number words from words[i] on, joined by spaces, hyphens or `and`: (value,
    index after the last word, whether it ends in an ordinal), or None. Tens take a unit
    (twenty-five, twenty-first), scales multiply (two thousand and nineteen); two units do
    not join: `two three-inch lotuses` holds 2 and 3."""
    total, current, last = 0.0, 0.0, ""
    j = end = i
    ordinal = False
    while j < len(words):
        x = words[j].group(0).lower()
        if j > i and text[words[j - 1].end() : words[j].start()].strip(" -"):
            break
        if x == "and" and last in ("hundred", "scale"):
            j += 1
            continue
        if x in ORDINALS and last in ("tens", "hundred", "scale") and ORDINALS[x] < 100:
            if last == "tens" and ORDINALS[x] >= 10:
                break
            current += ORDINALS[x]
            end, ordinal = j + 1, True
            break
        if x in NUMBER_WORDS or x == "one" and last in ("tens", "hundred", "scale"):
            v = NUMBER_WORDS.get(x, 1)
            kind = "tens" if v >= 20 else "unit"
            if last in ("unit", "tens") and not (last == "tens" and v < 10):
                break
            current += v
        elif x == "hundred":
            kind = "hundred"
            if last in ("hundred", "scale") and current >= 100:
                break
            current = (current or 1) * 100
        elif x in SCALES:
            kind = "scale"
            total, current = total + (current or 1) * SCALES[x], 0
        else:
            break
        last = kind
        j += 1
        end = j
    value = total + current
    return (value, end, ordinal) if end > i and (value or last) else None


def numbers_en(text: str) -> Numbers:
    """The numbers an English text gives: `3.5 billion` states 3.5e9 (and implies 3.5),
    `five` 5, `both` implies 2, `fourteen or fifteen` is an approximation (14 to 15).
    Digits inside names (G20, COVID-19) are left to the Latin-token check; a number word
    inside a name (Two Dukes Street), `the two` and `a day or two` only imply a number."""
    readings: list[_Reading] = []
    vague = bool(EN_VAGUE.search(text))
    for m in EN_NUMBER.finditer(text):
        v = _value(m.group(1))
        if m.group(2):
            scaled = v * SCALES[m.group(2).lower()]
            readings.append(_Reading(scaled, scaled, m.start(), m.end(), True))
            readings.append(_Reading(v, v, m.start(), m.start(1) + len(m.group(1)), False))
        elif m.group(3):  # the 1960s, the 60s
            short, year = v % 100, v if v >= 1000 else 1900 + v
            readings.append(_Reading(short, short + 9, m.start(), m.end(), False))
            readings.append(_Reading(year, year + 9, m.start(), m.end(), False))
        else:
            readings.append(_Reading(v, v, m.start(), m.end(), True))
    taken = [m.span() for m in EN_NUMBER.finditer(text) if m.group(2)]
    words = [w for w in EN_WORD.finditer(text) if not any(a <= w.start() < b for a, b in taken)]
    i = 0
    while i < len(words):
        w = words[i].group(0).lower()
        if w in NUMBER_WORDS or w in SCALES:
            run = _word_run(text, words, i)
            if run:
                value, end, ordinal = run
                start, stop = words[i].start(), words[end - 1].end()
                # a hundred, a million (shards): a figure of speech as often as a count
                hyperbole = (
                    end == i + 1
                    and w in SCALES
                    and regex.search(r"\ban?\s+$", text[:start], regex.I)
                )
                readings.append(
                    _Reading(value, value, start, stop, not ordinal, bool(hyperbole), True)
                )
                i = end
                continue
        if w in DECADES:
            d = DECADES[w]
            span = words[i].span()
            readings.append(_Reading(d, d + 9, *span, False))
            readings.append(_Reading(1900 + d, 1909 + d, *span, False))
        elif w in WEAK_WORDS:
            v = WEAK_WORDS[w]
            readings.append(_Reading(v, v, *words[i].span(), False, word=True))
        elif len(w) > 1 and (roman := roman_value(w, any_case=True)):
            # ii to ix: I, V and X alone are letters as often as numbers
            readings.append(_Reading(roman, roman, *words[i].span(), False))
        i += 1
    readings.sort(key=lambda r: r.start)
    readings, or_two = _weigh_english(text, readings)
    return Numbers(
        tuple(r.quantity for r in readings if r.stated),
        tuple(r.quantity for r in readings if not r.stated),
        vague or or_two,
    )


def _weigh_english(text: str, readings: list[_Reading]) -> tuple[list[_Reading], bool]:
    """The rules that join and weigh English readings in context; also whether `a day or
    two` made the text vague."""
    out: list[_Reading] = []
    vague = False
    for r in readings:
        before, after = text[: r.start], text[r.end :]
        prev = out[-1] if out else None
        if (
            r.stated
            and prev
            and (prev.stated or prev.low == 1 and prev.word)
            and regex.fullmatch(r"\s+or\s+", text[prev.end : r.start])
            and r.low > prev.high
        ):
            # four or five, one or two: an approximation, met by either
            out[-1] = _Reading(prev.low, r.high, prev.start, r.end, True, True, True)
            continue
        if r.stated and r.word:
            counted = regex.match(r"[\s-]+(\p{L}+)", after)
            if regex.search(r"\bor\s+$", before):
                r.stated, vague = False, True  # a day or two
            elif r.low == 2 and regex.search(r"\bthe\s+$", before, regex.I):
                r.stated = False  # the two (of them): a pair named, as 两人
            elif _in_name(text, r):
                r.stated = False
            elif counted and counted.group(1).lower() in COUNTED_BY:
                times = COUNTED_BY[counted.group(1).lower()]
                out.append(_Reading(r.low, r.high, r.start, r.end, False))
                r = _Reading(r.low * times, r.high * times, r.start, r.end, True)
        out.append(r)
    return out, vague


def _in_name(text: str, r: _Reading) -> bool:
    """A capitalised number word inside a sentence that a capitalised word or a hyphened
    word follows is part of a name: Two Dukes Street, Two-in-one."""
    written = text[r.start : r.end]
    if not written[:1].isupper() or written.isupper() or SENTENCE_START.search(text[: r.start]):
        return False
    goes_on = NAME_GOES_ON.match(text[r.end :])
    if not goes_on:
        return False
    joined = goes_on.group(1)
    return joined is None or joined.lower() not in NUMBER_WORDS and joined.lower() != "one"


# ---------------------------------------------------------------- numbers a Chinese text gives

ZH_DIGITS_NUMBER = regex.compile(DIGITS + r"\s*([万亿千百]*)")
ZH_NUMERAL_RUN = regex.compile(f"(第)?([{NUMERAL_CHARS}亿几]+(?:点[{FRACTION_CHARS}]+)?)")
SCALE_CHARS = "十百千万亿"
UNIT_DIGITS = "一二两三四五六七八九"
# two neighbouring digits make an approximation: 三四 three or four, 十四五 14 or 15
RANGE_PAIR = regex.compile(
    f"(?<![{UNIT_DIGITS}])([{UNIT_DIGITS}])([{UNIT_DIGITS}])(?![{UNIT_DIGITS}])"
)
MONTH_OR_DAY = regex.compile(r"^(?:[一二三四五六七八九十]+月|(?:星期|礼拜|周)[一二三四五六日天])$")
NUMBER_MENTION = regex.compile(
    r"\b(?:zero|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|"
    r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundred|thousand|million|billion|"
    r"first|second|third|(?:four|fif|six|seven|eigh|nin|ten)th)\b|\d",
    regex.I,
)
# words that give a quantity without a number: an approximation of the other text meets them
ZH_VAGUE = regex.compile(
    r"若干|一些|许多|很多|好多|不少|无数|众多|诸多|大量|些许|成千上万|上[百千万]|数[十百千万亿]"
)
# what a numeral counts when it comes before: classifiers, units, and the nouns counted
# without a classifier (三人, 两国); a numeral before any other character of its word is
# part of that word (三闷儿 a name, 五官 `the features`, 十指 `the fingers`)
COUNTED = frozenset(
    # classifiers
    "个位名口户家条只头匹张本件间座所栋幢辆架艘台部把根支枝枚颗粒片块面道层级步声句字"
    "段篇章节页册卷集场轮批群对双副套份种类样项门届期号楼站路线局圈盘出幕首曲幅封则行"
    "杯碗瓶壶箱盒包袋桶罐碟锅勺捆束串堆滴棵株朵尾峰伙帮拨身顶列盏柄扇堵针拳脚刀枪发"
    # nouns counted without one
    "人国省市县区乡镇村方党派校院厂店队组班排连营团师旅军代辈"
    # time and measure
    "次回遍趟番阵顿下点年岁月日天周夜晚宿钟分秒元圆角毛厘两斤克吨磅米里尺寸丈亩顷升"
    "斗石担度倍成折股笔款"
)
COUNTED_WORDS = ("小时", "公斤", "千克", "公里", "千米", "英里", "英尺", "公尺", "海里",
                 "厘米", "毫米", "星期", "世纪", "钟头", "公顷", "毫升", "平方", "立方",
                 "光年", "美元", "英镑", "欧元", "日元", "港元")  # fmt: skip
# units of time and measure: 两 before them counts (两年); before other words it names a
# pair, which English carries by a plural, `both`, `either` or `they` (两人, 两侧, 两眼)
MEASURES = frozenset("年岁月日天周钟分秒元块角毛斤克吨磅米里尺寸丈亩顷升斗石担度倍成折次回遍趟点")
# the commonest surnames: a numeral after one (and 小, 老 or 阿) ends a name (王二, 罗小四)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史陶黎贺顾毛郝龚邵钱严覃武戴莫孔向汤"
)
NAME_BEFORE = regex.compile(f"(?:[{SURNAMES}][小老阿]?|[老阿])$")
# 两 after a numeral is the tael (二十两 twenty taels); after 一 and 三 only before silver,
# gold or a weight (三两银子), else it makes an approximation (三两个 two or three)
TAEL_AFTER_ONE_OR_THREE = ("银", "金", "重", "上下")
# a four-character idiom pairs two numerals with words (七绕八拐, 十有九次): no count
IDIOM_NUMERALS = "一二两三四五六七八九十百千万"


def _range_pair(run: str) -> tuple[float, float] | None:
    """The range of an approximation of neighbouring digits: 三四 (3, 4), 十四五 (14, 15),
    一二十 (10, 20), 三两 (2, 3); None when `run` is none."""
    for m in RANGE_PAIR.finditer(run):
        a, b = m.group(1), m.group(2)
        if not (ZH_DIGITS[b] == ZH_DIGITS[a] + 1 or a == "三" and b in "两二"):
            continue
        prefix, suffix = run[: m.start()], run[m.end() :]
        if prefix and prefix[-1] not in SCALE_CHARS or any(c not in SCALE_CHARS for c in suffix):
            continue
        x, y = zh_numeral(prefix + a + suffix), zh_numeral(prefix + b + suffix)
        if x is not None and y is not None:
            return min(x, y), max(x, y)
    return None


def _is_tael(head: str, after: str) -> bool:
    """Is the 两 that ends `head`两 the tael (the measure), `after` following it?"""
    if head[-1] in SCALE_CHARS + "几" or _range_pair(head):
        return True
    if head in ("一", "三"):
        return after.startswith(TAEL_AFTER_ONE_OR_THREE)
    return len(head) == 1 and head in UNIT_DIGITS and head != "两"


def zh_quantity(run: str, after: str = "") -> tuple[Quantity, int] | None:
    """The quantity a Chinese numeral gives, `after` being the text that follows it, and
    how many characters from the numeral's start it takes: 三十五 -> 35; approximations are
    ranges: 十四五 -> 14 to 15, 二十几 -> 20 to 29, 三十多 -> 30 to 40; the tael is left out
    (二十两 -> 20, 2 characters). None when it gives no number (几 alone)."""
    if len(run) > 1 and run[-1] == "两" and _is_tael(run[:-1], after):
        run, after = run[:-1], "两" + after
    span = len(run)
    approximate = True
    if "几" in run:
        if run == "几":
            return None
        low, high = zh_numeral(run.replace("几", "零")), zh_numeral(run.replace("几", "九"))
    elif pair := _range_pair(run):
        low, high = pair
    else:
        low = high = zh_numeral(run)
        approximate = False
    if low is None or high is None:
        return None
    more = regex.match(f"[多余来][{SCALE_CHARS}]*", after) if run[-1] in SCALE_CHARS else None
    if more:  # 三十多 more than thirty, 一百多亿 more than ten billion
        high += ZH_SCALES.get(run[-1], 10)
        for c in more.group(0)[1:]:
            low, high = low * ZH_SCALES[c], high * ZH_SCALES[c]
        span += len(more.group(0))
        approximate = True
    return Quantity(low, high, approximate), span


def _counted(after: str) -> bool:
    """Does a numeral followed by `after` count what follows?"""
    return after[:1] in COUNTED or after.startswith(COUNTED_WORDS)


def _measured(after: str) -> bool:
    """Does a unit of time or measure follow (两年, 两个小时)?"""
    if after[:1] == "个":
        after = after[1:]
    return after[:1] in MEASURES or after.startswith(COUNTED_WORDS)


def _in_idiom(text: str, start: int) -> bool:
    """Is the one-character numeral at `start` one of the two of a four-character idiom
    (七绕八拐, 十有九次): numerals first and third, the second no classifier?"""
    for first in (start, start - 2):
        w = text[max(first, 0) : first + 4]
        if (
            first >= 0
            and len(w) == 4
            and all(HAN.match(c) for c in w)
            and w[0] in IDIOM_NUMERALS
            and w[2] in IDIOM_NUMERALS
            and w[1] not in IDIOM_NUMERALS
            and w[3] not in IDIOM_NUMERALS
            and w[1] not in COUNTED
        ):
            return True
    return False


def _scaled(value: float, scales: str) -> float:
    for c in scales:
        value *= ZH_SCALES.get(c, 1)
    return value


def _spans(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for tok in tokens:
        start = text.find(tok, pos)
        if start < 0:
            return []
        out.append((start, start + len(tok)))
        pos = start + len(tok)
    return out


def _no_count(
    text: str, m: regex.Match, end: int, spans: list[tuple[int, int]], table: Mapping[str, str]
) -> bool:
    """Is the numeral `m` matched (its number ending at `end`) no count, but part of a
    word, a name, an idiom, a date or a pair?"""
    ordinal, run, start = bool(m.group(1)), m.group(2), m.start(2)
    numeral, after = text[start:end], text[end:]
    inside = [(a, b) for a, b in spans if a < end and b > start]
    first, last = (inside[0][0], inside[-1][1]) if inside else (m.start(), end)
    # the words the numeral may be part of: its tokens, and the token from the numeral on
    # (两岸关系 holds 两岸 `both shores`)
    words = {text[a:b] for a, b in inside} | {numeral}
    words |= {text[start:k] for k in range(end + 1, last + 1)}
    if numeral in ("一", "零", "〇"):
        return True  # 一 is mostly `a`; 零 a word's part (零件 parts) as often as zero
    if not regex.search(r"[零〇一二两三四五六七八九十几]", numeral):
        return True  # 千万 (by all means)
    if any(MONTH_OR_DAY.match(w) for w in words):
        return True
    if len(inside) == 1 and any(w in table and not NUMBER_MENTION.search(table[w]) for w in words):
        return True  # 十分 `very`, 万一 `just in case`
    if text[first : m.start()] not in ("", "百分之", "千分之"):
        return True  # inside a word: 统一 (unify), 唯一 (only)
    if ordinal:
        return False
    if run == "二":
        return True  # counts say 两: 二 alone is an ordinal or a name's (二奶奶, 王二)
    if run == "两" and not _measured(after):
        return True  # a pair: 两人 (the two), 两侧 (either side)
    if NAME_BEFORE.search(text[: m.start()]) and not _counted(after):
        return True  # a name: 王二, 罗小四
    if inside and inside[-1][1] > end and HAN.match(after[:1]) and not _counted(after):
        return True  # the numeral's word goes on: 三闷儿 (a name), 五官 (features)
    return len(run) == 1 and _in_idiom(text, start)


def numbers_zh(text: str, glosses: Mapping[str, str], tokens: list[str] | None = None) -> Numbers:
    """The numbers a Chinese text gives: 30亿 states 3e9, 百分之五 5, 三家 3, 三亿五千万
    3.5e8; 十四五 and 三十多 are approximations. Only implied: a lone 一 or 零, months and
    weekdays, a lone 二 (counts say 两: 二 is an ordinal or a name's, 二奶奶 王二), 两 naming
    a pair (两人, 两侧), numerals inside a word (统一 `unify`, 三闷儿, 五官 `features`), in
    names (罗小四), in idioms (七绕八拐) and in words CC-CEDICT glosses without a number (十分
    `very`, 万一 `just in case`: `glosses`, the lexicon's readable glosses). `tokens` are
    jieba's tokens of `text` (its matching form)."""
    text = matching_form(text)
    if tokens is None or not _spans(text, tokens):
        tokens = tokenise_zh(text)
    spans = _spans(text, tokens)
    stated: list[Quantity] = []
    implied: list[Quantity] = []
    vague = bool(ZH_VAGUE.search(text))
    for m in ZH_DIGITS_NUMBER.finditer(text):
        v = _value(m.group(1))
        value = _scaled(v, m.group(2)) if m.group(2) else v
        stated.append(Quantity(value, value))
        if m.group(2):
            implied.append(Quantity(v, v))
    if "双" in text or "俩" in text:
        implied.append(Quantity(2, 2))  # 双方 `the two sides`, 双边 `bilateral`
    taken = 0  # the end of the last number read: 一百多亿 is one
    for m in ZH_NUMERAL_RUN.finditer(text):
        if m.start() < taken or m.start() > 0 and text[m.start() - 1].isdigit():
            continue  # the scale of a number in digits: 30亿
        reading = zh_quantity(m.group(2), text[m.end() :])
        if reading is None:
            vague = vague or m.group(2) == "几"
            continue
        quantity, span = reading
        taken = m.start(2) + span
        (implied if _no_count(text, m, taken, spans, glosses) else stated).append(quantity)
    return Numbers(tuple(stated), tuple(implied), vague)
