"""One file (or one uploaded text) → document drafts, by format: md, html, txt, pdf, FAQ (csv, yaml,
jsonl/json question–answer pairs) and JSONL documents ``{id, title?, content}``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

import yaml

from kefu.domain.errors import InvalidInput
from kefu.knowledge.chunking import chunk_language, chunk_sections
from kefu.knowledge.decode import decode_text
from kefu.knowledge.documents import ChunkDraft, DocumentDraft
from kefu.knowledge.sections import Parsed, Section, parse_html, parse_markdown, parse_pdf, parse_text, slug

MAX_FILE_BYTES = 20 * 1024 * 1024
FORMATS_BY_SUFFIX = {
    ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".txt": "txt", ".text": "txt",
    ".pdf": "pdf", ".csv": "faq_csv", ".yaml": "faq_yaml", ".yml": "faq_yaml", ".jsonl": "jsonl",
    ".json": "json",
}  # fmt: skip
TEXT_FORMATS = ("md", "html", "txt", "faq_csv", "faq_yaml", "faq_jsonl", "jsonl", "json")
QUESTION_KEYS = ("question", "q", "title", "问题", "问")
ANSWER_KEYS = ("answer", "a", "content", "答案", "回答", "答")


def format_for(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix not in FORMATS_BY_SUFFIX:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InvalidInput(f"{name}: unknown file type {suffix or '(none)'} (known: {known})")
    return FORMATS_BY_SUFFIX[suffix]


def parse_bytes(
    data: bytes,
    name: str,
    fmt: str | None = None,
    source: str | None = None,
    lang: str | None = None,
    title: str | None = None,
) -> list[DocumentDraft]:
    """Drafts of the file ``name`` with content ``data`` (``source`` defaults to ``name``)."""
    fmt = fmt or format_for(name)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(
            f"{name}: too large ({len(data) / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MiB)"
        )
    if not data.strip():
        raise InvalidInput(f"{name}: empty file")
    if fmt == "pdf":
        parsed = parse_pdf(data, title or PurePath(name).stem, name)
        return [_draft(source or name, parsed, lang, {"format": "pdf"}, name)]
    return parse_text_content(decode_text(data, name), name, fmt, source, lang, title)


def parse_text_content(
    text: str,
    name: str,
    fmt: str,
    source: str | None = None,
    lang: str | None = None,
    title: str | None = None,
) -> list[DocumentDraft]:
    try:
        return _parse_text_content(text, name, fmt, source, lang, title)
    except RecursionError as exc:
        raise InvalidInput(f"{name}: too deeply nested to read") from exc


def _parse_text_content(
    text: str,
    name: str,
    fmt: str,
    source: str | None = None,
    lang: str | None = None,
    title: str | None = None,
) -> list[DocumentDraft]:
    if not text.strip():
        raise InvalidInput(f"{name}: empty file")
    source = source or name
    default_title = title or PurePath(name).stem
    parsers: dict[str, Callable[[str, str], Parsed]] = {
        "md": parse_markdown, "markdown": parse_markdown, "html": parse_html, "txt": parse_text,
        "text": parse_text,
    }  # fmt: skip
    if fmt in parsers:
        return [_draft(source, parsers[fmt](text, default_title), lang, {"format": fmt}, name)]
    if fmt == "faq_csv":
        return [_faq_draft(source, default_title, _csv_records(text, name), lang, name)]
    if fmt == "faq_yaml":
        return [_faq_draft(source, default_title, _yaml_records(text, name), lang, name)]
    if fmt in ("jsonl", "json", "faq_jsonl"):
        records = _json_records(text, name, fmt != "json")
        if fmt == "faq_jsonl" or (records and _is_faq(records[0])):
            return [_faq_draft(source, default_title, records, lang, name)]
        return [_record_draft(record, name, lang) for record in records]
    raise InvalidInput(f"{name}: unknown format {fmt!r}")


def _draft(source: str, parsed: Parsed, lang: str | None, meta: dict[str, str], name: str) -> DocumentDraft:
    chunks = chunk_sections(parsed, lang)
    if not chunks:
        raise InvalidInput(f"{name}: no text found")
    return DocumentDraft(source, parsed.title, lang or _majority(chunks), chunks, meta)


def _majority(chunks: tuple[ChunkDraft, ...]) -> str:
    zh = sum(len(c.text) for c in chunks if c.lang == "zh")
    return "zh" if zh * 2 > sum(len(c.text) for c in chunks) else "en"


def _is_faq(record: dict[str, Any]) -> bool:
    """A question–answer pair: question (q, 问题; or title) and answer (a, 答案, 回答) fields."""
    has_question = any(k in record for k in ("question", "q", "问题", "问", "title"))
    return has_question and any(k in record for k in ("answer", "a", "答案", "回答", "答"))


def _pick(record: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value).strip()
    return ""


def _faq_draft(
    source: str, title: str, records: list[dict[str, Any]], lang: str | None, name: str
) -> DocumentDraft:
    chunks: list[ChunkDraft] = []
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        question, answer = _pick(record, QUESTION_KEYS), _pick(record, ANSWER_KEYS)
        if not question or not answer:
            raise InvalidInput(f"{name}: entry {number} needs a question and an answer")
        anchor = slug(question)
        seen[anchor] = seen.get(anchor, 0) + 1
        anchor = anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor] - 1}"
        entry_lang = str(record.get("lang") or lang or chunk_language(question + " " + answer, "en"))
        parsed = Parsed(title, (Section((question,), answer, anchor),))
        chunks.extend(chunk_sections(parsed, entry_lang, faq=True))
    if not chunks:
        raise InvalidInput(f"{name}: no question–answer pairs found")
    return DocumentDraft(source, title, lang or _majority(tuple(chunks)), tuple(chunks), {"format": "faq"})


def _record_draft(record: dict[str, Any], name: str, lang: str | None) -> DocumentDraft:
    ident, content = _pick(record, ("id",)), _pick(record, ("content", "text", "body"))
    if not ident or not content:
        raise InvalidInput(f"{name}: every document needs an id and a content")
    title = _pick(record, ("title",)) or ident
    parsed = parse_markdown(content, title, title_from_h1=False)
    meta = {"format": "jsonl", "file": name}
    return _draft(ident, parsed, lang or (str(record["lang"]) if record.get("lang") else None), meta, name)


def _csv_records(text: str, name: str) -> list[dict[str, Any]]:
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if "\n" in sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    rows = [
        {(k or "").strip().lower(): v for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text), dialect=dialect)
    ]
    if not rows or not _is_faq(rows[0]):
        raise InvalidInput(f"{name}: a FAQ CSV needs a header with question and answer columns")
    return rows


def _yaml_records(text: str, name: str) -> list[dict[str, Any]]:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{name}: invalid YAML ({str(exc).splitlines()[0]})") from exc
    if isinstance(loaded, dict):
        loaded = next((v for k, v in loaded.items() if k in ("faq", "faqs", "entries", "items")), None)
    if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
        raise InvalidInput(f"{name}: a FAQ YAML is a list of {{question, answer}} (or under 'faq:')")
    return loaded


def _json_records(text: str, name: str, lines: bool) -> list[dict[str, Any]]:
    records: list[Any] = []
    try:
        if lines:
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    records.append(_line(line, name, number))
        else:
            loaded = json.loads(text)
            records = loaded if isinstance(loaded, list) else [loaded]
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{name}: invalid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not records or not all(isinstance(r, dict) for r in records):
        raise InvalidInput(f"{name}: expected JSON objects ({{id, title?, content}} or {{question, answer}})")
    return records


def _line(line: str, name: str, number: int) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{name}: line {number} is not valid JSON ({exc.msg})") from exc
