"""The multilingual sentence encoder that ships in a pip package, run for real."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kefu.nlu.encoder import DIMENSIONS, EncoderUnavailable, SentenceEncoder, shared_encoder, verify


def test_vectors_are_normalised_and_batched_consistently() -> None:
    encoder = shared_encoder()
    texts = [f"where is my order number {i}" for i in range(70)] + ["", "   "]
    batched = encoder.encode(texts, batch_size=16)
    assert batched.shape == (72, DIMENSIONS) and batched.dtype == np.float32
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-4)
    one = encoder.encode([texts[5]])[0]
    assert float(one @ batched[5]) > 0.999
    assert encoder.encode([]).shape == (0, DIMENSIONS)


def test_chinese_and_english_meet_in_one_space() -> None:
    v = shared_encoder().encode(
        ["我的卡还没到", "My card has not arrived yet", "怎么修改密码", "how do I change my PIN"]
    )
    assert v[0] @ v[1] > v[0] @ v[3] + 0.2
    assert v[2] @ v[3] > v[2] @ v[1] + 0.2


def test_a_tampered_model_file_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(EncoderUnavailable, match="bytes"):
        verify(fake)
    with pytest.raises(EncoderUnavailable):
        SentenceEncoder(path=fake)
