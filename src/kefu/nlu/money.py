"""Money amounts in Chinese and English, with an ISO 4217 currency: "$25", "USD 1,234.50", "两百块", "五毛".

Rules for the ambiguous cases:

* "¥" / "￥" is CNY unless the same expression says Japanese: "¥200円", "¥200 yen", "JPY ¥200", "¥200日元".
  A bare "円", "yen", "日元" or "日币" is JPY.
* "$" and "dollars"/"bucks" are USD unless qualified: "HK$", "100 HKD", "50 Hong Kong dollars", "C$", "A$",
  "S$", "NT$", "NZ$", "Canadian dollars".
* "块" is money unless a noun follows it ("两块手表" is two watches, "两块钱" / "两块" / "两块五" are money);
  "一块五" is 1.5 and "三毛五" is 0.35; "分" is money only after 毛/角 or as "分钱" ("3点15分" is a time).
* "pounds" is GBP unless it is a weight: "5 pounds of rice", "weighs 5 pounds".
* A number needs a currency marker: "25", "#W1234567", "13812345678", "12月3日" and "3件" are not money.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kefu.nlu.numbers import EN_NUMBER, ZH_NUMERAL_CHARS, fold, parse_chinese_decimal, parse_english_number


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str
    start: int
    end: int


_SYMBOLS: dict[str, str] = {
    "us$": "USD",
    "hk$": "HKD",
    "nt$": "TWD",
    "nz$": "NZD",
    "ca$": "CAD",
    "c$": "CAD",
    "au$": "AUD",
    "a$": "AUD",
    "s$": "SGD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "CNY",
    "₩": "KRW",
    "₹": "INR",
}
_CODES = "USD|CNY|RMB|HKD|EUR|GBP|JPY|CAD|AUD|SGD|TWD|NTD|KRW|CHF|INR|NZD|MOP"
_CODE_ALIASES = {"rmb": "CNY", "ntd": "TWD"}
_ZH_NAMES: dict[str, str] = {
    "人民币": "CNY",
    "港币": "HKD",
    "港元": "HKD",
    "港币元": "HKD",
    "美元": "USD",
    "美金": "USD",
    "欧元": "EUR",
    "英镑": "GBP",
    "日元": "JPY",
    "日币": "JPY",
    "円": "JPY",
    "韩元": "KRW",
    "韩币": "KRW",
    "澳元": "AUD",
    "澳币": "AUD",
    "加元": "CAD",
    "加币": "CAD",
    "新台币": "TWD",
    "台币": "TWD",
    "新加坡元": "SGD",
    "新币": "SGD",
    "澳门币": "MOP",
}
_ZH_NAME_WORDS = "|".join(sorted(_ZH_NAMES, key=len, reverse=True))
_EN_WORDS: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "won": "KRW",
    "rupees": "INR",
}
_EN_WORD_ALTS = "|".join(sorted(_EN_WORDS, key=len, reverse=True))
_DOLLAR_QUALIFIERS: dict[str, str] = {
    "us": "USD",
    "u.s.": "USD",
    "american": "USD",
    "hong kong": "HKD",
    "hk": "HKD",
    "canadian": "CAD",
    "australian": "AUD",
    "singapore": "SGD",
    "new zealand": "NZD",
    "taiwan": "TWD",
    "new taiwan": "TWD",
}
_QUALIFIER_ALTS = "|".join(re.escape(q) for q in sorted(_DOLLAR_QUALIFIERS, key=len, reverse=True))

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s?(?P<scale>k|thousand|million|billion|万|千|百万|亿)(?![a-z]))?"
_ZH_AMOUNT = rf"[{ZH_NUMERAL_CHARS}]+|(?:\d+(?:\.\d+)?)[十百千万亿]*"
_NOT_BEFORE = r"(?<![a-z0-9.,#/\-:])"
_ZH_NOT_BEFORE = rf"(?<![a-z0-9.,#/\-:周期拜第{ZH_NUMERAL_CHARS}])"
_ZH_DIGIT = "[零一二两三四五六七八九]|[0-9]"

_SYMBOL_FIRST = re.compile(
    rf"(?:(?<![a-z])(?P<code>{_CODES})\s?)?(?P<sym>us\$|hk\$|nt\$|nz\$|ca\$|c\$|au\$|a\$|s\$|\$|€|£|¥|₩|₹)\s?"
    rf"(?P<amt>{_ARABIC}){_SCALE}(?:\s?(?P<jp>円|yen|日元|jpy)(?![a-z])|\s?(?P<tail>{_CODES})\b|\s?元)?(?![\d%])",
    re.IGNORECASE | re.ASCII,
)
_CODE_FIRST = re.compile(
    rf"(?<![a-z])(?P<code>{_CODES})\s?(?P<amt>{_ARABIC}|[{ZH_NUMERAL_CHARS}]+){_SCALE}(?:\s?元)?(?![\d%])",
    re.IGNORECASE | re.ASCII,
)
_ZH_NAME_FIRST = re.compile(
    rf"(?P<name>{_ZH_NAME_WORDS})\s?(?P<amt>{_ARABIC}|{_ZH_AMOUNT}){_SCALE}(?:\s?(?:元|块钱|块|圆))?(?![\d%])",
    re.ASCII,
)
_AMOUNT_THEN_CODE = re.compile(
    rf"{_NOT_BEFORE}(?P<amt>{_ARABIC}){_SCALE}\s?(?P<code>{_CODES})(?![a-z])", re.IGNORECASE | re.ASCII
)
_AMOUNT_THEN_WORD = re.compile(
    rf"{_NOT_BEFORE}(?P<amt>{_ARABIC}|{EN_NUMBER}|an?){_SCALE}\s"
    rf"(?:(?P<qual>{_QUALIFIER_ALTS})\s)?(?P<word>{_EN_WORD_ALTS})\b"
    rf"(?:\s(?:and\s)?(?P<cents>\d{{1,2}})\s?cents?\b)?",
    re.IGNORECASE | re.ASCII,
)
_CENTS = re.compile(rf"{_NOT_BEFORE}(?P<amt>\d{{1,2}}|{EN_NUMBER})\s?cents?\b", re.IGNORECASE | re.ASCII)
_AMOUNT_THEN_ZH_NAME = re.compile(
    rf"{_ZH_NOT_BEFORE}(?P<amt>{_ARABIC}|{_ZH_AMOUNT})\s?(?P<name>{_ZH_NAME_WORDS})", re.ASCII
)
_YUAN = re.compile(
    rf"{_ZH_NOT_BEFORE}(?P<amt>{_ARABIC}|{_ZH_AMOUNT})\s?(?P<unit>元(?!旦|宵|素|首|老|件|气)|圆|块钱|块)"
    rf"(?:(?P<jiao>{_ZH_DIGIT})(?:[毛角](?:(?P<fen>{_ZH_DIGIT})分?)?)?(?!\d))?(?P<qian>钱)?",
    re.ASCII,
)
_JIAO = re.compile(
    rf"{_ZH_NOT_BEFORE}(?P<jiao>{_ZH_DIGIT}|半)\s?[毛角](?![衣巾绒毯笔病发孔线料皮重])"
    rf"(?:(?P<fen>{_ZH_DIGIT})分?)?(?!\d)(?P<qian>钱)?",
    re.ASCII,
)
_FEN = re.compile(rf"{_ZH_NOT_BEFORE}(?P<fen>{_ZH_DIGIT})分钱", re.ASCII)
_KUAI_PARTICLES = "钱了吧啊呢嘛哦呀的左多"
_WEIGHT_AFTER = re.compile(r"\s+of\b|\s*(?:in weight|heavy)\b", re.IGNORECASE | re.ASCII)
_WEIGHT_BEFORE = re.compile(r"weigh\w*\s+(?:about\s+|around\s+)?$", re.IGNORECASE | re.ASCII)


def money_amounts(text: str) -> list[Money]:
    """Every money amount in reading order, longest match first where two overlap."""
    folded = fold(text, lower=True)
    found: list[Money] = []
    for match in _SYMBOL_FIRST.finditer(folded):
        currency = _SYMBOLS[match.group("sym")]
        if match.group("code"):
            currency = _code(match.group("code"))
        if match.group("tail"):
            currency = _code(match.group("tail"))
        if match.group("jp"):
            currency = "JPY"
        _add(found, match, _arabic(match.group("amt"), match.group("scale")), currency)
    for match in _CODE_FIRST.finditer(folded):
        _add(found, match, _any_amount(match.group("amt"), match.group("scale")), _code(match.group("code")))
    for match in _ZH_NAME_FIRST.finditer(folded):
        amount = _any_amount(match.group("amt"), match.group("scale"))
        _add(found, match, amount, _ZH_NAMES[match.group("name")])
    for match in _AMOUNT_THEN_CODE.finditer(folded):
        _add(found, match, _arabic(match.group("amt"), match.group("scale")), _code(match.group("code")))
    for match in _AMOUNT_THEN_WORD.finditer(folded):
        word = match.group("word")
        if word.startswith("pound") and (
            _WEIGHT_AFTER.match(folded, match.end()) or _WEIGHT_BEFORE.search(folded, 0, match.start())
        ):
            continue
        currency = _EN_WORDS[word]
        if match.group("qual") and word.startswith("dollar"):
            currency = _DOLLAR_QUALIFIERS[match.group("qual")]
        amount = _any_amount(match.group("amt"), match.group("scale"))
        if amount is not None and match.group("cents"):
            amount += Decimal(match.group("cents")) / 100
        _add(found, match, amount, currency)
    for match in _CENTS.finditer(folded):
        amount = _any_amount(match.group("amt"), None)
        _add(found, match, None if amount is None else amount / 100, "USD")
    for match in _AMOUNT_THEN_ZH_NAME.finditer(folded):
        _add(found, match, _any_amount(match.group("amt"), None), _ZH_NAMES[match.group("name")])
    for match in _YUAN.finditer(folded):
        ends_on_kuai = match.group("unit") == "块" and not match.group("jiao") and not match.group("qian")
        following = folded[match.end() : match.end() + 1]
        if ends_on_kuai and "\u4e00" <= following <= "\u9fff" and following not in _KUAI_PARTICLES:
            continue  # 两块手表: 块 is a measure word here
        amount = _any_amount(match.group("amt"), None)
        if amount is not None:
            amount += _digit(match.group("jiao")) / 10 + _digit(match.group("fen")) / 100
        _add(found, match, amount, "CNY")
    for match in _JIAO.finditer(folded):
        amount = _digit(match.group("jiao")) / 10 + _digit(match.group("fen")) / 100
        _add(found, match, amount, "CNY")
    for match in _FEN.finditer(folded):
        _add(found, match, _digit(match.group("fen")) / 100, "CNY")
    kept: list[Money] = []
    for money in sorted(found, key=lambda m: (m.start, m.start - m.end)):
        if not kept or money.start >= kept[-1].end:
            kept.append(money)
    return kept


def _add(found: list[Money], match: re.Match[str], amount: Decimal | None, currency: str) -> None:
    if amount is not None:
        found.append(Money(amount, currency, match.start(), match.end()))


def _code(code: str) -> str:
    lowered = code.lower()
    return _CODE_ALIASES.get(lowered, lowered.upper())


_SCALES: dict[str, int] = {
    "k": 1000,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "万": 10**4,
    "千": 1000,
    "百万": 10**6,
    "亿": 10**8,
}


def _arabic(amount: str, scale: str | None) -> Decimal:
    return _scaled(Decimal(amount.replace(",", "")), scale)


def _scaled(value: Decimal, scale: str | None) -> Decimal:
    value = value * _SCALES[scale] if scale else value
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _any_amount(amount: str, scale: str | None) -> Decimal | None:
    if re.fullmatch(_ARABIC, amount):
        return _arabic(amount, scale)
    value = parse_chinese_decimal(amount)
    if value is None:
        english = parse_english_number(amount)
        value = None if english is None else Decimal(str(english))
    return None if value is None else _scaled(value, scale)


def _digit(text: str | None) -> Decimal:
    if not text:
        return Decimal(0)
    if text == "半":
        return Decimal(5)
    value = parse_chinese_decimal(text)
    return Decimal(0) if value is None else value
