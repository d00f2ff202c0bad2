"""The PII rails: masking the customer's message before it is stored (the turn keeps the original in
memory), the keep hook, and the leak check on outgoing replies — in a real turn pipeline."""

from __future__ import annotations

from datetime import UTC, datetime

from kefu.domain.conversation import Conversation, DialogueState
from kefu.domain.ids import ConversationId
from kefu.domain.messages import ConversationStatus, OutgoingMessage
from kefu.engine.context import TurnContext, Understanding
from kefu.engine.rails import RailAction
from kefu.engine.turn import TurnPipeline
from kefu.guard.pii import PiiSpan
from kefu.guard.pii_rails import PiiLeakRail, PiiRedactionRail
from kefu.guard.rails import PiiLeakRail as ReexportedLeakRail


def context(text: str, lang: str) -> TurnContext:
    conversation = Conversation(
        ConversationId("c1"), "retail", lang, ConversationStatus.BOT, None, datetime.now(UTC)
    )
    return TurnContext(conversation, DialogueState(lang=lang), text, lang, "c1:t1")


def reply(text: str, lang: str = "en") -> OutgoingMessage:
    return OutgoingMessage(text, lang)


def test_redaction_masks_with_placeholders_in_the_turns_language() -> None:
    outcome = PiiRedactionRail().check(context("我的手机号13812345678，邮箱li@163.com", "zh"))
    assert outcome is not None and outcome.action is RailAction.MASK
    assert outcome.text == "我的手机号[手机号]，邮箱[邮箱]"
    assert outcome.reason == "masked EMAIL,PHONE"  # kinds only, never values
    outcome = PiiRedactionRail().check(context("card 4111 1111 1111 1111 exp 01/29 cvv 321", "en"))
    assert outcome is not None and outcome.text == "card [CARD ••••1111]"


def test_redaction_passes_clean_messages() -> None:
    assert PiiRedactionRail().check(context("where is my order #W2611340? I paid $47.84", "en")) is None
    assert PiiRedactionRail().check(context("订单W2611340一共3999元，2024年5月1日下单", "zh")) is None


def test_keep_hook_receives_the_originals() -> None:
    kept: list[tuple[PiiSpan, str]] = []
    rail = PiiRedactionRail(keep=lambda span, value: kept.append((span, value)))
    rail.check(context("verify me: 13812345678, cvv 123", "en"))
    assert [(span.kind, value) for span, value in kept] == [("PHONE", "13812345678")]


class Echo:
    """A policy that answers with what it is told to, to see what the output rail lets through."""

    def __init__(self, answer: str) -> None:
        self.answer = answer

    def decide(self, ctx: TurnContext) -> None:
        ctx.reply(self.answer)


class Nothing:
    def understand(self, ctx: TurnContext) -> Understanding:
        return Understanding("none", 1.0)


def run(text: str, answer: str, lang: str = "en") -> TurnContext:
    pipeline = TurnPipeline([PiiRedactionRail()], Nothing(), Echo(answer), [PiiLeakRail()])
    return pipeline.run(context(text, lang))


def test_the_turn_sees_the_original_and_stores_the_masked_text() -> None:
    ctx = run("my email is jane@example.com", "ok")
    assert ctx.text == "my email is jane@example.com"
    assert ctx.stored_text == "my email is [EMAIL]"
    assert ctx.rail_log == [{"rail": "pii_redaction", "action": "mask", "reason": "masked EMAIL"}]


def test_leak_rail_masks_cards_ids_and_ssns_in_any_reply() -> None:
    ctx = run("hi", "Your card 4111 1111 1111 1111 and ID 11010519491231002X, SSN 078-05-1120 are on file.")
    assert ctx.replies[0].text == "Your card [CARD ••••1111] and ID [ID NUMBER], SSN [SSN] are on file."
    ctx = run("你好", "您的银行卡4111111111111111已绑定", lang="zh")
    assert ctx.replies[0].text == "您的银行卡[银行卡 ••••1111]已绑定"


def test_leak_rail_masks_what_the_customer_typed_this_turn_when_echoed() -> None:
    ctx = run("call me on 13812345678", "OK, we will call 138-1234-5678 tomorrow.")
    assert ctx.replies[0].text == "OK, we will call [PHONE] tomorrow."  # stored
    assert ctx.replies[0].live_text == "OK, we will call 138-1234-5678 tomorrow."  # shown now, once


def test_leak_rail_stores_addresses_masked_and_shows_them_live_but_never_a_card() -> None:
    ctx = run(
        "ok", "Change the address to 1234 Oak Street, Austin, TX 78701 and charge card 4111 1111 1111 1111?"
    )
    assert "1234 Oak Street" not in ctx.replies[0].text
    live = ctx.replies[0].live_text or ""
    assert "1234 Oak Street" in live
    assert "4111" not in live.replace("••••1111", "")


def test_leak_rail_leaves_other_replies_alone() -> None:
    answer = "Write to support@shop.example or call 400-800-1234; order #W2611340 ships on 2024-05-01."
    assert PiiLeakRail().check(context("hi", "en"), reply(answer)) is None
    assert ReexportedLeakRail is PiiLeakRail
