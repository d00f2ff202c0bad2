"""Demo data: the bilingual demo shop, loaded into the configured database."""

from __future__ import annotations

from pathlib import Path

from kefu.config import Settings
from kefu.packs.retail.demo_data import demo_customers_for_docs, generate_demo_shop
from kefu.packs.retail.tau_import import load_tau_retail
from kefu.store.sql.database import make_engine, upgrade
from kefu.store.sql.handoffs import SqlHandoffStore
from kefu.store.sql.shop import SqlRetailShop


def _shop(settings: Settings) -> SqlRetailShop:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return SqlRetailShop(engine)


def seed_demo(settings: Settings, seed: int = 7) -> tuple[dict[str, int], list[dict[str, str]]]:
    """Replace the shop data with the generated demo shop; returns counts and a few demo customers."""
    shop = generate_demo_shop(seed=seed)
    counts = _shop(settings).load(shop, replace=True)
    return counts, [{k: str(v) for k, v in row.items()} for row in demo_customers_for_docs(shop)]


DEMO_AGENT = "Demo Agent 小客"


def demo_agent_token(settings: Settings) -> str:
    """A fresh bearer token for the demo agent (replacing the agent of an earlier seed)."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    store = SqlHandoffStore(engine)
    store.remove_agent(DEMO_AGENT)
    _, token = store.add_agent(DEMO_AGENT, role="agent", capacity=10)
    return token


def import_tau_retail(settings: Settings, directory: Path) -> dict[str, int]:
    """Replace the shop data with τ-bench retail users, orders and products."""
    data = load_tau_retail(directory)
    return _shop(settings).load(data, replace=True)


def shop_is_empty(settings: Settings) -> bool:
    return _shop(settings).counts()["orders"] == 0
