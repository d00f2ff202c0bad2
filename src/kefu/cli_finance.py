"""The finance pack's commands: ``kefu data import tau-banking DIR`` and ``kefu data export tau-banking
OUT.json`` (the bank's state in τ²-bench banking's ``db.json`` format), and the demo bank."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kefu.cli import DbOption, friendly, import_app, settings
from kefu.cli_data_export import export_app
from kefu.config import Settings
from kefu.packs.finance.bank import Record

if TYPE_CHECKING:
    from kefu.store.sql.bank import SqlBank


def _bank(config: Settings) -> SqlBank:
    from kefu.store.sql.bank import SqlBank
    from kefu.store.sql.database import make_engine, upgrade

    engine = make_engine(config.database_url)
    upgrade(engine)
    return SqlBank(engine)


def seed_demo_bank(config: Settings, seed: int = 7) -> tuple[dict[str, int], list[Record]]:
    """Replace the bank's data with the generated bilingual demo bank."""
    from kefu.packs.finance.demo_data import demo_customers, generate_demo_bank

    data = generate_demo_bank(seed=seed)
    return _bank(config).load(data, replace=True), demo_customers(data)


def bank_is_empty(config: Settings) -> bool:
    return _bank(config).is_empty()


@import_app.command("tau-banking")
@friendly
def import_tau_banking(
    directory: Annotated[
        Path, typer.Argument(help="τ²-bench banking data: a directory with db.json, or the file.")
    ],
    database_url: DbOption = None,
) -> None:
    """Replace the bank's data with τ²-bench's banking db.json (every table, as it is)."""
    from kefu.packs.finance.tau_io import load_tau_banking

    counts = _bank(settings(database_url)).load(load_tau_banking(directory), replace=True)
    typer.echo(
        f"kefu: imported τ² banking: {counts.get('users', 0)} users, {counts.get('accounts', 0)} accounts, "
        f"{sum(counts.values())} records in {len(counts)} tables"
    )


@export_app.command("tau-banking")
@friendly
def export_tau_banking(
    out: Annotated[Path, typer.Argument(help="The JSON file to write (τ²-bench banking db.json format).")],
    database_url: DbOption = None,
) -> None:
    """Write the bank's tables as τ²-bench's banking db.json."""
    from kefu.packs.finance.tau_io import write_export

    counts = write_export(_bank(settings(database_url)), out)
    typer.echo(f"kefu: exported τ² banking to {out}: {sum(counts.values())} records in {len(counts)} tables")
