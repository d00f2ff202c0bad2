"""Replies from templates, in the customer's language (zh or en)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kefu.domain.errors import InvalidInput

SUPPORTED_LANGS = ("en", "zh")


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Responder:
    """``templates[key][lang]`` strings with ``{name}`` fields; missing languages fall back to English."""

    def __init__(self, templates: dict[str, dict[str, str]]) -> None:
        self._templates = templates

    @classmethod
    def from_files(cls, *paths: Path) -> Responder:
        merged: dict[str, dict[str, str]] = {}
        for path in paths:
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError) as exc:
                raise InvalidInput(f"cannot read response templates {path}: {exc}") from exc
            for key, by_lang in data.items():
                if not isinstance(by_lang, dict):
                    raise InvalidInput(f"{path}: template {key!r} must map languages to text")
                merged.setdefault(str(key), {}).update({str(k): str(v) for k, v in by_lang.items()})
        return cls(merged)

    def has(self, key: str) -> bool:
        return key in self._templates

    def keys(self) -> list[str]:
        return sorted(self._templates)

    def render(self, key: str, lang: str, **fields: Any) -> str:
        by_lang = self._templates.get(key)
        if by_lang is None:
            raise KeyError(f"no response template {key!r}")
        template = by_lang.get(lang) or by_lang.get("en") or next(iter(by_lang.values()))
        return template.strip().format_map(_Blank(fields))
