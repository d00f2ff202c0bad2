"""A pack's glossary: the catalogue's product names, option names and option values in Chinese, and
the other English spellings customers use, mapped to the catalogue's own English words.

The file is YAML with three sections, each ``catalogue word: {zh: [...], en: [...]}``::

    products: {"Wireless Earbuds": {zh: [无线耳机, 蓝牙耳机], en: [earbuds, earphones]}}
    options:  {color: {zh: [颜色], en: [colour]}}
    values:   {black: {zh: [黑色]}, "Google Assistant": {zh: [谷歌], en: [google home]}}
    option_values: {ventilation: {low: {zh: [低通风]}}}   # a value's words as one option's value

The first ``zh`` word is how the value is shown to a Chinese customer. A Chinese colour word ending in
色 also matches its short forms ("黑色" → "黑的", "黑款"). A business extends the file; nothing here
is retail-specific.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from kefu.dialogue.resolve.text import HAN
from kefu.domain.errors import InvalidInput
from kefu.nlu.numbers import fold

_SECTIONS = ("products", "options", "values")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zh: list[str] = []
    en: list[str] = []

    @field_validator("zh", "en", mode="before")
    @classmethod
    def _one_word(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    products: dict[str, _Entry] = {}
    options: dict[str, _Entry] = {}
    values: dict[str, _Entry] = {}
    option_values: dict[str, dict[str, _Entry]] = {}


def _key(word: str) -> str:
    return fold(word, lower=True).strip()


@dataclass(frozen=True)
class Terms:
    zh: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.zh + self.en


_NO_TERMS = Terms()


@dataclass(frozen=True, eq=False)
class Glossary:
    products: MappingProxyType[str, Terms] = field(default_factory=lambda: MappingProxyType({}))
    options: MappingProxyType[str, Terms] = field(default_factory=lambda: MappingProxyType({}))
    values: MappingProxyType[str, Terms] = field(default_factory=lambda: MappingProxyType({}))
    names: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    scoped: MappingProxyType[tuple[str, str], Terms] = field(default_factory=lambda: MappingProxyType({}))
    _rewrites: tuple[tuple[str, str], ...] = ()

    @classmethod
    def empty(cls) -> Glossary:
        return cls()

    @classmethod
    def load(cls, path: str | Path) -> Glossary:
        try:
            raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
            parsed = _File.model_validate(raw)
        except (OSError, yaml.YAMLError) as exc:
            raise InvalidInput(f"cannot read glossary {path}: {exc}") from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InvalidInput(f"glossary {path}: {where}: {first['msg']}") from exc
        return cls.from_mapping(parsed.model_dump())

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Glossary:
        sections: dict[str, dict[str, Terms]] = {}
        names: dict[str, str] = {}
        rewrites: list[tuple[str, str]] = []
        for section in _SECTIONS:
            built: dict[str, Terms] = {}
            for word, entry in (data.get(section) or {}).items():
                zh = _expand_zh([str(w) for w in entry.get("zh", [])])
                en = tuple(str(w) for w in entry.get("en", []))
                built[_key(word)] = Terms(zh, en)
                names.setdefault(_key(word), str(word))
                rewrites.extend((_key(z), str(word)) for z in zh)
            sections[section] = built
        scoped: dict[tuple[str, str], Terms] = {}
        for option, entries in (data.get("option_values") or {}).items():
            for value, entry in (entries or {}).items():
                zh = _expand_zh([str(w) for w in entry.get("zh", [])])
                scoped[(_key(option), _key(value))] = Terms(zh, tuple(str(w) for w in entry.get("en", [])))
                rewrites.extend((_key(z), str(value)) for z in zh)
        rewrites.sort(key=lambda pair: len(pair[0]), reverse=True)
        return cls(
            products=MappingProxyType(sections["products"]),
            options=MappingProxyType(sections["options"]),
            values=MappingProxyType(sections["values"]),
            names=MappingProxyType(names),
            scoped=MappingProxyType(scoped),
            _rewrites=tuple(dict.fromkeys(rewrites)),
        )

    def product_names(self) -> tuple[str, ...]:
        """The catalogue's product names as written in the file."""
        return tuple(self.names[key] for key in self.products)

    def product_terms(self, name: str) -> Terms:
        return self.products.get(_key(name), _NO_TERMS)

    def option_terms(self, option: str) -> Terms:
        return self.options.get(_key(option), _NO_TERMS)

    def value_terms(self, value: str, option: str | None = None) -> Terms:
        """A value's words; with ``option``, the words for it as that option's value come first
        ("low" ventilation is 低通风, "low" brightness 低亮度)."""
        common = self.values.get(_key(value), _NO_TERMS)
        own = self.scoped.get((_key(option), _key(value))) if option else None
        if own is None:
            return common
        return Terms(tuple(dict.fromkeys(own.zh + common.zh)), tuple(dict.fromkeys(own.en + common.en)))

    def display(self, value: str, lang: str, option: str | None = None) -> str:
        """How a catalogue word is shown: its first Chinese term for ``zh`` (as ``option``'s value when
        given), else the word itself."""
        if not lang.startswith("zh"):
            return value
        own = self.scoped.get((_key(option), _key(value))) if option else None
        if own and own.zh:
            return own.zh[0]
        for section in (self.values, self.products, self.options):
            terms = section.get(_key(value))
            if terms and terms.zh:
                return terms.zh[0]
        return value

    def canonical(self, text: str) -> str:
        """``text`` with every known Chinese word replaced by its catalogue English word, longest first
        ("黑色的机械键盘" → "black 的 Mechanical Keyboard")."""
        out = fold(text, lower=True)
        if not HAN.search(out):
            return text
        for zh, en in self._rewrites:
            if zh in out:
                out = out.replace(zh, f" {en} ")
        return " ".join(out.split())


def _expand_zh(words: list[str]) -> tuple[str, ...]:
    out = list(words)
    for word in words:
        if len(word) >= 2 and word.endswith("色"):
            out.extend((word[:-1] + "的", word[:-1] + "款"))
    return tuple(dict.fromkeys(w for w in out if w))
