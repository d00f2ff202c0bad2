"""The education pack's data commands: ``kefu data import school FILE`` and ``kefu data export school
OUT.json`` (the school JSON format of ``docs/education-data.md``), and the demo school that ``kefu demo
seed`` loads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kefu.cli import DbOption, friendly, import_app, settings
from kefu.cli_data_export import export_app
from kefu.config import Settings
from kefu.domain.errors import InvalidInput
from kefu.packs.education.demo_data import generate_school
from kefu.packs.education.school import SchoolError, parse_school
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.school import SqlSchool


def open_school(config: Settings) -> SqlSchool:
    engine = make_engine(config.database_url)
    upgrade(engine)
    return SqlSchool(engine)


def seed_demo_school(config: Settings, seed: int = 7) -> dict[str, int]:
    return open_school(config).load(generate_school(seed=seed), replace=True)


def school_is_empty(config: Settings) -> bool:
    return open_school(config).is_empty()


def print_demo_school(config: Settings, counts: dict[str, int]) -> None:
    typer.echo(
        f"kefu: demo school loaded: {counts['courses']} courses, {counts['teachers']} teachers, "
        f"{counts['students']} students, {counts['enrolments']} enrolments"
    )
    typer.echo("Try one of these students (verify: student number + date of birth, or a guardian's phone):")
    for s in open_school(config).snapshot().students[:4]:
        guardian = f", guardian phone {s['guardians'][0]['phone']}" if s.get("guardians") else ""
        typer.echo(f"  {s['display_name']}: {s['id']}, born {s['birth_date']}{guardian}")


@import_app.command("school")
@friendly
def import_school(
    file: Annotated[Path, typer.Argument(help="A school JSON file (docs/education-data.md).")],
    database_url: DbOption = None,
) -> None:
    """Replace the education pack's school with a school's own JSON file."""
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
        data = parse_school(raw)
    except (OSError, json.JSONDecodeError, SchoolError) as exc:
        raise InvalidInput(f"{file}: {exc}") from exc
    counts = open_school(settings(database_url)).load(data, replace=True)
    typer.echo("kefu: imported school: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


@export_app.command("school")
@friendly
def export_school(
    out: Annotated[Path, typer.Argument(help="Where to write the school JSON.")],
    database_url: DbOption = None,
) -> None:
    """Write the education pack's school as JSON (the same format import reads)."""
    data = open_school(settings(database_url)).snapshot()
    try:
        out.write_text(json.dumps(data.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from exc
    typer.echo(f"kefu: exported {len(data.courses)} courses, {len(data.students)} students to {out}")
