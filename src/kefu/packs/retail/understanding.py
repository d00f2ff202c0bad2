"""Understanding for the retail pack: intent, entities and the confirmation answer of a message."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, datetime

from kefu.engine.context import TurnContext, Understanding
from kefu.nlu import entities
from kefu.nlu.extract import extract_entities
from kefu.nlu.intents import IntentClassifier, IntentPrediction
from kefu.nlu.sentiment import analyse_sentiment
from kefu.nlu.yesno import yes_or_no

INFORM = "inform"
_NOT_WORDS = re.compile(r"[\W\d_]+")


def information_only(text: str) -> bool:
    """True when nothing is left of the message once ids, emails and numbers are taken out."""
    residue = entities.EMAIL.sub(" ", entities.fold(text))
    residue = entities.ORDER_ID.sub(" ", residue)
    residue = re.sub(
        r"\b(order|id|no|number|email|e-mail|zip|订单号?|单号|邮箱|邮编)\b", " ", residue, flags=re.IGNORECASE
    )
    return not _NOT_WORDS.sub("", residue)


class RetailUnderstander:
    def __init__(self, classifier: IntentClassifier, timezone: str = "Asia/Shanghai") -> None:
        self.classifier = classifier
        self.timezone = timezone

    def understand(self, ctx: TurnContext) -> Understanding:
        if information_only(ctx.text):
            prediction = IntentPrediction(INFORM, 1.0, ((INFORM, 1.0),))
        else:
            prediction = self.classifier.predict(ctx.text)
        found = extract_entities(ctx.text, datetime.now(UTC), self.timezone)
        found["yes_no"] = yes_or_no(ctx.text)
        found["sentiment"] = asdict(analyse_sentiment(ctx.text, ctx.lang))
        order_ids: list[str] = found["order_ids"]
        if order_ids:
            ctx.state.remember_orders(order_ids)
        return Understanding(prediction.intent, prediction.confidence, prediction.ranking, found)
