"""Phone numbers as the Presidio-research generator writes them, in sentences it never wrote.

Presidio's synthetic PII data takes its phone numbers (and addresses, postcodes, national ids) from the
FakeNameGenerator.com records that ship in the ``presidio-evaluator`` wheel: 3,000 people of 30-odd
countries. Those *values* are not its sentence templates, so they make an independent check of the
phone recognizer: every value is put into each of our own contexts (``tests/data/pii/phone_contexts.txt``,
written for this benchmark, never tuned on Presidio templates) and must come out as one phone span covering
it. Precision is probed with what Presidio puts near phone numbers: addresses built as its address
provider builds them (house number + the record's street, city, state and postcode) and the records'
non-phone columns; every phone span found there is a false phone. Last, each phone number is written right
before and right after its person's address (a contact block, a signature), per separator, and next to
the other values Presidio's templates hold (a name, a birthday, a date and time, a year, an age, a postcode,
an SSN, an IP address, a card number, a price). And numbers drawn from the formats of the generator's own
phone provider ("(###)###-####x###", "+447700 ######", "+41 (0)2# ### ## ##"…) in the same contexts.

Run from the repository root (downloads the wheel from the package index once, without installing it)::

    .venv/bin/python benchmarks/pii_phone_values.py [--wheel WHEEL] [--json]
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import json
import random
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from kefu.eval.pii_synth import card
from kefu.guard.pii import find_pii
from kefu.guard.pii.types import PHONE

ROOT = Path(__file__).resolve().parents[1]
CONTEXTS = ROOT / "tests" / "data" / "pii" / "phone_contexts.txt"
CACHE = Path.home() / ".cache" / "kefu" / "presidio-evaluator"
WHEEL_SPEC = "presidio-evaluator==0.3.2"
RECORDS_IN_WHEEL = "presidio_evaluator/data_generator/raw_data/FakeNameGenerator.com_3000.csv"
PROVIDERS_IN_WHEEL = "presidio_evaluator/data_generator/faker_extensions/providers.py"
NOT_PHONE_COLUMNS = ("StreetAddress", "ZipCode", "Birthday", "CCExpires", "NationalID", "CVV2", "Age")


def wheel_path(given: Path | None) -> Path:
    """The presidio-evaluator wheel: the one given, or one downloaded once (without its dependencies)."""
    if given is not None:
        return given
    wheels = sorted(CACHE.glob("presidio_evaluator-*.whl"))
    if not wheels:
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(CACHE), WHEEL_SPEC],
            check=True,
        )
        wheels = sorted(CACHE.glob("presidio_evaluator-*.whl"))
    return wheels[-1]


def load_records(wheel: Path) -> list[dict[str, str]]:
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(RECORDS_IN_WHEEL).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def load_phone_formats(wheel: Path) -> list[str]:
    """The formats of the generator's own phone provider (``PhoneNumberProviderNew.formats``), read from its
    source with ``ast`` (nothing of the wheel is imported or installed)."""
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read(PROVIDERS_IN_WHEEL).decode("utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and node.name == "PhoneNumberProviderNew":
            for statement in node.body:
                if isinstance(statement, ast.Assign) and ast.unparse(statement.targets[0]) == "formats":
                    return sorted(set(ast.literal_eval(statement.value)))
    raise SystemExit(f"no phone formats found in {wheel}")


def format_recall(formats: list[str], contexts: list[str], per_format: int = 20) -> dict[str, Any]:
    """Numbers drawn from each format, in each context, must come out whole as one phone span."""
    rng = random.Random(17)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for fmt in formats:
        for _ in range(per_format):
            value = re.sub("#", lambda _: str(rng.randint(0, 9)), fmt)
            for context in contexts:
                if "x" in value and "x204" in context:
                    continue  # an extension after an extension
                text = context.replace("{}", value)
                start = text.index(value)
                total[fmt] += 1
                if any(s <= start and e >= start + len(value) for s, e in phone_spans(text)):
                    found[fmt] += 1
    worst = sorted(formats, key=lambda f: found[f] / total[f])[:5]
    return {
        "formats": len(formats),
        "sentences": sum(total.values()),
        "recall": round(sum(found.values()) / sum(total.values()), 4),
        "worst_formats": {f: round(found[f] / total[f], 4) for f in worst},
    }


def phone_spans(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in find_pii(text) if s.kind == PHONE]


def value_recall(records: list[dict[str, str]], contexts: list[str]) -> dict[str, Any]:
    found = 0
    total = 0
    missed_by_country: Counter[str] = Counter()
    missed_examples: list[str] = []
    for record in records:
        value = record["TelephoneNumber"]
        for context in contexts:
            text = context.replace("{}", value)
            start = text.index(value)
            end = start + len(value)
            total += 1
            if any(s <= start and e >= end for s, e in phone_spans(text)):
                found += 1
            else:
                missed_by_country[record["Country"]] += 1
                if len(missed_examples) < 8:
                    missed_examples.append(text)
    return {
        "values": len(records),
        "contexts": len(contexts),
        "sentences": total,
        "recall": round(found / total, 4),
        "missed_by_country": dict(missed_by_country.most_common()),
        "missed_examples": missed_examples,
    }


def address_sentences(records: list[dict[str, str]], rng: random.Random) -> list[str]:
    sentences = []
    for r in records:
        house = str(rng.choice((rng.randint(100, 999), rng.randint(1000, 9999), rng.randint(10000, 99999))))
        postcode = f"{rng.randint(0, 99999):05d}"
        street, city, state, country = r["StreetAddress"], r["City"], r["State"], r["CountryFull"]
        sentences += [
            f"{house} {street} Suite {rng.randint(100, 999)} {city} {country}",
            f"Please ship it to {house} {street}, {city}, {country}.",
            f"{house} {street}\n{city}, {state} {postcode}",
            f"I moved to {street}, {city} {state} {r['ZipCode']} last year.",
        ]
    return sentences


def found_both_ways(phone: str, neighbour: str, separator: str) -> int:
    """In how many of "neighbour, phone" and "phone, neighbour" (with this separator) the phone is found."""
    found = 0
    before = neighbour + separator
    for text, start in ((before + phone, len(before)), (phone + separator + neighbour, 0)):
        end = start + len(phone)
        found += any(s < end and e > start for s, e in phone_spans(text))
    return found


BESIDE_SEPARATORS = (", ", "; ", " | ", " - ", "\n", "\n\n", " ")


def beside_addresses(records: list[dict[str, str]]) -> dict[str, Any]:
    """Each phone number right before and right after an address of the same person (contact blocks,
    signatures): found per separator; " " alone is the hard case ("… Sweden 38712 0227-7979744")."""
    rng = random.Random(11)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for record in records:
        phone = record["TelephoneNumber"]
        for separator in BESIDE_SEPARATORS:
            address = rng.choice(address_sentences([record], rng)[:3])
            total[separator] += 2
            found[separator] += found_both_ways(phone, address, separator)
    return {repr(sep): round(found[sep] / total[sep], 4) for sep in BESIDE_SEPARATORS}


BESIDE_ENTITY_SEPARATORS = (" ", ", ", "\n", " - ", " | ", "; ", ": ", " / ", " at ", " on ")


def neighbours(record: dict[str, str], rng: random.Random) -> dict[str, str]:
    """What Presidio's templates put around a phone number, for this person."""
    return {
        "name": f"{record['GivenName']} {record['Surname']}",
        "email": record["EmailAddress"],
        "company": record["Company"],
        "birthday": record["Birthday"],
        "date and time": f"{rng.randint(1970, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
        "year": str(rng.randint(1950, 2024)),
        "age": str(rng.randint(18, 90)),
        "postcode": record["ZipCode"],
        "SSN": f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
        "IP address": ".".join(str(rng.randint(1, 254)) for _ in range(4)),
        "card": card(rng),
        "price": f"${rng.randint(1, 999)}.{rng.randint(10, 99)}",
    }


def beside_other_values(records: list[dict[str, str]]) -> dict[str, Any]:
    """Each phone number right before and right after a name, date, SSN... with a random separator."""
    rng = random.Random(13)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for record in records:
        phone = record["TelephoneNumber"]
        for kind, value in neighbours(record, rng).items():
            total[kind] += 2
            found[kind] += found_both_ways(phone, value, rng.choice(BESIDE_ENTITY_SEPARATORS))
    return {kind: round(found[kind] / total[kind], 4) for kind in total}


def false_phones(records: list[dict[str, str]]) -> dict[str, Any]:
    sentences = address_sentences(records, random.Random(7))
    sentences += [
        f"My {column}: {r[column]}, thanks." for r in records for column in NOT_PHONE_COLUMNS if r[column]
    ]
    flagged = [t for t in sentences if phone_spans(t)]
    return {
        "sentences": len(sentences),
        "with_a_false_phone": len(flagged),
        "rate": round(len(flagged) / len(sentences), 4),
        "examples": [re.sub(r"\s+", " ", t) for t in flagged[:8]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a presidio-evaluator wheel (default: downloaded once)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    wheel = wheel_path(args.wheel)
    records = load_records(wheel)
    lines = CONTEXTS.read_text(encoding="utf-8").splitlines()
    contexts = [line for line in lines if "{}" in line]
    recall = value_recall(records, contexts)
    precision = false_phones(records)
    beside = beside_addresses(records)
    beside_others = beside_other_values(records)
    formats = format_recall(load_phone_formats(wheel), contexts)
    print(
        f"phone values found: {recall['recall']:.2%} of {recall['sentences']:,} sentences "
        f"({recall['values']:,} values x {recall['contexts']} contexts); misses by country: "
        f"{recall['missed_by_country'] or 'none'}"
    )
    for example in recall["missed_examples"]:
        print(f"  missed: {example!r}")
    print(
        f"false phones: {precision['with_a_false_phone']:,} of {precision['sentences']:,} address and "
        f"non-phone sentences ({precision['rate']:.2%})"
    )
    for example in precision["examples"]:
        print(f"  false phone in: {example!r}")
    print(
        "phone numbers found next to an address, by separator: "
        + ", ".join(f"{k} {v:.2%}" for k, v in beside.items())
    )
    print(
        "phone numbers found next to another value: "
        + ", ".join(f"{k} {v:.2%}" for k, v in beside_others.items())
    )
    print(
        f"numbers of the generator's {formats['formats']} phone formats found whole: "
        f"{formats['recall']:.2%} of {formats['sentences']:,} sentences; worst: {formats['worst_formats']}"
    )
    if args.json:
        result = {
            "format_recall": formats,
            "value_recall": recall,
            "false_phones": precision,
            "beside_addresses": beside,
            "beside_other_values": beside_others,
        }
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
