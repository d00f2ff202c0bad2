"""Documents as sections under heading paths: Markdown, HTML, plain text and PDF pages.

A parser returns the document's title and its sections in reading order; chunking (``chunking.py``)
turns sections into passages. Anchors are GitHub-style slugs of the heading (or the HTML id)."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from kefu.domain.errors import InvalidInput


@dataclass(frozen=True)
class Section:
    path: tuple[str, ...]  # heading path below the document title, e.g. ("Returns", "Refund timing")
    text: str
    anchor: str | None = None


@dataclass(frozen=True)
class Parsed:
    title: str
    sections: tuple[Section, ...]


_SLUG_DROP = re.compile(r"[^\w\- \u3400-\u4dbf\u4e00-\u9fff]", re.UNICODE)
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|`)(.+?)\1")
_BLANKS = re.compile(r"\n{3,}")


def slug(heading: str) -> str:
    """``"Refund timing (EU)"`` → ``refund-timing-eu``; Chinese characters are kept."""
    text = _SLUG_DROP.sub("", heading.strip().lower())
    return re.sub(r"\s+", "-", text).strip("-") or "section"


def _clean_markdown(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return _BLANKS.sub("\n\n", text).strip()


def parse_markdown(text: str, default_title: str, title_from_h1: bool = True) -> Parsed:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headings: list[tuple[int, str]] = []  # (level, text) of the current path
    sections: list[Section] = []
    buffer: list[str] = []
    title: str | None = None
    in_fence = False
    seen: dict[str, int] = {}

    def flush() -> None:
        body = _clean_markdown("\n".join(buffer))
        buffer.clear()
        if body:
            path = tuple(h for _, h in headings)
            sections.append(Section(path, body, _unique(slug(path[-1]), seen) if path else None))

    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            in_fence = not in_fence
            buffer.append(line)
            i += 1
            continue
        match = None if in_fence else _ATX.match(line)
        level, heading = (len(match.group(1)), match.group(2).strip()) if match else (0, "")
        if (
            not match
            and not in_fence
            and line.strip()
            and i + 1 < len(lines)
            and _SETEXT.match(lines[i + 1])
            and not (buffer and buffer[-1].strip())
        ):
            level, heading = (1 if lines[i + 1].strip().startswith("=") else 2), line.strip()
            i += 1
        if level:
            flush()
            heading = _clean_markdown(heading)
            if title_from_h1 and level == 1 and title is None and not sections and not headings:
                title = heading
                i += 1
                continue
            while headings and headings[-1][0] >= level:
                headings.pop()
            headings.append((level, heading))
        else:
            buffer.append(line)
        i += 1
    flush()
    return Parsed(title or default_title, tuple(sections))


def _unique(anchor: str, seen: dict[str, int]) -> str:
    count = seen.get(anchor, 0)
    seen[anchor] = count + 1
    return anchor if count == 0 else f"{anchor}-{count}"


_BLOCKS = ("p", "li", "pre", "blockquote", "td", "th", "dt", "dd", "figcaption", "caption")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def parse_html(text: str, default_title: str) -> Parsed:
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(text, "html.parser")
    for dropped in soup(["script", "style", "noscript", "nav", "footer", "template", "svg"]):
        dropped.decompose()
    head_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    root = soup.body or soup
    headings: list[tuple[int, str, str]] = []
    sections: list[Section] = []
    buffer: list[str] = []
    title = head_title or None
    seen: dict[str, int] = {}

    def flush() -> None:
        body = "\n\n".join(b for b in buffer if b)
        buffer.clear()
        if body.strip():
            path = tuple(h for _, h, _ in headings)
            sections.append(Section(path, body.strip(), headings[-1][2] if headings else None))

    for element in root.find_all([*_HEADINGS, *_BLOCKS]):
        if not isinstance(element, Tag):
            continue
        if element.name in _HEADINGS:
            flush()
            heading = element.get_text(" ", strip=True)
            if not heading:
                continue
            level = int(element.name[1])
            if level == 1 and title is None and not sections and not headings:
                title = heading
                continue
            while headings and headings[-1][0] >= level:
                headings.pop()
            ident = element.get("id")
            anchor = ident if isinstance(ident, str) and ident else _unique(slug(heading), seen)
            headings.append((level, heading, anchor))
        elif element.find_parent(_BLOCKS) is None:
            separator = "" if element.name == "pre" else " "
            content = element.get_text(separator, strip=element.name != "pre")
            buffer.append(("- " + content) if element.name == "li" else content)
    flush()
    if not sections:
        loose = root.get_text("\n", strip=True)
        if loose:
            sections.append(Section((), loose))
    return Parsed(title or default_title, tuple(sections))


def parse_text(text: str, default_title: str) -> Parsed:
    body = _BLANKS.sub("\n\n", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return Parsed(default_title, (Section((), body),) if body else ())


def parse_pdf(data: bytes, default_title: str, name: str) -> Parsed:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its complaints become our one error line
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InvalidInput(f"{name}: the PDF is encrypted")
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
        sections = []
        for number, page in enumerate(reader.pages, start=1):
            body = _BLANKS.sub("\n\n", (page.extract_text() or "").strip())
            if body:
                sections.append(Section((f"p. {number}",), body, f"page={number}"))
    except InvalidInput:
        raise
    except Exception as exc:  # a third-party parser on untrusted bytes: any failure is bad input
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise InvalidInput(f"{name}: not a readable PDF ({type(exc).__name__}: {detail})") from exc
    return Parsed(str(meta_title).strip() or default_title, tuple(sections))
