"""Identity verification as plugins.

A *strategy* says which facts identify a customer (an email; a name and a zip code; a phone and a date
of birth …) and how to locate the customer from them (a lookup tool of the pack's business system). The
``Verifier`` collects facts across messages (identity given before the bot asks is used too), tries the
strategies whose facts are complete, counts only real wrong attempts ("I don't remember" is no attempt)
and, when a ``VerificationAttempts`` port is wired, consults it per claimed identity so that guessing is
limited across conversations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol

from kefu.dialogue.ports import VerificationAttempts

Lookup = Callable[[str, dict[str, str]], "str | None"]  # (tool, arguments) -> customer id or None


class VerificationStrategy(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def facts(self) -> tuple[str, ...]: ...

    @property
    def prompt(self) -> str: ...  # template key asking for these facts ("no problem — your name and zip")

    def identity(self, facts: Mapping[str, str]) -> str: ...

    def locate(self, facts: Mapping[str, str], lookup: Lookup) -> str | None: ...


@dataclass(frozen=True)
class ToolLookup:
    """A strategy that calls one lookup tool; ``arguments`` maps tool arguments to fact names."""

    name: str
    facts: tuple[str, ...]
    tool: str
    arguments: tuple[tuple[str, str], ...]
    prompt: str = ""
    scope: str = "kefu"
    claim: tuple[str, ...] = ()  # the facts that name who is claimed; default: the first fact

    def identity(self, facts: Mapping[str, str]) -> str:
        """Who is claimed, never the secret tried with it: counting failures per (name, guess) would make
        every guess a fresh identity. Strategies sharing a claim fact share one count."""
        named = self.claim or self.facts[:1]
        claimed = " ".join(f"{f}={facts.get(f, '').strip().lower()}" for f in named)
        return f"{self.scope}:{claimed}"

    def locate(self, facts: Mapping[str, str], lookup: Lookup) -> str | None:
        return lookup(self.tool, {arg: facts[fact] for arg, fact in self.arguments})


Outcome = Literal["verified", "incomplete", "failed", "locked"]


@dataclass(frozen=True)
class VerifyResult:
    outcome: Outcome
    customer_id: str | None = None
    strategy: str = ""
    retry_after: float | None = None
    attempts: int = 0
    missing: tuple[str, ...] = field(default=())


class Verifier:
    def __init__(
        self,
        strategies: tuple[VerificationStrategy, ...],
        attempts: VerificationAttempts | None = None,
        max_attempts: int = 3,
    ) -> None:
        self.strategies = strategies
        self.attempts = attempts
        self.max_attempts = max_attempts

    def fact_names(self) -> frozenset[str]:
        return frozenset(f for s in self.strategies for f in s.facts)

    def other_way(self, unavailable: str) -> VerificationStrategy | None:
        """The first strategy that does not need the fact the customer cannot give."""
        return next((s for s in self.strategies if unavailable not in s.facts), None)

    def attempt(self, facts: Mapping[str, str], lookup: Lookup, failures: int) -> VerifyResult:
        """Try every strategy whose facts are complete; ``failures`` is this conversation's count of
        wrong attempts so far."""
        complete = [s for s in self.strategies if all(facts.get(f) for f in s.facts)]
        if not complete:
            missing = min((tuple(f for f in s.facts if not facts.get(f)) for s in self.strategies), key=len)
            return VerifyResult("incomplete", missing=missing, attempts=failures)
        waiting: float | None = None
        for strategy in complete:
            claimed = strategy.identity(facts)
            if self.attempts is not None:
                retry_after = self.attempts.retry_after(claimed)
                if retry_after is not None:
                    # Not checked while the identity must wait (that would leave an oracle open), and
                    # counted: trying through a back-off moves towards the lock-out.
                    waiting = self.attempts.failed(claimed) or retry_after
                    continue
            customer = strategy.locate(facts, lookup)
            if customer:
                if self.attempts is not None:
                    self.attempts.succeeded(claimed)
                return VerifyResult("verified", customer, strategy.name)
            if self.attempts is not None:
                waiting = self.attempts.failed(claimed) or waiting
        if waiting is not None:
            return VerifyResult("locked", retry_after=waiting, attempts=failures + 1)
        return VerifyResult("failed", attempts=failures + 1)
