"""The retail pack's deterministic command generator: intent classifier + patterns + grounded slot
reading over the customer's own orders and the catalogue, emitting ``kefu.dialogue`` commands."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kefu.dialogue.commands import (
    AnswerQuestion,
    CancelFlow,
    CannotProvide,
    ChitChat,
    Command,
    Confirm,
    Deny,
    EditPending,
    HandOff,
    ProvideIdentity,
    SetSlot,
    StartFlow,
)
from kefu.dialogue.resolve.addresses import resolve_address
from kefu.engine.context import TurnContext, Understanding
from kefu.nlu import entities
from kefu.nlu.intents import OUT_OF_SCOPE, IntentClassifier
from kefu.nlu.yesno import yes_or_no
from kefu.packs.retail import slots, totals
from kefu.packs.retail.flows import FLOWS
from kefu.packs.retail.grounding import Grounding
from kefu.packs.retail.understanding import INFORM

CONFIDENT = 0.55
SEGMENT_CONFIDENT = 0.5
AFTER_YES_CONFIDENT = 0.75
SIDE_QUESTION_CONFIDENCE = 0.35
READ_ONLY = ("order_status", "list_orders")
ACTIONS = ("cancel_order", "return_items", "exchange_items", "modify_items")
SIDE_QUESTIONS = ("product_question", "greeting", "goodbye", "human_request", "complaint")
INTENT_FLOWS = (
    "order_status",
    "list_orders",
    "cancel_order",
    "change_address",
    "return_items",
    "exchange_items",
)

_VERBS = (
    r"cancel|return|exchange|swap|change|modify|update|switch|track|check|send back|refund|get a refund|know|"
    r"find out|see|fix|upgrade|downgrade"
)
_SEGMENT = re.compile(
    rf",?\s+and\s+(?=(?:(?:i|we)\s+(?:also\s+)?(?:want|need|would like|'d like)\s+to\s+|also\s+|then\s+)?"
    rf"(?:{_VERBS})\b)"
    r"|(?:[.!?;。！？；\n]+\s*|,\s*(?=and\b|also\b|then\b|plus\b)|\s+(?:and also|and then|also|then|plus|"
    r"as well as|and i(?:'d| would)? (?:also )?(?:like|want|need))\s+"
    r"|另外|还有|顺便|同时|然后|再帮我|也帮我|以及|，(?:再|并且|还要|也要|还想|也想)"
    r"|[，,:：]\s*(?:一是|二是|三是|第一|第二|第三|首先|其次|最后|second(?:ly)?|third(?:ly)?|finally)[，,]?)",
    re.IGNORECASE,
)
_USER_ADDRESS = re.compile(
    r"\b(default|account|profile|my (?:own |home )?address(?! (?:of|for|on) (?:the|my|this|that|order))"
    r"|address on (?:file|my account)|user address)\b|默认地址|账户地址|账号地址|个人地址|我的地址(?!.*订单)",
    re.IGNORECASE,
)
_PAYMENT_CHANGE = re.compile(
    r"\b(change|switch|update|use|pay with|pay using|charge)\b.{0,40}\b(payment|pay|card|paypal|gift card)\b"
    r"|(换|改|更换|修改).{0,8}(支付|付款)",
    re.IGNORECASE,
)
_ITEM_CHANGE = re.compile(
    r"\b(change|modify|switch|swap|update)\b.{0,40}\b(size|colou?r|item|items|version|option|model)\b"
    r"|(改|换)(成|为|一下)?.{0,8}(尺码|码|号|颜色|色|款式|型号|商品|版本)",
    re.IGNORECASE,
)
_DONT_KNOW = re.compile(
    r"\b(don'?t|do not|can'?t|cannot|no idea|not sure|forgot|forget)\b.{0,30}"
    r"\b(remember|recall|know|have|sure|which)\b|\bno idea\b|\bforgot\b"
    r"|不记得|忘了|忘记|不知道|记不清|想不起",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"[?？]|吗|呢|多少|几[个种款]|\b(how|what|which|do you|does|is there|are there|can you tell)\b",
    re.IGNORECASE,
)
_BACK_REFERENCE = re.compile(
    r"\b(them|it|those|these|they|that|this)\b|它们|它|这些|那些|这个|那个", re.IGNORECASE
)
_ALSO = re.compile(
    r"\b(also|too|as well|another|other|in addition)\b|另外|还要|也要|还想|也想|顺便", re.IGNORECASE
)
_REQUEST_HINT = re.compile(
    r"\b(cancel\w*|return\w*|exchange\w*|swap|chang\w+|modif\w+|updat\w+|switch|refund\w*|track\w*|where|"
    r"status|address|pay\w*|send (it )?back|replace|upgrade|downgrade|order\w*|deliver\w*|ship\w*|fix|"
    r"exhcange|retrun|cancle)\b|取消|退|换|改|修改|查|物流|到哪|地址|支付|付款|订单|发货|快递",
    re.IGNORECASE,
)  # a part without any of these is not a request of its own (no need to classify it)
_ONE_ORDER = re.compile(
    r"\b(an|the|this|that|same|my|one) order\b(?!s)|(一个|有个|这个|那个|同一个|该)订单|一单|这单|那单",
    re.IGNORECASE,
)
_THANKS = re.compile(r"^\W*(thanks?|thank you|thx|ty|cheers|谢谢|多谢|感谢)\b", re.IGNORECASE)
_CHANGED_MIND = re.compile(
    r"\b(actually|instead|rather|changed my mind)\b|算了|改成|其实|还是", re.IGNORECASE
)
_NOTHING_ELSE = re.compile(
    r"^\W*(no|nope|nah|that'?s (all|it|everything)|nothing else|i'?m (good|done|fine)|no,? thanks?)\b"
    r"|^(没有了|没了|没事了|不用了|就这些|没有别的)",
    re.IGNORECASE,
)


_SAME_REQUEST = {"modify_items": "exchange_items", "change_user_address": "change_address"}


def same_request(flow: str | None, active: str | None) -> bool:
    """A pending order's items are *modified*, a delivered one's *exchanged*: one request to the customer."""
    if flow is None or active is None:
        return False
    return _SAME_REQUEST.get(flow, flow) == _SAME_REQUEST.get(active, active)


def segments(text: str) -> list[str]:
    return [s.strip(" ,，") for s in _SEGMENT.split(text) if s and len(s.strip(" ,，")) > 2]


def flow_for(intent: str, text: str) -> str:
    """The retail flow a request intent asks for, refined by what the words say."""
    if intent == "change_address" and _USER_ADDRESS.search(text) and not entities.order_ids(text):
        return "change_user_address"
    if intent in (
        "change_address",
        "exchange_items",
        "cancel_order",
        "order_status",
    ) and _PAYMENT_CHANGE.search(text):
        return "change_payment"
    if intent in ("change_address", "order_status", "cancel_order") and _ITEM_CHANGE.search(text):
        return "exchange_items"
    return intent


class RetailCommands:
    def __init__(self, classifier: IntentClassifier, grounding: Grounding) -> None:
        self.classifier = classifier
        self.ground = grounding

    def generate(self, ctx: TurnContext, text: str, focus: str | None = None) -> list[Command]:
        if focus is not None:
            found = self.ground.slots(ctx, text, FLOWS[focus], asked=None)
            handled = ctx.state.memory.get("handled") or []
            one_order = _ONE_ORDER.search(text) and not entities.order_ids(text)
            if handled and one_order and not any(isinstance(c, SetSlot) and c.slot == "order" for c in found):
                found.insert(0, SetSlot("order", handled[-1]))  # "an order, two changes": the same order
            return found
        state = ctx.state
        u = ctx.understanding or Understanding(OUT_OF_SCOPE, 0.0)
        commands: list[Command] = []
        if not state.verified_customer:
            facts = identity_facts(text, expecting=state.asking == "identity")
            if facts:
                commands.append(ProvideIdentity(facts))
            elif _DONT_KNOW.search(text) and (state.asking == "identity" or re.search(r"e-?mail|邮箱", text)):
                commands.append(CannotProvide("email" if re.search(r"e-?mail|邮箱|邮件", text) else "zip"))
        kind = self.total_asked(ctx, text)
        if kind and (state.pending is None or confirmation_answer(text) is None):
            return [*commands, AnswerQuestion(f"totals.{kind}", text)]
        if state.pending is not None:
            return commands + self._at_confirmation(ctx, text, u)
        intent = self.contextual_intent(ctx, u, commands)
        flow = FLOWS.get(state.flow)
        if intent in INTENT_FLOWS and intent not in READ_ONLY and keeps_as_is(text):
            drop: list[Command] = [CancelFlow()] if flow is not None else []
            return [*commands, *drop, AnswerQuestion("unchanged", text)]
        if intent == "continue":
            if state.asking == "identity" and len(segments(text)) > 1:
                commands.extend(c for c in self._requests(ctx, text, None) if isinstance(c, StartFlow))
            if flow is not None and state.verified_customer:
                fills = self.ground.slots(ctx, text, flow, asked=state.asking)
                if not fills and state.asking and _DONT_KNOW.search(text):
                    fills = [CannotProvide(state.asking)]
                commands.extend(fills)
            return commands
        if intent in INTENT_FLOWS:
            return commands + self._requests(ctx, text, intent)
        if intent == "greeting":
            commands.append(ChitChat("greeting"))
        elif intent == "goodbye":
            commands.append(ChitChat("thanks" if state.flow is None and _THANKS.search(text) else "goodbye"))
        elif intent == "human_request":
            commands.append(HandOff("customer_request"))
        elif intent == "complaint":
            commands.append(AnswerQuestion("complaint", text))
            commands.extend(self._requests(ctx, text, None))
        elif intent == "product_question":
            commands.append(AnswerQuestion("product", text))
            commands.extend(self._requests(ctx, text, None))
        elif intent == INFORM:
            if not commands and not entities.emails(text):
                commands.append(AnswerQuestion("out_of_scope", text))
        elif not commands and not only_identity(text):
            commands.extend(self.other_requests(ctx, text) or [AnswerQuestion("out_of_scope", text)])
        return commands

    def total_asked(self, ctx: TurnContext, text: str) -> str | None:
        """ "What's the total I get back?": a money total there is something to answer with."""
        kind = totals.asks_total(text)
        if kind and ctx.state.verified_customer and totals.answerable(ctx, kind) and _only_asks_total(text):
            return kind
        return None

    # -- requests -------------------------------------------------------------------------------
    def _requests(self, ctx: TurnContext, text: str, intent: str | None) -> list[Command]:
        """One StartFlow per request in the message ("cancel #W1 and also return the lamp")."""
        found: list[tuple[str, str]] = []
        parts = segments(text)
        if len(parts) > 1:
            asking = [p for p in parts if _REQUEST_HINT.search(p) and not only_identity(p)]
            predicted = dict(zip(asking, self.classifier.predict_many(asking), strict=True)) if asking else {}
            labelled: list[tuple[str | None, str]] = []
            for part in parts:
                p = predicted.get(part)
                if p is None or p.intent not in INTENT_FLOWS or p.confidence < SEGMENT_CONFIDENT:
                    labelled.append((None, part))
                else:
                    labelled.append((flow_for(p.intent, part), part))
            if any(n not in (None, *READ_ONLY) for n, _ in labelled):
                labelled = [(None if n in READ_ONLY else n, part) for n, part in labelled]
            context: list[str] = []  # what comes before the first request is about every request
            for name, part in labelled:
                if name is None:
                    if found:
                        found[-1] = (found[-1][0], f"{found[-1][1]} {part}")
                    else:
                        context.append(part)
                elif found and same_request(found[-1][0], name):
                    found[-1] = (found[-1][0], f"{found[-1][1]} {part}")
                else:
                    found.append((name, " ".join([*context, part])))
        if any(f == "change_address" for f, _ in found) and _USER_ADDRESS.search(text):
            found.append(
                ("change_user_address", text)
            )  # "… all my pending orders, and my default address too"
        whole = flow_for(intent, text) if intent is not None else None
        if whole is not None and (
            not found or (whole not in READ_ONLY and all(f in READ_ONLY for f, _ in found))
        ):
            found = [(whole, text)]
        if len(found) == 1:
            found = [(found[0][0], text)]
        commands: list[Command] = []
        state = ctx.state
        refused = str(state.private.get("refused_hint", ""))
        if refused and len(found) == 1 and _BACK_REFERENCE.search(text) and not entities.order_ids(text):
            found = [(found[0][0], f"{refused} {found[0][1]}")]  # "then return them": what was refused
        for name, hint in found:
            if same_request(name, state.flow):
                if state.verified_customer and (flow := FLOWS.get(name)) is not None:
                    commands.extend(self.ground.slots(ctx, hint, flow, asked=state.asking))
                continue
            commands.append(StartFlow(name, hint))
        starts = [c for c in commands if isinstance(c, StartFlow)]
        instead = (
            state.flow in ACTIONS
            and any(c.flow in ACTIONS for c in starts)
            and not _ALSO.search(text)
            and not entities.order_ids(text)
        )
        if state.flow and state.pending is None and starts and (_CHANGED_MIND.search(text) or instead):
            # "otherwise return it": instead of, not as well as; "it" is what the other request was about
            about = self.ground.about(ctx)
            commands = [
                StartFlow(c.flow, f"{about} {c.hint}") if isinstance(c, StartFlow) and about else c
                for c in commands
            ]
            commands.insert(0, CancelFlow())
        return commands

    def other_requests(self, ctx: TurnContext, text: str) -> list[Command]:
        """The requests in the parts of a message beside a question answered elsewhere ("how many
        t-shirt options do you have? also I want to return some stuff")."""
        if len(segments(text)) < 2:
            return []
        return [c for c in self._requests(ctx, text, None) if isinstance(c, StartFlow)]

    # -- understanding in context ---------------------------------------------------------------
    def contextual_intent(self, ctx: TurnContext, u: Understanding, commands: Sequence[Command] = ()) -> str:
        """The classifier's intent read in the conversation's context ("continue" = an answer to the
        open question); worked out once per turn."""
        memo = self.ground.view(ctx).memo
        key = ("intent", ctx.text, bool(commands), ctx.state.flow, ctx.state.asking)
        if key not in memo:
            memo[key] = self._contextual_intent(ctx, u, commands)
        intent: str = memo[key]
        return intent

    def _contextual_intent(self, ctx: TurnContext, u: Understanding, commands: Sequence[Command]) -> str:
        state = ctx.state
        intent, confident = u.intent, u.confidence >= CONFIDENT
        if intent == INFORM:  # only ids, emails, numbers: an answer, never a new request
            return "continue" if state.flow else ("order_status" if entities.order_ids(ctx.text) else intent)
        fills_slot = self._answers_question(ctx)
        if state.asking == "identity" and (fills_slot or commands) and state.flow:
            return "continue"  # "Fatima Johnson, zip code 78712": an answer, not an address change
        if state.asking == "reason" and fills_slot and not _ACTION_VERB.search(ctx.text):
            return "continue"  # "I found a better deal elsewhere, so it's no longer needed": the reason asked
        new_request = intent in INTENT_FLOWS and not same_request(intent, state.flow)
        if state.flow and fills_slot and not (new_request and confident):
            return "continue"
        if (
            state.asking in ("items", "new_items")
            and intent == "product_question"
            and not _QUESTION.search(ctx.text)
        ):
            return (
                "continue"  # "the keyboard in clicky, full size": an answer about the product, not a question
            )
        side_question = intent in SIDE_QUESTIONS and u.confidence >= SIDE_QUESTION_CONFIDENCE
        if state.asking == "identity" and side_question:
            return intent  # answer it; the request waiting for verification stays open
        if state.flow is None and _NOTHING_ELSE.search(ctx.text) and not entities.order_ids(ctx.text):
            return "goodbye"
        if intent == OUT_OF_SCOPE or not confident:
            if state.flow and state.asking:
                return "continue"
            if _ITEM_CHANGE.search(ctx.text):
                return "exchange_items"  # "登山靴想改成 8 码": another option of an item
            if (misspelt := _misspelt_request(ctx.text)) is not None:
                return misspelt  # "I need to exhcange two things"
            if entities.order_ids(ctx.text):
                return "order_status"
        return intent

    def _answers_question(self, ctx: TurnContext) -> bool:
        asking, text = ctx.state.asking, ctx.text
        if asking == "identity":
            return bool(
                entities.emails(text) or entities.zip_codes(text) or entities.person_names(text, True)
            )
        if asking == "reason":
            return slots.cancel_reason(text) is not None
        flow = FLOWS.get(ctx.state.flow)
        if asking in ("order", "items", "new_items", "payment", "address") and flow is not None:
            return bool(ctx.state.verified_customer and self.ground.slots(ctx, text, flow, asked=asking))
        return bool(entities.order_ids(text) or slots.refers_to_other(text))

    # -- the confirmation step ------------------------------------------------------------------
    def _at_confirmation(self, ctx: TurnContext, text: str, u: Understanding) -> list[Command]:
        state = ctx.state
        flow = FLOWS.get(state.flow)
        if flow is None:
            return []
        said = [
            c for c in self.ground.slots(ctx, text, flow, asked=None, editing=True) if isinstance(c, SetSlot)
        ]
        edits = [EditPending(c.slot, c.value) for c in said if state.slots.get(c.slot) != c.value]
        if edits:
            return list(edits)
        answer = confirmation_answer(text)
        if said and answer != "yes":
            return []  # "不需要了" again: the same answer restated, neither yes nor no
        if answer == "yes":
            asked = totals.asks_total(text)
            then = [AnswerQuestion(f"totals.{asked}", text)] if asked else []  # "yes. the total refund?"
            return [Confirm(), *self._after_yes(ctx, text), *then]
        if answer == "no":
            return [Deny()]
        if _SAME_METHOD.search(text) and not entities.order_ids(text):
            return []  # "退回原来的付款方式": where the money goes, no new request; asked to confirm again
        intent = u.intent
        moved_on = not same_request(flow_for(intent, text), state.flow)
        if intent in INTENT_FLOWS and u.confidence >= CONFIDENT and moved_on:
            return self._requests(ctx, text, intent)
        if intent in ("product_question",) and u.confidence >= CONFIDENT:
            return [AnswerQuestion("product", text)]
        if intent == "human_request" and u.confidence >= CONFIDENT:
            return [HandOff("customer_request")]
        return []

    def _after_yes(self, ctx: TurnContext, text: str) -> list[Command]:
        """ "Yes, and also cancel #W2": a clearly new request after the yes."""
        found: list[Command] = []
        for part in segments(text)[1:]:
            p = self.classifier.predict(part)
            if p.intent in INTENT_FLOWS and p.confidence >= AFTER_YES_CONFIDENT:
                name = flow_for(p.intent, part)
                if not same_request(name, ctx.state.flow):
                    found.append(StartFlow(name, part, queued=False))
        return found


_IDENTITY_WORDS = re.compile(
    r"\b(my|name|is|zip|code|postal|e-?mail|address|i'?m|i am|this|it'?s|and|user|id|sure|hi|hello|yes)\b"
    r"|我叫|我是|名字|邮编|邮箱|姓名|用户名?",
    re.IGNORECASE,
)


def only_identity(part: str) -> bool:
    """A part of a message that only says who the customer is ("Fatima Johnson, zip code 78712")."""
    facts = identity_facts(part, expecting=True)
    if not (facts.get("email") or facts.get("zip")):
        return False  # a bare name ("你好" reads as one) says nothing for sure
    rest = entities.EMAIL.sub(" ", entities.fold(part))
    for name in facts.get("name", "").split(";"):
        for word in name.split():
            rest = re.sub(rf"\b{re.escape(word)}\b", " ", rest, flags=re.IGNORECASE)
    rest = re.sub(r"\S*[_\d]\S*", " ", _DONT_KNOW.sub(" ", rest))  # user ids, numbers, "I forgot my email"
    rest = _IDENTITY_WORDS.sub(" ", rest)
    return len(re.findall(r"[A-Za-z]{2,}|[\u4e00-\u9fff]", rest)) < 3


def _only_asks_total(text: str) -> bool:
    """ "Great. What's the total price of my order now?": no request beside the question about money."""
    return all(totals.about_total(p) or not _REQUEST_HINT.search(p) for p in segments(text))


_REQUEST_WORDS = {"exchange": "exchange_items", "return": "return_items", "cancel": "cancel_order"}


def _close(word: str, target: str) -> bool:
    """One edit (or one swap of neighbours) apart."""
    if word == target or abs(len(word) - len(target)) > 1:
        return word == target
    if len(word) == len(target):
        diff = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and word[diff[0]] == target[diff[1]]
            and word[diff[1]] == target[diff[0]]
        )
    short, long = (word, target) if len(word) < len(target) else (target, word)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _misspelt_request(text: str) -> str | None:
    for word in re.findall(r"[a-z]{5,}", entities.fold(text).lower()):
        for target, flow in _REQUEST_WORDS.items():
            if _close(word, target) or _close(word.rstrip("s"), target):
                return flow
    return None


_KEEP_AS_IS = re.compile(
    r"\b(?:don'?t|do not|no need to|not)\s+(?:cancel|return|exchange|change|modify|go ahead)\b"
    r"|\b(?:i'?ll|i will|let me|i'?d rather|i want to|i'?d like to)\s+keep\s+(?:it|them|the)\b"
    r"|先不(?:要|用)?(?:取消|退|换|改)|不(?:取消|退货?|换货?|改)了|还是留着|还是不(?:取消|退|换|改)|(?:我)?再想想",
    re.IGNORECASE,
)
_ACTION_VERB = re.compile(
    r"\b(cancel|return|exchange|swap|change|modify|switch|replace|refund)\w*|取消|退|换|改", re.IGNORECASE
)


def keeps_as_is(text: str) -> bool:
    """ "烤架先不取消了，留着" / "don't cancel it, I'll keep it": no request, everything stays as it is."""
    if not _KEEP_AS_IS.search(text):
        return False
    return not any(_ACTION_VERB.search(_KEEP_AS_IS.sub(" ", part)) for part in segments(text))


_SAME_METHOD = re.compile(
    r"\b(original|same|usual|existing)\s+(payment|pay|card|method|credit card)"
    r"|原来的.{0,4}(付款|支付|卡)|原支付|原路",
    re.IGNORECASE,
)
_BY_THE_WAY = re.compile(r"^\W*(?:对了|哦对|by the way|btw|oh,? and)[，,\s]*", re.IGNORECASE)


def confirmation_answer(text: str) -> str | None:
    """Yes or no, also when it comes after some musing ("Hmm, red, XXL, gift card... yes! Go ahead");
    "wait, let me keep it" is a no, and "对了" ("by the way") no yes."""
    text = _BY_THE_WAY.sub("", text)
    if not text.strip():
        return None
    answer = yes_or_no(text)
    if answer is not None:
        return answer
    if _KEEP_AS_IS.search(text):
        return "no"
    answers = [a for a in (yes_or_no(part) for part in segments(text)) if a is not None]
    return answers[-1] if answers else None


def identity_facts(text: str, expecting: bool) -> dict[str, str]:
    """Email, name candidates and zip code in the message (never trusted until a lookup matches)."""
    facts: dict[str, str] = {}
    found = entities.emails(text)
    if found:
        facts["email"] = found[0]
    zips = entities.zip_codes(text)
    if zips and not re.search(r"zip|post\s*code|postal|邮编", text, re.IGNORECASE):
        address = resolve_address(text, "en")
        if address.resolved and address.value is not None:
            zips = [z for z in zips if z != str(address.value.get("zip"))]  # the zip of a new address
    names = entities.person_names(text, expecting_name=expecting or bool(zips))
    if not names and zips:
        start = re.match(
            r"^\W*([A-Za-z][a-z'\-]+)\s+([A-Za-z][a-z'\-]+)\s*(?:,|\bzip\b|\d)", entities.fold(text)
        )
        if (
            start
            and start.group(1).lower() not in _NOT_NAME_WORDS
            and start.group(2).lower() not in _NOT_NAME_WORDS
        ):
            names = [entities.PersonName(start.group(1), start.group(2))]
    if not names and zips:
        names = [
            entities.PersonName(m.group(1), m.group(2))
            for m in re.finditer(r"\b([A-Z][a-z'\-]+)\s+([A-Z][a-z'\-]+)\b", entities.fold(text))
            if m.group(1).lower() not in _NOT_NAME_WORDS
        ]
    if names:
        facts["name"] = ";".join(f"{n.first} {n.last}" for n in names)
    if zips:
        facts["zip"] = zips[0]
    return facts


_NOT_NAME_WORDS = frozenset(
    {"hi", "hello", "hey", "my", "the", "i", "sure", "yes", "ok", "okay", "thanks", "sorry", "zip", "it"}
)
