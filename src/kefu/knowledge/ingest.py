"""Files and directories → document drafts, one file at a time, so one bad file never stops a batch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kefu.domain.errors import InvalidInput, KefuError
from kefu.knowledge.documents import DocumentDraft
from kefu.knowledge.formats import FORMATS_BY_SUFFIX, MAX_FILE_BYTES, parse_bytes


@dataclass(frozen=True)
class FileResult:
    path: Path
    drafts: tuple[DocumentDraft, ...] = ()
    error: str | None = None


def files_under(path: Path) -> list[Path]:
    """``path`` itself, or every file below the directory ``path`` (hidden ones skipped), sorted."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InvalidInput(f"{path}: no such file or directory")
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )


def source_name(file: Path, root: Path) -> str:
    """The ``source`` of a file: its path relative to the directory given, else its name."""
    if root.is_dir():
        return file.relative_to(root).as_posix()
    return file.name


def read_file(file: Path, root: Path, lang: str | None = None) -> FileResult:
    name = source_name(file, root)
    try:
        if file.suffix.lower() not in FORMATS_BY_SUFFIX:
            parse_bytes(b"x", name)  # raises the "unknown file type" error
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidInput(
                f"{name}: too large ({size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MiB)"
            )
        drafts = parse_bytes(file.read_bytes(), name, source=name, lang=lang)
    except KefuError as exc:
        return FileResult(file, error=exc.message)
    except OSError as exc:
        return FileResult(file, error=f"{name}: cannot read ({exc.strerror or exc})")
    except RecursionError:
        return FileResult(file, error=f"{name}: too deeply nested to parse")
    return FileResult(file, tuple(drafts))


def read_path(path: Path, lang: str | None = None) -> Iterator[FileResult]:
    for file in files_under(path):
        yield read_file(file, path, lang)
