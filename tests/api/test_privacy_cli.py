"""``kefu data purge`` and ``kefu vault rotate``, run as real subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from kefu.domain.conversation import DialogueState
from kefu.guard.erasure import PURGED_ACTION, AuditQuery
from kefu.guard.vault import Keyring, Vault
from kefu.store.sql.audit import SqlAuditLog
from kefu.store.sql.conversations import SqlConversationStore
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.schema import ConversationRow
from kefu.store.sql.vault import SqlVaultStore

KEFU = str(Path(sys.executable).parent / "kefu")
OLD, NEW = "cli-old-secret-key-of-32-bytes-min!!", "cli-new-secret-key-of-32-bytes-min!!"


def kefu(*args: str, db: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    environment = {**base, "KEFU_SECRET_KEY": NEW, "KEFU_ADMIN_TOKEN": "adm", "KEFU_DATABASE_URL": db, **env}
    return subprocess.run(
        [KEFU, *args], capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def test_purge_removes_idle_conversations_and_says_how_many(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/kefu.db"
    engine = make_engine(db)
    upgrade(engine)
    store = SqlConversationStore(engine)
    old, recent = (store.create_conversation("retail", "en", None, DialogueState()) for _ in range(2))
    with engine.begin() as connection:
        connection.execute(
            update(ConversationRow)
            .where(ConversationRow.id == old.id)
            .values(updated_at=datetime.now(UTC) - timedelta(days=10))
        )
    result = kefu("data", "purge", "--days", "30", db=db)
    assert result.returncode == 0, result.stderr
    assert "(30 days): 0 conversations" in result.stdout
    by_setting = kefu("data", "purge", db=db, KEFU_RETENTION_DAYS="7")
    assert by_setting.returncode == 0, by_setting.stderr
    assert "(7 days): 1 conversations" in by_setting.stdout and "audit record" in by_setting.stdout
    assert store.get_conversation(recent.id).id == recent.id
    records = SqlAuditLog(engine).query(AuditQuery(action=PURGED_ACTION))
    assert [r.actor for r in records] == ["cli:data-purge", "cli:data-purge"]
    assert records[0].detail["counts"]["conversations"] == 1


def test_purge_refuses_bad_options(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/kefu.db"
    missing = kefu("data", "purge", db=db)
    assert missing.returncode == 2 and "kefu: error: no retention period" in missing.stderr
    for days in ("0", "-3", "soon"):
        bad = kefu("data", "purge", "--days", days, db=db)
        assert bad.returncode == 2 and "--days" in bad.stderr and "Traceback" not in bad.stderr
    url = kefu("data", "purge", "--days", "3", "--database-url", "mysql://nope", db=db)
    assert url.returncode == 2 and "unsupported database URL" in url.stderr


def test_rotate_re_encrypts_under_the_new_key(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/kefu.db"
    engine = make_engine(db)
    upgrade(engine)
    audit = SqlAuditLog(engine)
    old = Vault(SqlVaultStore(engine), Keyring(OLD), audit.record)
    ids = [old.put("PHONE", f"1390000000{i}", "c1") for i in range(3)]

    refused = kefu("vault", "rotate", db=db)
    assert refused.returncode == 2 and "cannot rotate" in refused.stderr
    assert "KEFU_RETIRED_SECRET_KEYS" in refused.stderr and "Traceback" not in refused.stderr
    rotated = kefu("vault", "rotate", db=db, KEFU_RETIRED_SECRET_KEYS=OLD)
    assert rotated.returncode == 0, rotated.stderr
    new = Vault(SqlVaultStore(engine), Keyring(NEW), audit.record)
    assert (
        f"re-encrypted 3 of 3 vault entries; all are now under key {new.keyring.current_id}" in rotated.stdout
    )
    assert [new.reveal(i, "test", "check rotation") for i in ids] == [f"1390000000{i}" for i in range(3)]
    again = kefu("vault", "rotate", db=db)
    assert again.returncode == 0 and "re-encrypted 0 of 3" in again.stdout
    assert kefu("vault", db=db).returncode == 2  # no subcommand: usage
