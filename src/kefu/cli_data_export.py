"""``kefu data export tau-retail OUT.json``: the demo business system's state in τ²-bench's ``db.json``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kefu.cli import DbOption, data_app, friendly, settings

export_app = typer.Typer(help="Export the demo business system's data.", no_args_is_help=True)
data_app.add_typer(export_app, name="export")


@export_app.command("tau-retail")
@friendly
def export_tau_retail(
    out: Annotated[Path, typer.Argument(help="The JSON file to write (τ²-bench retail db.json format).")],
    database_url: DbOption = None,
) -> None:
    """Write the shop's products, users and orders as τ²-bench's retail db.json."""
    from kefu.packs.retail.tau_export import write_export
    from kefu.store.sql.database import make_engine, upgrade
    from kefu.store.sql.shop import SqlRetailShop

    engine = make_engine(settings(database_url).database_url)
    upgrade(engine)
    counts = write_export(SqlRetailShop(engine), out)
    typer.echo(
        f"kefu: exported τ²-bench retail to {out}: {counts['users']} users, {counts['orders']} orders, "
        f"{counts['products']} products"
    )
