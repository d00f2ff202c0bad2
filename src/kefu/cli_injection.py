"""``kefu eval injection``: recall and false-positive rate of the prompt-injection rail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kefu.cli import eval_app, friendly


@eval_app.command("injection")
@friendly
def eval_injection(
    data: Annotated[
        Path, typer.Option("--data", help="JSONL {text, label: 1 attack | 0 benign, lang?, kind?}.")
    ],
    passages: Annotated[
        bool,
        typer.Option("--passages", help="Texts are retrieved documents or tool output (indirect injection)."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on the last line.")] = False,
) -> None:
    """Recall, precision, false-positive rate and latency of the prompt-injection detector."""
    from kefu.eval.injection import evaluate_injection, format_report, load_examples

    report = evaluate_injection(load_examples(data), passages=passages)
    typer.echo(format_report(report))
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
