"""Numbers in text: Chinese numerals, English number words, digits with scales and roman
numerals, read in one place.

Three readers of one text may want different numbers, and each asks for its own here:

- the aligner matches words: `numbers_in_chinese` gives the numerals of a Chinese
  sentence as digit strings (a lone 一 left out, 亿 not read), `roman_number` Track II's
  II to X (the pronoun I left alone);
- the checker compares the numbers a pair states: `numbers_zh` and `numbers_en` give the
  numbers stated and those only implied, `zh_numeral` reads 亿 and fractions as values;
- the term extractor reads I to VI (`roman_value(token, highest=6)`), counts by
  `COUNT_WORDS` and numerals of one to ten by `ZH_ONE_TO_TEN`.
"""

from __future__ import annotations

import regex

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

# `one` is left out: mostly "a", it only implies a number (see WEAK_WORDS)
NUMBER_WORDS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
          "trillion": 10**12}  # fmt: skip
# words that may render a number without naming it: they match but do not demand a match
# (ordinals too: `Second,` often renders 其次, not 第二); roman numerals of two letters or
# more are read with them (see `numbers_en`)
WEAK_WORDS = {
    "one": 1, "first": 1, "a": 1, "an": 1, "once": 1, "single": 1, "both": 2, "twice": 2,
    "double": 2, "pair": 2, "bilateral": 2, "dual": 2, "twin": 2, "half": 0.5, "dozen": 12,
    "dozens": 12, "decade": 10, "decades": 10, "century": 100, "centuries": 100,
    "hundreds": 100, "thousands": 1000, "millions": 10**6, "billions": 10**9, "triple": 3,
    "trilateral": 3, "tripartite": 3, "quarter": 4, "second": 2, "third": 3, "fourth": 4,
    "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "eleventh": 11, "twelfth": 12, "twentieth": 20, "thirtieth": 30, "fiftieth": 50,
    "hundredth": 100, "thousandth": 1000, "january": 1, "february": 2, "march": 3,
    "april": 4, "may": 5, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10,
    "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12, "monday": 1,
    "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
}  # fmt: skip
# the number words the term extractor takes for counts (`two heads of state` counts heads
# of state): a shorter list than NUMBER_WORDS and SCALES
COUNT_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve twenty "
    "thirty hundred thousand million billion dozen".split()
)
NUMBER_NAMES = {v: w for w, v in NUMBER_WORDS.items()} | {1: "one"}
# 一 to 十 as the term extractor matches them: as digits and as English words (二轨 -> 2, two)
ZH_ONE_TO_TEN = {c: (str(v), NUMBER_NAMES[v]) for c, v in ZH_DIGITS.items() if 1 <= v <= 10}

# ---------------------------------------------------------------- numbers a text states

EN_NUMBER = regex.compile(
    r"(?<![\p{Latin}0-9.,]|\p{Latin}-)([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)"
    r"(?:\s*-?\s*(hundred|thousand|million|billion|trillion)s?\b)?",
)
EN_WORD = regex.compile(r"[\p{L}]+")
ZH_DIGITS_NUMBER = regex.compile(
    r"(?<![\p{Latin}0-9.,]|\p{Latin}-)([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)\s*([万亿千百]*)"
)
ZH_NUMERAL = regex.compile(f"第?([{NUMERAL_CHARS}亿]+(?:点[{FRACTION_CHARS}]+)?)")
MONTH_OR_DAY = regex.compile(r"^(?:[一二三四五六七八九十]+月|(?:星期|礼拜|周)[一二三四五六日天])$")
NUMBER_MENTION = regex.compile(
    r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|"
    r"(?:twen|thir|for|fif|six|seven|eigh|nine)ty|hundred|thousand|million|billion|"
    r"first|second|third|(?:four|fif|six|seven|eigh|nin|ten)th|\d)",
    regex.I,
)


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _scaled(value: float, scales: str) -> float:
    for c in scales:
        value *= ZH_SCALES.get(c, 1)
    return value


def numbers_en(text: str) -> tuple[set[float], set[float]]:
    """(numbers the English states, numbers it may only imply): `3.5 billion` -> 3.5e9,
    `five` -> 5, `both` -> 2 (implied). Digits inside names (G20, COVID-19) are left to the
    Latin-token check."""
    strong: set[float] = set()
    weak: set[float] = set()
    for m in EN_NUMBER.finditer(text):
        v = _value(m.group(1))
        if m.group(2):
            strong.add(v * SCALES[m.group(2).lower()])
            weak.add(v)
        else:
            strong.add(v)
    taken = [m.span() for m in EN_NUMBER.finditer(text) if m.group(2)]
    words = [w for w in EN_WORD.finditer(text) if not any(a <= w.start() < b for a, b in taken)]
    i = 0
    while i < len(words):
        w = words[i].group(0).lower()
        if w in NUMBER_WORDS or w in SCALES:
            # a run of number words joined by spaces, hyphens or `and`: twenty-five,
            # two thousand and nineteen
            value, current, j, end = 0, 0, i, i
            while j < len(words):
                x = words[j].group(0).lower()
                if j > i and text[words[j - 1].end() : words[j].start()].strip(" -"):
                    break
                if x == "and" and j > i and words[j - 1].group(0).lower() in SCALES:
                    j += 1
                    continue
                if x in NUMBER_WORDS:
                    current += NUMBER_WORDS[x]
                elif x in SCALES:
                    current = (current or 1) * SCALES[x]
                    if SCALES[x] >= 1000:
                        value, current = value + current, 0
                else:
                    break
                j += 1
                end = j
            if value + current:
                strong.add(value + current)
            i = end
            continue
        if w in WEAK_WORDS:
            weak.add(WEAK_WORDS[w])
        elif len(w) > 1 and (roman := roman_value(w, any_case=True)):
            weak.add(roman)  # ii to ix: I, V and X alone are letters as often as numbers
        i += 1
    return strong, weak


def _spans(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for tok in tokens:
        start = text.find(tok, pos)
        if start < 0:
            return []
        out.append((start, start + len(tok)))
        pos = start + len(tok)
    return out


def numbers_zh(text: str, tokens: list[str] | None = None) -> tuple[set[float], set[float]]:
    """(numbers the Chinese states, numbers it may only imply): 30亿 -> 3e9, 百分之五 -> 5,
    三家 -> 3, 三亿五千万 -> 3.5e8. A lone 一, months and weekdays, numerals inside a word
    (统一 `unify`) and in words CC-CEDICT glosses without a number (十分 `very`, 万一 `just
    in case`) are only implied. `tokens` are jieba's tokens of `text` (its matching form)."""
    # the lexicon reads numerals with this module: its glosses are asked for here, late
    from .lexicon import readable_glosses
    from .normalise import matching_form
    from .tokenise import tokenise_zh

    text = matching_form(text)
    if tokens is None or not _spans(text, tokens):
        tokens = tokenise_zh(text)
    spans = _spans(text, tokens)
    strong: set[float] = set()
    weak: set[float] = set()
    for m in ZH_DIGITS_NUMBER.finditer(text):
        v = _value(m.group(1))
        strong.add(_scaled(v, m.group(2)) if m.group(2) else v)
        if m.group(2):
            weak.add(v)
    if "双" in text or "俩" in text:
        weak.add(2)  # 双方 `the two sides`, 双边 `bilateral`
    table = readable_glosses()
    for m in ZH_NUMERAL.finditer(text):
        run = m.group(1)
        value = zh_numeral(run)
        if value is None:
            continue
        if m.start() > 0 and text[m.start() - 1].isdigit():
            continue  # the scale of a number in digits: 30亿
        inside = [(a, b) for a, b in spans if a < m.end(1) and b > m.start(1)]
        first, last = (inside[0][0], inside[-1][1]) if inside else (m.start(), m.end())
        # the words the numeral may be part of: its tokens, and the token from the numeral
        # on (两岸关系 holds 两岸 `both shores`)
        words = {text[a:b] for a, b in inside} | {run}
        words |= {text[m.start(1) : k] for k in range(m.end(1) + 1, last + 1)}
        prefix = text[first : m.start()]
        if (
            run == "一"
            or not regex.search(r"[零〇一二两三四五六七八九十]", run)  # 千万 (by all means)
            or any(MONTH_OR_DAY.match(w) for w in words)
            or len(inside) == 1
            and any(w in table and not NUMBER_MENTION.search(table[w]) for w in words)
            or prefix not in ("", "百分之", "千分之")  # 统一 (unify), 唯一 (only)
        ):
            weak.add(value)
        else:
            strong.add(value)
    return strong, weak
