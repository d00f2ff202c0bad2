"""The injection patterns: normalising a text into the readings patterns run on, and matching the
documented patterns of ``patterns.yaml`` (each kind documented there) against them.

The text is normalised (width, case, zero-width characters, Cyrillic look-alikes, traditional
characters, spaced-out letters, separators between Chinese characters) and, where a token mixes letters
and digits or symbols, also read with leetspeak undone; the first kind whose patterns match names the
verdict.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import partial
from importlib import resources
from typing import Any

import yaml

from kefu.guard.injection.types import PASSAGE_KINDS, InjectionVerdict, Kind

_SEPARATOR = r"[\W_]*"  # what a space in an English pattern stands for
_INVISIBLE: dict[int, int | None] = dict.fromkeys(
    [
        0x00AD,
        0x034F,
        0x061C,
        0x180E,
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        0xFEFF,
    ]
)  # soft hyphen, zero-width and direction marks: invisible, so they can hide inside words
_LOOKALIKE = str.maketrans("аеорсухіјѕԁɡ", "aeopcyxijsdg")  # Cyrillic and IPA letters that look Latin
_LEET_I = str.maketrans("013457@$", "oieastas")
_LEET_L = str.maketrans("013457@$", "oleastas")
_LEET_TOKEN = re.compile(r"[a-z0-9@$]*[a-z][a-z0-9@$]*")
_HAS_LEET = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")
_SPACED = re.compile(r"(?<![a-z])[a-z](?:[ .\-_*·/\\|,~+]{1,3}[a-z](?![a-z])){3,}")
_SPACED_GAP = re.compile(r"[ .\-_*·/\\|,~+]")
_IN_WORD = re.compile(r"(?<=[a-z])[.\-_*·~+]+(?=[a-z])")  # "ig-nore", "in.struc.tions"
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[^\w{_CJK}]+(?=[{_CJK}])|(?<=[{_CJK}])_+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")
_RUNS = re.compile(r"[\W_]{4,}")  # long runs of separators ("| | | |", "-----") read as one space
_CURLY = str.maketrans("‘’‛`´“”", "'''''\"\"")


def normalise_for_injection(text: str) -> list[str]:
    """The readings of ``text`` that patterns run on: the normalised text, then (only when it differs)
    the same with leetspeak undone, reading a ``1`` as ``i`` and as ``l``."""
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).lower()
    folded = folded.translate(_LOOKALIKE).translate(_CURLY).translate(_rules().fold)
    folded = _RUNS.sub(" ", _SPACES.sub(" ", folded)).strip()
    folded = _SPACED.sub(lambda m: _SPACED_GAP.sub("", m.group(0)), folded)
    folded = _IN_WORD.sub("", folded)
    folded = _BETWEEN_CJK.sub("", folded)
    views = [folded]
    if _HAS_LEET.search(folded):
        for table in (_LEET_I, _LEET_L):
            view = _LEET_TOKEN.sub(partial(_unleet, table=table), folded)
            if view not in views:
                views.append(view)
    return views


def _unleet(match: re.Match[str], table: dict[int, int]) -> str:
    token = match.group(0)
    return token.translate(table) if _HAS_LEET.search(token) else token


def match_patterns(text: str, kinds: tuple[Kind, ...]) -> InjectionVerdict:
    """Patterns only: the first of ``kinds`` that matches any reading of ``text``."""
    return _match(normalise_for_injection(text), kinds)


def _match(views: list[str], kinds: tuple[Kind, ...]) -> InjectionVerdict:
    rules = _rules()
    for kind in kinds:
        pattern = rules.patterns.get(kind)
        if pattern is None:
            continue
        for view in views:
            found = pattern.search(view)
            if found:
                return InjectionVerdict(True, kind, found.group(0).strip(), 1.0)
    return InjectionVerdict.clean()


def looks_related(text: str) -> bool:
    """Whether a message talks about instructions, rules, roles, modes or prompts at all: only then is
    the learned detector asked (an ordinary "where is my parcel" never pays for it)."""
    return _on_topic(normalise_for_injection(text))


def _on_topic(views: list[str]) -> bool:
    return any(_rules().topic.search(view) for view in views)


# --- loading the patterns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    patterns: dict[str, re.Pattern[str]]
    topic: re.Pattern[str]
    fold: dict[int, int]


_LOADED: list[_Rules] = []
_LOCK = threading.Lock()


def _rules() -> _Rules:
    if not _LOADED:
        with _LOCK:
            if not _LOADED:
                raw = resources.files("kefu.guard.injection").joinpath("patterns.yaml").read_text("utf-8")
                _LOADED.append(compile_rules(yaml.safe_load(raw)))
    return _LOADED[0]


def compile_rules(data: dict[str, Any]) -> _Rules:
    macros: dict[str, str] = {name: str(value) for name, value in data.get("macros", {}).items()}
    traditional, simplified = str(data.get("traditional", "")), str(data.get("simplified", ""))
    if len(traditional) != len(simplified):
        raise ValueError("injection patterns.yaml: traditional and simplified differ in length")

    def expand(line: str) -> str:
        for name, value in macros.items():
            line = line.replace(f"%{name}%", value)
        return line

    def alternatives(block: str) -> list[str]:
        return [
            expand(line.strip())
            for line in block.splitlines()
            if line.strip() and not line.strip().startswith("#")
        ]

    patterns: dict[str, re.Pattern[str]] = {}
    for kind, section in data["kinds"].items():
        english = [
            rf"(?<![a-z]){alt.replace(' ', _SEPARATOR)}(?![a-z])"
            for alt in alternatives(section.get("en", ""))
        ]
        chinese = alternatives(section.get("zh", ""))
        patterns[kind] = re.compile("|".join(f"(?:{alt})" for alt in english + chinese))
    unknown = set(patterns) - set(PASSAGE_KINDS)
    if unknown:
        raise ValueError(f"injection patterns.yaml: unknown kinds {sorted(unknown)}")
    topic = re.compile("|".join(f"(?:{alt})" for alt in alternatives(data.get("topic", ""))) or "(?!)")
    return _Rules(patterns, topic, str.maketrans(traditional, simplified))
