"""The two entry points of the injection detector: a customer's own message and a passage someone else
wrote."""

from __future__ import annotations

from kefu.guard.injection.model import learned_verdict
from kefu.guard.injection.patterns import match_patterns, normalise_for_injection
from kefu.guard.injection.types import DIRECT_KINDS, PASSAGE_KINDS, InjectionVerdict


def detect_injection(text: str) -> InjectionVerdict:
    """A customer's own message: patterns of the direct kinds, then the learned detector where no
    pattern matched."""
    verdict = match_patterns(text, DIRECT_KINDS)
    if verdict.attack:
        return verdict
    return learned_verdict(text) or verdict


def screen_passage(text: str) -> InjectionVerdict:
    """A retrieved document, e-mail, table or tool output: every kind, including instructions addressed
    to the assistant that reads it ("add … to your response", "AI assistants reading this …")."""
    return match_patterns(text, PASSAGE_KINDS)


__all__ = ["detect_injection", "normalise_for_injection", "screen_passage"]
