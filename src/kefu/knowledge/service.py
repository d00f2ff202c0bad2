"""``KnowledgeBase``: ingest into a pack, delete, and search it — always against the pack's latest content.

The store (the database) is the source of truth. Each process keeps one built index per pack and, at
most once per ``check_interval_s``, reads the pack's revision (one indexed row); when it moved — a
change by this process or any other worker — the index is reloaded from the cache directory (keyed by a
fingerprint of the content, so every worker shares one build) or rebuilt, reusing the vectors of
unchanged passages. No restart is needed after ingesting.

A change never stalls a customer's turn (issue #16): the writer rebuilds the index in its own call
(an admin's request, or a background upload job) and saves it to the shared cache; another worker that
notices the new revision loads that build, and when it has to build one itself it does so in a
background thread and keeps answering from the previous index until the new one is ready."""

from __future__ import annotations

import logging
import re
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kefu.domain.errors import InvalidInput
from kefu.knowledge.confidence import Calibration
from kefu.knowledge.documents import DocumentDraft, DocumentInfo, KnowledgeStore, UpsertResult
from kefu.knowledge.formats import parse_bytes, parse_text_content
from kefu.knowledge.index import Encoder, HybridIndex, IndexConfig, KnownVectors, fingerprint
from kefu.knowledge.ingest import FileResult, read_path
from kefu.knowledge.types import Hit

log = logging.getLogger("kefu.knowledge")
PACK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
MAX_K = 50


def check_pack(pack: str) -> str:
    if not PACK_NAME.match(pack or ""):
        raise InvalidInput(f"invalid pack name {pack!r} (letters, digits, '_', '-', '.'; at most 64)")
    return pack


def shared_encoder_or_none() -> Encoder | None:
    from kefu.nlu.encoder import EncoderUnavailable, shared_encoder

    try:
        return shared_encoder()
    except EncoderUnavailable as exc:
        log.warning("knowledge search without vectors (BM25 only): %s", exc.message)
        return None


@dataclass
class IngestReport:
    files: int = 0
    documents: int = 0
    changed: int = 0
    unchanged: int = 0
    chunks: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class _PackState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    index: HybridIndex | None = None
    revision: int = -1
    checked_at: float = float("-inf")
    rebuilding: bool = False


class KnowledgeBase:
    def __init__(
        self,
        store: KnowledgeStore,
        cache_dir: Path | str | None = None,
        encoder: Callable[[], Encoder | None] = shared_encoder_or_none,
        config: IndexConfig | None = None,
        calibration: Calibration | None = None,
        check_interval_s: float = 1.0,
    ) -> None:
        self.store = store
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.config = config or IndexConfig()
        self.calibration = calibration or Calibration()
        self.check_interval_s = check_interval_s
        self._encoder_factory = encoder
        self._encoder: Encoder | None = None
        self._encoder_loaded = False
        self._states: dict[str, _PackState] = {}
        self._states_lock = threading.Lock()
        self.builds = 0  # indexes built from scratch (not loaded from the cache), for tests and metrics
        self.loads = 0

    # -- writing -------------------------------------------------------------------------------
    def ingest(self, pack: str, drafts: Iterable[DocumentDraft]) -> list[UpsertResult]:
        check_pack(pack)
        results = self.store.upsert_many(pack, list(drafts))
        self._touch(pack)
        return results

    def add_content(
        self,
        pack: str,
        source: str,
        content: str,
        fmt: str = "md",
        title: str | None = None,
        lang: str | None = None,
    ) -> list[UpsertResult]:
        """Ingest text given directly (the HTTP API).

        ``fmt`` is md, html, txt, faq_csv, faq_yaml, faq_jsonl or jsonl."""
        if not source.strip():
            raise InvalidInput("source must not be empty")
        return self.ingest(pack, parse_text_content(content, source, fmt, source, lang, title))

    def add_file(self, pack: str, name: str, data: bytes, lang: str | None = None) -> list[UpsertResult]:
        return self.ingest(pack, parse_bytes(data, name, source=name, lang=lang))

    def ingest_path(
        self,
        pack: str,
        path: Path,
        lang: str | None = None,
        on_file: Callable[[FileResult], None] | None = None,
    ) -> IngestReport:
        """Ingest a file or every file below a directory; a bad file is reported, the rest ingested."""
        check_pack(pack)
        report = IngestReport()
        for result in read_path(path, lang):
            report.files += 1
            if result.error is not None:
                report.errors.append(result.error)
            else:
                for upsert in self.ingest(pack, result.drafts):
                    report.documents += 1
                    report.chunks += upsert.document.chunks
                    report.changed += upsert.changed
                    report.unchanged += not upsert.changed
            if on_file is not None:
                on_file(result)
        return report

    def delete(self, document_id: str, pack: str | None = None) -> DocumentInfo:
        info = self.store.delete(pack, document_id)
        self._touch(info.pack)
        return info

    def documents(self, pack: str) -> list[DocumentInfo]:
        return self.store.documents(check_pack(pack))

    # -- reading -------------------------------------------------------------------------------
    def search(self, pack: str, query: str, k: int = 5) -> list[Hit]:
        if not 1 <= k <= MAX_K:
            raise InvalidInput(f"k must be between 1 and {MAX_K}")
        index = self.index(check_pack(pack))
        return index.search(query, k) if index is not None else []

    def index(self, pack: str) -> HybridIndex | None:
        """The pack's index, reloaded when the pack's revision moved since the last check. Only the very
        first build of a pack is waited for; later rebuilds run in the background."""
        state = self._state(pack)
        now = time.monotonic()
        if now - state.checked_at < self.check_interval_s:
            return state.index
        if not state.lock.acquire(blocking=state.index is None):
            return state.index  # another thread is reloading: answer from the current index meanwhile
        try:
            if time.monotonic() - state.checked_at < self.check_interval_s:
                return state.index
            revision = self.store.revision(pack)
            if revision != state.revision and not state.rebuilding:
                if state.index is None:
                    state.index = self._load_or_build(pack, None)
                    state.revision = revision
                else:
                    cached = self._load_or_build(pack, state.index, build=False)
                    if cached is not None or not self.store.chunks(pack):
                        state.index, state.revision = cached, revision
                    else:
                        state.rebuilding = True
                        worker = threading.Thread(target=self._rebuild, args=(pack, revision), daemon=True)
                        worker.start()
            state.checked_at = time.monotonic()
            return state.index
        finally:
            state.lock.release()

    def _rebuild(self, pack: str, revision: int) -> None:
        """Build the pack's new index off the request path, then swap it in."""
        state = self._state(pack)
        try:
            built = self._load_or_build(pack, state.index)
            with state.lock:
                state.index, state.revision = built, revision
                state.checked_at = float("-inf")  # look again: the pack may have moved meanwhile
        except Exception:  # the previous index keeps serving; the next check tries again
            log.exception("rebuilding the knowledge index of %s failed", pack)
        finally:
            state.rebuilding = False

    def encoder(self) -> Encoder | None:
        if not self._encoder_loaded:
            self._encoder = self._encoder_factory()
            self._encoder_loaded = True
        return self._encoder

    # -- internals -----------------------------------------------------------------------------
    def _state(self, pack: str) -> _PackState:
        with self._states_lock:
            return self._states.setdefault(pack, _PackState())

    def _touch(self, pack: str) -> None:
        """After a change by this process: rebuild now, in the writer's call (customers' searches keep the
        previous index meanwhile), and save the build for the other workers."""
        state = self._state(pack)
        with state.lock:
            revision = self.store.revision(pack)
            state.index = self._load_or_build(pack, state.index)
            state.revision = revision
            state.checked_at = time.monotonic()

    def _load_or_build(
        self, pack: str, previous: HybridIndex | None, build: bool = True
    ) -> HybridIndex | None:
        """The index of the pack's current content: ``previous`` if unchanged, else a cached build, else
        (when ``build``) a new build; ``None`` for an empty pack or (not ``build``) nothing cached."""
        chunks = self.store.chunks(pack)
        if not chunks:
            return None
        encoder = self.encoder()
        key = fingerprint(chunks, self.config) + ("" if encoder is not None else "-bm25")
        if previous is not None and previous.fingerprint == key:
            return previous
        directory = self.cache_dir / _safe(pack) / key if self.cache_dir is not None else None
        if directory is not None and directory.is_dir():
            loaded = HybridIndex.load(directory, chunks, self.config, encoder)
            if loaded is not None:
                loaded.calibration = self.calibration
                loaded.fingerprint = key
                self.loads += 1
                return loaded
        if not build:
            return None
        reuse: HybridIndex | KnownVectors | None = previous
        if reuse is None and directory is not None and encoder is not None:
            reuse = self._latest_saved(directory.parent)
        built = HybridIndex.build(chunks, encoder, self.config, reuse)
        built.calibration = self.calibration
        built.fingerprint = key
        self.builds += 1
        if directory is not None:
            self._save(built, directory)
        return built

    @staticmethod
    def _latest_saved(pack_dir: Path) -> KnownVectors | None:
        """Vectors of the newest saved build of the pack (e.g. by another worker, before a change)."""
        try:
            builds = sorted(
                (d for d in pack_dir.iterdir() if d.is_dir() and not d.name.startswith(".")),
                key=lambda d: d.stat().st_mtime,
                reverse=True,
            )
        except OSError:
            return None
        return next((v for v in map(HybridIndex.saved_vectors, builds) if v is not None), None)

    def _save(self, index: HybridIndex, directory: Path) -> None:
        """Write to a temporary directory and rename, so another worker never reads half an index."""
        staging = directory.parent / f".{directory.name}.{uuid.uuid4().hex[:8]}"
        try:
            index.save(staging)
            try:
                staging.rename(directory)
            except OSError:  # another worker saved the same content first
                shutil.rmtree(staging, ignore_errors=True)
            for old in directory.parent.iterdir():
                if old.name != directory.name and not old.name.startswith("."):
                    shutil.rmtree(old, ignore_errors=True)
        except OSError as exc:
            log.warning("could not cache the knowledge index in %s: %s", directory, exc)
            shutil.rmtree(staging, ignore_errors=True)


def _safe(pack: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-]", "_", pack)


def index_dir_for(database_url: str, configured: str | None = None) -> Path:
    """Where built indexes are cached: ``KEFU_KNOWLEDGE_DIR``, else beside the SQLite file, else
    ./.kefu_index."""
    if configured:
        return Path(configured)
    if database_url.startswith("sqlite:///") and ":memory:" not in database_url:
        return Path(database_url.removeprefix("sqlite:///")).resolve().parent / ".kefu_index"
    return Path(".kefu_index").resolve()
