"""``kefu data export tau-retail`` as a real subprocess: an import of τ²'s db.json exports it byte for
byte, and a bad output path is one error line with exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KEFU = str(Path(sys.executable).parent / "kefu")


def kefu(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KEFU_DATABASE_URL": db, "KEFU_SECRET_KEY": "cli-test-secret-key-of-32-bytes-min"}
    return subprocess.run([KEFU, *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_import_then_export_round_trips_tau2s_db(tmp_path: Path, tau_dir: Path) -> None:
    db = f"sqlite:///{tmp_path}/kefu.db"
    imported = kefu("data", "import", "tau-retail", str(tau_dir), db=db)
    assert imported.returncode == 0, imported.stderr
    out = tmp_path / "db.json"
    exported = kefu("data", "export", "tau-retail", str(out), db=db)
    assert exported.returncode == 0, exported.stderr
    assert "500 users, 1000 orders, 50 products" in exported.stdout
    assert out.read_bytes() == (tau_dir / "tau2_db.json").read_bytes()


def test_a_bad_output_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/kefu.db"
    for out, message in ((tmp_path / "no" / "db.json", "no such directory"), (tmp_path, "is a directory")):
        result = kefu("data", "export", "tau-retail", str(out), db=db)
        assert result.returncode == 2
        assert result.stderr.strip().count("\n") == 0 and message in result.stderr
        assert "Traceback" not in result.stderr
