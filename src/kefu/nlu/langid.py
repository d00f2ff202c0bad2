"""Language identification for zh / en / other. Works on 2–3 character Chinese such as "退货"."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\uac00-\ud7af]")
_IDENTIFIERS = re.compile(r"\S+@\S+|https?://\S+|#?\b[A-Za-z]*\d[A-Za-z0-9\-]*\b")
_OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f]")


def detect_language(text: str, default: str = "en") -> str:
    """``zh`` if Han characters carry the message, ``en`` for Latin text, ``other`` for other scripts.

    Mixed messages such as "我要退货 order #W123" are Chinese: ids and brand names are Latin in both.
    Order ids, emails, links and very short words ("ok") say nothing: they get ``default``.
    """
    text = _IDENTIFIERS.sub(" ", text)
    han = len(_HAN.findall(text))
    words = re.findall(r"[A-Za-z]+", text)
    if not han and len(words) == 1 and len(words[0]) <= 3:
        return default  # "ok", "yes", "no": not enough to switch the conversation's language
    latin_words = len(re.findall(r"[A-Za-z]{2,}", text))
    if _KANA_HANGUL.search(text) and han == 0:
        return "other"
    if han and han >= latin_words:
        return "zh"
    if han and latin_words > han:
        return "en" if han <= 1 else "zh"
    if _LATIN.search(text):
        return "en"
    if _OTHER_SCRIPT.search(text):
        return "other"
    return default
