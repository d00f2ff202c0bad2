"""Shared by the yes/no evaluations (``kefu eval handoff``, ``kefu eval emergency``, …): the labelled
JSONL format and the recall / precision / false-positive-rate arithmetic."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from kefu.domain.errors import InvalidInput

LANGS = ("zh", "en")


@dataclass(frozen=True)
class LabelledText:
    """One labelled message: ``label`` 1 if the thing measured should happen, 0 if not."""

    text: str
    label: int
    lang: str | None = None  # zh or en; detected from the text when absent
    kind: str = ""  # free-form group for the report (explicit, angry, cardiac, figurative …)


def load_labelled_texts(path: Path, positive: str) -> list[LabelledText]:
    """JSONL, one object a line: ``{"text": str, "label": 0 | 1, "lang"?: "zh" | "en", "kind"?: str}``.
    ``positive`` says what label 1 means, for error messages."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    examples = [
        _example(f"{path}:{number}", line, positive)
        for number, line in enumerate(raw.splitlines(), start=1)
        if line.strip()
    ]
    if not examples:
        raise InvalidInput(f"{path}: no labelled examples found")
    return examples


def _example(where: str, line: str, positive: str) -> LabelledText:
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
        raise InvalidInput(f"{where}: 'label' must be 1 ({positive}) or 0, not {label!r}")
    lang = record.get("lang")
    if lang is not None and lang not in LANGS:
        raise InvalidInput(f"{where}: 'lang' must be zh or en, not {lang!r}")
    kind = record.get("kind", "")
    if not isinstance(kind, str):
        raise InvalidInput(f"{where}: 'kind' must be a string")
    return LabelledText(text.strip(), label, lang, kind.strip())


def binary_rates(results: Sequence[tuple[int, bool]]) -> dict[str, Any]:
    """From (label, fired) pairs: counts, recall, precision and false-positive rate (``None`` when a
    rate has no denominator)."""
    positives = [fired for label, fired in results if label == 1]
    negatives = [fired for label, fired in results if label == 0]
    tp, fp = sum(positives), sum(negatives)
    return {
        "examples": len(results),
        "positives": len(positives),
        "negatives": len(negatives),
        "true_positives": tp,
        "false_positives": fp,
        "recall": tp / len(positives) if positives else None,
        "precision": (tp / (tp + fp) if tp + fp else 0.0) if positives else None,
        "false_positive_rate": fp / len(negatives) if negatives else None,
    }


class RateFigures(Protocol):
    """What every yes/no evaluation report has (emergency, handoff, injection)."""

    @property
    def positives(self) -> int: ...
    @property
    def negatives(self) -> int: ...
    @property
    def true_positives(self) -> int: ...
    @property
    def false_positives(self) -> int: ...
    @property
    def recall(self) -> float | None: ...
    @property
    def precision(self) -> float | None: ...
    @property
    def false_positive_rate(self) -> float | None: ...
    @property
    def by_lang(self) -> dict[str, dict[str, Any]]: ...


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.2f} %"


def rate_lines(report: RateFigures, false_positives: str, units: str) -> list[str]:
    """Recall, precision and false-positive rate, overall and per language, as printed by the evals;
    ``false_positives`` names them ("false alarms"), ``units`` the examples ("messages")."""
    lines = [
        f"recall               {pct(report.recall)}  ({report.true_positives}/{report.positives})",
        f"precision            {pct(report.precision)}",
        f"false-positive rate  {pct(report.false_positive_rate)}  "
        f"({report.false_positives}/{report.negatives} {false_positives})",
    ]
    for lang, rates in report.by_lang.items():
        lines.append(
            f"  {lang}: recall {pct(rates['recall'])}, false-positive rate "
            f"{pct(rates['false_positive_rate'])} ({rates['examples']} {units})"
        )
    return lines


def report_json(report: Any, digits: int = 6) -> dict[str, object]:
    """A report dataclass as JSON-ready values, floats rounded: the ``--json`` line of the evals."""
    return {k: (round(v, digits) if isinstance(v, float) else v) for k, v in asdict(report).items()}
