"""Replaying τ²/τ gold actions on the imported τ-bench retail data: our rules accept every write τ²
accepts on the train tasks, and the replay gives the state those tools leave."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kefu.domain.errors import InvalidInput, ToolError
from kefu.packs.retail.memory_shop import MemoryRetailShop
from kefu.packs.retail.shop import ShopData
from kefu.packs.retail.tau_actions import (
    Refused,
    action_parts,
    apply_gold_action,
    apply_gold_actions,
    is_write,
)
from kefu.packs.retail.tau_import import load_tau_retail
from kefu_test_support import TAU_RETAIL


@pytest.fixture(scope="module")
def data() -> ShopData:
    return load_tau_retail(TAU_RETAIL)


def tau2_tasks() -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = json.loads((TAU_RETAIL / "tau2_tasks_train.json").read_text("utf-8"))
    return tasks


def gold(task: dict[str, Any]) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = task["evaluation_criteria"]["actions"] or []
    return actions


def test_every_tau2_train_write_replays_as_tau2_accepts_it(data: ShopData) -> None:
    applied, refused = 0, dict[str, Refused]()
    for task in tau2_tasks():
        replay = apply_gold_actions(MemoryRetailShop(data), gold(task), f"task-{task['id']}")
        applied += replay.writes
        refused.update((task["id"], r) for r in replay.refused)
    writes = sum(is_write(a["name"]) for task in tau2_tasks() for a in gold(task))
    assert (writes, applied) == (120, 119)
    # The one refusal is one τ² makes too: task 105 pays an exchange's 21.10 difference with a gift card
    # holding 17.00, and τ²'s exchange_delivered_order_items raises on ``balance < diff_price``.
    assert list(refused) == ["105"]
    assert refused["105"].name == "exchange_delivered_order_items"
    assert refused["105"].reason == "gift_card_balance"
    card = data.users["aarav_anderson_8794"]["payment_methods"]["gift_card_7245904"]
    assert float(card["balance"]) == 17.0


def test_v1_dev_tasks_replay_without_refusal(data: ShopData) -> None:
    tasks = json.loads((TAU_RETAIL / "v1_tasks_dev.json").read_text("utf-8"))
    replays = [
        apply_gold_actions(MemoryRetailShop(data), t["actions"], f"dev-{i}") for i, t in enumerate(tasks)
    ]
    assert sum(r.writes for r in replays) == 25 and not any(r.refused for r in replays)


def test_the_expected_state_of_a_task(data: ShopData) -> None:
    shop = MemoryRetailShop(data)
    task = tau2_tasks()[0]  # exchange a keyboard and a thermostat of #W2378156
    assert apply_gold_actions(shop, gold(task), "t0").writes == 1
    exchanged = shop.get_order("#W2378156")
    assert exchanged is not None and exchanged["status"] == "exchange requested"
    assert exchanged["exchange_items"] == ["1151293680", "4983901480"]
    assert exchanged["exchange_new_items"] == ["7706410293", "7747408585"]
    assert exchanged["exchange_payment_method_id"] == "credit_card_9513926"
    assert data.orders["#W2378156"]["status"] == "delivered"  # the shop worked on its own copy


def test_a_gift_card_cancellation_credits_the_card(data: ShopData) -> None:
    order_id = next(
        oid
        for oid, o in data.orders.items()
        if o["status"] == "pending" and o["payment_history"][0]["payment_method_id"].startswith("gift_card")
    )
    order = data.orders[order_id]
    paid = order["payment_history"][0]
    before = data.users[order["user_id"]]["payment_methods"][paid["payment_method_id"]]["balance"]
    shop = MemoryRetailShop(data)
    apply_gold_action(shop, "cancel_pending_order", {"order_id": order_id, "reason": "no longer needed"}, "k")
    after = shop.get_user(order["user_id"])
    assert after is not None
    assert after["payment_methods"][paid["payment_method_id"]]["balance"] == round(before + paid["amount"], 2)


def test_read_only_and_generic_actions_change_nothing(data: ShopData) -> None:
    shop = MemoryRetailShop(data)
    before = shop.snapshot()
    for name, arguments in [
        ("get_order_details", {"order_id": "#W2378156"}),
        ("find_user_id_by_name_zip", {"first_name": "Yusuf", "last_name": "Rossi", "zip": "19122"}),
        ("calculate", {"expression": "1 + 1"}),
        ("transfer_to_human_agents", {"summary": "x"}),
        ("think", {"thought": "x"}),
        ("list_all_product_types", {}),
    ]:
        apply_gold_action(shop, name, arguments, "k")
    assert shop.snapshot() == before


def test_unknown_actions_and_bad_arguments_are_clear_errors(data: ShopData) -> None:
    shop = MemoryRetailShop(data)
    with pytest.raises(InvalidInput, match="unknown τ-bench retail action 'refund_everything'"):
        apply_gold_action(shop, "refund_everything", {}, "k")
    with pytest.raises(InvalidInput, match="'item_ids' must be a list of strings"):
        apply_gold_action(
            shop,
            "return_delivered_order_items",
            {"order_id": "#W2378156", "item_ids": "1151293680", "payment_method_id": "credit_card_9513926"},
            "k",
        )
    with pytest.raises(InvalidInput, match="without a name"):
        action_parts({"arguments": {}})


def test_a_refused_write_raises_alone_and_is_recorded_in_a_replay(data: ShopData) -> None:
    shop = MemoryRetailShop(data)
    cancel = {"order_id": "#W2378156", "reason": "no longer needed"}  # delivered
    with pytest.raises(ToolError) as refused:
        apply_gold_action(shop, "cancel_pending_order", cancel, "k")
    assert refused.value.user_message == "not_pending"
    replay = apply_gold_actions(shop, [{"name": "cancel_pending_order", "arguments": cancel}], "r")
    assert replay.writes == 0
    assert replay.refused == (Refused(0, "cancel_pending_order", "not_pending", replay.refused[0].detail),)


def test_v1_actions_use_kwargs_and_drop_pairs_that_keep_an_item() -> None:
    action = {
        "name": "modify_pending_order_items",
        "kwargs": {
            "order_id": "#W1",
            "item_ids": ["a", "b"],
            "new_item_ids": ["a", "c"],
            "payment_method_id": "p",
        },
    }
    name, arguments = action_parts(action)
    assert name == "modify_pending_order_items"
    assert arguments == {
        "order_id": "#W1",
        "item_ids": ["b"],
        "new_item_ids": ["c"],
        "payment_method_id": "p",
    }
    tau2 = {"name": action["name"], "arguments": action["kwargs"]}
    assert action_parts(tau2)[1] == action["kwargs"]  # τ² form: as given (τ² refuses the same pair)
