"""Scripted customers (``docs/scenario-format.md``): the suite file format and the answer-bank customer.

Pack-independent: a suite names its initial data and its gold task file, and a pack's *scenario data
adapter* (``ScenarioData``) knows how to load that data into the pack's business system, replay a task's
gold actions and compare business states. Files are validated with pydantic at this edge; every error
is one ``InvalidInput`` line naming the file and the scenario.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kefu.domain.errors import InvalidInput

DEFAULT_MAX_TURNS = 25
STATUSES = ("bot", "waiting_human", "human", "closed")


def _check_regex(value: str) -> str:
    try:
        re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression {value!r}: {exc}") from exc
    return value


class Answer(BaseModel):
    """One entry of the answer bank: say ``say`` when the bot's turn matches ``when``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    when: str = Field(min_length=1)
    say: str = Field(min_length=1)
    unless: str | None = None
    max: int = Field(default=1, ge=1)
    id: str | None = None
    after: str | None = None
    end: bool = False

    @field_validator("when", "unless")
    @classmethod
    def _regexes(cls, value: str | None) -> str | None:
        return None if value is None else _check_regex(value)


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["bot", "waiting_human", "human", "closed"] = "bot"
    state: Literal["gold", "none"] = "gold"
    replies_contain: tuple[str, ...] = ()

    @field_validator("replies_contain")
    @classmethod
    def _regexes(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_regex(v) for v in values)


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    task: str = Field(min_length=1)
    persona: str = ""
    opening: str = Field(min_length=1)
    answers: tuple[Answer, ...] = ()
    fallback: tuple[str, ...] = ()
    max_turns: int = Field(default=DEFAULT_MAX_TURNS, ge=1, le=200)
    expect: Expect = Expect()

    @field_validator("task", mode="before")
    @classmethod
    def _task_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _sequencing(self) -> Scenario:
        ids = [a.id for a in self.answers if a.id is not None]
        if len(ids) != len(set(ids)):
            raise ValueError(f"answer ids must be unique, got {ids}")
        for answer in self.answers:
            if answer.after is not None and answer.after not in ids:
                raise ValueError(f"answer 'after: {answer.after}' names no answer id (ids: {ids or 'none'})")
        return self


class Suite(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    suite: str = Field(min_length=1)
    lang: Literal["en", "zh"]
    data: str = Field(min_length=1)
    gold: str = Field(min_length=1)
    scenarios: tuple[Scenario, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Suite:
        seen: set[str] = set()
        for scenario in self.scenarios:
            if scenario.id in seen:
                raise ValueError(f"scenario id {scenario.id!r} is used twice")
            seen.add(scenario.id)
        return self


@dataclass(frozen=True)
class SuiteFile:
    path: Path
    suite: Suite


def _where(raw: Any, loc: Sequence[int | str]) -> str:
    """'scenario tau2-train-3, answers[2].when' for a pydantic error location."""
    if len(loc) >= 2 and loc[0] == "scenarios" and isinstance(loc[1], int):
        scenarios = raw.get("scenarios") if isinstance(raw, dict) else None
        name = f"#{loc[1] + 1}"
        if isinstance(scenarios, list) and loc[1] < len(scenarios) and isinstance(scenarios[loc[1]], dict):
            name = str(scenarios[loc[1]].get("id", name))
        rest = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[2:]).lstrip(".")
        return f"scenario {name}" + (f", {rest}" if rest else "")
    return ".".join(str(p) for p in loc) or "top level"


def parse_suite(raw: Any, source: str) -> Suite:
    """Validate an already-parsed YAML document; ``source`` names it in errors."""
    if not isinstance(raw, dict):
        raise InvalidInput(f"{source}: a suite must be a mapping with suite, lang, data, gold, scenarios")
    try:
        return Suite.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()  # a misspelt key is reported as itself, not as the key it lacks
        first = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        message = str(first["msg"]).removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise InvalidInput(f"{source}: {_where(raw, first['loc'])}: {message}{more}") from exc


def load_suite(path: Path) -> SuiteFile:
    """Read and validate one suite file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.__class__.__name__})") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise InvalidInput(f"{path}: not valid YAML{at}") from exc
    return SuiteFile(path, parse_suite(raw, str(path)))


def suite_files(directory: Path) -> list[Path]:
    """The suite files of a pack's scenario directory, in name order."""
    if not directory.is_dir():
        raise InvalidInput(f"scenario directory not found: {directory}")
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


# --- the customer -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Utterance:
    """What the scripted customer says next; ``last`` when it stops after this message."""

    text: str
    last: bool = False
    source: str = "answer"  # "opening" | "answer" | "fallback"


class ScriptedCustomer:
    """The answer-bank customer of one scenario: the opening, then one utterance per bot turn, or
    ``None`` when it has nothing more to say."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._uses = [0] * len(scenario.answers)
        self._said_ids: set[str] = set()
        self._fallbacks = 0
        self._ended = False
        self.turns = 0
        self.stopped = ""  # why the customer stopped: "end", "max_turns", "nothing matched"
        self._when = [re.compile(a.when, re.IGNORECASE) for a in scenario.answers]
        self._unless = [
            None if a.unless is None else re.compile(a.unless, re.IGNORECASE) for a in scenario.answers
        ]

    def opening(self) -> Utterance:
        self.turns = 1
        self.stopped = "max_turns" if self.scenario.max_turns <= 1 else ""
        return Utterance(self.scenario.opening, last=self.scenario.max_turns <= 1, source="opening")

    def reply(self, bot_text: str) -> Utterance | None:
        """The customer's answer to the bot's replies of one turn (joined into ``bot_text``)."""
        if self._ended or self.turns >= self.scenario.max_turns:
            self.stopped = self.stopped or "max_turns"
            return None
        chosen = self._pick(bot_text)
        if chosen is None:
            if self._fallbacks >= len(self.scenario.fallback):
                self._ended, self.stopped = True, "nothing matched (no answer, fallbacks used up)"
                return None
            text, end, source = self.scenario.fallback[self._fallbacks], False, "fallback"
            self._fallbacks += 1
        else:
            answer = self.scenario.answers[chosen]
            self._uses[chosen] += 1
            if answer.id is not None:
                self._said_ids.add(answer.id)
            text, end, source = answer.say, answer.end, "answer"
        self.turns += 1
        self._ended = end
        if end:
            self.stopped = "end"
        elif self.turns >= self.scenario.max_turns:
            self.stopped = "max_turns"
        return Utterance(text, last=end or self.turns >= self.scenario.max_turns, source=source)

    def _pick(self, bot_text: str) -> int | None:
        for index, answer in enumerate(self.scenario.answers):
            if self._uses[index] >= answer.max:
                continue
            if answer.after is not None and answer.after not in self._said_ids:
                continue
            if not self._when[index].search(bot_text):
                continue
            unless = self._unless[index]
            if unless is not None and unless.search(bot_text):
                continue
            return index
        return None


# --- what a pack provides -----------------------------------------------------------------------

State = dict[str, Any]


@dataclass(frozen=True)
class GoldTask:
    """A task of a gold file: its id, its gold actions in order (as the task file writes them), and what
    the task says of its user (``user_ids`` when known, else the ``known_info`` text)."""

    id: str
    actions: tuple[Mapping[str, Any], ...]
    user_ids: tuple[str, ...] = ()
    known_info: str = ""


class ScenarioData(Protocol):
    """A pack's adapter for one kind of initial data (a suite's ``data:``). ``system`` is the business
    system object the pack's tools talk to (the runner builds it over the run's database)."""

    system_name: str  # the key in the app's systems, e.g. "retail_shop"

    def default_dir(self) -> Path: ...

    def load_initial(self, system: Any, directory: Path) -> None: ...

    def load_tasks(self, directory: Path, gold: str) -> dict[str, GoldTask]: ...

    def subjects(self, system: Any, task: GoldTask) -> tuple[str, ...]: ...

    def expected(
        self, task: GoldTask, subjects: tuple[str, ...], replay: bool = True
    ) -> tuple[State, list[str]]:
        """The subjects' expected state: the initial data, with the task's gold actions replayed when
        ``replay``; and notes (e.g. a gold write the business refused and skipped). Raises
        ``InvalidInput`` when the expected state cannot be built."""
        ...

    def snapshot(self, system: Any, subjects: tuple[str, ...]) -> State: ...

    def differences(self, expected: State, actual: State, limit: int = 5) -> list[str]: ...
