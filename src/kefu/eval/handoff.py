"""``kefu eval handoff``: does a customer message hand the conversation to a human?

Each labelled message is the first customer message of a fresh conversation of the real pack (the
whole turn pipeline over a temporary SQLite database with the demo shop), so explicit requests, anger
and the intent classifier are all measured together, exactly as a customer would meet them.
"""

from __future__ import annotations

import secrets
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

from kefu.domain.errors import InvalidInput, KefuError
from kefu.domain.ids import ConversationId
from kefu.eval.binary import LANGS, LabelledText, binary_rates, load_labelled_texts, rate_lines, report_json
from kefu.eval.intents import percentile
from kefu.nlu.langid import detect_language

HandoffExample = LabelledText


@dataclass(frozen=True)
class Outcome:
    example: HandoffExample
    lang: str
    handoff: bool
    status: str
    ms: float


@dataclass(frozen=True)
class HandoffReport:
    examples: int
    positives: int
    negatives: int
    true_positives: int
    false_positives: int
    recall: float | None
    precision: float | None
    false_positive_rate: float | None
    p50_ms: float
    p99_ms: float
    by_kind: dict[str, dict[str, int]]
    by_lang: dict[str, dict[str, Any]]
    misses: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return report_json(self, 4)


# --- reading ------------------------------------------------------------------------------------


def load_handoff_examples(path: Path) -> list[HandoffExample]:
    """JSONL, one object a line: ``{"text": str, "label": 0 | 1, "lang"?: "zh" | "en", "kind"?: str}``."""
    return load_labelled_texts(path, "triggers a handoff")


# --- running ------------------------------------------------------------------------------------


def evaluate_handoff(examples: Sequence[HandoffExample], pack: str = "retail") -> HandoffReport:
    """Send every message into a fresh conversation of ``pack`` and compare handoffs with the labels."""
    if not examples:
        raise InvalidInput("no examples to evaluate")
    with tempfile.TemporaryDirectory(prefix="kefu-eval-handoff-") as tmpdir:
        outcomes = anyio.run(_run, list(examples), pack, Path(tmpdir))
    return _report(outcomes)


async def _run(examples: list[HandoffExample], pack: str, tmpdir: Path) -> list[Outcome]:
    from kefu.app import create_app
    from kefu.config import Settings
    from kefu.demo import seed_demo

    settings = Settings(
        database_url=f"sqlite:///{tmpdir}/kefu.db",
        secret_key=secrets.token_urlsafe(32),
        admin_token=secrets.token_urlsafe(16),
        default_pack=pack,
        redis_url=None,  # in-process, and always staffed: the figures must not depend on the environment
        support_hours=None,
    )
    app = create_app(settings)
    seed_demo(settings)
    service = app.state.services.conversations
    outcomes: list[Outcome] = []
    async with app.router.lifespan_context(app):  # loads the pack up front; disposes the engine after
        for number, example in enumerate(examples, start=1):
            lang = example.lang or detect_language(example.text, default="en")
            lang = lang if lang in LANGS else "en"
            try:
                conversation, _ = await service.start(pack, lang, None)
                tick = time.perf_counter()
                result = await service.send(ConversationId(conversation.id), example.text, None)
                ms = (time.perf_counter() - tick) * 1000
            except KefuError as exc:
                raise InvalidInput(f"example {number} ({example.text[:40]!r}): {exc.message}") from exc
            status = result.status.value
            outcomes.append(Outcome(example, lang, status == "waiting_human", status, ms))
    return outcomes


def _rates(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    return binary_rates([(o.example.label, o.handoff) for o in outcomes])


def _report(outcomes: list[Outcome]) -> HandoffReport:
    kinds: dict[str, dict[str, int]] = {}
    for o in outcomes:
        counts = kinds.setdefault(
            o.example.kind or "unspecified", {"examples": 0, "handoffs": 0, "correct": 0}
        )
        counts["examples"] += 1
        counts["handoffs"] += o.handoff
        counts["correct"] += o.handoff == bool(o.example.label)
    by_lang = {lang: _rates([o for o in outcomes if o.lang == lang]) for lang in LANGS}
    by_lang = {lang: rates for lang, rates in by_lang.items() if rates["examples"]}
    misses = [
        {
            "text": o.example.text,
            "label": o.example.label,
            "lang": o.lang,
            "kind": o.example.kind,
            "status": o.status,
        }
        for o in outcomes
        if o.handoff != bool(o.example.label)
    ]
    timings = [o.ms for o in outcomes]
    return HandoffReport(
        **_rates(outcomes),
        p50_ms=statistics.median(timings),
        p99_ms=percentile(timings, 0.99),
        by_kind=dict(sorted(kinds.items())),
        by_lang=by_lang,
        misses=misses,
    )


def format_report(report: HandoffReport) -> str:
    lines = [
        f"messages {report.examples}: {report.positives} should hand off, {report.negatives} should not",
        *rate_lines(report, "false handoffs", "messages"),
    ]
    for kind, counts in report.by_kind.items():
        lines.append(f"  {kind}: {counts['handoffs']}/{counts['examples']} handed off")
    lines.append(f"latency per message  p50 {report.p50_ms:.2f} ms, p99 {report.p99_ms:.2f} ms")
    if report.misses:
        lines.append(f"misses ({len(report.misses)}):")
        for miss in report.misses:
            expected = "missed handoff" if miss["label"] else "false handoff"
            lines.append(f"  [{miss['lang']} {miss['kind'] or '-'}] {expected}: {miss['text']}")
    return "\n".join(lines)
