"""The learned second opinion behind the handoff request patterns (``triggers.human_request_verdict``).

A ``SecondOpinion`` (character and word n-grams, then the multilingual sentence encoder) trained on
``examples.jsonl``: the training part of the independent set (``tests/data/rails/handoff_train.jsonl``,
issue #15), the triggers' own tuning set (``tests/data/handoff_eval.jsonl``) and a few complaints about
staff written for the purpose: requests for a person in every phrasing against the look-alikes
(人工智能, 人工费, travel agents, "my manager", an agent who already helped, 不用转人工).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from kefu.domain.errors import KefuError
from kefu.guard.second_opinion import SecondOpinion, SecondOpinionConfig, load_examples
from kefu.nlu.encoder import SentenceEncoder, shared_encoder

EXAMPLES = Path(__file__).resolve().parent / "examples.jsonl"
OTHER_RAILS = (
    Path(__file__).resolve().parents[1] / "guard" / "injection" / "examples.jsonl",
    Path(__file__).resolve().parents[1] / "guard" / "emergency" / "examples.jsonl",
)
# Chosen on tests/data/rails/handoff_val.jsonl (benchmarks/rails_tune.py handoff), never on the test part.
CONFIG = SecondOpinionConfig(gate=0.05, threshold=0.5)
VETO = 0.1  # the patterns' request stands unless the model finds it this unlikely
log = logging.getLogger("kefu.handoff")


def train_detector(
    encoder: SentenceEncoder | None = None, config: SecondOpinionConfig = CONFIG
) -> SecondOpinion:
    if encoder is None:
        try:
            encoder = shared_encoder()
        except KefuError as exc:
            log.warning("handoff second opinion runs on n-grams only: %s", exc.message)
    texts, labels = load_examples(EXAMPLES, OTHER_RAILS)
    return SecondOpinion(encoder, config).fit(texts, labels)


_SHARED: list[SecondOpinion] = []
_LOCK = threading.Lock()


def request_probability(text: str) -> float:
    """How likely the message asks for a person, by the learned detector."""
    with _LOCK:
        if not _SHARED:
            _SHARED.append(train_detector())
        model = _SHARED[0]
    return model.probability(text)
