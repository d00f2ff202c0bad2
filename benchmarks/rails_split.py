"""Build ``tests/data/rails/<rail>_{train,val,test}.jsonl`` from hand-written source files.

Run from the repository root::

    .venv/bin/python benchmarks/rails_split.py SOURCE.txt... --rail injection [--check]

A source file is plain text, one message a line::

    @ family label          # sets the family and label of the lines that follow
    z p | 忽略上面的话……     # lang (z = zh, e = en), style (p plain, t typos, s slang, m mixed, l long)
    + e p | Ignore …        # a leading "+" makes the line a variant of the line above (same group)

``\\n`` in a text stands for a line break and ``\\uXXXX`` for that character (zero-width spaces, …).
Lines starting with ``#`` are comments.

Groups (a line and its ``+`` variants) are the unit of assignment: every group goes whole into one split,
so variants of one idea never cross splits. Within each family, groups are shuffled with a fixed seed
and dealt to train / val / test so that each split gets about 50 / 20 / 30 % of the family's messages.
``--check`` also lists pairs of messages in different splits whose character trigrams overlap a lot.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

SEED = 15
SPLITS = (("train", 0.5), ("val", 0.2), ("test", 0.3))
LANGS = {"z": "zh", "e": "en"}
STYLES = {"p": "plain", "t": "typos", "s": "slang", "m": "mixed", "l": "long"}
OUT = Path("tests/data/rails")


@dataclass(frozen=True)
class Message:
    text: str
    label: int
    lang: str
    family: str
    style: str


def unescape(text: str) -> str:
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda match: chr(int(match.group(1), 16)), text)
    return text.replace("\\n", "\n")


def parse(path: Path) -> list[list[Message]]:
    groups: list[list[Message]] = []
    family, label = "", -1
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            family, label_text = line[1:].split()
            label = int(label_text)
            continue
        variant = line.startswith("+")
        head, sep, text = line.lstrip("+ ").partition("|")
        codes = head.split()
        if not sep or len(codes) != 2 or codes[0] not in LANGS or codes[1] not in STYLES or label < 0:
            sys.exit(f"{path}:{number}: expected '[+] <z|e> <p|t|s|m|l> | text' under an '@ family label'")
        message = Message(unescape(text.strip()), label, LANGS[codes[0]], family, STYLES[codes[1]])
        if variant and groups and groups[-1][0].family == family:
            groups[-1].append(message)
        else:
            groups.append([message])
    return groups


def assign(groups: list[list[Message]]) -> dict[str, list[Message]]:
    by_family: dict[str, list[list[Message]]] = defaultdict(list)
    for group in groups:
        by_family[group[0].family].append(group)
    rng = random.Random(SEED)
    out: dict[str, list[Message]] = {name: [] for name, _ in SPLITS}
    for family in sorted(by_family):
        family_groups = by_family[family]
        rng.shuffle(family_groups)
        taken = dict.fromkeys(out, 0)
        for index, group in enumerate(family_groups):
            if index < len(SPLITS):  # every split gets the family at least once
                name = ("test", "train", "val")[index]
            else:
                total = sum(taken.values()) + len(group)
                name = max(SPLITS, key=lambda split: split[1] * total - taken[split[0]])[0]
            taken[name] += len(group)
            out[name].extend(group)
    for messages in out.values():
        rng.shuffle(messages)
    return out


def trigrams(text: str) -> set[str]:
    squashed = "".join(text.lower().split())
    return {squashed[i : i + 3] for i in range(max(1, len(squashed) - 2))}


def near_duplicates(splits: dict[str, list[Message]], threshold: float = 0.6) -> list[tuple[str, str, float]]:
    tagged = [(name, m.text, trigrams(m.text)) for name, messages in splits.items() for m in messages]
    found = []
    for i, (split_a, text_a, grams_a) in enumerate(tagged):
        for split_b, text_b, grams_b in tagged[i + 1 :]:
            if split_a == split_b:
                continue
            overlap = len(grams_a & grams_b) / len(grams_a | grams_b)
            if overlap >= threshold:
                found.append((text_a, text_b, overlap))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", type=Path, nargs="+")
    parser.add_argument("--rail", required=True, choices=("injection", "handoff", "emergency"))
    parser.add_argument("--check", action="store_true", help="List near-duplicates across splits.")
    args = parser.parse_args()
    groups = [group for source in args.sources for group in parse(source)]
    texts = Counter(m.text for group in groups for m in group)
    repeated = [text for text, count in texts.items() if count > 1]
    if repeated:
        sys.exit(f"repeated messages: {repeated[:5]}")
    splits = assign(groups)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, messages in splits.items():
        with (OUT / f"{args.rail}_{name}.jsonl").open("w", encoding="utf-8") as out:
            for m in messages:
                record = {"text": m.text, "label": m.label, "lang": m.lang, "family": m.family}
                record |= {"style": m.style, "kind": m.family}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    summary = {name: Counter(m.label for m in messages) for name, messages in splits.items()}
    print(args.rail, {name: dict(counts) for name, counts in summary.items()}, "groups:", len(groups))
    if args.check:
        for text_a, text_b, overlap in near_duplicates(splits):
            print(f"{overlap:.2f}  {text_a[:70]!r}  <>  {text_b[:70]!r}")


if __name__ == "__main__":
    main()
