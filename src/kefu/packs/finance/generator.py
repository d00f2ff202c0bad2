"""The finance pack's deterministic command generator and understander: the intent classifier
(``intents.yaml``) with a few patterns in front, identity facts, confirmation answers, and slot values
grounded in the customer's own cards and transactions."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, datetime

from kefu.dialogue.commands import (
    AnswerQuestion,
    CannotProvide,
    ChitChat,
    Clarify,
    Command,
    Confirm,
    Deny,
    HandOff,
    ProvideIdentity,
    SetSlot,
    StartFlow,
)
from kefu.dialogue.engine import IDENTITY
from kefu.dialogue.flows import FlowSpec, SlotSpec
from kefu.engine.context import TurnContext, Understanding
from kefu.nlu.extract import extract_entities
from kefu.nlu.intents import OUT_OF_SCOPE, IntentClassifier, IntentPrediction
from kefu.nlu.sentiment import analyse_sentiment
from kefu.nlu.yesno import yes_or_no
from kefu.packs.finance import reading, recommend
from kefu.packs.finance.clock import BankClock
from kefu.packs.finance.escalations import escalation_for
from kefu.packs.finance.flows import FLOWS, INTENT_FLOWS, PERSONAL_CARDS
from kefu.packs.finance.view import view_of
from kefu.tools.registry import ToolRegistry

CONFIDENT = 0.5
INFORM = "inform"
_HUMAN = re.compile(
    r"\b(human|real person|agent|representative|supervisor|manager|operator|someone real)\b"
    r"|人工|真人|客服人员|主管|经理",
    re.IGNORECASE,
)
_TRANSFER = re.compile(r"\b(transfer|connect|speak|talk|put me through|get me)\b|转|接|找", re.IGNORECASE)
_NOTHING_ELSE = re.compile(
    r"^\W*(no|nope|that'?s (all|it|everything)|nothing else|i'?m (good|done|fine)|no,? thanks?)\b"
    r"|^(没有了|没了|没事了|不用了|就这些|没有别的)",
    re.IGNORECASE,
)
_REFERRAL_STATUS = re.compile(
    r"\b(bonus|bonuses|status|why|didn'?t|did not|only (got|received)|what happened)\b"
    r"|奖励|奖金|为什么|没收到|状态",
    re.IGNORECASE,
)
_REFERRED = re.compile(
    r"\brefer(r?al|r?als|red|ring)?\b|\bfriends?\b.{0,30}\bsign|\bsign.{0,20}\bfriends?\b|推荐.{0,4}(朋友|好友|别人|他人)|推荐(奖励|记录|奖金)|介绍.{0,6}朋友",
    re.IGNORECASE,
)
_REBATE = re.compile(r"\brebate\b|年费返还|返还年费|年费返现", re.IGNORECASE)
_RECOMMEND = re.compile(
    r"\brecommend|\bwhich (credit )?card|looking for a (new )?(personal )?credit card|\bbest (credit )?card"
    r"|highest cash ?back|best (promotional|sign-?up)|推荐.{0,3}(一张|信用)?卡|哪张卡|办什么卡|返现最高",
    re.IGNORECASE,
)
_NEW_REFERRAL = re.compile(
    r"\b(submit|new referral|again|resubmit|retry|re-?refer)\b|重新|再次|提交", re.IGNORECASE
)
_REFER_SOMEONE = re.compile(
    r"\brefer (a|my|one|some)\w* (friend|one|body)\b|推荐.{0,4}(朋友|他|她)", re.IGNORECASE
)
_THANKS = re.compile(r"^\W*(thanks?|thank you|thx|谢谢|多谢|感谢)\W*$", re.IGNORECASE)
_NOT_WORDS = re.compile(r"[\W\d_]+")
# words that name a request better than the classifier does in short messages
_FLOW_WORDS = (
    (re.compile(r"unfreeze|unlock|unblock|解冻|解锁|解除冻结", re.IGNORECASE), "unfreeze_card"),
    (re.compile(r"\bfreeze\b|\block\b|冻结|锁卡", re.IGNORECASE), "freeze_card"),
    (re.compile(r"cash ?back|reward points?|返现|积分", re.IGNORECASE), "cash_back_dispute"),
    (
        re.compile(
            r"\b(charged|billed)\b.{0,20}\b(twice|two times|double|again)\b|double[- ]charged|\bnot mine\b"
            r"|don'?t recogni[sz]e|never (received|arrived|got)"
            r"|扣了两次|扣两次|重复扣|盗刷|不认识的(交易|消费|扣款)|没收到(货|东西)",
            re.IGNORECASE,
        ),
        "dispute",
    ),
)


def information_only(text: str) -> bool:
    """Nothing but identity facts (and filler words) in the message."""
    residue = text
    for pattern in (reading.EMAIL, reading.DOB, reading.ADDRESS, reading.PHONE):
        residue = pattern.sub(" ", residue)
    residue = re.sub(
        r"\b(my|is|and|the|email|e-mail|phone|number|date of birth|dob|birthday|born|on|address|it'?s"
        r"|i live at|sure|yes|ok|here|name|i'?m|i am)\b|邮箱|电话|手机|生日|出生|地址|是|我的|住在|好的",
        " ",
        residue,
        flags=re.IGNORECASE,
    )
    return len(_NOT_WORDS.sub("", residue)) <= 3


class FinanceUnderstander:
    def __init__(self, classifier: IntentClassifier, timezone: str = "Asia/Shanghai") -> None:
        self.classifier = classifier
        self.timezone = timezone

    def understand(self, ctx: TurnContext) -> Understanding:
        if information_only(ctx.text) and reading.identity_facts(ctx.text):
            prediction = IntentPrediction(INFORM, 1.0, ((INFORM, 1.0),))
        else:
            prediction = self.classifier.predict(ctx.text)
        found = extract_entities(ctx.text, datetime.now(UTC), self.timezone)
        found["yes_no"] = yes_or_no(ctx.text)
        found["sentiment"] = asdict(analyse_sentiment(ctx.text, ctx.lang))
        return Understanding(prediction.intent, prediction.confidence, prediction.ranking, found)


def _card_name(text: str) -> str | None:
    folded = text.lower().replace("-", " ")
    for name in sorted(PERSONAL_CARDS, key=len, reverse=True):
        key = name.lower().replace("-", " ").replace(" rewards card", "").replace(" card", "")
        if key and re.search(rf"\b{re.escape(key)}\b", folded):
            return name
    return None


class FinanceCommands:
    def __init__(self, tools: ToolRegistry, clock: BankClock | None = None) -> None:
        self.tools = tools
        self.clock = clock or BankClock()

    def flow_of(self, ctx: TurnContext, text: str) -> str | None:
        u = ctx.understanding or Understanding(OUT_OF_SCOPE, 0.0)
        for pattern, flow in _FLOW_WORDS:
            if pattern.search(text) and (
                flow != "cash_back_dispute" or u.intent in ("cash_back_dispute", "dispute_transaction")
            ):
                return flow
        if _REBATE.search(text):
            return "fee_rebate"
        if _RECOMMEND.search(text) and not _REFERRED.search(text):
            return "recommend_card"
        if _REFERRED.search(text):
            if _NEW_REFERRAL.search(text):
                return "referral"
            if _REFERRAL_STATUS.search(text):
                return "referral_status"
            if _REFER_SOMEONE.search(text):
                return "referral"
            return None  # how the programme works, or what a letter said: the bank's documents answer
        if u.confidence < CONFIDENT:
            return None
        return INTENT_FLOWS.get(u.intent)

    def generate(self, ctx: TurnContext, text: str, focus: str | None = None) -> list[Command]:
        if focus is not None:
            return self.slots(ctx, text, FLOWS[focus], asked=None)
        state = ctx.state
        u = ctx.understanding or Understanding(OUT_OF_SCOPE, 0.0)
        commands: list[Command] = []
        if not state.verified_customer:
            facts = reading.identity_facts(text)
            if facts:
                commands.append(ProvideIdentity(facts))
            elif state.asking == IDENTITY and reading.dont_know(text):
                commands.append(CannotProvide("address"))
        if (urgent := escalation_for(text, self.clock.today)) is not None:
            return [HandOff(f"policy:{urgent.name}")]
        if state.pending is not None:
            answer = u.entities.get("yes_no")
            if answer == "yes":
                return [*commands, Confirm()]
            if answer == "no":
                return [*commands, Deny()]
        if _HUMAN.search(text) and (_TRANSFER.search(text) or u.intent == "human_request"):
            return [*commands, HandOff("customer_request")]
        if u.intent == "human_request" and u.confidence >= CONFIDENT:
            return [*commands, HandOff("customer_request")]
        if u.intent == INFORM and commands:
            return commands
        active = FLOWS.get(state.flow)
        asked = active.slot(state.asking) if active is not None and state.asking else None
        if active is not None and asked is not None:
            filled = self.slots(ctx, text, active, asked)
            if filled:  # an answer to the question asked comes first
                return [*commands, *filled]
        flow = self.flow_of(ctx, text)
        if flow is not None and flow != state.flow:
            commands.append(StartFlow(flow, hint=text))
            return commands
        if active is not None:
            filled = self.slots(ctx, text, active, asked)
            if filled or (
                asked is not None and not commands and u.intent not in ("goodbye", "product_question")
            ):
                return [*commands, *filled]  # nothing read: the engine asks again
        if commands:
            return commands
        if _THANKS.search(text):
            return [ChitChat("thanks")]
        if u.intent == "goodbye" or _NOTHING_ELSE.search(text):
            return [ChitChat("goodbye")]
        if u.intent == "greeting" and u.confidence >= CONFIDENT:
            return [ChitChat("greeting")]
        return [AnswerQuestion("knowledge", text)]

    # -- slot values ------------------------------------------------------------------------------
    def slots(self, ctx: TurnContext, text: str, flow: FlowSpec, asked: SlotSpec | None) -> list[Command]:
        out: list[Command] = []
        for spec in flow.slots:
            if spec.name in ctx.state.slots and spec is not asked:
                continue
            command = self.read(ctx, text, flow, spec, asked=spec is asked)
            if command is not None:
                out.append(command)
        return out

    def read(
        self, ctx: TurnContext, text: str, flow: FlowSpec, spec: SlotSpec, asked: bool
    ) -> Command | None:
        view = view_of(self.tools, ctx)
        name = spec.name
        value: object | None = None
        if name == "card" and ctx.state.verified_customer:
            found = reading.card_matches(text, view.debit_cards(), ("card_id", "account_id"))
            return _one(name, [c["card_id"] for c in found])
        if name == "account" and ctx.state.verified_customer:
            found = reading.card_matches(text, view.credit_cards(), ("card_type", "account_id"))
            return _one(name, [c["account_id"] for c in found])
        if name == "transaction" and ctx.state.verified_customer:
            found = reading.transaction_matches(text, view.card_transactions())
            return _one(name, [t["transaction_id"] for t in found])
        if name == "reason":
            value = (
                reading.replacement_reason(text)
                if flow.name == "replace_card"
                else reading.dispute_reason(text)
            )
        elif name == "resolution":
            value = reading.resolution(text)
        elif name == "expedited":
            fast: bool | None = reading.expedited(text)
            if fast is None and asked and (said := reading.yes_no(text, yes_or_no(text))) is not None:
                fast = said == "yes"
            value = None if fast is None else ("yes" if fast else "no")
        elif name in ("contacted", "subscription") and asked:
            value = reading.yes_no(text, yes_or_no(text))
        elif name == "goal":
            value = recommend.goal(text)
        elif name == "max_fee":
            value = recommend.max_fee(text, asked)
        elif name == "monthly_spend" and asked:
            figures = reading.amounts(text)
            value = figures[0] if figures else None
        elif name in ("card_type", "account_type"):
            value = _card_name(text)
        elif name in ("amount", "income") and asked:
            figures = reading.amounts(text)
            value = figures[0] if figures else None
        elif name == "email":
            m = reading.EMAIL.search(text)
            value = m.group(0) if m else None
        elif name == "name" and asked and not re.search(r"\d", text):
            value = re.sub(
                r"^(my name is|i'?m|i am|it'?s|name:?|我叫|我是|名字是)\s*", "", text.strip(), flags=re.I
            )
            value = value.strip(" .!,。") or None
        return SetSlot(name, value) if value is not None else None


def _one(slot: str, values: list[str]) -> Command | None:
    if len(values) == 1:
        return SetSlot(slot, values[0])
    if 1 < len(values) <= 6:
        return Clarify(slot, tuple(values))
    return None
