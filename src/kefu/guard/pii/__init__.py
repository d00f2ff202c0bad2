"""PII detection and masking, zh and en, offline and without models.

``find_pii(text)`` returns disjoint typed spans; ``mask(text, lang=…, keep=…)`` replaces them by typed
placeholders in the message's language and drops card secrets. Kinds (``types.py``) and what checks them:

- ``CN_ID`` resident ID: 18 characters, GB/T 2260 province code, real birth date, GB 11643 check char.
- ``CARD``: 12-19 digits (solid, spaced, hyphenated), Luhn and a network's BIN range and length
  (Visa, Mastercard 51-55/2221-2720, Amex, UnionPay 62/81, JCB, Discover, Diners, Maestro, Chinese
  domestic 9xxx); not right after an order/tracking word. ``CARD_SECRET``: CVV/CVC/安全码 after its
  keyword, and an expiry (MM/YY, 有效期…) when a card is in the message: dropped, never kept.
- ``PHONE``: CN mobiles/landlines, NANP and +CC via ``kefu.nlu.phones``, plus grouped national formats
  with guards against dates, amounts, ranges, ZIP+4, years and tracking numbers.
- ``EMAIL``, ``IP`` (IPv4 octets, IPv6 via ``ipaddress``), ``IBAN`` (country length + mod-97),
  ``US_SSN`` (area/group/serial rules), ``PASSPORT`` (CN E/G + 8 digits, others after a keyword).
- ``PERSON`` and ``ADDRESS`` from context cues only (no NER model is available offline).

Placeholders: zh ``[手机号] [电话] [身份证号] [邮箱] [银行卡 ••••1234] [银行账号] [社保号] [IP地址]
[护照号] [姓名] [地址]``; en ``[PHONE] [ID NUMBER] [EMAIL] [CARD ••••1234] [IBAN] [SSN] [IP ADDRESS]
[PASSPORT] [NAME] [ADDRESS]``. A card keeps its last four digits only, never the BIN (see
``placeholders.py``). Presidio names: ``PRESIDIO_NAMES``; not detected: ORGANIZATION, GPE/LOCATION,
DATE_TIME, NRP, TITLE, AGE, DOMAIN_NAME/URL, ZIP_CODE, US_DRIVER_LICENSE, US_BANK_NUMBER, US_ITIN,
MEDICAL_LICENSE, CRYPTO and the other national IDs.
"""

from __future__ import annotations

from kefu.guard.pii.checksums import (
    card_brand,
    cn_id_check_char,
    cn_id_valid,
    iban_valid,
    luhn_valid,
    ssn_valid,
)
from kefu.guard.pii.detect import find_pii
from kefu.guard.pii.placeholders import Keep, guess_lang, mask, mask_json, placeholder
from kefu.guard.pii.types import KINDS, PRESIDIO_NAMES, PiiSpan

__all__ = [
    "KINDS",
    "PRESIDIO_NAMES",
    "Keep",
    "PiiSpan",
    "card_brand",
    "cn_id_check_char",
    "cn_id_valid",
    "find_pii",
    "guess_lang",
    "iban_valid",
    "luhn_valid",
    "mask",
    "mask_json",
    "placeholder",
    "ssn_valid",
]
