"""Vault and erasure costs on this machine: AES-GCM vault put / reveal (each one SQL round trip, the read
also writes its audit record), erasing one customer with many conversations, and a retention purge.

Run from the repository root::

    .venv/bin/python benchmarks/privacy.py [--conversations 2000] [--database-url URL] [--json]

``--database-url`` must be a scratch database (it erases and purges), e.g. a PostgreSQL schema of its
own: ``postgresql://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbench`` after
``CREATE SCHEMA bench``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from kefu.domain.conversation import DialogueState
from kefu.domain.messages import ConversationStatus, OutgoingMessage
from kefu.engine.ports import IncomingMessage, TurnRecord
from kefu.guard.erasure import subject_hasher
from kefu.guard.vault import Keyring, Vault
from kefu.store.sql.audit import SqlAuditLog
from kefu.store.sql.conversations import SqlConversationStore
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.erasure import SqlPrivacyStore
from kefu.store.sql.schema import ConversationRow
from kefu.store.sql.vault import SqlVaultStore

SECRET = "benchmark-secret-key-of-at-least-32-bytes"


def ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def fill(store: SqlConversationStore, customer: str | None, conversations: int, turns: int) -> list[str]:
    ids = []
    for _ in range(conversations):
        conversation = store.create_conversation("retail", "en", customer, DialogueState())
        for turn in range(turns):
            record = TurnRecord(
                incoming=IncomingMessage(f"message {turn} with some words", "en", f"m{turn}"),
                replies=[OutgoingMessage(f"reply {turn}", "en")],
                state=DialogueState(),
                status=ConversationStatus.BOT,
            )
            store.commit_turn(conversation.id, turn * 2, record)
        ids.append(conversation.id)
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=2000, help="conversations for the purge")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    engine = make_engine(url)
    upgrade(engine)
    store = SqlConversationStore(engine)
    vault = Vault(SqlVaultStore(engine), Keyring(SECRET), SqlAuditLog(engine).record)
    privacy = SqlPrivacyStore(engine, subject_hasher(SECRET))

    puts, reveals = [], []
    for i in range(300):
        started = time.perf_counter()
        entry = vault.put("PHONE", f"138{i:08d}", "c-bench", "conv-bench")
        puts.append(time.perf_counter() - started)
        started = time.perf_counter()
        vault.reveal(entry, "bench", "measure")
        reveals.append(time.perf_counter() - started)

    fill(store, "customer-bench", 50, 5)
    started = time.perf_counter()
    erased = privacy.erase_customer("customer-bench", "bench")
    erase_s = time.perf_counter() - started

    ids = fill(store, None, args.conversations, 3)
    with engine.begin() as connection:
        connection.execute(update(ConversationRow).values(updated_at=datetime.now(UTC) - timedelta(days=400)))
    started = time.perf_counter()
    purged = privacy.purge(365, "bench")
    purge_s = time.perf_counter() - started
    assert purged.counts.conversations >= len(ids)
    engine.dispose()

    figures = {
        "vault_put_p50_ms": ms(puts),
        "vault_reveal_p50_ms": ms(reveals),
        "erase_customer_ms": round(erase_s * 1000, 1),
        "erased_events": erased.counts.events,
        "purge_conversations": purged.counts.conversations,
        "purge_per_s": round(purged.counts.conversations / purge_s, 1),
        "database": url.split(":", 1)[0],
    }
    put, reveal, erase = (
        figures["vault_put_p50_ms"],
        figures["vault_reveal_p50_ms"],
        figures["erase_customer_ms"],
    )
    print(f"vault put p50 {put} ms, reveal (+ audit record) p50 {reveal} ms")
    print(f"erase one customer with 50 conversations ({erased.counts.events} events): {erase} ms")
    print(f"purge {purged.counts.conversations} conversations: {figures['purge_per_s']} conversations/s")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
