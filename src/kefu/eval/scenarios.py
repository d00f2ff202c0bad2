"""``kefu eval scenarios``: scripted customers against the real engine and HTTP API, scored by final
business state like τ²-bench (``docs/scenario-format.md``).

One app (temporary SQLite) per kind of initial data, loaded once; the whole database is snapshotted
after loading and restored (SQLite's backup API, about 10 ms) before every conversation, so each
scenario starts from exactly the initial data. Expected state: the task's gold actions replayed on the
initial data by the pack's scenario data adapter (the retail one replays on an in-memory shop).
"""

from __future__ import annotations

import importlib
import re
import secrets
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio

from kefu.dialogue.scenarios import (
    GoldTask,
    Scenario,
    ScenarioData,
    ScriptedCustomer,
    SuiteFile,
    Utterance,
    load_suite,
)
from kefu.dialogue.scenarios import suite_files as _suite_files
from kefu.domain.errors import InvalidInput
from kefu.eval.scenario_report import ScenarioReport, ScenarioResult

_PACK_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


# --- finding suites and adapters ----------------------------------------------------------------


def _pack_module(pack: str) -> Any:
    if not _PACK_NAME.match(pack):
        raise InvalidInput(f"unknown pack {pack!r}")
    try:
        return importlib.import_module(f"kefu.packs.{pack}")
    except ImportError as exc:
        raise InvalidInput(f"unknown pack {pack!r}") from exc


def scenario_dir(pack: str) -> Path:
    return Path(_pack_module(pack).__file__).parent / "scenarios"


def select_suites(pack: str, suite: str | None = None) -> list[SuiteFile]:
    """The pack's suites, or the one named ``suite`` (its ``suite:`` name, file stem, or a file path)."""
    if suite is not None and suite.endswith((".yaml", ".yml")):
        return [load_suite(Path(suite))]
    directory = scenario_dir(pack)
    files = [load_suite(path) for path in _suite_files(directory)]
    if not files:
        raise InvalidInput(f"no scenario suites (*.yaml) in {directory}")
    if suite is None:
        return files
    chosen = [f for f in files if suite in (f.suite.suite, f.path.stem)]
    if not chosen:
        names = ", ".join(f.suite.suite for f in files)
        raise InvalidInput(f"no suite {suite!r} in {directory} (suites: {names})")
    return chosen


def data_adapter(pack: str, data: str) -> ScenarioData:
    _pack_module(pack)
    name_of_module = f"kefu.packs.{pack}.scenario_data"
    try:
        module = importlib.import_module(name_of_module)
    except ModuleNotFoundError as exc:
        if exc.name != name_of_module:
            raise
        raise InvalidInput(f"pack {pack!r} has no scenario data adapters ({name_of_module})") from exc
    factories: dict[str, Callable[[], ScenarioData]] = module.adapters()
    if data not in factories:
        raise InvalidInput(f"pack {pack!r} knows no scenario data {data!r} (known: {', '.join(factories)})")
    return factories[data]()


def _business_system(name: str, database_url: str, secret_key: str = "") -> Any:
    """The business system a pack's adapter loads and reads, over the run's own database."""
    from kefu.store.sql.database import make_engine

    if name == "retail_shop":
        from kefu.store.sql.shop import SqlRetailShop

        return SqlRetailShop(make_engine(database_url))
    if name == "bank":
        from kefu.store.sql.bank import SqlBank

        return SqlBank(make_engine(database_url))
    if name == "hospital":  # the healthcare pack (#13): measurements sealed under the run's key
        from kefu.guard.vault import Keyring
        from kefu.store.sql.hospital import SqlHospital

        return SqlHospital(make_engine(database_url), Keyring(secret_key))
    if name == "school":  # the education pack (#14)
        from kefu.store.sql.school import SqlSchool

        return SqlSchool(make_engine(database_url))
    raise InvalidInput(f"the scenario runner cannot build business system {name!r}")


class _DatabaseSnapshot:
    """The whole SQLite database after loading, restored before every scenario."""

    def __init__(self, path: Path) -> None:
        self._live = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._pristine = sqlite3.connect(":memory:", check_same_thread=False)
        self._live.backup(self._pristine)

    def restore(self) -> None:
        self._pristine.backup(self._live)

    def close(self) -> None:
        self._pristine.close()
        self._live.close()


# --- running ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Planned:
    file: SuiteFile
    scenario: Scenario
    task: GoldTask


def _plan(
    suites: Sequence[SuiteFile], adapter: ScenarioData, directory: Path, only: str | None
) -> list[_Planned]:
    """Check every scenario's task exists before anything runs."""
    if not directory.is_dir():
        raise InvalidInput(f"scenario data directory not found: {directory}")
    planned: list[_Planned] = []
    tasks_by_gold: dict[str, dict[str, GoldTask]] = {}
    for file in suites:
        gold = file.suite.gold
        if gold not in tasks_by_gold:
            tasks_by_gold[gold] = adapter.load_tasks(directory, gold)
        tasks = tasks_by_gold[gold]
        for scenario in file.suite.scenarios:
            if only is not None and scenario.id != only:
                continue
            if scenario.task not in tasks:
                raise InvalidInput(
                    f"{file.path}: scenario {scenario.id}: task {scenario.task!r} is not in {gold}"
                )
            planned.append(_Planned(file, scenario, tasks[scenario.task]))
    return planned


def run_scenarios(
    pack: str, suites: Sequence[SuiteFile], data_dir: Path | None = None, scenario: str | None = None
) -> ScenarioReport:
    """Play every scenario of ``suites`` (only the one with id ``scenario`` when given) and score it."""
    if not suites:
        raise InvalidInput("no scenario suites to run")
    start = time.perf_counter()
    groups: dict[str, list[SuiteFile]] = {}
    for file in suites:
        groups.setdefault(file.suite.data, []).append(file)
    plans: list[tuple[ScenarioData, Path, list[_Planned]]] = []
    for data_name, files in groups.items():
        adapter = data_adapter(pack, data_name)
        directory = data_dir or adapter.default_dir()
        plans.append((adapter, directory, _plan(files, adapter, directory, scenario)))
    if scenario is not None and not any(planned for _, _, planned in plans):
        raise InvalidInput(f"no scenario {scenario!r} in the selected suites")
    results: list[ScenarioResult] = []
    setup = 0.0
    for adapter, directory, planned in plans:
        if planned:
            with tempfile.TemporaryDirectory(prefix="kefu-eval-scenarios-") as tmpdir:
                group_results, group_setup = anyio.run(
                    _run_group, pack, adapter, directory, planned, Path(tmpdir)
                )
            results += group_results
            setup += group_setup
    langs: dict[str, str] = {f.suite.suite: f.suite.lang for f in suites}
    return ScenarioReport(tuple(results), time.perf_counter() - start, setup, langs)


async def _run_group(
    pack: str, adapter: ScenarioData, directory: Path, planned: list[_Planned], tmpdir: Path
) -> tuple[list[ScenarioResult], float]:
    import httpx

    from kefu.app import create_app
    from kefu.config import Settings

    tick = time.perf_counter()
    db_path = tmpdir / "kefu.db"
    settings = Settings(
        database_url=f"sqlite:///{db_path}",
        secret_key=secrets.token_urlsafe(32),
        admin_token=secrets.token_urlsafe(16),
        default_pack=pack,
        redis_url=None,  # in-process, and always staffed: results must not depend on the environment
        support_hours=None,
        knowledge_dir=str(tmpdir / "knowledge"),
    )
    # one scripted customer after another from one address: the abuse limits ("0/1" = off) do not apply
    settings = settings.model_copy(update={n: "0/1" for n in Settings.model_fields if n.startswith("rate_")})
    app = create_app(settings)
    system = _business_system(adapter.system_name, settings.database_url, settings.secret_key or "")
    adapter.load_initial(system, directory)
    results: list[ScenarioResult] = []
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://kefu.eval", timeout=60) as client,
    ):
        await _warm_up(client, pack, {p.file.suite.lang for p in planned})
        snapshot = _DatabaseSnapshot(db_path)
        setup = time.perf_counter() - tick
        try:
            for plan in planned:
                results.append(await _score(client, pack, adapter, system, snapshot, plan))
        finally:
            snapshot.close()
    return results, setup


async def _warm_up(client: Any, pack: str, langs: set[str]) -> None:
    """One throwaway turn per language, so that lazily loaded models do not count as turn latency."""
    for lang in sorted(langs):
        created = (await client.post("/v1/conversations", json={"pack": pack, "locale": lang})).json()
        headers = {"Authorization": f"Bearer {created['token']}"}
        text = "你好" if lang == "zh" else "hello"
        await client.post(f"/v1/conversations/{created['id']}/messages", json={"text": text}, headers=headers)


async def _score(
    client: Any, pack: str, adapter: ScenarioData, system: Any, snapshot: _DatabaseSnapshot, plan: _Planned
) -> ScenarioResult:
    suite, scenario = plan.file.suite, plan.scenario
    expected_status = scenario.expect.status

    def result(**outcome: Any) -> ScenarioResult:
        return ScenarioResult(
            suite=suite.suite,
            lang=suite.lang,
            id=scenario.id,
            task=scenario.task,
            expected_status=expected_status,
            **outcome,
        )

    tick = time.perf_counter()
    snapshot.restore()
    prepare = getattr(adapter, "prepare", None)  # a task's own initial data (τ² banking), if any
    if prepare is not None:
        prepare(system, plan.task)
    subjects = adapter.subjects(system, plan.task)
    try:
        expected, notes = adapter.expected(plan.task, subjects, replay=scenario.expect.state == "gold")
    except InvalidInput as exc:
        return result(passed=False, status="-", error=exc.message)
    scoring = time.perf_counter() - tick
    transcript, status, turn_ms, error = await _converse(client, pack, suite.lang, scenario)
    tick = time.perf_counter()
    differences = tuple(adapter.differences(expected, adapter.snapshot(system, subjects)))
    scoring += time.perf_counter() - tick
    bot_text = "\n".join(text for role, text in transcript if role not in ("customer", "end"))
    missing = tuple(p for p in scenario.expect.replies_contain if not re.search(p, bot_text, re.IGNORECASE))
    passed = error is None and not differences and not missing and status == expected_status
    return result(
        passed=passed,
        status=status,
        differences=differences,
        missing_replies=missing,
        error=error,
        notes=tuple(notes),
        transcript=tuple(transcript),
        turn_ms=tuple(turn_ms),
        scoring_ms=scoring * 1000,
    )


async def _converse(
    client: Any, pack: str, lang: str, scenario: Scenario
) -> tuple[list[tuple[str, str]], str, list[float], str | None]:
    """Play one conversation; returns the transcript, the final status, each turn's ms and an error."""
    transcript: list[tuple[str, str]] = []
    timings: list[float] = []
    response = await client.post("/v1/conversations", json={"pack": pack, "locale": lang})
    if response.status_code != 201:
        return transcript, "-", timings, f"start: HTTP {response.status_code} {response.text[:200]}"
    created = response.json()
    status = str(created["status"])
    headers = {"Authorization": f"Bearer {created['token']}"}
    transcript += [(str(m["role"]), str(m["text"])) for m in created.get("messages", [])]
    customer = ScriptedCustomer(scenario)
    utterance: Utterance | None = customer.opening()
    while utterance is not None:
        transcript.append(("customer", utterance.text))
        body = {"text": utterance.text, "client_msg_id": uuid.uuid4().hex}
        tick = time.perf_counter()
        response = await client.post(
            f"/v1/conversations/{created['id']}/messages", json=body, headers=headers
        )
        timings.append((time.perf_counter() - tick) * 1000)
        if response.status_code != 200:
            error = f"turn {customer.turns}: HTTP {response.status_code} {response.text[:200]}"
            return transcript, status, timings, error
        data = response.json()
        status = str(data["status"])
        replies = [(str(m["role"]), str(m["text"])) for m in data["messages"] if m["role"] != "customer"]
        transcript += replies
        if status != "bot":  # a customer handed to a human waits for the human
            customer.stopped = f"status {status}"
            break
        if utterance.last:
            break
        utterance = customer.reply("\n".join(text for _, text in replies))
    transcript.append(("end", customer.stopped))
    return transcript, status, timings, None
