"""``kefu kb …`` and ``kefu eval retrieval``: loading a pack's knowledge and measuring its search."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kefu.cli import DbOption, app, eval_app, fail, friendly, settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from kefu.knowledge.service import KnowledgeBase

kb_app = typer.Typer(help="Knowledge base: ingest documents and FAQs.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


@kb_app.command("ingest")
@friendly
def kb_ingest(
    path: Annotated[Path, typer.Argument(help="A file or a directory (read recursively).")],
    pack: Annotated[str, typer.Option("--pack", help="The pack (tenant) the knowledge belongs to.")],
    lang: Annotated[str | None, typer.Option(help="zh or en for every passage (default: detected).")] = None,
    database_url: DbOption = None,
) -> None:
    """Ingest Markdown, HTML, text, PDF, FAQ (CSV/YAML/JSONL) and JSONL documents into a pack."""
    from kefu.knowledge.ingest import files_under
    from kefu.knowledge.service import check_pack

    if lang not in (None, "zh", "en"):
        fail(f"--lang must be zh or en, not {lang!r}")
    check_pack(pack)
    files = files_under(path)
    if not files:
        fail(f"{path}: no files to ingest")
    kb, engine = _knowledge_base(database_url)
    errors: list[str] = []
    with typer.progressbar(length=len(files), label="ingesting", file=typer.get_text_stream("stderr")) as bar:
        report = kb.ingest_path(pack, path, lang, on_file=lambda _: bar.update(1))
    for error in report.errors:
        errors.append(error)
        typer.echo(f"kefu: error: {error}", err=True)
    index = kb.index(pack)  # build (and cache) the index now, so the first question is fast
    ok = report.files - len(report.errors)
    typer.echo(
        f"kefu: pack {pack}: {ok} of {report.files} files ingested: {report.documents} documents "
        f"({report.changed} new or changed, {report.unchanged} unchanged), {report.chunks} passages; "
        f"{len(index.chunks) if index else 0} passages searchable"
    )
    engine.dispose()
    if errors:
        raise typer.Exit(code=2)


def _knowledge_base(database_url: str | None) -> tuple[KnowledgeBase, Engine]:
    from kefu.knowledge.service import KnowledgeBase, index_dir_for
    from kefu.store.sql.database import make_engine, upgrade
    from kefu.store.sql.knowledge import SqlKnowledgeStore

    config = settings(database_url)
    engine = make_engine(config.database_url)
    upgrade(engine)
    return KnowledgeBase(
        SqlKnowledgeStore(engine), index_dir_for(config.database_url, config.knowledge_dir)
    ), engine


@kb_app.command("search")
@friendly
def kb_search(
    query: Annotated[str, typer.Argument(help="A question in Chinese or English.")],
    pack: Annotated[str, typer.Option("--pack", help="The pack to search.")],
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=50, help="How many passages.")] = 5,
    database_url: DbOption = None,
) -> None:
    """Search a pack's knowledge: the best passages with their confidence and citation."""
    kb, engine = _knowledge_base(database_url)
    hits = kb.search(pack, query, k)
    if not hits:
        typer.echo(f"kefu: pack {pack} has no knowledge matching that")
    for number, hit in enumerate(hits, start=1):
        anchor = f"#{hit.chunk.anchor}" if hit.chunk.anchor else ""
        text = " ".join(hit.chunk.text.split())
        typer.echo(f"{number}. [{hit.confidence:.2f}] {hit.chunk.title}  ({hit.chunk.source}{anchor})")
        typer.echo(f"   {text[:200]}{'…' if len(text) > 200 else ''}")
    engine.dispose()


@kb_app.command("list")
@friendly
def kb_list(
    pack: Annotated[str, typer.Option("--pack", help="The pack.")],
    database_url: DbOption = None,
) -> None:
    """The documents of a pack: id, passages, source and title."""
    kb, engine = _knowledge_base(database_url)
    documents = kb.documents(pack)
    for document in documents:
        typer.echo(f"{document.id}  {document.chunks:5d}  {document.source}  {document.title}")
    typer.echo(f"kefu: pack {pack}: {len(documents)} documents, {sum(d.chunks for d in documents)} passages")
    engine.dispose()


@eval_app.command("retrieval")
@friendly
def eval_retrieval(
    kb: Annotated[Path, typer.Option("--kb", help="JSONL documents {id, title?, content}.")],
    queries: Annotated[Path, typer.Option("--queries", help="JSONL {query, relevant: [ids]}.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on the last line.")] = False,
) -> None:
    """Recall@1/@5, hit@5, MRR and latency of knowledge search on a labelled set."""
    from kefu.eval.retrieval import evaluate_retrieval, format_report, load_kb, load_queries

    report = evaluate_retrieval(load_kb(kb), load_queries(queries))
    typer.echo(format_report(report))
    if as_json:
        typer.echo(json.dumps(report.as_json()))
