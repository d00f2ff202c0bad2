"""Command generators: understanding turns a message into ``Command``s for the flow engine.

A generator may be deterministic (patterns, the intent classifier and the grounded resolvers) or an
LLM's (issue #8); both implement ``CommandGenerator`` and emit the same schema (``commands.py``), so flows
never change when a generator is added. ``focus`` asks for the slots of one flow only: the engine uses it
when a request that waited (for verification, or behind another request) becomes active, to read that
request's slots from the words that asked for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from kefu.dialogue.commands import Command, SetSlot, StartFlow
from kefu.engine.context import TurnContext


class CommandGenerator(Protocol):
    def generate(self, ctx: TurnContext, text: str, focus: str | None = None) -> list[Command]: ...


class FirstNonEmpty:
    """Several generators in order of trust: the first that yields any command wins (e.g. the
    deterministic one, then an LLM's for what it could not read)."""

    def __init__(self, generators: Sequence[CommandGenerator]) -> None:
        self.generators = tuple(generators)

    def generate(self, ctx: TurnContext, text: str, focus: str | None = None) -> list[Command]:
        for generator in self.generators:
            commands = generator.generate(ctx, text, focus)
            if commands:
                return commands
        return []


def slot_commands(commands: Sequence[Command]) -> list[Command]:
    """The slot fills among ``commands`` (what a waiting request's own words tell), and the same action
    queued for other orders it named."""
    return [
        c
        for c in commands
        if isinstance(c, SetSlot) or c.kind == "clarify" or (isinstance(c, StartFlow) and c.queued)
    ]
