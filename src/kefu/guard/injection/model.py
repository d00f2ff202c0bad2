"""The learned second opinion behind the injection patterns.

Patterns (``patterns.yaml``) are precise but miss new wordings. A ``SecondOpinion`` (character and word
n-grams, then the multilingual sentence encoder, logistic regressions) is trained on ``examples.jsonl``:
the rail's own attacks and tricky customer messages plus the training part of the independent set
(``tests/data/rails/injection_train.jsonl``, issue #15), with the retail pack's intent examples as more
ordinary messages. ``detect_injection`` asks it about every message no pattern matched; stage 1 turns
ordinary messages away without encoding them.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from kefu.domain.errors import KefuError
from kefu.guard.injection.types import InjectionVerdict
from kefu.guard.second_opinion import SecondOpinion, SecondOpinionConfig, load_examples
from kefu.nlu.encoder import SentenceEncoder, shared_encoder
from kefu.nlu.intent_data import load_labelled

EXAMPLES = Path(__file__).resolve().parent / "examples.jsonl"
OTHER_RAILS = (
    Path(__file__).resolve().parents[1] / "emergency" / "examples.jsonl",
    Path(__file__).resolve().parents[2] / "handoff" / "examples.jsonl",
)
ORDINARY = Path(__file__).resolve().parents[2] / "packs" / "retail" / "intents.yaml"
# Chosen on tests/data/rails/injection_val.jsonl (benchmarks/rails_tune.py injection), never on the test
# part: patterns alone 30.7 % recall; with the model 92.1 % recall at 1.0 % false positives (1/104).
CONFIG = SecondOpinionConfig(gate=0.05, threshold=0.775)
log = logging.getLogger("kefu.guard")


def training_texts(
    examples: Path = EXAMPLES, ordinary: Path | None = ORDINARY
) -> tuple[list[str], list[int]]:
    texts, labels = load_examples(examples, OTHER_RAILS)
    if ordinary is not None:
        extra = [text for text, _ in load_labelled(ordinary)]
        texts += extra
        labels += [0] * len(extra)
    return texts, labels


def train_detector(
    encoder: SentenceEncoder | None = None, config: SecondOpinionConfig = CONFIG
) -> SecondOpinion:
    """A detector trained on the shipped examples; with the shared encoder unless one is given, and on
    n-grams alone when the encoder is not installed."""
    if encoder is None:
        try:
            encoder = shared_encoder()
        except KefuError as exc:
            log.warning("injection second opinion runs on n-grams only: %s", exc.message)
    texts, labels = training_texts()
    return SecondOpinion(encoder, config).fit(texts, labels)


_SHARED: list[SecondOpinion] = []
_LOCK = threading.Lock()


def _learned() -> SecondOpinion:
    with _LOCK:
        if not _SHARED:
            _SHARED.append(train_detector())
        return _SHARED[0]


def learned_verdict(text: str) -> InjectionVerdict | None:
    """An attack verdict when the learned detector is confident, else ``None``."""
    attack, probability = _learned().says_yes(text)
    if not attack:
        return None
    return InjectionVerdict(True, "learned", f"learned detector p={probability:.2f}", probability)
