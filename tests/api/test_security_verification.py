"""Issue #16, item 1: guessing a zip code for a name across many conversations locks the claimed identity
out (audited); the right zip is then refused too and the customer is handed to a human.

The limits are ``kefu.guard.attempts.VerificationLimits``, wired as
``PackEnvironment.systems["verification_attempts"]``; the retail pack's verification strategy consults
it (the dialogue side of the port)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from customer_client import Customer
from kefu.app import create_app
from kefu_test_support import ADMIN, make_settings

PENDING = "#W8770097"  # Ivan Santos, zip 75277


@pytest.fixture
def strict_app(sqlite_url: str, tau_dir: Path) -> Iterator[TestClient]:
    from kefu.demo import import_tau_retail

    settings = make_settings(sqlite_url, verification_free_attempts=3, verification_lockout_after=4)
    import_tau_retail(settings, tau_dir)
    with TestClient(create_app(settings)) as client:
        yield client


def test_guessing_zip_codes_across_conversations_locks_the_identity_out(strict_app: TestClient) -> None:
    for zips in (("10001", "10002"), ("10003", "10004")):  # a new conversation each time
        guesser = Customer(strict_app, locale="en")
        guesser.say("where is my order?")
        for zip_code in zips:
            assert PENDING not in guesser.say(f"my name is Ivan Santos and my zip is {zip_code}")

    late = Customer(strict_app, locale="en")
    late.say("where is my order?")
    answer = late.say("my name is Ivan Santos and my zip is 75277")  # right, but locked out now
    assert PENDING not in answer and "Ivan" not in answer
    assert late.status == "waiting_human"
    admin = {"Authorization": f"Bearer {ADMIN}"}
    audit = strict_app.get("/v1/audit", params={"action": "verification.locked_out"}, headers=admin).json()
    assert len(audit["items"]) == 1 and "ivan" not in str(audit["items"][0]).lower()

    email = Customer(strict_app, locale="en")  # another way to verify is another identity
    email.say("where is my order?")
    assert "Ivan" in email.say("my email is ivan.santos3158@example.com")
