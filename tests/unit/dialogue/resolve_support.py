"""Shared data for the resolver tests: the τ² retail database read at run time, and the retail glossary."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from kefu.dialogue.resolve.glossary import Glossary
from kefu_test_support import TAU_RETAIL

Record = dict[str, Any]
GLOSSARY_PATH = Path(__file__).resolve().parents[3] / "src" / "kefu" / "packs" / "retail" / "glossary.yaml"


@lru_cache(maxsize=1)
def _load() -> Record | None:
    path = TAU_RETAIL / "tau2_db.json"
    if not path.is_file():
        return None
    data: Record = json.loads(path.read_text(encoding="utf-8"))
    return data


def tau_db() -> Record:
    data = _load()
    if data is None:
        pytest.skip(f"the τ² retail data is not at {TAU_RETAIL} (set KEFU_TAU_RETAIL_DIR)")
    return data


def product(name: str) -> Record:
    return next(p for p in tau_db()["products"].values() if p["name"] == name)


def variant_with(name: str, **options: str) -> Record:
    """The variant of product ``name`` with exactly these options (underscores stand for spaces)."""
    wanted = {k.replace("_", " "): v for k, v in options.items()}
    found = [v for v in product(name)["variants"].values() if v["options"] == wanted]
    assert len(found) == 1, (name, wanted)
    return dict(found[0])


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    return Glossary.load(GLOSSARY_PATH)
