"""Bytes → text for uploaded files: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK, and
whatever charset-normalizer is sure of; anything else is refused with a clear message."""

from __future__ import annotations

import codecs
import re

from kefu.domain.errors import InvalidInput

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_PLAUSIBLE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\s!-~\u00a0-\u00ff]")


def _looks_chinese(text: str) -> bool:
    if not text:
        return False
    plausible = len(_PLAUSIBLE.findall(text))
    return plausible >= 0.97 * len(text) and _HAN.search(text) is not None


def decode_text(data: bytes, name: str = "file") -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[3:], "utf-8", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data, "utf-16", name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise InvalidInput(f"{name}: binary content, not text")
    try:
        text = data.decode("gb18030")
        if _looks_chinese(text):
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        raise InvalidInput(f"{name}: cannot tell the text encoding (use UTF-8 or GB18030)")
    return str(best)


def _checked(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{name}: invalid {encoding} text at byte {exc.start}") from exc
