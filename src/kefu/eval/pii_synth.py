"""Synthetic PII test sets in the Presidio-research format, made from our own sentence templates.

``english(n, seed)``: cards of every network, phones in many national formats, IBANs, SSNs, IPs, emails,
with order ids, dates, amounts and tracking numbers around them. ``chinese(n, seed)``: resident IDs with
valid check digits, mobiles, UnionPay cards in varied Chinese sentences, plus hard negatives (order ids,
amounts, dates, tracking numbers, product ids) recorded under ``negatives`` (not PII: must stay).
Values are random; the format is what counts. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import Any

from kefu.guard.pii.checksums import cn_id_check_char, luhn_valid

Record = dict[str, Any]

_PROVINCES = ["11", "31", "44", "51", "33", "32", "42", "61", "37", "50", "23", "65", "81"]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + _digits(rng, length - len(prefix) - 1)
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def card(rng: random.Random, network: str | None = None) -> str:
    networks = {
        "visa": (["4"], [16, 16, 13, 19]),
        "mastercard": (["51", "53", "55", "2221", "2720", "2300"], [16]),
        "amex": (["34", "37"], [15]),
        "discover": (["6011", "65", "644"], [16]),
        "jcb": (["3528", "3589", "2131", "1800"], [16]),
        "diners": (["300", "305", "36", "38"], [14]),
        "maestro": (["5018", "5020", "6304", "6759", "0604"], [12, 16, 19]),
        "unionpay": (["62", "622848", "621700", "625"], [16, 19]),
    }
    name = network or rng.choice(list(networks))
    prefixes, lengths = networks[name]
    prefix = rng.choice(prefixes)
    length = 15 if prefix in ("2131", "1800") else rng.choice(lengths)
    return luhn_complete(prefix, length, rng)


def format_card(number: str, rng: random.Random) -> str:
    style = rng.choice(["solid", "space", "dash"])
    if style == "solid":
        return number
    sep = " " if style == "space" else "-"
    if len(number) == 15 and number[:2] in ("34", "37"):
        return sep.join([number[:4], number[4:10], number[10:]])
    return sep.join(number[i : i + 4] for i in range(0, len(number), 4))


def cn_id(rng: random.Random) -> str:
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 80))
    body = rng.choice(_PROVINCES) + _digits(rng, 4) + born.strftime("%Y%m%d") + _digits(rng, 3)
    return body + cn_id_check_char(body)


def cn_mobile(rng: random.Random) -> str:
    number = "1" + rng.choice("3456789") + _digits(rng, 9)
    style = rng.randrange(6)
    if style == 0:
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    if style == 1:
        return f"{number[:3]}-{number[3:7]}-{number[7:]}"
    if style == 2:
        return "+86 " + number
    if style == 3:
        return "+86-" + f"{number[:3]}-{number[3:7]}-{number[7:]}"
    return number


def phone(rng: random.Random) -> str:
    formats = [
        "(###) ###-####", "###-###-####", "###.###.####", "+1-###-###-####", "001-###-###-####x###",
        "###-###-####x####", "+44 20 #### ####", "+44 7### ######", "+49 30 ########", "+33 # ## ## ## ##",
        "0# ## ## ## ##", "(0#) #### ####", "+61 # #### ####", "0## ### ## ##", "## ### ## ##",
        "(##) ###-###", "###-###-###", "+86 1## #### ####", "###.###.####x###", "+31 6 ########",
        "+91 ##### #####", "+81 3-####-####", "(###)###-####", "+7 ### ###-##-##",
        "+33 (0)# ## ## ## ##", "+49(0)#### #####", "(0####) ######", "+44(0)#### ### ###", "0### ### ###",
        "+46 (0)8 ### ### ##", "+36 30 ### ####", "## ## ## ##", "(0##) #######", "+31-(0)20-#######",
        "0#### ######", "+39 ### #######", "+55 (0##) ####-####", "##########", "+1##########",
    ]  # fmt: skip
    template = rng.choice(formats)
    out = []
    for i, ch in enumerate(template):
        if ch != "#":
            out.append(ch)
        else:
            first_of_group = i == 0 or template[i - 1] != "#"
            out.append(
                rng.choice("23456789") if first_of_group and out[-1:] != ["0"] else rng.choice("0123456789")
            )
    return "".join(out)


def iban(rng: random.Random) -> str:
    country, length = rng.choice([("DE", 22), ("GB", 22), ("FR", 27), ("NL", 18), ("ES", 24), ("IT", 27)])
    if country == "GB":
        bban = rng.choice(["NWBK", "BARC", "MIDL"]) + _digits(rng, 14)
    elif country == "NL":
        bban = rng.choice(["ABNA", "INGB", "RABO"]) + _digits(rng, 10)
    elif country == "IT":
        bban = rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + _digits(rng, 22)
    else:
        bban = _digits(rng, length - 4)
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    code = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    if rng.random() < 0.5:
        return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
    return code


def ssn(rng: random.Random) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    sep = rng.choice(["-", "-", " "])
    return f"{area:03d}{sep}{rng.randrange(1, 100):02d}{sep}{rng.randrange(1, 10000):04d}"


def ip(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return ".".join(str(rng.randrange(1, 255)) for _ in range(4))
    groups = [f"{rng.randrange(0, 65536):x}" for _ in range(8)]
    if rng.random() < 0.5:
        return ":".join(groups[:3]) + "::" + groups[7]
    return ":".join(groups)


def email(rng: random.Random) -> str:
    user = rng.choice(["li.wei", "jsmith", "maria_g", "k.tanaka88", "o'neil", "anna-lena", "zhang3"])
    user = user.replace("'", "") + (str(rng.randrange(100)) if rng.random() < 0.5 else "")
    return f"{user}@{rng.choice(['example.com', 'mail.co.uk', '163.com', 'qq.com', 'uni-bonn.de'])}"


_EN_VALUES = {
    "CREDIT_CARD": lambda r: format_card(card(r), r),
    "PHONE_NUMBER": phone,
    "IBAN_CODE": iban,
    "US_SSN": ssn,
    "IP_ADDRESS": ip,
    "EMAIL_ADDRESS": email,
}
_EN_TEMPLATES = [
    "Hi, please charge my card {CREDIT_CARD} for order #W{ORDER}.",
    "You can reach me on {PHONE_NUMBER} after {TIME} tomorrow.",
    "Refund the ${AMOUNT} to {IBAN_CODE} please, it was order #W{ORDER}",
    "My SSN is {US_SSN}; I was born on {DATE}.",
    "Login failed from {IP_ADDRESS} at {TIME} on {DATE}",
    "Send the invoice to {EMAIL_ADDRESS} — tracking {TRACKING} never arrived.",
    "{PHONE_NUMBER} is my cell, {EMAIL_ADDRESS} my mail",
    "The card ending in the number {CREDIT_CARD} was charged {AMOUNT} USD twice",
    "Wire {AMOUNT} EUR to IBAN {IBAN_CODE} by {DATE}.",
    "call me: {PHONE_NUMBER}",
    "I ordered {QTY} items (order #W{ORDER}) and paid with {CREDIT_CARD}",
    "Our server at {IP_ADDRESS} keeps timing out since {DATE}",
    "social security number {US_SSN} and phone {PHONE_NUMBER}",
    "Use {CREDIT_CARD}, not the old one. Total was ${AMOUNT}.",
    "Fax it to {PHONE_NUMBER} or email {EMAIL_ADDRESS}.",
    "Account holder IBAN: {IBAN_CODE}",
    "Package {TRACKING} shipped {DATE}, contact {PHONE_NUMBER}",
    "my ip is {IP_ADDRESS} if that helps",
    "Text {PHONE_NUMBER} when the {QTY} boxes arrive",
    "Is {EMAIL_ADDRESS} the address you have on file for me?",
    "The item {SKU} is out of stock, ping me at {PHONE_NUMBER}",
    "Ticket {TICKET} is still open. {PHONE_NUMBER} works best after {TIME}",
]
_ZH_VALUES = {
    "CN_ID": cn_id,
    "PHONE_NUMBER": cn_mobile,
    "CREDIT_CARD": lambda r: format_card(card(r, "unionpay"), r),
}
_ZH_TEMPLATES = [
    "我的身份证号是{CN_ID}，麻烦帮我查一下订单{ORDER_ZH}",
    "手机号{PHONE_NUMBER}，收货时请提前打电话",
    "退款请打到我的银行卡{CREDIT_CARD}，金额{AMOUNT_ZH}",
    "身份证：{CN_ID} 手机：{PHONE_NUMBER}",
    "{DATE_ZH}下的单，订单号{ORDER_ZH}，快递单号{TRACKING_ZH}，联系电话{PHONE_NUMBER}",
    "我用尾号不对的卡付了{AMOUNT_ZH}，正确的卡号是{CREDIT_CARD}",
    "实名认证用的身份证号码{CN_ID}，下单时间{DATE_ZH} {TIME}",
    "麻烦联系我{PHONE_NUMBER}，商品编号{SKU_ZH}，买了{QTY}件",
    "银行卡号 {CREDIT_CARD} 开户人是我本人",
    "您好，我的电话是{PHONE_NUMBER}，订单{ORDER_ZH}一共{AMOUNT_ZH}，{DATE_ZH}能到吗？",
    "快递{TRACKING_ZH}一直没更新，我的手机{PHONE_NUMBER}",
    "请核对：{CN_ID}",
    "卡号{CREDIT_CARD}，手机号{PHONE_NUMBER}，身份证{CN_ID}",
    "{AMOUNT_ZH}已经付了，用的是{CREDIT_CARD}这张卡",
    "我换号码了，新号码是{PHONE_NUMBER}，旧订单{ORDER_ZH}的发票{DATE_ZH}开",
]


def _negative(kind: str, rng: random.Random) -> str:
    if kind in ("ORDER",):
        return _digits(rng, 7)
    if kind == "ORDER_ZH":
        return rng.choice(
            [f"#W{_digits(rng, 7)}", f"W{_digits(rng, 7)}", "2" + _digits(rng, 18), "1" + _digits(rng, 17)]
        )
    if kind == "TIME":
        return f"{rng.randrange(0, 24):02d}:{rng.randrange(0, 60):02d}"
    if kind == "DATE":
        d = date(2020, 1, 1) + timedelta(days=rng.randrange(2000))
        return rng.choice(
            [d.isoformat(), d.strftime("%m/%d/%Y"), d.strftime("%d.%m.%Y"), d.strftime("%B %d, %Y")]
        )
    if kind == "DATE_ZH":
        d = date(2020, 1, 1) + timedelta(days=rng.randrange(2000))
        return rng.choice(
            [
                f"{d.year}年{d.month}月{d.day}日",
                d.isoformat(),
                d.strftime("%Y/%m/%d"),
                f"{d.month}月{d.day}号",
            ]
        )
    if kind == "AMOUNT":
        return rng.choice(
            [
                f"{rng.randrange(1, 9999)}.{rng.randrange(100):02d}",
                f"{rng.randrange(1, 99)},{rng.randrange(1000):03d}.00",
            ]
        )
    if kind == "AMOUNT_ZH":
        return rng.choice(
            [
                f"¥{rng.randrange(1, 99)},{rng.randrange(1000):03d}.00",
                f"{rng.randrange(10, 99999)}元",
                f"{rng.randrange(1, 9999)}.{rng.randrange(100):02d}元",
            ]
        )
    if kind == "TRACKING":
        return rng.choice(
            [
                f"1Z{_digits(rng, 3)}AA{_digits(rng, 10)}",
                _digits(rng, 12),
                f"{_digits(rng, 4)} {_digits(rng, 4)} {_digits(rng, 4)}",
            ]
        )
    if kind == "TRACKING_ZH":
        return rng.choice(
            [
                f"SF{_digits(rng, 13)}",
                f"YT{_digits(rng, 13)}",
                "7" + _digits(rng, 13),
                "4" + _digits(rng, 14),
                _digits(rng, 12),
            ]
        )
    if kind == "SKU":
        return _digits(rng, 10)
    if kind == "TICKET":
        return "#" + _digits(rng, 10)
    if kind == "SKU_ZH":
        return _digits(rng, rng.choice([10, 12]))
    if kind == "QTY":
        return str(rng.randrange(1, 20))
    raise KeyError(kind)


def _fill(template: str, values: dict[str, Any], rng: random.Random) -> Record:
    text: list[str] = []
    spans: list[Record] = []
    negatives: list[Record] = []
    last = 0
    position = 0
    for m in re.finditer(r"\{(\w+)\}", template):
        literal = template[last : m.start()]
        text.append(literal)
        position += len(literal)
        kind = m.group(1)
        value = values[kind](rng) if kind in values else _negative(kind, rng)
        record = {
            "entity_type": "CN_RESIDENT_ID" if kind == "CN_ID" else kind,  # as ``PRESIDIO_NAMES`` says
            "entity_value": value,
            "start_position": position,
            "end_position": position + len(value),
        }
        (spans if kind in values else negatives).append(record)
        text.append(value)
        position += len(value)
        last = m.end()
    text.append(template[last:])
    return {"full_text": "".join(text), "spans": spans, "negatives": negatives}


def english(n: int = 2000, seed: int = 7) -> list[Record]:
    rng = random.Random(seed)
    return [_fill(rng.choice(_EN_TEMPLATES), _EN_VALUES, rng) for _ in range(n)]


def chinese(n: int = 2000, seed: int = 11) -> list[Record]:
    rng = random.Random(seed)
    return [_fill(rng.choice(_ZH_TEMPLATES), _ZH_VALUES, rng) for _ in range(n)]
