"""``kefu eval scenarios``: a pack's scripted customers, scored by final business state."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kefu.cli import eval_app, friendly


@eval_app.command("scenarios")
@friendly
def eval_scenarios(
    pack: Annotated[str, typer.Option("--pack", help="The pack whose scenarios/*.yaml suites to run.")],
    suite: Annotated[
        str | None, typer.Option("--suite", help="One suite: its name, file stem, or a path to a YAML file.")
    ] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Only the scenario with this id.")
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="The initial data directory (default: the adapter's).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on the last line.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Each failure's differences and transcript.")
    ] = False,
) -> None:
    """Play the pack's scripted customers against the real engine and API; pass = expected final state
    and status."""
    from kefu.eval.scenario_report import format_report
    from kefu.eval.scenarios import run_scenarios, select_suites

    report = run_scenarios(pack, select_suites(pack, suite), data, scenario)
    typer.echo(format_report(report, verbose=verbose))
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
