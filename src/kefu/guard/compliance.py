"""Industry compliance of outgoing replies: rules as data, a risk score on every reply, a disclaimer where
one is due.

The rules live in ``compliance_rules/``: ``common.yaml`` for every industry (never ask for a password,
no discrimination, a sensitive-word list) and one file per industry (``finance``: no guaranteed returns
or approval promises, a risk disclaimer on product and investment suggestions; ``healthcare``: no
diagnosis or prescription, a disclaimer on health information; ``retail`` and ``education``: lighter
rules). Each rule carries a risk; the reply's risk score combines the rules it hits as
``1 - Π(1 - risk)``, so two medium hits weigh more than one. A deployment adds sensitive words of its
own (``KEFU_SENSITIVE_WORDS_FILE``); each hit counts ``SENSITIVE_WORD_RISK``.

``ComplianceRail`` turns the score into the rail's outcome: at or above the review threshold the reply
is held for a human (``HOLD``, with the disclaimer already appended); below it, a due disclaimer is
appended (``MASK``); a minor hit without a disclaimer is only logged (``LOG``); a clean reply passes.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from kefu.domain.errors import InvalidInput
from kefu.domain.messages import OutgoingMessage
from kefu.engine.context import TurnContext
from kefu.engine.rails import RailAction, RailOutcome
from kefu.guard.sensitive_words import SensitiveWords, load_word_file

INDUSTRIES = ("retail", "finance", "healthcare", "education")
LANGS = ("zh", "en")
SENSITIVE_WORD_RISK = 0.9
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Rule:
    id: str  # "finance.guaranteed_return"
    risk: float
    why: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None = None

    def hit(self, text: str) -> str | None:
        found = self.pattern.search(text)
        if found is None or (self.unless is not None and self.unless.search(text)):
            return None
        return found.group(0)


@dataclass(frozen=True)
class Disclaimer:
    id: str
    risk: float
    when: re.Pattern[str]
    text: dict[str, str]  # by language


@dataclass(frozen=True)
class Hit:
    rule: str
    risk: float
    evidence: str


@dataclass(frozen=True)
class Assessment:
    """What the rules found in one reply."""

    risk: float
    hits: tuple[Hit, ...] = ()
    disclaimers: tuple[str, ...] = ()  # texts to append, in the reply's language

    @property
    def reasons(self) -> list[str]:
        return [hit.rule for hit in self.hits]


@dataclass(frozen=True)
class RuleBook:
    industry: str
    rules: tuple[Rule, ...]
    disclaimers: tuple[Disclaimer, ...]
    words: SensitiveWords

    def assess(self, text: str, lang: str) -> Assessment:
        folded = normalise(text)
        hits = [Hit(rule.id, rule.risk, evidence) for rule in self.rules if (evidence := rule.hit(folded))]
        hits += [Hit("sensitive_word", SENSITIVE_WORD_RISK, word) for word in self.words.find(text)]
        due: list[str] = []
        for disclaimer in self.disclaimers:
            addition = disclaimer.text.get(lang) or disclaimer.text["en"]
            if disclaimer.when.search(folded) and normalise(addition) not in folded:
                due.append(addition)
                hits.append(Hit(f"disclaimer.{disclaimer.id}", disclaimer.risk, ""))
        safe = 1.0
        for hit in hits:
            safe *= 1.0 - hit.risk
        return Assessment(round(1.0 - safe, 4), tuple(hits), tuple(due))


def normalise(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


class ComplianceRail:
    """Scores every outgoing reply against the industry's rules (see the module docstring)."""

    name = "compliance"

    def __init__(self, industry: str, threshold: float = 0.7, extra_words: Iterable[str] = ()) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise InvalidInput(f"review threshold must be between 0 and 1, not {threshold}")
        self.threshold = threshold
        self.book = rule_book(industry, tuple(extra_words))

    @classmethod
    def from_file(cls, industry: str, threshold: float, words_file: str | Path | None) -> ComplianceRail:
        """With the deployment's own sensitive words (``KEFU_SENSITIVE_WORDS_FILE``), if any."""
        return cls(industry, threshold, load_word_file(words_file) if words_file else ())

    def check(self, ctx: TurnContext, reply: OutgoingMessage) -> RailOutcome | None:
        lang = reply.lang if reply.lang in LANGS else (ctx.lang if ctx.lang in LANGS else "en")
        found = self.book.assess(reply.text, lang)
        if not found.hits:
            return None
        text = _with_disclaimers(reply.text, found.disclaimers, lang)
        reason = "compliance:" + ",".join(_describe(hit) for hit in found.hits)
        if found.risk >= self.threshold:
            return RailOutcome(RailAction.HOLD, reason, text, risk=found.risk)
        if found.disclaimers:
            return RailOutcome(RailAction.MASK, reason, text, risk=found.risk)
        return RailOutcome(RailAction.LOG, reason, risk=found.risk)

    def assess(self, reply: OutgoingMessage) -> Assessment:
        return self.book.assess(reply.text, reply.lang)


def _describe(hit: Hit) -> str:
    return f"{hit.rule}:{hit.evidence}" if hit.rule == "sensitive_word" else hit.rule


def _with_disclaimers(text: str, disclaimers: tuple[str, ...], lang: str) -> str:
    if not disclaimers:
        return text
    joiner = "\n\n" if lang == "en" else "\n"
    return joiner.join([text.rstrip(), *disclaimers])


# --- loading the rules ----------------------------------------------------------------------------------

_BOOKS: dict[tuple[str, tuple[str, ...]], RuleBook] = {}
_LOCK = threading.Lock()


def rule_book(industry: str, extra_words: tuple[str, ...] = ()) -> RuleBook:
    """The common rules plus the industry's, compiled once per (industry, extra words)."""
    if industry not in INDUSTRIES:
        raise InvalidInput(f"unknown industry {industry!r}; known: {', '.join(INDUSTRIES)}")
    key = (industry, extra_words)
    with _LOCK:
        if key not in _BOOKS:
            common, own = _load("common"), _load(industry)
            rules = _rules("common", common) + _rules(industry, own)
            disclaimers = _disclaimers(industry, own)
            words = [
                w
                for section in (common, own)
                for lang in LANGS
                for w in section.get("sensitive_words", {}).get(lang, [])
            ]
            _BOOKS[key] = RuleBook(industry, rules, disclaimers, SensitiveWords([*words, *extra_words]))
        return _BOOKS[key]


def _load(name: str) -> dict[str, Any]:
    raw = resources.files("kefu.guard").joinpath("compliance_rules", f"{name}.yaml").read_text("utf-8")
    data = yaml.safe_load(raw) or {}
    if not isinstance(data, dict):
        raise ValueError(f"compliance_rules/{name}.yaml: expected a mapping")
    return data


def _alternatives(block: str | None, lang: str) -> list[str]:
    lines = [line.strip() for line in (block or "").splitlines()]
    alternatives = [line for line in lines if line and not line.startswith("#")]
    if lang == "en":
        return [rf"(?<![a-z])(?:{alt})(?![a-z])" for alt in alternatives]
    return alternatives


def _compile(section: dict[str, Any] | None, where: str) -> re.Pattern[str] | None:
    if not section:
        return None
    alternatives = [alt for lang in LANGS for alt in _alternatives(section.get(lang), lang)]
    if not alternatives:
        return None
    try:
        return re.compile("|".join(f"(?:{alt})" for alt in alternatives))
    except re.error as exc:
        raise ValueError(f"compliance_rules: bad pattern in {where}: {exc}") from exc


def _rules(prefix: str, data: dict[str, Any]) -> tuple[Rule, ...]:
    rules = []
    for name, spec in (data.get("rules") or {}).items():
        pattern = _compile(spec, f"{prefix}.{name}")
        if pattern is None:
            raise ValueError(f"compliance_rules: rule {prefix}.{name} has no patterns")
        unless = _compile(spec.get("unless"), f"{prefix}.{name}.unless")
        rules.append(Rule(f"{prefix}.{name}", float(spec["risk"]), str(spec.get("why", "")), pattern, unless))
    return tuple(rules)


def _disclaimers(prefix: str, data: dict[str, Any]) -> tuple[Disclaimer, ...]:
    found = []
    for name, spec in (data.get("disclaimers") or {}).items():
        when = _compile(spec.get("when"), f"{prefix}.{name}.when")
        if when is None:
            raise ValueError(f"compliance_rules: disclaimer {prefix}.{name} has no 'when' patterns")
        texts = {lang: str(spec[lang]) for lang in LANGS if spec.get(lang)}
        found.append(Disclaimer(f"{prefix}.{name}", float(spec.get("risk", 0.2)), when, texts))
    return tuple(found)
