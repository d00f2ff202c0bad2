"""``kefu eval pii``: precision, recall and F2 of PII detection per type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kefu.cli import eval_app, friendly

DATA_HELP = "Presidio-research JSON list: {full_text, spans:[{entity_type, start_position, end_position}]}."


@eval_app.command("pii")
@friendly
def eval_pii(
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            help=DATA_HELP,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on the last line.")] = False,
) -> None:
    """Per-type precision, recall, F2 and support of PII detection, plus micro (overlap matching)."""
    from kefu.eval.pii import evaluate, format_report, load_examples

    report = evaluate(load_examples(data))
    typer.echo(format_report(report))
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
