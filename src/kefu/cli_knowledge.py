"""``kefu kb …`` and ``kefu eval retrieval``: loading a pack's knowledge and measuring its search."""

from __future__ import annotations

import typer

from kefu.cli import app

kb_app = typer.Typer(help="Knowledge base: ingest documents and FAQs.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")
