"""The pack glossary: catalogue words in Chinese and their other English spellings."""

from __future__ import annotations

from pathlib import Path

import pytest
from resolve_support import GLOSSARY_PATH, glossary, tau_db

from kefu.dialogue.resolve.glossary import Glossary
from kefu.domain.errors import InvalidInput


def test_every_catalogue_word_has_a_chinese_name() -> None:
    g = glossary()
    products = tau_db()["products"].values()
    names = {p["name"] for p in products}
    options = {o for p in products for v in p["variants"].values() for o in v["options"]}
    assert all(g.product_terms(n).zh for n in names), [n for n in names if not g.product_terms(n).zh]
    assert all(g.option_terms(o).zh for o in options), [o for o in options if not g.option_terms(o).zh]


@pytest.mark.parametrize(
    ("word", "zh"),
    [
        ("black", "黑色"),
        ("Wireless Earbuds", "无线耳机"),
        ("clicky", "青轴"),
        ("color", "颜色"),
        ("full size", "全尺寸"),
    ],
)
def test_display_in_the_customers_language(word: str, zh: str) -> None:
    assert glossary().display(word, "zh") == zh
    assert glossary().display(word, "en") == word
    assert glossary().display("1000ml", "zh") == "1000ml"  # no translation: the catalogue's word


def test_canonical_rewrites_chinese_words_to_the_catalogue_words() -> None:
    g = glossary()
    assert g.canonical("黑色的机械键盘 青轴") == "black 的 Mechanical Keyboard clicky"
    assert g.canonical("我想退蓝牙耳机") == "我想退 Wireless Earbuds"
    assert g.canonical("the black one") == "the black one"
    assert g.canonical("要黑的") == "要 black"


def test_an_empty_glossary_knows_nothing() -> None:
    g = Glossary.empty()
    assert g.display("black", "zh") == "black"
    assert g.canonical("黑色") == "黑色"
    assert g.product_names() == ()


def test_a_business_extends_the_glossary(tmp_path: Path) -> None:
    extra = tmp_path / "glossary.yaml"
    extra.write_text(
        GLOSSARY_PATH.read_text(encoding="utf-8").replace(
            "  Perfume: {zh: [香水], en: [fragrance, cologne]}",
            "  Perfume: {zh: [香水, 香氛], en: [fragrance, cologne, eau de toilette]}",
        ),
        encoding="utf-8",
    )
    g = Glossary.load(extra)
    assert "香氛" in g.product_terms("Perfume").zh
    assert "eau de toilette" in g.product_terms("perfume").en


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("products: [1, 2]", "products"),
        ("values: {black: {zh: 黑色, fr: [noir]}}", "values.black.fr"),
        ("products: {Lamp: {zh: [台灯", "cannot read glossary"),
    ],
)
def test_a_broken_glossary_is_a_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        Glossary.load(path)
    with pytest.raises(InvalidInput, match="cannot read glossary"):
        Glossary.load(tmp_path / "missing.yaml")


def test_a_value_is_shown_and_read_as_its_options_value() -> None:
    g = glossary()
    assert g.display("low", "zh", option="ventilation") == "低通风"
    assert g.display("low", "zh", option="brightness") == "低亮度"
    assert g.display("yes", "zh", option="waterproof") == "防水"
    assert g.display("low", "zh") == "low"  # no option, no guess
    assert "低通风" in g.value_terms("low", "ventilation").zh
    assert "低通风" not in g.value_terms("low", "brightness").zh
