"""Is a customer's message a life-threatening emergency? Chinese and English, plain and colloquial.

Used by the emergency input rail of every pack: on a match kefu replies at once with the local
emergency number and hands off urgently, whatever flow was active. A miss can cost a life and a false
alarm costs an agent a minute, so the detector leans to recall, but a benign medical question ("胸痛挂
什么科?", "what are the signs of a stroke?"), figurative speech ("笑死我了", "this price is killing me"),
shop talk ("跳楼价", "choking hazard"), a past event or a negation must not trigger it.

How it decides, with all data in ``patterns.yaml`` (each kind's patterns documented there):

1. The text is normalised: NFKC (full-width → half-width), lower case, a few traditional characters
   folded to simplified, curly quotes straightened, spaces between Chinese characters removed.
2. Curated regular expressions per kind and language find candidate phrases ("胸口剧痛", "can't
   breathe"). They describe events, not topics: "喝了农药", not "农药".
3. Each candidate is checked against its context:

   - ``safe`` phrases (figurative, product and slang uses: "令人窒息", "gave me a heart attack",
     "紫砂壶") overlapping the candidate drop it;
   - a ``negation`` just before it in the same clause ("我没有想自杀", "not suicidal") drops it;
   - ``informational`` (symptoms of, 挂什么科, 如果), ``past`` (去年, last year), ``topic``
     (insurance, 论文, a film), ``habitual`` (经常, every time) and ``mild`` (有点, a little; for pain,
     breathing and bleeding) cues in the same clause drop it, unless that clause is also ``urgent``
     (突然, 正在, right now, help me).

   A clause is the text between , . ! ? ; (and their full-width forms).

   For medical kinds the whole message is also checked for a ``narrative`` of an event already seen
   to (a diagnosis, a hospital stay, years of a known illness), which drops the candidate unless the
   message also has a ``present`` cue (现在还没醒, right now).
4. The first candidate that survives, in the order of the kinds in the YAML, is the answer.

Everything is compiled once, on first use; a message takes some tens of microseconds.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, cast

import yaml

Kind = Literal[
    "cardiac", "stroke", "bleeding", "poisoning", "self_harm", "violence", "breathing", "unconscious", "other"
]
Lang = Literal["zh", "en"]
KINDS: tuple[Kind, ...] = (
    "cardiac",
    "stroke",
    "bleeding",
    "poisoning",
    "self_harm",
    "violence",
    "breathing",
    "unconscious",
    "other",
)
LANGS: tuple[Lang, ...] = ("zh", "en")
CONTEXT_GUARDS = ("informational", "past", "topic", "habitual", "mild")

EMERGENCY = "emergency"  # the verdict of a candidate that stands…
URGENT = "urgent"  # …and of one that stands because its clause is urgent, despite a context cue


@dataclass(frozen=True)
class EmergencyMatch:
    kind: Kind
    lang: Lang  # the language of the pattern that matched (mixed messages: whichever matched first)
    evidence: str  # the matched phrase, as normalised


@dataclass(frozen=True)
class Candidate:
    """One phrase a pattern found, and what became of it: ``emergency``, ``urgent`` (an emergency despite
    a context cue) or the guard that dropped it."""

    kind: Kind
    lang: Lang
    evidence: str
    verdict: str


@dataclass(frozen=True)
class _Rules:
    patterns: tuple[tuple[Kind, Lang, re.Pattern[str]], ...]
    safe: re.Pattern[str]
    context: tuple[tuple[str, frozenset[str], re.Pattern[str]], ...]  # name, kinds it applies to, cues
    urgent: re.Pattern[str]
    narrative: re.Pattern[str]  # looked for in the whole message
    narrative_kinds: frozenset[str]
    present: re.Pattern[str]
    negation: re.Pattern[str]
    fold: dict[int, str]


# --- public ----------------------------------------------------------------------------------------


def detect_emergency(text: str) -> EmergencyMatch | None:
    """The first emergency the message signals, or ``None``."""
    for candidate in _candidates(text, first_only=True):
        return EmergencyMatch(candidate.kind, candidate.lang, candidate.evidence)
    return None


def explain_emergency(text: str) -> list[Candidate]:
    """Every candidate phrase in the message with its verdict: for tuning and for support staff."""
    return list(_candidates(text, first_only=False))


# --- matching --------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")
_CLAUSE_BREAK = re.compile(r"[,.!?;\n。]")  # after NFKC, full-width ，！？； are their ASCII forms


def _normalise(text: str, fold: dict[int, str]) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(fold).lower()
    return _SPACE_BETWEEN_HAN.sub("", _SPACES.sub(" ", folded).strip())


def _candidates(text: str, first_only: bool) -> list[Candidate]:
    rules = _rules()
    norm = _normalise(text, rules.fold)
    found: list[Candidate] = []
    if not norm:
        return found
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(norm)]
    safe = [(m.start(), m.end()) for m in rules.safe.finditer(norm)]
    for kind, lang, pattern in rules.patterns:
        for match in pattern.finditer(norm):
            if match.end() == match.start():
                continue
            verdict = _verdict(rules, norm, kind, match, breaks, safe)
            found.append(Candidate(kind, lang, match.group(0).strip(), verdict))
            if first_only and verdict in (EMERGENCY, URGENT):
                return found[-1:]
    return [] if first_only else found


def _verdict(
    rules: _Rules, text: str, kind: Kind, match: re.Match[str], breaks: list[int], safe: list[tuple[int, int]]
) -> str:
    start, end = match.span()
    if any(s < end and start < e for s, e in safe):
        return "safe"
    index = bisect.bisect_left(breaks, start)
    clause_start = breaks[index - 1] + 1 if index else 0
    after = bisect.bisect_left(breaks, end)
    clause_end = breaks[after] if after < len(breaks) else len(text)
    if rules.negation.search(text[clause_start:start]):
        return "negation"
    if kind in rules.narrative_kinds and rules.narrative.search(text) and not rules.present.search(text):
        return "narrative"
    clause = text[clause_start:clause_end].strip()
    for name, kinds, guard in rules.context:
        if kind in kinds and guard.search(clause):
            return URGENT if rules.urgent.search(clause) else name
    return EMERGENCY


# --- loading ---------------------------------------------------------------------------------------

_lock = threading.Lock()
_loaded: _Rules | None = None


def _rules() -> _Rules:
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                raw = resources.files("kefu.guard.emergency").joinpath("patterns.yaml").read_text("utf-8")
                _loaded = _compile(yaml.safe_load(raw))
    return _loaded


def _compile(data: dict[str, Any]) -> _Rules:
    macros: dict[str, str] = {name: str(value) for name, value in data["macros"].items()}

    def alternatives(block: str) -> list[str]:
        lines = [line.strip() for line in block.splitlines()]
        expanded = []
        for line in lines:
            if not line or line.startswith("#"):
                continue
            for name, value in macros.items():
                line = line.replace(f"%{name}%", value)
            expanded.append(unicodedata.normalize("NFKC", line))  # ，。 in patterns as NFKC makes them
        return expanded

    def compile_lang(block: str, lang: str, wrap: bool = True) -> str:
        alts = alternatives(block)
        if lang == "en" and wrap:  # letter boundaries: "kms" is not inside "skms", "od'd" not inside "good'd"
            alts = [rf"(?<![a-z0-9'])(?:{alt})(?![a-z0-9])" for alt in alts]
        return "|".join(f"(?:{alt})" for alt in alts)

    def both(section: dict[str, str], wrap: bool = True) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{compile_lang(section[lang], lang, wrap)})" for lang in LANGS))

    kinds: dict[str, dict[str, str]] = data["kinds"]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"emergency patterns.yaml: unknown kinds {sorted(unknown)}")
    patterns = tuple(
        (cast(Kind, kind), lang, re.compile(compile_lang(blocks[lang], lang)))
        for kind, blocks in kinds.items()
        for lang in LANGS
        if blocks.get(lang)
    )
    pairs = str(data["traditional"]).split()
    fold = {ord(pair[0]): pair[1] for pair in pairs if len(pair) == 2}
    fold.update({ord("’"): "'", ord("‘"): "'", ord("`"): "'"})
    context: dict[str, dict[str, Any]] = data["context"]
    return _Rules(
        patterns=patterns,
        safe=both(data["safe"]),
        context=tuple(
            (name, frozenset(context[name].get("kinds", KINDS)), both(context[name]))
            for name in CONTEXT_GUARDS
        ),
        urgent=both(context["urgent"]),
        narrative=both(data["narrative"]),
        narrative_kinds=frozenset(data["narrative"]["kinds"]),
        present=both(data["present"]),
        negation=both(data["negation"], wrap=False),  # "n't" follows a letter
        fold=fold,
    )
