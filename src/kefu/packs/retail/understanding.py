"""Understanding for the retail pack: intent, entities and the confirmation answer of a message."""

from __future__ import annotations

from kefu.engine.context import TurnContext, Understanding
from kefu.nlu import entities
from kefu.nlu.intents import IntentClassifier
from kefu.nlu.yesno import yes_or_no


class RetailUnderstander:
    def __init__(self, classifier: IntentClassifier) -> None:
        self.classifier = classifier

    def understand(self, ctx: TurnContext) -> Understanding:
        prediction = self.classifier.predict(ctx.text)
        order_ids = entities.order_ids(ctx.text)
        found: dict[str, object] = {
            "order_ids": order_ids,
            "emails": entities.emails(ctx.text),
            "zip_codes": entities.zip_codes(ctx.text),
            "yes_no": yes_or_no(ctx.text),
        }
        if order_ids:
            ctx.state.remember_orders(order_ids)
        return Understanding(prediction.intent, prediction.confidence, prediction.ranking, found)
