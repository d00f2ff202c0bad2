"""Latency the rails add to one turn: every input rail on the customer's message and every output rail on
the bot's reply, exactly as the retail pack wires them (PII redaction, emergency, injection; PII leak,
compliance).

Run from the repository root::

    .venv/bin/python benchmarks/rails_latency.py [--rounds 3] [--json]

It builds the retail pack the way ``kefu serve`` does (``create_app`` over a temporary SQLite database),
then for each of a few hundred realistic zh/en customer messages (the retail held-out intent utterances,
the sentiment and handoff sets in ``tests/data``) runs the pack's input rails on the message and its output
rails on a reply (the pack's own reply templates, cycled), and times the sum. Prints p50/p99 per turn and
per rail; with ``--json`` one JSON object on the last line. Target: ≤ 1 ms p50 added per turn.

Every turn encodes the customer's message once with the sentence encoder for intent classification; the
encoder remembers recent texts, so a rail that needs the same vector (the emergency and injection
detectors' learned second opinions) gets it for free. By default the benchmark encodes each message
before timing its rails, as the turn does, and so measures what the rails *add* to a turn;
``--own-encoding`` times the rails as if nothing else encoded the message.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kefu.domain.conversation import Conversation, DialogueState  # noqa: E402
from kefu.domain.ids import ConversationId  # noqa: E402
from kefu.domain.messages import ConversationStatus, OutgoingMessage  # noqa: E402
from kefu.engine.context import TurnContext  # noqa: E402
from kefu.nlu.langid import detect_language  # noqa: E402

SECRET = "benchmark-secret-key-0123456789abcdef0123456789"


def messages() -> list[str]:
    intents = yaml.safe_load((ROOT / "tests/data/retail_intents_heldout.yaml").read_text("utf-8"))["intents"]
    texts = [t for langs in intents.values() for group in langs.values() for t in group]
    for name in ("sentiment_eval", "handoff_heldout"):
        for line in (ROOT / "tests/data" / f"{name}.jsonl").read_text("utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return {"order_id": "#W8770097", "name": "Ivan", "amount": "$544.29"}.get(key, "Office Chair")


def replies() -> dict[str, list[str]]:
    data = yaml.safe_load((ROOT / "src/kefu/packs/retail/responses.yaml").read_text("utf-8"))
    found: dict[str, list[str]] = {"zh": [], "en": []}
    for entry in data.values():
        if isinstance(entry, dict):
            for lang in found:
                value = entry.get(lang)
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str):
                        found[lang].append(text.format_map(_Blank()))
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the messages (default 3)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time CPU used by the process (time.process_time) instead of wall time: on a busy machine this "
        "is closer to what the rails cost when the machine is idle",
    )
    parser.add_argument(
        "--own-encoding",
        action="store_true",
        help="do not encode the message first: the rails pay for the encoding themselves",
    )
    args = parser.parse_args(argv)
    clock = time.process_time if args.cpu else time.perf_counter

    from kefu.app import create_app
    from kefu.config import Settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/kefu.db", secret_key=SECRET, admin_token="bench-admin"
        )
        pack = create_app(settings).state.services.conversations.pack("retail")
        pipeline = pack.pipeline
        texts, templates = messages(), replies()
        langs = [detect_language(t, default="en") for t in texts]
        langs = [lang if lang in ("zh", "en") else "en" for lang in langs]
        conversation = Conversation(
            ConversationId("bench"), "retail", None, ConversationStatus.BOT, None, datetime.now(UTC)
        )

        from kefu.nlu.encoder import shared_encoder

        encoder = shared_encoder()

        def turn(i: int, per_rail: dict[str, list[float]] | None) -> float:
            text, lang = texts[i], langs[i]
            if not args.own_encoding:
                encoder.encode([text])  # what intent classification does in every turn, untimed
            ctx = TurnContext(conversation, DialogueState(lang=lang), text, lang, f"bench:{i}")
            pool = templates[lang]
            reply = OutgoingMessage(pool[i % len(pool)], lang)
            total = 0.0
            for rail in pipeline.input_rails:
                tick = clock()
                rail.check(ctx)
                spent = clock() - tick
                total += spent
                if per_rail is not None:
                    per_rail[f"in:{rail.name}"].append(spent * 1000)
            for out in pipeline.output_rails:
                tick = clock()
                out.check(ctx, reply)
                spent = clock() - tick
                total += spent
                if per_rail is not None:
                    per_rail[f"out:{out.name}"].append(spent * 1000)
            return total * 1000

        for i in range(len(texts)):  # warm-up: compiles patterns, loads the learned detectors
            turn(i, None)
        per_turn: list[float] = []
        per_rail: dict[str, list[float]] = defaultdict(list)
        for _ in range(args.rounds):
            per_turn += [turn(i, per_rail) for i in range(len(texts))]

    figures: dict[str, Any] = {
        "clock": "process_time" if args.cpu else "perf_counter",
        "encoding": "own" if args.own_encoding else "shared with intent classification",
        "load_average_1m": round(os.getloadavg()[0], 2),  # other work on the machine inflates wall times
        "messages": len(texts),
        "turns": len(per_turn),
        "rails": [f"in:{r.name}" for r in pipeline.input_rails]
        + [f"out:{r.name}" for r in pipeline.output_rails],
        "p50_ms": round(statistics.median(per_turn), 4),
        "p99_ms": round(percentile(per_turn, 0.99), 4),
        "mean_ms": round(statistics.fmean(per_turn), 4),
        "per_rail_p50_ms": {k: round(statistics.median(v), 4) for k, v in per_rail.items()},
        "per_rail_p99_ms": {k: round(percentile(v, 0.99), 4) for k, v in per_rail.items()},
    }
    print(f"{figures['messages']} messages × {args.rounds} rounds; rails: {', '.join(figures['rails'])}")
    print(f"message encoding: {figures['encoding']}")
    print(
        f"added per turn: p50 {figures['p50_ms']:.3f} ms, p99 {figures['p99_ms']:.3f} ms, "
        f"mean {figures['mean_ms']:.3f} ms"
    )
    for name in per_rail:
        print(
            f"  {name:<22} p50 {figures['per_rail_p50_ms'][name]:.4f} ms  "
            f"p99 {figures['per_rail_p99_ms'][name]:.4f} ms"
        )
    print(f"load average (1 min) while measuring: {figures['load_average_1m']}")
    print(f"target ≤ 1 ms p50: {'met' if figures['p50_ms'] <= 1.0 else 'NOT met'}")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
