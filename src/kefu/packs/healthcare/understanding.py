"""Understanding for the healthcare pack: intent, the yes/no of a confirmation, sentiment."""

from __future__ import annotations

from dataclasses import asdict

from kefu.engine.context import TurnContext, Understanding
from kefu.nlu.intents import IntentClassifier
from kefu.nlu.langid import detect_language
from kefu.nlu.sentiment import analyse_sentiment
from kefu.nlu.yesno import yes_or_no


class HealthUnderstander:
    def __init__(self, classifier: IntentClassifier) -> None:
        self.classifier = classifier

    def read(self, text: str, lang: str | None = None) -> Understanding:
        prediction = self.classifier.predict(text)
        found = {
            "yes_no": yes_or_no(text),
            "sentiment": asdict(analyse_sentiment(text, lang or detect_language(text))),
        }
        return Understanding(prediction.intent, prediction.confidence, prediction.ranking, found)

    def understand(self, ctx: TurnContext) -> Understanding:
        return self.read(ctx.text, ctx.lang)
