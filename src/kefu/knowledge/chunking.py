"""Sections → passages: one chunk per section, long sections split on paragraph then sentence
boundaries (about 800 characters of Chinese or 1,200 of English), titled by the heading path."""

from __future__ import annotations

import re

from kefu.knowledge.documents import ChunkDraft
from kefu.knowledge.sections import Parsed, Section
from kefu.nlu.langid import detect_language

MAX_CHARS = {"zh": 800, "en": 1200}
TITLE_SEPARATOR = " › "
_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=[.])\s+(?=[A-Z0-9\"'(\u4e00-\u9fff])|\n")


def chunk_language(text: str, fallback: str) -> str:
    found = detect_language(text[:400], default=fallback)
    return found if found in ("zh", "en") else fallback


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut between paragraphs, else sentences, else hard."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for unit in _units(text, limit):
        joiner = "\n\n" if "\n\n" in text else "\n"
        candidate = f"{current}{joiner}{unit}" if current else unit
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                pieces.append(current)
            current = unit
    if current:
        pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def _units(text: str, limit: int) -> list[str]:
    units: list[str] = []
    for paragraph in _PARAGRAPHS.split(text):
        paragraph = paragraph.strip()
        if len(paragraph) <= limit:
            units.append(paragraph)
            continue
        sentence_buffer = ""
        for sentence in (s for s in _SENTENCE_END.split(paragraph) if s and s.strip()):
            while len(sentence) > limit:  # one endless "sentence": cut it hard
                units.append(sentence[:limit])
                sentence = sentence[limit:]
            if len(sentence_buffer) + len(sentence) + 1 <= limit:
                sentence_buffer = f"{sentence_buffer} {sentence}".strip() if sentence_buffer else sentence
            else:
                units.append(sentence_buffer)
                sentence_buffer = sentence
        if sentence_buffer:
            units.append(sentence_buffer)
    return [u for u in units if u]


def title_for(document_title: str, path: tuple[str, ...]) -> str:
    parts = [document_title] if document_title else []
    parts.extend(p for p in path if p and p != document_title)
    return TITLE_SEPARATOR.join(parts)


def chunk_sections(parsed: Parsed, lang_hint: str | None = None, faq: bool = False) -> tuple[ChunkDraft, ...]:
    """Passages of a parsed document. FAQ entries keep the question alone as their title."""
    drafts: list[ChunkDraft] = []
    fallback = lang_hint or chunk_language(
        parsed.title + " " + " ".join(s.text[:200] for s in parsed.sections[:3]), "en"
    )
    for section in parsed.sections:
        drafts.extend(_section_chunks(parsed.title, section, lang_hint, fallback, faq))
    return tuple(drafts)


def _section_chunks(
    document_title: str, section: Section, lang_hint: str | None, fallback: str, faq: bool
) -> list[ChunkDraft]:
    lang = lang_hint or chunk_language(section.text, fallback)
    title = TITLE_SEPARATOR.join(section.path) if faq else title_for(document_title, section.path)
    pieces = split_text(section.text, MAX_CHARS.get(lang, 1200))
    return [ChunkDraft(title=title, text=piece, lang=lang, anchor=section.anchor) for piece in pieces]
