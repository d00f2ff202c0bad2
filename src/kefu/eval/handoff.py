"""``kefu eval handoff``: does a customer message hand the conversation to a human?

Each labelled message is the first customer message of a fresh conversation of the real pack (the
whole turn pipeline over a temporary SQLite database with the demo shop), so explicit requests, anger
and the intent classifier are all measured together, exactly as a customer would meet them.
"""

from __future__ import annotations

import json
import secrets
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import anyio

from kefu.domain.errors import InvalidInput, KefuError
from kefu.domain.ids import ConversationId
from kefu.eval.intents import percentile
from kefu.nlu.langid import detect_language

LANGS = ("zh", "en")


@dataclass(frozen=True)
class HandoffExample:
    """One labelled message: ``label`` 1 if it should bring in a human, 0 if not."""

    text: str
    label: int
    lang: str | None = None  # zh or en; detected from the text when absent
    kind: str = ""  # free-form group for the report, e.g. explicit, angry, hard_negative


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
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


# --- reading ------------------------------------------------------------------------------------


def load_handoff_examples(path: Path) -> list[HandoffExample]:
    """JSONL, one object a line: ``{"text": str, "label": 0 | 1, "lang"?: "zh" | "en", "kind"?: str}``."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    examples = [
        _example(path, number, line) for number, line in enumerate(raw.splitlines(), start=1) if line.strip()
    ]
    if not examples:
        raise InvalidInput(f"{path}: no labelled examples found")
    return examples


def _example(path: Path, number: int, line: str) -> HandoffExample:
    where = f"{path}:{number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{where}: not JSON ({exc.msg})") from exc
    if not isinstance(record, dict):
        raise InvalidInput(f"{where}: expected an object with 'text' and 'label'")
    text, label = record.get("text"), record.get("label")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"{where}: 'text' must be a non-empty string")
    if isinstance(label, bool):
        label = int(label)
    if label not in (0, 1) or not isinstance(label, int):
        raise InvalidInput(f"{where}: 'label' must be 1 (triggers a handoff) or 0, not {label!r}")
    lang = record.get("lang")
    if lang is not None and lang not in LANGS:
        raise InvalidInput(f"{where}: 'lang' must be zh or en, not {lang!r}")
    kind = record.get("kind", "")
    if not isinstance(kind, str):
        raise InvalidInput(f"{where}: 'kind' must be a string")
    return HandoffExample(text.strip(), label, lang, kind.strip())


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
    positives = [o for o in outcomes if o.example.label == 1]
    negatives = [o for o in outcomes if o.example.label == 0]
    tp = sum(o.handoff for o in positives)
    fp = sum(o.handoff for o in negatives)
    return {
        "examples": len(outcomes),
        "positives": len(positives),
        "negatives": len(negatives),
        "true_positives": tp,
        "false_positives": fp,
        "recall": tp / len(positives) if positives else None,
        "precision": (tp / (tp + fp) if tp + fp else 0.0) if positives else None,
        "false_positive_rate": fp / len(negatives) if negatives else None,
    }


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
    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value * 100:.2f} %"

    lines = [
        f"messages {report.examples}: {report.positives} should hand off, {report.negatives} should not",
        f"recall               {pct(report.recall)}  ({report.true_positives}/{report.positives})",
        f"precision            {pct(report.precision)}",
        f"false-positive rate  {pct(report.false_positive_rate)}  "
        f"({report.false_positives}/{report.negatives} false handoffs)",
    ]
    for lang, rates in report.by_lang.items():
        lines.append(
            f"  {lang}: recall {pct(rates['recall'])}, false-positive rate "
            f"{pct(rates['false_positive_rate'])} ({rates['examples']} messages)"
        )
    for kind, counts in report.by_kind.items():
        lines.append(f"  {kind}: {counts['handoffs']}/{counts['examples']} handed off")
    lines.append(f"latency per message  p50 {report.p50_ms:.2f} ms, p99 {report.p99_ms:.2f} ms")
    if report.misses:
        lines.append(f"misses ({len(report.misses)}):")
        for miss in report.misses:
            expected = "missed handoff" if miss["label"] else "false handoff"
            lines.append(f"  [{miss['lang']} {miss['kind'] or '-'}] {expected}: {miss['text']}")
    return "\n".join(lines)
