"""Labelled intent examples from CSV, JSONL or a pack's YAML, with clear errors for bad files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import yaml

from kefu.domain.errors import InvalidInput

TEXT_COLUMNS = ("text",)
LABEL_COLUMNS = ("label", "intent", "category")
Example = tuple[str, str]


def load_labelled(path: Path) -> list[Example]:
    """CSV with a ``text`` column and a ``label``/``intent``/``category`` column, JSONL ``{text, label}``,
    or a pack's ``intents: {name: {en: [...], zh: [...]}}`` YAML."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if suffix in (".yaml", ".yml"):
        examples = _from_yaml(path, raw)
    elif suffix in (".jsonl", ".json"):
        examples = _from_jsonl(path, raw)
    else:
        examples = _from_csv(path, raw)
    if not examples:
        raise InvalidInput(f"{path}: no labelled examples found")
    return examples


def _from_csv(path: Path, raw: str) -> list[Example]:
    reader = csv.DictReader(raw.splitlines())
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    text_col = next((f for f in TEXT_COLUMNS if f in fields), None)
    label_col = next((f for f in LABEL_COLUMNS if f in fields), None)
    if text_col is None or label_col is None:
        raise InvalidInput(
            f"{path}: CSV needs a 'text' column and a 'label', 'intent' or 'category' column; "
            f"found {', '.join(fields) or 'no header'}"
        )
    examples: list[Example] = []
    for line, row in enumerate(reader, start=2):
        clean = {str(k).strip().lower(): (v or "") for k, v in row.items() if k is not None}
        text, label = clean.get(text_col, "").strip(), clean.get(label_col, "").strip()
        if not text or not label:
            raise InvalidInput(f"{path}:{line}: empty text or label")
        examples.append((text, label))
    return examples


def _from_jsonl(path: Path, raw: str) -> list[Example]:
    examples: list[Example] = []
    for line, content in enumerate(raw.splitlines(), start=1):
        if not content.strip():
            continue
        try:
            record = json.loads(content)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}:{line}: not JSON ({exc.msg})") from exc
        if not isinstance(record, dict):
            raise InvalidInput(f"{path}:{line}: expected an object with 'text' and 'label'")
        label = next((record[k] for k in LABEL_COLUMNS if k in record), None)
        text = record.get("text")
        if not isinstance(text, str) or not text.strip() or not isinstance(label, str) or not label.strip():
            raise InvalidInput(f"{path}:{line}: needs non-empty string 'text' and 'label'")
        examples.append((text.strip(), label.strip()))
    return examples


def _from_yaml(path: Path, raw: str) -> list[Example]:
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path}: not valid YAML ({exc})") from exc
    intents = data.get("intents") if isinstance(data, dict) else None
    if not isinstance(intents, dict) or not intents:
        raise InvalidInput(f"{path}: expected a mapping 'intents: {{name: {{en: [...], zh: [...]}}}}'")
    examples: list[Example] = []
    for intent, by_lang in intents.items():
        if not isinstance(by_lang, dict):
            raise InvalidInput(f"{path}: intent {intent!r} must map languages to example lists")
        for texts in by_lang.values():
            examples.extend((str(text), str(intent)) for text in texts or [])
    return examples
