"""Sensitive words: a list matched in one pass with Aho-Corasick (pyahocorasick).

Words and text are normalised the same way (NFKC, so full-width letters and digits become half-width;
lower case; collapsed whitespace), so "ＦＵＣＫ" and "Fuck" match "fuck". A word made of ASCII letters
only matches as a whole word ("ass" is not in "class"); Chinese words match anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import ahocorasick

from kefu.domain.errors import InvalidInput

_SPACES = re.compile(r"\s+")


def normalise_words(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def load_word_file(path: str | Path) -> list[str]:
    """One word or phrase a line; blank lines and lines starting with ``#`` are skipped."""
    file = Path(path)
    if not file.is_file():
        raise InvalidInput(f"sensitive words file {file}: no such file")
    try:
        raw = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"sensitive words file {file}: not UTF-8 text ({exc.reason})") from exc
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.strip().startswith("#")]


class SensitiveWords:
    """``find(text)`` → the sensitive words in ``text``, each once, in order of first appearance."""

    def __init__(self, words: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        self.words: list[str] = []
        for word in words:
            key = normalise_words(word)
            if key and key not in self._automaton:
                self._automaton.add_word(key, (key, key.isascii() and key[:1].isalnum()))
                self.words.append(key)
        self._ready = bool(self.words)
        if self._ready:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.words)

    def find(self, text: str) -> list[str]:
        if not self._ready:
            return []
        haystack = normalise_words(text)
        found: list[str] = []
        for end, (word, whole_word) in self._automaton.iter(haystack):
            start = end - len(word) + 1
            if whole_word and (_is_word_char(haystack, start - 1) or _is_word_char(haystack, end + 1)):
                continue
            if word not in found:
                found.append(word)
        return found


def _is_word_char(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isascii() and text[index].isalnum()
