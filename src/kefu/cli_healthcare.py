"""The healthcare pack's data commands: ``kefu data import hospital FILE`` and
``kefu data export hospital OUT.json`` (the ``kefu-hospital/1`` format of ``docs/healthcare-data.md``),
and the demo hospital that ``kefu demo seed`` loads."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kefu.cli import DbOption, friendly, import_app, settings
from kefu.cli_data_export import export_app
from kefu.config import Settings, with_secrets
from kefu.guard.vault import Keyring
from kefu.packs.healthcare.demo_data import DEMO_PATIENTS, generate_demo_hospital
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.hospital import SqlHospital


def open_hospital(config: Settings) -> SqlHospital:
    """The hospital in the configured database, sealed under the same key the server uses."""
    config = with_secrets(config)
    engine = make_engine(config.database_url)
    upgrade(engine)
    return SqlHospital(engine, Keyring.from_settings(config.secret_key, config.retired_secret_keys))


def seed_demo_hospital(config: Settings, seed: int = 7) -> dict[str, int]:
    return open_hospital(config).load(generate_demo_hospital(seed=seed), replace=True)


def hospital_is_empty(config: Settings) -> bool:
    return open_hospital(config).counts()["departments"] == 0


def print_demo_hospital(counts: dict[str, int]) -> None:
    typer.echo(
        f"kefu: demo hospital loaded: {counts['departments']} departments, {counts['doctors']} doctors, "
        f"{counts['slots']} slots, {counts['patients']} patients"
    )
    typer.echo("Try one of these patients (verify with mobile number + date of birth):")
    for _, name_zh, name_en, phone, birth, lang in DEMO_PATIENTS:
        typer.echo(f"  {name_zh if lang == 'zh' else name_en}: {phone}, born {birth}")


@import_app.command("hospital")
@friendly
def import_hospital(
    file: Annotated[Path, typer.Argument(help="A kefu-hospital/1 JSON file (docs/healthcare-data.md).")],
    database_url: DbOption = None,
) -> None:
    """Replace the healthcare pack's hospital data with a hospital's own JSON file."""
    from kefu.packs.healthcare.hospital_json import read_hospital

    data = read_hospital(file)
    counts = open_hospital(settings(database_url)).load(data, replace=True)
    typer.echo(
        f"kefu: imported hospital {data.hospital.get('name', '')}: "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
    )


@export_app.command("hospital")
@friendly
def export_hospital(
    out: Annotated[Path, typer.Argument(help="The JSON file to write (kefu-hospital/1 format).")],
    database_url: DbOption = None,
) -> None:
    """Write the hospital's departments, doctors, slots, patients, appointments and measurements."""
    from kefu.packs.healthcare.hospital_json import write_hospital

    counts = write_hospital(open_hospital(settings(database_url)).snapshot(), out)
    typer.echo(f"kefu: exported the hospital to {out}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
