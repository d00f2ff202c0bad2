"""Issue #16, item 8: a stored transcript holds no part of an address beyond city and country — not the
building and room after a Chinese street number, not the state and ZIP after an English street."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from customer_client import Customer
from kefu.guard.pii.addresses import street_addresses

CASES = [
    ("zh", "请寄到北京市朝阳区建国路88号SOHO现代城5号楼1203室，谢谢", ["SOHO", "现代城", "5号楼", "1203"]),
    ("zh", "地址：上海市浦东新区张杨路500号华润时代广场12楼1201室", ["华润", "1201"]),
    ("en", "please ship it to 1234 Maple Street, Springfield, OR 97403", ["Maple", "OR 97403", "97403"]),
    ("en", "my address is 55 Oak Avenue, Apt 5, Portland, OR 97201-1234.", ["Oak", "Apt 5", "97201"]),
    ("en", "I live at 10 Downing Street, London SW1A 2AA", ["Downing", "SW1A", "2AA"]),
]


@pytest.mark.parametrize(("lang", "text", "parts"), CASES)
def test_the_whole_address_is_one_span(lang: str, text: str, parts: list[str]) -> None:
    spans = street_addresses(text)
    masked = text
    for span in sorted(spans, key=lambda s: -s.start):
        masked = masked[: span.start] + "[ADDRESS]" + masked[span.end :]
    assert not [p for p in parts if p in masked], masked


def test_stored_transcripts_keep_no_part_of_an_address(demo_app: TestClient) -> None:
    for lang, text, parts in CASES:
        customer = Customer(demo_app, locale=lang)
        customer.send(text)
        stored = demo_app.get(f"/v1/conversations/{customer.id}/messages", headers=customer.auth).json()
        said = [m["text"] for m in stored["messages"] if m["role"] == "customer"]
        assert said and not [p for p in parts if any(p in s for s in said)], said
