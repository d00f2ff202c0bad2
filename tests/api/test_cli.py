"""The ``kefu`` command line, run as a real subprocess: happy paths and exit code 2 on bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

KEFU = str(Path(sys.executable).parent / "kefu")


def kefu(
    *args: str, db: str | None = None, stdin: str | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KEFU_SECRET_KEY": "cli-test-secret-key-of-32-bytes-min", "KEFU_ADMIN_TOKEN": "adm"}
    if db:
        env["KEFU_DATABASE_URL"] = db
    return subprocess.run(
        [KEFU, *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = kefu("--help")
    assert result.returncode == 0
    for command in ("serve", "chat", "db", "demo", "data"):
        assert command in result.stdout


def test_db_upgrade_seed_and_import(tmp_path: Path, tau_dir: Path) -> None:
    db = f"sqlite:///{tmp_path}/kefu.db"
    upgraded = kefu("db", "upgrade", db=db)
    assert upgraded.returncode == 0 and "up to date" in upgraded.stdout
    seeded = kefu("demo", "seed", db=db)
    assert seeded.returncode == 0 and "40 customers, 120 orders, 15 products" in seeded.stdout
    assert "@example.com" in seeded.stdout
    imported = kefu("data", "import", "tau-retail", str(tau_dir), db=db)
    assert imported.returncode == 0 and "500 users, 1000 orders, 50 products" in imported.stdout


def test_chat_in_the_terminal_in_chinese(tmp_path: Path) -> None:
    result = kefu(
        "chat",
        "--pack",
        "retail",
        "--lang",
        "zh",
        db=f"sqlite:///{tmp_path}/kefu.db",
        stdin="你好\n我要退货\n/quit\n",
    )
    assert result.returncode == 0, result.stderr
    assert "您好" in result.stdout and "验证" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("data", "import", "tau-retail", "/definitely/not/here"), "not found"),
        (("chat", "--lang", "fr"), "zh or en"),
        (("chat", "--pack", "casino"), "unknown pack"),
        (("db", "upgrade", "--database-url", "mysql://nope"), "unsupported database URL"),
        (("serve", "--port", "99999"), "--port"),
        (("no-such-command",), "No such command"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = kefu(*args, db=f"sqlite:///{tmp_path}/kefu.db", stdin="/quit\n")
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_import_rejects_a_malformed_dataset(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    for name in ("v1_users.json", "v1_orders.json", "v1_products.json"):
        (bad / name).write_text("{not json", encoding="utf-8")
    result = kefu("data", "import", "tau-retail", str(bad), db=f"sqlite:///{tmp_path}/kefu.db")
    assert result.returncode == 2 and "kefu: error:" in result.stderr and "Traceback" not in result.stderr


def test_train_and_eval_intents(tmp_path: Path) -> None:
    import json

    root = Path(__file__).resolve().parents[2]
    train = root / "src" / "kefu" / "packs" / "retail" / "intents.yaml"
    test = root / "tests" / "data" / "retail_intents_heldout.yaml"
    trained = kefu("train", "intents", str(train), "--out", str(tmp_path / "model"))
    assert trained.returncode == 0, trained.stderr
    assert (tmp_path / "model" / "meta.json").exists()
    evaluated = kefu(
        "eval", "intents", "--train", str(train), "--test", str(test), "--oos-label", "out_of_scope", "--json"
    )
    assert evaluated.returncode == 0, evaluated.stderr
    figures = json.loads(evaluated.stdout.strip().splitlines()[-1])
    for key in (
        "accuracy",
        "macro_f1",
        "oos_recall",
        "oos_precision",
        "in_scope_accuracy",
        "p50_ms",
        "p99_ms",
        "train_s",
    ):
        assert key in figures
    assert figures["accuracy"] >= 0.85 and figures["oos_recall"] >= 0.5


def test_eval_intents_bad_files_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    result = kefu("eval", "intents", "--train", str(bad), "--test", str(bad))
    assert result.returncode == 2 and "needs a 'text' column" in result.stderr
    missing = kefu("eval", "intents", "--train", str(tmp_path / "nope.csv"), "--test", str(bad))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_agents_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/kefu.db"
    added = kefu("agent", "add", "小李", "--langs", "zh", db=db)
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    assert token.startswith("ka_")
    listed = kefu("agent", "list", db=db)
    assert "小李" in listed.stdout and token not in listed.stdout  # only the hash is stored
    assert kefu("agent", "add", "小李", db=db).returncode == 2  # names are unique
    bad = kefu("agent", "add", "x", "--role", "boss", db=db)
    assert bad.returncode == 2 and "role must be one of" in bad.stderr
    seeded = kefu("demo", "seed", db=db)
    assert "/console  token: ka_" in seeded.stdout
