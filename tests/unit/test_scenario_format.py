"""The scripted-customer format (docs/scenario-format.md): validation with clear errors, the answer-bank
customer, and the retail pack's tau-retail data adapter over an in-memory shop."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from kefu.dialogue.scenarios import Scenario, ScriptedCustomer, load_suite, parse_suite, suite_files
from kefu.domain.errors import InvalidInput
from kefu.eval.scenarios import scenario_dir
from kefu.packs.retail.memory_shop import MemoryRetailShop
from kefu.packs.retail.scenario_data import TauRetailData
from kefu.packs.retail.tau_import import load_tau_retail


def suite(**scenario: Any) -> dict[str, Any]:
    base = {"id": "s1", "task": "0", "opening": "Hi"}
    head = {"suite": "t", "lang": "en", "data": "tau-retail", "gold": "g.json"}
    return {**head, "scenarios": [{**base, **scenario}]}


def test_a_minimal_suite_gets_the_documented_defaults() -> None:
    parsed = parse_suite(suite(task=7), "x.yaml")
    scenario = parsed.scenarios[0]
    assert scenario.task == "7"  # YAML integers are task ids too
    assert scenario.max_turns == 25
    expect = scenario.expect
    assert (expect.status, expect.state, expect.replies_contain) == ("bot", "gold", ())


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (suite(answers=[{"whem": "mail", "say": "x"}]), "x.yaml: scenario s1, answers[0].whem: Extra inputs"),
        (suite(answers=[{"when": "(mail", "say": "x"}]), "scenario s1, answers[0].when: not a valid regular"),
        (suite(answers=[{"when": "a", "say": "x", "after": "no"}]), "scenario s1: answer 'after: no' names"),
        (suite(expect={"status": "done"}), "scenario s1, expect.status: Input should be"),
        (suite(expect={"replies_contain": ["[x"]}), "scenario s1, expect.replies_contain"),
        (suite(opening=""), "scenario s1, opening: String should have at least 1 character"),
        ({**suite(), "lang": "fr"}, "x.yaml: lang: Input should be 'en' or 'zh'"),
        ({**suite(), "scenarios": []}, "x.yaml: scenarios: "),
        ({**suite(), "scenarios": [suite()["scenarios"][0]] * 2}, "scenario id 's1' is used twice"),
        ([1, 2], "x.yaml: a suite must be a mapping"),
    ],
)
def test_bad_suites_are_one_line_naming_file_and_scenario(raw: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_suite(raw, "x.yaml")
    assert message in caught.value.message
    assert "\n" not in caught.value.message


def test_unreadable_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot be read"):
        load_suite(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("suite: [unclosed\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"bad.yaml: not valid YAML at line 2"):
        load_suite(bad)
    with pytest.raises(InvalidInput, match="scenario directory not found"):
        suite_files(tmp_path / "nowhere")


def test_the_retail_packs_suites_all_load() -> None:
    files = suite_files(scenario_dir("retail"))
    assert files, "the retail pack ships scenario suites"
    names = [load_suite(path).suite.suite for path in files]
    assert len(names) == len(set(names)), "suite names are unique"


def customer(**fields: Any) -> ScriptedCustomer:
    return ScriptedCustomer(Scenario.model_validate({"id": "s", "task": "0", "opening": "Hi", **fields}))


def test_the_answer_bank_takes_the_first_match_with_uses_left() -> None:
    bob = customer(
        answers=[
            {"when": "email", "say": "bob@example.com"},
            {"when": "e-?mail|zip", "say": "Bob, 12345", "max": 2},
            {"when": "confirm", "unless": "cancel", "say": "yes"},
        ]
    )
    assert bob.opening().text == "Hi"
    assert bob.reply("What is your EMAIL?").text == "bob@example.com"  # case-insensitive
    assert bob.reply("Your email, please").text == "Bob, 12345"  # the first one is used up
    assert bob.reply("and your zip?").text == "Bob, 12345"
    assert bob.reply("Please confirm the cancel") is None  # 'unless' skips it; no fallback: the end
    assert bob.stopped.startswith("nothing matched")


def test_after_sequences_answers_and_end_stops() -> None:
    ann = customer(
        answers=[
            {"when": "anything else", "after": "second", "say": "No, bye", "end": True},
            {"when": "anything else", "id": "second", "say": "Also my other order"},
        ]
    )
    ann.opening()
    assert ann.reply("Anything else?").text == "Also my other order"
    last = ann.reply("Anything else?")
    assert last is not None and last.text == "No, bye" and last.last
    assert ann.reply("Anything else?") is None and ann.stopped == "end"


def test_fallback_lines_are_said_in_order() -> None:
    cy = customer(fallback=["first", "second"])
    cy.opening()
    said = [cy.reply("?"), cy.reply("?"), cy.reply("?")]
    assert [u.text if u else None for u in said] == ["first", "second", None]
    assert said[0] is not None and said[0].source == "fallback"


def test_max_turns_counts_the_opening() -> None:
    dee = customer(answers=[{"when": ".", "say": "again", "max": 10}], max_turns=3)
    assert not dee.opening().last
    assert not dee.reply("x").last  # type: ignore[union-attr]
    third = dee.reply("x")
    assert third is not None and third.last
    assert dee.reply("x") is None and dee.stopped == "max_turns"


# --- the tau-retail adapter over the in-memory shop ----------------------------------------------


@pytest.fixture(scope="module")
def initial() -> Any:
    from kefu_test_support import TAU_RETAIL

    if not (TAU_RETAIL / "v1_orders.json").exists():
        pytest.fail(f"τ-bench retail data not found at {TAU_RETAIL}")
    return load_tau_retail(TAU_RETAIL)


def test_tau2_and_v1_tasks_load_with_their_users(initial: Any) -> None:
    from kefu_test_support import TAU_RETAIL

    adapter, shop = TauRetailData(), MemoryRetailShop(initial)
    tau2 = adapter.load_tasks(TAU_RETAIL, "tau2_tasks_train.json")
    v1 = adapter.load_tasks(TAU_RETAIL, "v1_tasks_train.json")
    assert len(tau2) == 74 and "0" in tau2 and len(v1) == 500 and v1["0"].user_ids == ("omar_anderson_3203",)
    assert adapter.subjects(shop, tau2["0"]) == ("yusuf_rossi_9620",)  # find_user_id_by_name_zip
    assert adapter.subjects(shop, tau2["73"]) == ("fatima_wilson_7472",)  # from the order of a write
    assert adapter.subjects(shop, tau2["24"]) == (shop.find_user_by_name_zip("Sofia", "Hernandez", "98193"),)
    assert adapter.subjects(shop, tau2["57"]) == ("ivan_hernandez_6923",)  # a user id in known_info
    with pytest.raises(InvalidInput, match="gold task file not found"):
        adapter.load_tasks(TAU_RETAIL, "nope.json")


def test_gold_replay_gives_the_expected_state_and_readable_differences(initial: Any) -> None:
    from kefu_test_support import TAU_RETAIL

    adapter = TauRetailData()
    task = adapter.load_tasks(TAU_RETAIL, "tau2_tasks_train.json")["69"]  # cancel #W2417020
    before = MemoryRetailShop(initial)
    subjects = adapter.subjects(before, task)
    after = MemoryRetailShop(initial)
    assert adapter.replay(after, task, "gold:t:69") == []
    expected, actual = adapter.snapshot(after, subjects), adapter.snapshot(before, subjects)
    assert expected["orders"]["#W2417020"]["status"] == "cancelled"
    assert set(expected["users"]) == {"emma_smith_8564"}
    assert adapter.differences(expected, expected) == []
    diffs = adapter.differences(expected, actual, limit=10)
    assert 'order #W2417020.status: expected "cancelled", got "pending"' in diffs
    assert 'order #W2417020.cancel_reason: expected "no longer needed", missing' in diffs
    assert any(d.startswith("order #W2417020.payment_history[1]: expected {") for d in diffs)
    assert len(adapter.differences(expected, actual, limit=2)) == 2
    # what the runner uses: the same replay on a shop holding only the task user's records
    loaded = TauRetailData(initial)
    assert loaded.expected(task, subjects) == (expected, [])
    assert loaded.expected(task, subjects, replay=False) == (actual, [])


def test_floats_are_compared_to_the_cent(initial: Any) -> None:
    adapter = TauRetailData()
    noisy = copy.deepcopy(initial)
    noisy.orders["#W2417020"]["items"][0]["price"] += 0.0004  # float noise of a price computation
    exact, rounded = MemoryRetailShop(initial), MemoryRetailShop(noisy)
    assert adapter.snapshot(rounded, ("emma_smith_8564",)) == adapter.snapshot(exact, ("emma_smith_8564",))
    noisy.orders["#W2417020"]["items"][0]["price"] += 0.01
    off_by_a_cent = adapter.snapshot(MemoryRetailShop(noisy), ("emma_smith_8564",))
    assert adapter.differences(adapter.snapshot(exact, ("emma_smith_8564",)), off_by_a_cent) == [
        "order #W2417020.items[0].price: expected 2674.4, got 2674.41"
    ]
