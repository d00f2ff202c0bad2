"""Catalogue products by name (zh/en, synonyms, spelling), with the real τ² catalogue."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest
from resolve_support import glossary, tau_db

from kefu.dialogue.resolve.products import resolve_product

RESOLVED = [
    ("tshirt", "T-Shirt"),
    ("a t shirt", "T-Shirt"),
    ("T恤", "T-Shirt"),
    ("headphone", "Headphones"),
    ("头戴式耳机", "Headphones"),
    ("蓝牙耳机", "Wireless Earbuds"),
    ("earbuds", "Wireless Earbuds"),
    ("the cleaner", "Vacuum Cleaner"),
    ("吸尘器", "Vacuum Cleaner"),
    ("电水壶", "Electric Kettle"),
    ("a laptop", "Laptop"),
    ("笔记本电脑", "Laptop"),
    ("笔记本", "Notebook"),
    ("mechanical keybaord", "Mechanical Keyboard"),
    ("机械键盘", "Mechanical Keyboard"),
    ("power bank", "Portable Charger"),
    ("the smart watch", "Smart Watch"),
    ("the e-reader", "E-Reader"),
    ("how many tshirt options are available", "T-Shirt"),
    ("the 5K camera", "Action Camera"),
]


def _name(product_id: str) -> str:
    return str(tau_db()["products"][product_id]["name"])


@pytest.mark.parametrize(("text", "expected"), RESOLVED)
def test_resolves_the_product(text: str, expected: str) -> None:
    result = resolve_product(text, "en", tau_db()["products"], glossary=glossary())
    assert result.outcome == "resolved", (text, result)
    assert _name(result.value or "") == expected


AMBIGUOUS = [
    ("the camera", {"Action Camera", "Indoor Security Camera", "Digital Camera"}),
    ("the 4K camera", {"Action Camera", "Indoor Security Camera"}),
    ("kettle", {"Electric Kettle", "Tea Kettle"}),
    ("耳机", {"Wireless Earbuds", "Headphones"}),
    ("my watch", {"Wristwatch", "Smart Watch"}),
]


@pytest.mark.parametrize(("text", "expected"), AMBIGUOUS)
def test_several_products_fit(text: str, expected: set[str]) -> None:
    result = resolve_product(text, "en", tau_db()["products"], glossary=glossary())
    assert result.outcome == "ambiguous"
    assert {_name(c) for c in result.candidates} == expected


@pytest.mark.parametrize("text", ["hello", "what's the weather like", "I want a refund", "好的谢谢", "no"])
def test_nothing_named(text: str) -> None:
    assert resolve_product(text, "en", tau_db()["products"], glossary=glossary()).outcome == "none"


class _Letters:
    """A stand-in encoder outside kefu: bag of letters, enough to test the fallback's plumbing."""

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), 26), dtype=np.float32)
        for row, text in enumerate(texts):
            for char in text.lower():
                if "a" <= char <= "z":
                    out[row, ord(char) - 97] += 1
        return (out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def test_the_encoder_is_asked_only_when_no_word_matches() -> None:
    products = tau_db()["products"]
    by_meaning = resolve_product("skatbord thingy", "en", products, glossary=glossary(), encoder=_Letters())
    assert by_meaning.note.startswith("by_meaning")
    words = resolve_product("the skateboard", "en", products, glossary=glossary(), encoder=_Letters())
    assert (words.note, _name(words.value or "")) == ("", "Skateboard")
