"""The ``kefu`` command line. Every command exits 2 with one clear line on bad input."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

os.environ.setdefault("TYPER_USE_RICH", "0")  # plain one-line errors; must precede the typer import

import anyio
import typer

from kefu.config import Settings
from kefu.domain.errors import KefuError

app = typer.Typer(
    help="kefu (客服): self-hostable intelligent customer service.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
data_app = typer.Typer(help="Business data: import it; purge old conversations.", no_args_is_help=True)
import_app = typer.Typer(help="Import a dataset into the demo business system.", no_args_is_help=True)
train_app = typer.Typer(help="Train models.", no_args_is_help=True)
eval_app = typer.Typer(help="Measure models on labelled data.", no_args_is_help=True)
app.add_typer(train_app, name="train")
app.add_typer(eval_app, name="eval")
agent_app = typer.Typer(help="Human agents and admins.", no_args_is_help=True)
app.add_typer(agent_app, name="agent")
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(data_app, name="data")
data_app.add_typer(import_app, name="import")

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    typer.echo(f"kefu: error: {message}", err=True)
    raise typer.Exit(code=2)


def friendly(func: F) -> F:
    """Turn kefu's own errors (and a bad database URL) into one line and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KefuError as exc:
            fail(exc.message)
        except Exception as exc:
            from sqlalchemy.exc import SQLAlchemyError

            if isinstance(exc, SQLAlchemyError | OSError):
                fail(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
            raise

    return wrapper  # type: ignore[return-value]


def settings(database_url: str | None = None) -> Settings:
    return Settings(database_url=database_url) if database_url else Settings()


DbOption = Annotated[str | None, typer.Option("--database-url", help="Overrides KEFU_DATABASE_URL.")]


@app.command()
@friendly
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (KEFU_HOST).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (KEFU_PORT).")] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (needs PostgreSQL + Redis).")
    ] = 1,
    database_url: DbOption = None,
    limit_concurrency: Annotated[
        int | None,
        typer.Option(min=1, help="Answer 503 past this many connections+tasks (uvicorn; default none)."),
    ] = None,
) -> None:
    """Serve the HTTP API, WebSocket and web chat."""
    import uvicorn

    from kefu.app import create_app

    config = settings(database_url)
    hardening = server_limits(config, limit_concurrency)  # slow clients, header sizes (issue #16)
    bind_host, bind_port = host or config.host, port or config.port
    typer.echo(f"kefu: serving on http://{bind_host}:{bind_port}/  (API docs at /docs)")
    if workers > 1:
        if config.database_url.startswith("sqlite") or not config.redis_url:
            fail("--workers > 1 needs KEFU_DATABASE_URL=postgresql://… and KEFU_REDIS_URL")
        from kefu.config import with_secrets
        from kefu.store.sql.database import make_engine, upgrade

        # Once, before the workers start: they would race to migrate, or to generate different secrets.
        upgrade(make_engine(config.database_url))
        with_secrets(config, announce=typer.echo)
        os.environ["KEFU_DATABASE_URL"] = config.database_url  # the workers' create_app() reads it
        uvicorn.run(
            "kefu.app:create_app", factory=True, host=bind_host, port=bind_port, workers=workers, **hardening
        )
        return
    uvicorn.run(create_app(config), host=bind_host, port=bind_port, log_level="info", **hardening)


def server_limits(config: Settings, limit_concurrency: int | None = None) -> dict[str, Any]:
    """uvicorn options against slow and oversized clients (KEFU_HEADER_TIMEOUT_S, KEFU_BODY_TIMEOUT_S,
    KEFU_MAX_CONNECTIONS, KEFU_KEEP_ALIVE_S); see docs/security.md."""
    from kefu.api.slow_clients import GuardedH11Protocol

    return {
        "http": GuardedH11Protocol.configure(
            config.header_timeout_s, config.body_timeout_s, config.max_connections
        ),
        "timeout_keep_alive": config.keep_alive_s,
        "limit_concurrency": limit_concurrency,
        "h11_max_incomplete_event_size": 16 * 1024,  # request line + headers
    }


@db_app.command("upgrade")
@friendly
def db_upgrade(database_url: DbOption = None) -> None:
    """Create or migrate the schema (Alembic) to the latest revision."""
    from kefu.store.sql.database import make_engine, upgrade

    config = settings(database_url)
    upgrade(make_engine(config.database_url))
    typer.echo(f"kefu: database at {config.database_url} is up to date")


@demo_app.command("seed")
@friendly
def demo_seed(
    seed: Annotated[int, typer.Option(help="Random seed of the demo shop.")] = 7,
    database_url: DbOption = None,
) -> None:
    """Load the bilingual demo shop (products, customers, orders, shipments)."""
    from kefu.demo import demo_agent_token, seed_demo

    config = settings(database_url)
    counts, customers = seed_demo(config, seed=seed)
    typer.echo(
        f"kefu: demo shop loaded: {counts['users']} customers, {counts['orders']} orders, "
        f"{counts['products']} products"
    )
    typer.echo("Try one of these customers (verify by email, or by name + zip):")
    for row in customers:
        typer.echo(
            f"  {row.get('name', '')} <{row.get('email', '')}> zip {row.get('zip', '')}: "
            f"pending {row.get('pending_order_id', '')}, delivered {row.get('delivered_order_id', '')}"
        )
    from kefu.cli_finance import seed_demo_bank  # the finance pack's demo bank (#12)

    bank_counts, bank_customers = seed_demo_bank(config, seed=seed)
    typer.echo(f"kefu: demo bank loaded: {bank_counts['users']} customers (verify with two of email, phone…)")
    for row in bank_customers:
        typer.echo(f"  {row['name']} <{row['email']}> phone {row['phone']}")
    from kefu.cli_healthcare import print_demo_hospital, seed_demo_hospital  # the healthcare pack (#13)

    print_demo_hospital(seed_demo_hospital(config, seed=seed))
    from kefu.cli_education import print_demo_school, seed_demo_school  # the education pack (#14)

    print_demo_school(config, seed_demo_school(config, seed=seed))
    typer.echo(
        f"Agent console: http://{config.host}:{config.port}/console  token: {demo_agent_token(config)}"
    )


@import_app.command("tau-retail")
@friendly
def import_tau_retail(
    directory: Annotated[
        Path, typer.Argument(help="Folder with τ-bench retail v1_users/orders/products.json")
    ],
    database_url: DbOption = None,
) -> None:
    """Load τ-bench retail users, orders and products into the demo business system."""
    from kefu.demo import import_tau_retail as run_import

    counts = run_import(settings(database_url), directory)
    typer.echo(
        f"kefu: imported τ-bench retail: {counts['users']} users, {counts['orders']} orders, "
        f"{counts['products']} products"
    )


@agent_app.command("add")
@friendly
def agent_add(
    name: Annotated[str, typer.Argument(help="Display name, shown to customers (e.g. 小李 or Ann).")],
    role: Annotated[str, typer.Option(help="agent or admin.")] = "agent",
    packs: Annotated[str, typer.Option(help="Comma-separated packs this agent serves (empty = all).")] = "",
    langs: Annotated[str, typer.Option(help="Comma-separated languages, e.g. zh,en (empty = all).")] = "",
    capacity: Annotated[int, typer.Option(min=1, max=100, help="Conversations at once.")] = 5,
    database_url: DbOption = None,
) -> None:
    """Create an agent and print its bearer token (shown once; only its hash is stored)."""
    from kefu.store.sql.database import make_engine, upgrade
    from kefu.store.sql.handoffs import SqlHandoffStore

    engine = make_engine(settings(database_url).database_url)
    upgrade(engine)
    skills = {
        k: [v.strip() for v in value.split(",") if v.strip()]
        for k, value in (("packs", packs), ("langs", langs))
    }
    agent, token = SqlHandoffStore(engine).add_agent(name, role=role, skills=skills, capacity=capacity)
    typer.echo(f"kefu: agent {agent.name} ({agent.role}, id {agent.id}) created; bearer token (shown once):")
    typer.echo(token)


@agent_app.command("list")
@friendly
def agent_list(database_url: DbOption = None) -> None:
    """List agents with their role, skills, capacity and presence."""
    from kefu.store.sql.database import make_engine, upgrade
    from kefu.store.sql.handoffs import SqlHandoffStore

    engine = make_engine(settings(database_url).database_url)
    upgrade(engine)
    for agent in SqlHandoffStore(engine).agents():
        typer.echo(
            f"{agent.id}  {agent.name}  {agent.role}  {agent.presence}  capacity {agent.capacity}  "
            f"skills {agent.skills or 'all'}"
        )


@train_app.command("intents")
@friendly
def train_intents(
    file: Annotated[Path, typer.Argument(help="CSV (text + label/intent/category), JSONL or intents YAML")],
    out: Annotated[Path, typer.Option("--out", help="Directory to write the model to.")],
    oos_label: Annotated[str, typer.Option(help="Label of out-of-scope examples.")] = "out_of_scope",
) -> None:
    """Train an intent classifier from labelled examples."""
    from kefu.nlu.intent_data import load_labelled
    from kefu.nlu.intents import IntentClassifier

    examples = load_labelled(file)
    model = IntentClassifier(oos_label=oos_label).fit(examples)
    model.save(out)
    typer.echo(
        f"kefu: trained {len(model.labels)} intents on {len(examples)} examples in "
        f"{model.train_seconds:.1f} s (out-of-scope threshold {model.oos_threshold:.2f}); saved to {out}"
    )


@eval_app.command("intents")
@friendly
def eval_intents(
    train: Annotated[Path, typer.Option("--train", help="Training file (CSV, JSONL or YAML).")],
    test: Annotated[Path, typer.Option("--test", help="Test file of the same format.")],
    oos_label: Annotated[str | None, typer.Option(help="Label of out-of-scope examples, e.g. oos.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on the last line.")] = False,
) -> None:
    """Accuracy, macro-F1, out-of-scope recall/precision and latency of an intent classifier."""
    import json

    from kefu.eval.intents import evaluate_intents, format_report
    from kefu.nlu.intent_data import load_labelled

    report = evaluate_intents(load_labelled(train), load_labelled(test), oos_label)
    typer.echo(format_report(report))
    if as_json:
        typer.echo(json.dumps(report.as_json()))


@eval_app.command("handoff")
@friendly
def eval_handoff(
    data: Annotated[
        Path, typer.Option("--data", help="JSONL {text, label: 1 handoff | 0 not, lang?, kind?}.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on the last line.")] = False,
) -> None:
    """Recall, precision, false-positive rate and latency of handoff detection through the retail pack."""
    import json

    from kefu.eval.handoff import evaluate_handoff, format_report, load_handoff_examples

    report = evaluate_handoff(load_handoff_examples(data))
    typer.echo(format_report(report))
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))


@eval_app.command("emergency")
@friendly
def eval_emergency(
    data: Annotated[
        Path, typer.Option("--data", help="JSONL {text, label: 1 emergency | 0 not, lang?, kind?}.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on the last line.")] = False,
) -> None:
    """Recall, precision, false-positive rate and latency of the emergency detector of the input rail."""
    import json

    from kefu.eval.emergency import evaluate_emergency, format_report, load_examples

    report = evaluate_emergency(load_examples(data))
    typer.echo(format_report(report))
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))


@app.command()
@friendly
def chat(
    pack: Annotated[str, typer.Option(help="Industry pack.")] = "retail",
    lang: Annotated[str | None, typer.Option(help="zh or en (default: detected per message).")] = None,
    database_url: DbOption = None,
) -> None:
    """Chat with kefu in the terminal (type /quit to leave)."""
    if lang not in (None, "zh", "en"):
        fail(f"--lang must be zh or en, not {lang!r}")
    anyio.run(_chat, settings(database_url), pack, lang)


async def _chat(config: Settings, pack: str, lang: str | None) -> None:
    from kefu.app import create_app
    from kefu.demo import seed_demo, shop_is_empty
    from kefu.domain.ids import ConversationId

    if shop_is_empty(config):
        seed_demo(config)
        typer.echo("kefu: the shop was empty, so the demo shop was loaded (kefu demo seed)")
    if pack == "finance":
        from kefu.cli_finance import bank_is_empty, seed_demo_bank

        if bank_is_empty(config):
            seed_demo_bank(config)
            typer.echo("kefu: the bank was empty, so the demo bank was loaded (kefu demo seed)")
    if pack == "healthcare":
        from kefu.cli_healthcare import hospital_is_empty, seed_demo_hospital

        if hospital_is_empty(config):
            seed_demo_hospital(config)
            typer.echo("kefu: the hospital was empty, so the demo hospital was loaded (kefu demo seed)")
    if pack == "education":
        from kefu.cli_education import school_is_empty, seed_demo_school

        if school_is_empty(config):
            seed_demo_school(config)
            typer.echo("kefu: the school was empty, so the demo school was loaded (kefu demo seed)")
    service = create_app(config).state.services.conversations
    conversation, messages = await service.start(pack, lang, None)
    for message in messages:
        typer.echo(f"kefu> {message.text}")
    while True:
        try:
            line = await anyio.to_thread.run_sync(lambda: input("you> "))
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if line.strip() in ("/quit", "/exit"):
            return
        if not line.strip():
            continue
        try:
            result = await service.send(ConversationId(conversation.id), line, uuid.uuid4().hex)
        except KefuError as exc:
            typer.echo(f"kefu: {exc.message}", err=True)
            continue
        for message in result.messages[1:]:
            typer.echo(f"kefu> {message.text}")
            if message.suggestions:
                typer.echo("      [" + " | ".join(message.suggestions) + "]")
        if result.status.value != "bot":
            typer.echo(f"kefu: conversation status is now {result.status.value}")


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())


# Command groups kept in their own modules register themselves on import.
from kefu import (  # noqa: E402, F401
    cli_data_export,
    cli_education,
    cli_finance,
    cli_healthcare,
    cli_injection,
    cli_knowledge,
    cli_pii,
    cli_privacy,
    cli_scenarios,
)
