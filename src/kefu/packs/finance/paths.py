"""Where the τ²-bench banking data is read at run time (never copied into the repository):
``$KEFU_TAU_BANKING_DIR``, else ``../shared/data/tau2_banking_knowledge`` from the working directory or
from the source checkout."""

from __future__ import annotations

import os
from pathlib import Path

RELATIVE = Path("..") / "shared" / "data" / "tau2_banking_knowledge"
DOCS_FILE = "docs_kb.jsonl"


def tau_banking_dir() -> Path:
    if env := os.environ.get("KEFU_TAU_BANKING_DIR"):
        return Path(env)
    for base in (Path.cwd(), Path(__file__).resolve().parents[4]):
        if (base / RELATIVE).is_dir():
            return (base / RELATIVE).resolve()
    return (Path.cwd() / RELATIVE).resolve()
