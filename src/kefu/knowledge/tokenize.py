"""Search tokens for BM25: Chinese words (rjieba) plus Han character bigrams, English lower-case stems.

Chinese has no spaces, so a query word jieba segments differently from the document ("退货运费" vs
"退货 / 运费") would miss; the character bigrams of each Han run catch those. English words are
lower-cased, stop words dropped and lightly stemmed ("refunds", "refunded" → "refund").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import rjieba

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SPLIT = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")

_EN_STOPWORDS = """
a an the and or but if of to in on at by for with from into onto about as is are was were be been
being am do does did doing have has had having i me my mine we us our you your yours he him his she
her it its they them their this that these those there here what which who whom whose when where why
how can could would should will shall may might must not no nor so than then too very just also only
s t d ll m re ve im i'm it's don't doesn't didn't can't won't isn't aren't wasn't please hi hello
thanks thank any some all each every other such own same both few more most again further once up
down out off over under while during before after above below between through until because
"""
_ZH_STOPWORDS = """
的 了 吗 呢 吧 啊 呀 哦 嗯 是 在 和 与 及 或 我 你 您 他 她 它 我们 你们 他们 这 那 这个 那个 这些
那些 就 都 也 还 又 把 被 给 让 对 从 向 于 以 之 其 而 且 但 如果 因为 所以 一个 一下 有 没 没有 不 很
么 什么 怎么 怎么样 如何 请问 请 谢谢 你好 您好 麻烦 一些 可以 能 能否 会 要 想 需要 得 地 着 过
问 下 个 些 时候 现在 自己
"""
EN_STOPWORDS = frozenset(_EN_STOPWORDS.split())
ZH_STOPWORDS = frozenset(_ZH_STOPWORDS.split())
_SUFFIXES = (
    "ational",
    "ization",
    "fulness",
    "ousness",
    "iveness",
    "ments",
    "ment",
    "ings",
    "ing",
    "edly",
    "ies",
    "ied",
    "es",
    "ed",
    "ly",
    "s",
)


def stem(word: str) -> str:
    """A light English stemmer: enough to join plural/tense forms, never shorter than 3 letters."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
                return base + "e"
            if (
                suffix in ("ing", "ed", "ings")
                and len(base) > 3
                and base[-1] == base[-2]
                and base[-1] not in "lsz"
            ):
                return base[:-1]
            return base
    return word


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def han_tokens(run: str, bigrams: bool = True) -> list[str]:
    """Words of a run of Han characters, without single characters (mostly function words: 到, 在,
    出; with ``bigrams`` they live on inside the bigrams), unless the run is one character."""
    if len(run) == 1:
        return [] if run in ZH_STOPWORDS else [run]
    found = [w for w in rjieba.cut(run) if len(w) > 1 and w not in ZH_STOPWORDS]
    if bigrams:
        pairs = (run[i : i + 2] for i in range(len(run) - 1))
        found.extend(p for p in pairs if p not in ZH_STOPWORDS)
    return found


def words(text: str) -> list[str]:
    """Only the words of ``text`` (jieba words and English stems, no bigrams): for query coverage."""
    return tokens(text, bigrams=False)


def tokens(text: str, bigrams: bool = True) -> list[str]:
    """The BM25 tokens of ``text`` (any mix of Chinese and English)."""
    out: list[str] = []
    for part in _SPLIT.split(normalise(text)):
        if not part:
            continue
        if _HAN_RUN.fullmatch(part):
            out.extend(han_tokens(part, bigrams))
        else:
            out.extend(stem(w) for w in _WORD.findall(part) if w not in EN_STOPWORDS)
    return out


def token_lists(texts: Iterable[str], bigrams: bool = True) -> list[list[str]]:
    return [tokens(t, bigrams) for t in texts]


_FILLER = re.compile(
    r"(你好|您好|医生|大夫|请问一下|请问|谢谢[您你]?|麻烦[您你]?|帮忙|帮我|指导一下|解答一下|咨询一下|想问一下|"
    r"\bhi\b|\bhello\b|\bplease\b|\bthanks?( you)?\b)[，,。.!！]?",
    re.IGNORECASE,
)


def clean_query(text: str) -> str:
    """The question without greetings and politeness ("医生你好，请问…谢谢"): they carry no meaning
    for the encoder and pull questions towards each other."""
    cleaned = _FILLER.sub(" ", text).strip()
    return cleaned or text
