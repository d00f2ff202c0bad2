"""``kefu data purge`` (retention) and ``kefu vault rotate`` (re-encrypt under the current key)."""

from __future__ import annotations

from typing import Annotated

import typer

from kefu.cli import DbOption, app, data_app, fail, friendly, settings
from kefu.config import with_secrets

vault_app = typer.Typer(help="The encrypted vault of original personal values.", no_args_is_help=True)
app.add_typer(vault_app, name="vault")


@data_app.command("purge")
@friendly
def data_purge(
    days: Annotated[
        int | None,
        typer.Option(min=1, max=36500, help="Purge conversations idle this many days (KEFU_RETENTION_DAYS)."),
    ] = None,
    database_url: DbOption = None,
) -> None:
    """Delete conversations whose last activity is older than the retention period, with their messages,
    handoffs, review items and vault entries; prints the counts and writes one audit record."""
    from kefu.guard.erasure import subject_hasher
    from kefu.store.sql.database import make_engine, upgrade
    from kefu.store.sql.erasure import SqlPrivacyStore

    config = with_secrets(settings(database_url))
    period = days or config.retention_days
    if period is None:
        fail("no retention period: pass --days N or set KEFU_RETENTION_DAYS")
        return
    engine = make_engine(config.database_url)
    upgrade(engine)
    report = SqlPrivacyStore(engine, subject_hasher(config.secret_key or "")).purge(period, "cli:data-purge")
    counts = report.counts
    typer.echo(
        f"kefu: purged what was idle since before {report.cutoff.isoformat(timespec='seconds')} "
        f"({period} days): {counts.conversations} conversations, {counts.messages} messages "
        f"({counts.events} events), {counts.handoffs} handoffs, {counts.review_items} review items, "
        f"{counts.vault_entries} vault entries, {counts.customers} customers; audit record {report.audit_id}"
    )


@vault_app.command("rotate")
@friendly
def vault_rotate(database_url: DbOption = None) -> None:
    """Re-encrypt every vault entry under the current KEFU_SECRET_KEY. Put the previous secret in
    KEFU_RETIRED_SECRET_KEYS first; once this reports success it can be removed."""
    from kefu.guard.vault import Keyring, Vault
    from kefu.store.sql.audit import SqlAuditLog
    from kefu.store.sql.database import make_engine, upgrade
    from kefu.store.sql.vault import SqlVaultStore

    config = with_secrets(settings(database_url))
    engine = make_engine(config.database_url)
    upgrade(engine)
    keyring = Keyring.from_settings(config.secret_key, config.retired_secret_keys)
    audit = SqlAuditLog(engine)
    report = Vault(SqlVaultStore(engine), keyring, audit.record).rotate()
    audit.record(
        "cli:vault-rotate",
        "vault.rotated",
        None,
        {"counts": {"rotated": report.rotated, "total": report.total}, "key_id": report.current_key_id},
    )
    typer.echo(
        f"kefu: re-encrypted {report.rotated} of {report.total} vault entries; "
        f"all are now under key {report.current_key_id}"
    )
