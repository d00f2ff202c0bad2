"""Numbers in Chinese and English: 三, 二十一, 一百零五, 一万二, 1.5万, 半, "twenty-one"; and quantities.

Text is folded character by character (NFKC, only where a character folds to exactly one character), so
every span reported here indexes the *original* text: "３件" folds to "3件" with the same length.

Quantities (``quantities``) need a measure word or unit: "三件", "2个", "两箱", "five items", "3 pcs",
"a dozen" (12, unit ``item``), "一打" (12, unit ``个``), "一个半" (1.5 个), "半箱" (0.5 箱). "块" counts as a
measure word only when a noun follows ("两块手表"); "两块" / "两块钱" are money (see ``kefu.nlu.money``).
"个" followed by a duration (个月, 个小时, 个星期) is a duration, not a quantity.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

_ZH_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_ZH_SMALL: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_ZH_BIG: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

ZH_DIGIT_CHARS = "".join(_ZH_DIGITS)
ZH_NUMERAL_CHARS = ZH_DIGIT_CHARS + "".join(_ZH_SMALL) + "".join(_ZH_BIG) + "廿卅"
#: A run of Chinese numerals, e.g. 二十一, 一百零五, 两千三.
ZH_NUMBER = f"[{ZH_NUMERAL_CHARS}]+"
#: Arabic digits with an optional Chinese scale: 3, 1.5万, 3千.
ARABIC_NUMBER = r"\d+(?:\.\d+)?(?:[十百千万亿]+)?"
#: Either of the above (no leading/trailing context checks).
NUMBER = f"(?:{ARABIC_NUMBER}|{ZH_NUMBER})"

_EN_SMALL: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SMALL_WORDS = "|".join(sorted(_EN_SMALL, key=len, reverse=True))
_TENS_WORDS = "|".join(_EN_TENS)
_EN_UNDER_100 = rf"(?:(?:{_TENS_WORDS})(?:[\s-](?:{_SMALL_WORDS}))?|(?:{_SMALL_WORDS}))"
#: English number words: "five", "twenty-one", "one hundred and five", "a hundred", "two thousand".
EN_NUMBER = (
    rf"\b(?:(?:{_EN_UNDER_100}|an?)\s(?:hundred|thousand)(?:\s(?:and\s)?{_EN_UNDER_100})?|{_EN_UNDER_100})\b"
)

_ARABIC_FULL = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_TOKEN = re.compile(r"\d+(?:\.\d+)?|.", re.DOTALL | re.ASCII)


def fold(text: str, lower: bool = False) -> str:
    """Width-fold (NFKC) and optionally lower-case each character, keeping the length: spans stay valid."""
    out: list[str] = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        if lower:
            folded = folded.lower()
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def parse_chinese_decimal(text: str) -> Decimal | None:
    """Like ``parse_chinese_number`` but exact: "1.1万" → Decimal("11000.0")."""
    s = fold(text).strip().replace("廿", "二十").replace("卅", "三十")
    if not s:
        return None
    if s in ("半", "一半"):
        return Decimal("0.5")
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    if _ARABIC_FULL.fullmatch(s):
        return Decimal(s)
    if "点" in s:
        head, _, tail = s.partition("点")
        match = re.fullmatch(rf"([{ZH_DIGIT_CHARS}\d]+)([万萬亿億]?)", tail)
        whole = _parse_integer(head)
        if match is None or whole is None or whole != whole.to_integral_value():
            return None
        frac = "".join(str(_ZH_DIGITS[c]) if c in _ZH_DIGITS else c for c in match.group(1))
        value = Decimal(f"{int(whole)}.{frac}")
        return value * _ZH_BIG[match.group(2)] if match.group(2) else value
    return _parse_integer(s)


def parse_chinese_number(text: str) -> float | None:
    """Chinese (or Arabic, or mixed) numerals to a number; None when ``text`` is not a number.

    "三" 3, "十五" 15, "一百零五" 105, "两千三百" 2300, "一万二" 12000 (abbreviated: the trailing digit
    counts in the next-lower unit), "3万" 30000, "1.5万" 15000, "半" 0.5, "三点五" 3.5, "３" 3,
    "二〇二六" 2026 (digit by digit), "壹佰" 100.
    """
    value = parse_chinese_decimal(text)
    return None if value is None else float(value)


def _parse_integer(s: str) -> Decimal | None:
    if not s:
        return None
    if len(s) > 1 and all(c in _ZH_DIGITS and c not in "两俩" for c in s):
        return Decimal("".join(str(_ZH_DIGITS[c]) for c in s))  # 二〇二六 → 2026
    total = Decimal(0)
    section = Decimal(0)
    digit: Decimal | None = None
    last_unit = 0  # the last unit (small or big) applied
    last_small = 10**5  # small units must decrease within a section
    largest_big = 0
    after_zero = False
    for token in _TOKEN.findall(s):
        if token[0].isdigit() or token in _ZH_DIGITS:
            if digit is not None:
                return None
            if token in ("零", "〇"):
                after_zero = True
                continue
            digit = Decimal(token) if token[0].isdigit() else Decimal(_ZH_DIGITS[token])
        elif token in _ZH_SMALL:
            unit = _ZH_SMALL[token]
            if unit >= last_small:
                return None
            if digit is None:
                if unit != 10 and (section or total):
                    return None
                digit = Decimal(1)
            section += digit * unit
            digit, last_unit, last_small, after_zero = None, unit, unit, False
        elif token in _ZH_BIG:
            unit = _ZH_BIG[token]
            section += digit if digit is not None else 0
            if section == 0 and not (total and unit > largest_big):
                return None
            if unit > largest_big:
                total = (total + section) * unit
                largest_big = unit
            else:
                total += section * unit
            section, digit, last_unit, last_small, after_zero = Decimal(0), None, unit, 10**5, False
        else:
            return None
    if digit is not None:
        if last_unit > 10 and not after_zero:
            digit *= last_unit // 10  # 一万二 → 12000, 两千三 → 2300
        section += digit
    elif last_unit == 0 and not after_zero:
        return None
    return total + section


def parse_english_number(text: str) -> float | None:
    """English number words or digits: "five" 5, "twenty-one" 21, "a hundred" 100, "half" 0.5."""
    words = re.split(r"[\s-]+", fold(text, lower=True).strip())
    if len(words) == 1 and _ARABIC_FULL.fullmatch(words[0]):
        return float(words[0])
    if words in (["half"], ["a", "half"]):
        return 0.5
    if words in (["a", "couple"], ["couple"]):
        return 2.0
    total = 0
    current = 0
    seen = False
    for index, word in enumerate(words):
        if word in _EN_SMALL:
            current += _EN_SMALL[word]
        elif word in _EN_TENS:
            current += _EN_TENS[word]
        elif word in ("a", "an") and index == 0:
            current = 1
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        elif word == "and" and seen:
            continue
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def parse_number(text: str) -> float | None:
    """Chinese, Arabic or English: whichever reads ``text`` as a whole."""
    value = parse_chinese_number(text)
    return value if value is not None else parse_english_number(text)


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    start: int
    end: int


_ZH_MEASURES = (
    "公斤|千克|毫升|厘米|件|个|箱|只|台|双|套|瓶|包|盒|袋|本|支|张|条|份|把|对|部|辆|杯|罐|桶|片|颗|粒|根|卷|"
    "斤|克|升|米|副|顶|枚|册|组|款|单|位|听|提|盆"
)
_DURATION_AFTER_GE = "月|小时|钟头|星期|礼拜|工作日|季度|周|多月|多小时"
_ZH_QUANTITY = re.compile(
    rf"(?<![第周期拜\da-z.#])(?P<num>{NUMBER})(?:(?P<unit>{_ZH_MEASURES})(?!半?(?:{_DURATION_AFTER_GE}))(?P<half>半)?"
    rf"|(?P<kuai>块)(?=[\u4e00-\u9fff])(?![钱毛角零一二两三四五六七八九半了吧啊呢嘛哦呀的左多])"
    rf"|(?P<dozen>打))",
    re.ASCII,
)
_ZH_HALF = re.compile(rf"(?<![{ZH_NUMERAL_CHARS}\d])半(?P<unit>箱|打|斤|瓶|盒|包|袋|杯|份|桶|罐)", re.ASCII)
_EN_UNITS: dict[str, str] = {
    "items": "item",
    "item": "item",
    "pieces": "piece",
    "piece": "piece",
    "pcs": "piece",
    "pc": "piece",
    "units": "unit",
    "unit": "unit",
    "boxes": "box",
    "box": "box",
    "packs": "pack",
    "pack": "pack",
    "packages": "package",
    "package": "package",
    "pairs": "pair",
    "pair": "pair",
    "sets": "set",
    "set": "set",
    "bottles": "bottle",
    "bottle": "bottle",
    "bags": "bag",
    "bag": "bag",
    "cases": "case",
    "cartons": "carton",
    "carton": "carton",
    "cans": "can",
    "kilograms": "kg",
    "kilogram": "kg",
    "kgs": "kg",
    "kg": "kg",
    "grams": "g",
    "gram": "g",
    "lbs": "lb",
    "lb": "lb",
    "copies": "copy",
    "copy": "copy",
}
_EN_UNIT_WORDS = "|".join(sorted(_EN_UNITS, key=len, reverse=True))
_EN_QUANTITY = re.compile(
    rf"(?<![\w.#$€£¥])(?P<num>\d+(?:\.\d+)?|{EN_NUMBER})\s*(?:x\s*)?(?P<unit>{_EN_UNIT_WORDS})\b(?!\s*[/:])",
    re.ASCII,
)
_EN_DOZEN = re.compile(rf"\b(?:(?P<half>half\s+a)|(?P<num>an?|\d+|{EN_NUMBER}))\s+dozens?\b", re.ASCII)


def quantities(text: str) -> list[Quantity]:
    """Counted quantities with their unit, in reading order (see the module docstring)."""
    folded = fold(text, lower=True)
    found: list[Quantity] = []
    for match in _ZH_QUANTITY.finditer(folded):
        value = parse_chinese_number(match.group("num"))
        if value is None:
            continue
        if match.group("dozen"):
            found.append(Quantity(value * 12, "个", match.start(), match.end()))
        elif match.group("kuai"):
            found.append(Quantity(value, "块", match.start(), match.end()))
        else:
            half = 0.5 if match.group("half") else 0.0
            found.append(Quantity(value + half, match.group("unit"), match.start(), match.end()))
    for match in _ZH_HALF.finditer(folded):
        unit = match.group("unit")
        value, unit = (6.0, "个") if unit == "打" else (0.5, unit)
        found.append(Quantity(value, unit, match.start(), match.end()))
    for match in _EN_QUANTITY.finditer(folded):
        value = parse_english_number(match.group("num"))
        if value is not None:
            found.append(Quantity(value, _EN_UNITS[match.group("unit")], match.start(), match.end()))
    for match in _EN_DOZEN.finditer(folded):
        value = 0.5 if match.group("half") else parse_english_number(match.group("num"))
        if value is not None:
            found.append(Quantity(value * 12, "item", match.start(), match.end()))
    return _without_overlaps(found)


def _without_overlaps(found: list[Quantity]) -> list[Quantity]:
    kept: list[Quantity] = []
    for item in sorted(found, key=lambda q: (q.start, q.start - q.end)):
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept
