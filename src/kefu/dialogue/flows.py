"""Flows as data: what a request needs (typed slots, in order), when each slot is asked, which checks
guard it, whether the customer must confirm, and which tool finally runs.

A pack declares its flows with these types and hands them to the ``FlowEngine``; the engine never knows a
pack's business. Prompts are template keys (the pack's ``responses.yaml`` has the zh/en text);
validators and preconditions are *names* the pack's ``FlowHost`` checks with its business rules, so a
flow stays plain, serialisable data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

SlotType = Literal[
    "order", "items", "variant", "address", "payment_method", "choice", "date", "amount", "text", "product"
]


@dataclass(frozen=True)
class SlotSpec:
    """One thing a flow needs.

    ``needs``: slots this one's value is grounded in (items in an order): correcting them clears it.
    Slots are asked in the flow's order.
    ``when``: ask only when the named slot holds one of these values (``("mode", ("exchange",))``).
    ``validate``: a rule name the pack's host checks when the slot is filled (e.g. ``"order_pending"``);
    a refusal ends the flow with the rule's reply. ``prompt`` is the template asking for it.
    ``alternative``: the slot to offer instead when the customer cannot give this one."""

    name: str
    type: SlotType
    prompt: str = ""
    needs: tuple[str, ...] = ()
    when: tuple[str, tuple[Any, ...]] | None = None
    choices: tuple[str, ...] = ()
    validate: str | None = None
    alternative: str | None = None
    required: bool = True

    def applies(self, filled: Mapping[str, Any]) -> bool:
        if self.when is None:
            return True
        slot, values = self.when
        return filled.get(slot) in values


@dataclass(frozen=True)
class FlowSpec:
    """A request the customer can make.

    ``tool`` runs when every slot is filled and (if ``confirm``) the customer said yes; a flow without a
    tool is read-only and is *answered* by the host. ``needs_identity``: the customer must be verified
    first. ``precondition``: a rule name checked by the host over the filled slots before proposing."""

    name: str
    slots: tuple[SlotSpec, ...] = ()
    tool: str | None = None
    confirm: bool = True
    needs_identity: bool = True
    precondition: str | None = None
    confirm_prompt: str = ""
    done_prompt: str = ""

    def slot(self, name: str) -> SlotSpec | None:
        return next((s for s in self.slots if s.name == name), None)

    @property
    def slot_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.slots)

    def missing(self, filled: Mapping[str, Any]) -> SlotSpec | None:
        """The first required slot that applies, has its prerequisites, and is still empty."""
        for spec in self.slots:
            if not spec.required or not spec.applies(filled) or spec.name in filled:
                continue
            return spec
        return None

    def dependents(self, slot: str) -> tuple[str, ...]:
        """Slots whose value depends on ``slot`` (transitively): cleared when it is corrected."""
        found: list[str] = []
        frontier = [slot]
        while frontier:
            current = frontier.pop()
            for spec in self.slots:
                depends = current in spec.needs or (spec.when is not None and spec.when[0] == current)
                if depends and spec.name not in found:
                    found.append(spec.name)
                    frontier.append(spec.name)
        return tuple(found)

    @property
    def confirm_key(self) -> str:
        return self.confirm_prompt or f"confirm.{self.name}"

    @property
    def done_key(self) -> str:
        return self.done_prompt or f"done.{self.name}"


class FlowBook:
    """A pack's flows by name."""

    def __init__(self, flows: Iterable[FlowSpec]) -> None:
        self._flows = {f.name: f for f in flows}

    def __contains__(self, name: object) -> bool:
        return name in self._flows

    def __getitem__(self, name: str) -> FlowSpec:
        return self._flows[name]

    def get(self, name: str | None) -> FlowSpec | None:
        return self._flows.get(name) if name else None

    def names(self) -> tuple[str, ...]:
        return tuple(self._flows)

    def tools(self) -> frozenset[str]:
        return frozenset(f.tool for f in self._flows.values() if f.tool)
