"""Confirmation replies: yes / no / neither, in Chinese and English."""

from __future__ import annotations

import re

from kefu.nlu.normalise import normalise

_YES_EN = re.compile(
    r"^(y|yes|yeah|yep|yup|sure|ok|okay|confirm(ed)?|correct|right|go ahead|please do|do it|that's right|"
    r"absolutely|of course|proceed)\b"
)
_NO_EN = re.compile(r"^(n|no|nope|nah|don't|do not|cancel that|stop|never ?mind|wait|not now|wrong)\b")
_YES_ZH = (
    "是的",
    "是",
    "对",
    "对的",
    "好",
    "好的",
    "确认",
    "可以",
    "行",
    "没问题",
    "确定",
    "嗯",
    "要的",
    "同意",
)
_NO_ZH = ("不", "不是", "不要", "不用", "算了", "取消", "别", "错了", "不对", "等等", "先不")


# Phrases that begin like an answer but are not one ("对不起" starts with 对), or flip it ("不错").
_NOT_ANSWERS_ZH = (
    "对不起",
    "不好意思",
    "不客气",
    "好像",
    "好久",
    "是不是",
    "是否",
    "可以吗",
    "行吗",
    "对吗",
    "好吗",
    "确定吗",
    "不知道",
    "不明白",
    "不懂",
    "不清楚",
)
_YES_DESPITE_NO_ZH = ("不错", "没错", "不是问题", "不反对")
_QUESTION = re.compile(r"(吗|呢|么|\?|？)$")


def yes_or_no(text: str) -> str | None:
    """``"yes"``, ``"no"`` or ``None`` when the message is not a confirmation answer.

    Questions back ("可以吗？", "is it?") and apologies are not answers.
    """
    t = normalise(text).strip(" .!！。~～")
    if not t:
        return None
    chinese_question = bool(_QUESTION.search(t) and re.search(r"[\u4e00-\u9fff]", t))
    if any(t.startswith(p) for p in _NOT_ANSWERS_ZH) or chinese_question:
        return None
    if any(t.startswith(p) for p in _YES_DESPITE_NO_ZH):
        return "yes"
    if _NO_EN.match(t):
        return "no"
    if _YES_EN.match(t):
        return "yes"
    for word in _NO_ZH:
        if t.startswith(word):
            return "no"
    for word in _YES_ZH:
        if t.startswith(word):
            return "yes"
    return None
