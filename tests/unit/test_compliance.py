"""Industry compliance rules on outgoing replies: each rule's positive and negative cases in zh and en,
the risk score, and the rail's outcome (HOLD with risk, MASK with a disclaimer, LOG, pass)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from kefu.domain.conversation import Conversation, DialogueState
from kefu.domain.errors import InvalidInput
from kefu.domain.ids import ConversationId
from kefu.domain.messages import ConversationStatus, OutgoingMessage
from kefu.engine.context import TurnContext
from kefu.engine.rails import RailAction
from kefu.guard.compliance import INDUSTRIES, ComplianceRail, rule_book
from kefu_test_support import ROOT

HITS = [
    # industry, lang, reply, rule
    ("finance", "zh", "这款理财产品保本保息，年化5%", "finance.guaranteed_return"),
    ("finance", "zh", "放心买，稳赚不赔", "finance.guaranteed_return"),
    ("finance", "en", "This fund offers a guaranteed 10% return.", "finance.guaranteed_return"),
    ("finance", "en", "It's a risk-free investment, you can't lose money.", "finance.guaranteed_return"),
    ("finance", "zh", "你的贷款一定能批", "finance.approval_promise"),
    ("finance", "zh", "我们这边包过，不看征信", "finance.approval_promise"),
    ("finance", "en", "Your loan will definitely be approved.", "finance.approval_promise"),
    ("healthcare", "en", "You have diabetes.", "healthcare.diagnosis"),
    ("healthcare", "en", "You most likely have bronchitis.", "healthcare.diagnosis"),
    ("healthcare", "zh", "你得的是糖尿病", "healthcare.diagnosis"),
    ("healthcare", "zh", "根据描述可以确诊为胃炎", "healthcare.diagnosis"),
    ("healthcare", "en", "Take 500 mg of metformin twice a day.", "healthcare.prescription"),
    ("healthcare", "en", "I would prescribe antibiotics.", "healthcare.prescription"),
    ("healthcare", "zh", "每天三次，每次两片", "healthcare.prescription"),
    ("healthcare", "zh", "口服布洛芬 200 毫克", "healthcare.prescription"),
    ("retail", "zh", "全网最低价，绝对正品", "retail.absolute_claim"),
    ("retail", "en", "This cream cures insomnia!", "retail.medical_claim"),
    ("retail", "zh", "这款枕头能治疗失眠", "retail.medical_claim"),
    ("education", "zh", "报我们的班保过", "education.guaranteed_outcome"),
    (
        "education",
        "en",
        "You will definitely pass the exam with this course.",
        "education.guaranteed_outcome",
    ),
    ("retail", "zh", "请提供您的支付密码", "common.asks_for_secret"),
    ("finance", "en", "Please tell me your PIN so I can check.", "common.asks_for_secret"),
    ("retail", "zh", "我们不接待外地人", "common.discrimination"),
    ("education", "en", "Sorry, we don't serve people like you.", "common.discrimination"),
]

CLEAN = [
    ("finance", "en", "Your balance is $120.50."),
    ("finance", "zh", "您的账户余额为 120 元。"),
    ("finance", "en", "We will never ask for your password or PIN."),
    ("finance", "en", "I suggest you check your account settings."),
    ("finance", "zh", "您的信用卡已寄出，请注意查收。"),
    ("finance", "zh", "我们绝不会向您索要密码或验证码。"),
    ("healthcare", "en", "Your appointment is on Monday at 3 pm."),
    ("healthcare", "zh", "您的挂号已成功，周一下午三点。"),
    ("retail", "en", "Your order #W8770097 has shipped."),
    ("retail", "zh", "您的订单已发货，预计三天内送达。"),
    ("education", "en", "The course starts on Monday."),
    ("education", "zh", "课程下周一开课。"),
    ("retail", "zh", "我们支持全国配送，外地也能送达。"),
    ("retail", "en", "We ship to every state, and we serve customers worldwide."),
]


@pytest.mark.parametrize(("industry", "lang", "text", "rule"), HITS)
def test_each_rule_fires_on_what_it_forbids(industry: str, lang: str, text: str, rule: str) -> None:
    found = rule_book(industry).assess(text, lang)
    assert rule in found.reasons, found


@pytest.mark.parametrize(("industry", "lang", "text"), CLEAN)
def test_ordinary_replies_carry_no_risk(industry: str, lang: str, text: str) -> None:
    found = rule_book(industry).assess(text, lang)
    assert found.hits == () and found.risk == 0.0


def test_rules_are_scoped_to_their_industry() -> None:
    assert rule_book("retail").assess("This fund offers a guaranteed 10% return.", "en").hits == ()
    assert rule_book("finance").assess("You have diabetes.", "en").hits == ()


def test_a_conditional_is_not_a_diagnosis() -> None:
    found = rule_book("healthcare").assess("If you have diabetes, keep your blood sugar stable.", "en")
    assert "healthcare.diagnosis" not in found.reasons
    assert found.reasons == ["disclaimer.healthcare.health_information"]


def test_risks_combine_and_grow_with_each_rule() -> None:
    one = rule_book("finance").assess("稳赚不赔", "zh")
    two = rule_book("finance").assess("稳赚不赔，你的贷款一定能批", "zh")
    assert one.risk == pytest.approx(0.9) and two.risk == pytest.approx(1 - 0.1 * 0.15)


def context(lang: str) -> TurnContext:
    conversation = Conversation(
        ConversationId("c1"), "finance", lang, ConversationStatus.BOT, None, datetime.now(UTC)
    )
    return TurnContext(conversation, DialogueState(lang=lang), "hi", lang, "c1:t1")


def check(rail: ComplianceRail, text: str, lang: str) -> tuple[RailAction | None, str | None, float]:
    outcome = rail.check(context(lang), OutgoingMessage(text, lang))
    return (None, None, 0.0) if outcome is None else (outcome.action, outcome.text, outcome.risk)


def test_high_risk_is_held_with_the_disclaimer_already_added() -> None:
    rail = ComplianceRail("finance", threshold=0.7)
    action, text, risk = check(rail, "这款理财产品保本保息", "zh")
    assert action is RailAction.HOLD and risk >= 0.9
    assert text is not None and text.startswith("这款理财产品保本保息") and "投资需谨慎" in text
    outcome = rail.check(context("en"), OutgoingMessage("Your loan will definitely be approved.", "en"))
    assert outcome is not None and outcome.reason == "compliance:finance.approval_promise"


def test_a_product_suggestion_gets_the_risk_disclaimer_in_its_language() -> None:
    rail = ComplianceRail("finance", threshold=0.7)
    action, text, risk = check(rail, "I recommend our Green Savings account, APY 4%.", "en")
    assert action is RailAction.MASK and 0 < risk < 0.7
    assert text is not None and "investments involve risk" in text and "not investment advice" in text
    action, text, _ = check(rail, "推荐您购买这款基金", "zh")
    assert action is RailAction.MASK and text is not None and text.endswith("不构成投资建议。")


def test_health_information_gets_the_medical_disclaimer() -> None:
    rail = ComplianceRail("healthcare", threshold=0.7)
    action, text, _ = check(rail, "高血压患者要注意低盐饮食", "zh")
    assert action is RailAction.MASK and text is not None and "请及时就医" in text
    action, text, _ = check(rail, "High blood pressure can cause headaches.", "en")
    assert action is RailAction.MASK and text is not None and "not a substitute" in text


def test_a_reply_that_already_has_the_disclaimer_is_left_alone() -> None:
    rail = ComplianceRail("healthcare", threshold=0.7)
    _, once, _ = check(rail, "Fever is common with flu.", "en")
    assert once is not None and check(rail, once, "en")[0] is None


def test_minor_hits_without_a_disclaimer_are_only_logged() -> None:
    action, text, risk = check(ComplianceRail("retail", threshold=0.7), "全网最低价", "zh")
    assert action is RailAction.LOG and text is None and risk == pytest.approx(0.5)


def test_the_threshold_decides_between_hold_and_log() -> None:
    assert check(ComplianceRail("retail", threshold=0.4), "全网最低价", "zh")[0] is RailAction.HOLD
    assert check(ComplianceRail("education", threshold=0.95), "保过", "zh")[0] is RailAction.LOG
    with pytest.raises(InvalidInput):
        ComplianceRail("retail", threshold=1.5)


def test_clean_replies_pass() -> None:
    assert ComplianceRail("retail").check(context("en"), OutgoingMessage("Your order shipped.", "en")) is None


def test_unknown_industry_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="unknown industry 'insurance'"):
        ComplianceRail("insurance")


def test_built_in_sensitive_words_are_held_in_both_languages() -> None:
    rail = ComplianceRail("retail")
    action, _, risk = check(rail, "你这个傻逼", "zh")
    assert action is RailAction.HOLD and risk >= 0.9
    action, _, _ = check(rail, "ＦＵＣＫ this", "en")  # full width and upper case
    assert action is RailAction.HOLD
    assert check(rail, "We'll ship it to your class address.", "en")[0] is None  # whole words only


def test_sensitive_words_from_a_file(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# our own list\n竞品甲\nAcme Rival\n\n", encoding="utf-8")
    rail = ComplianceRail.from_file("retail", 0.7, str(words))
    outcome = rail.check(context("zh"), OutgoingMessage("要不您试试竞品甲？", "zh"))
    assert outcome is not None and outcome.action is RailAction.HOLD
    assert outcome.reason == "compliance:sensitive_word:竞品甲"
    outcome = rail.check(context("en"), OutgoingMessage("ＡＣＭＥ  ｒｉｖａｌ is cheaper", "en"))
    assert outcome is not None and outcome.action is RailAction.HOLD
    assert ComplianceRail.from_file("retail", 0.7, None).book.words.find("acme rival") == []
    with pytest.raises(InvalidInput, match="no such file"):
        ComplianceRail.from_file("retail", 0.7, str(tmp_path / "missing.txt"))


def test_every_industry_loads() -> None:
    for industry in INDUSTRIES:
        assert rule_book(industry).rules


def test_no_canned_retail_reply_is_held_or_changed() -> None:
    """The retail pack's own templates must pass its compliance rail untouched."""
    responses = yaml.safe_load((ROOT / "src/kefu/packs/retail/responses.yaml").read_text("utf-8"))
    rail = ComplianceRail("retail")
    checked = 0
    for entry in responses.values():
        if not isinstance(entry, dict):
            continue
        for lang in ("zh", "en"):
            value = entry.get(lang)
            for text in value if isinstance(value, list) else [value]:
                if isinstance(text, str):
                    assert check(rail, text, lang)[0] is None, text
                    checked += 1
    assert checked > 20
