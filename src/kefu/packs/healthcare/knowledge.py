"""The pack's curated bilingual health knowledge (``knowledge/health_kb.yaml``): entries about common
conditions and medicines, each with its source, found by their keywords in either language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
KB_FILE = HERE / "knowledge" / "health_kb.yaml"


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str  # "condition" | "medicine"
    department: str
    keywords: tuple[str, ...]
    title: dict[str, str]
    text: dict[str, str]
    source: str
    url: str


class HealthKnowledge:
    def __init__(self, entries: tuple[Entry, ...]) -> None:
        self.entries = entries

    @classmethod
    def load(cls, path: Path = KB_FILE) -> HealthKnowledge:
        raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = tuple(
            Entry(
                id=str(e["id"]),
                kind=str(e["kind"]),
                department=str(e["department"]),
                keywords=tuple(str(k).lower() for words in e["keywords"].values() for k in words),
                title={k: str(v) for k, v in e["title"].items()},
                text={"zh": str(e["zh"]), "en": str(e["en"])},
                source=str(e["source"]["title"]),
                url=str(e["source"]["url"]),
            )
            for e in raw["entries"]
        )
        return cls(entries)

    def find(self, text: str) -> Entry | None:
        """The entry whose keywords cover most of ``text`` (longest matches count most)."""
        folded = text.lower()
        best: tuple[int, Entry] | None = None
        for entry in self.entries:
            score = sum(len(k) for k in entry.keywords if k in folded)
            if score and (best is None or score > best[0]):
                best = (score, entry)
        return best[1] if best else None
