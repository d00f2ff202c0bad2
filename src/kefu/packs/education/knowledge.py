"""The school handbook as cited answers: a keyword FAQ (``knowledge/faq.yaml``), each entry a section of
``knowledge/handbook.md``. Small and deterministic; a school with a large handbook ingests it into the
knowledge base instead (``kefu kb ingest``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent / "knowledge"


@dataclass(frozen=True)
class FaqEntry:
    id: str
    title: dict[str, str]
    keywords: tuple[str, ...]
    answers: dict[str, str]


class Handbook:
    def __init__(self, entries: list[FaqEntry]) -> None:
        self.entries = entries

    @classmethod
    def load(cls, path: Path = HERE / "faq.yaml") -> Handbook:
        raw: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(
            [
                FaqEntry(
                    e["id"],
                    dict(e["title"]),
                    tuple(str(k).lower() for k in e["keywords"]),
                    {"en": e["en"], "zh": e["zh"]},
                )
                for e in raw
            ]
        )

    def find(self, text: str) -> FaqEntry | None:
        lowered = text.lower()
        scored = [(sum(len(k) for k in e.keywords if k in lowered), e) for e in self.entries]
        best = max(scored, key=lambda p: p[0], default=(0, None))
        return best[1] if best[0] > 0 else None
