"""Locust users for ``benchmarks/load/run.py`` (which starts the servers and runs Locust headless).

``Customer``: one conversation per user at a time, playing a retail dialogue (verification, order status, a
return) one message per ``KEFU_LOAD_PACE_S`` seconds (0 = as fast as answers come); when the script ends
the user opens a new conversation. ``Echo``: a bare FastAPI ``POST /echo`` as fast as it answers, the
ceiling of HTTP + JSON on this machine. Both use ``FastHttpUser`` so the client is not the bottleneck.
Demo customers come from ``KEFU_LOAD_CUSTOMERS`` (JSON list of ``[email, order]``).
"""

from __future__ import annotations

import itertools
import json
import os
import uuid
from typing import Any

from locust import FastHttpUser, constant, constant_pacing, task
from servers import Customer as DemoCustomer
from servers import script_for

PACE_S = float(os.environ.get("KEFU_LOAD_PACE_S", "1"))
CUSTOMERS = [DemoCustomer(e, o) for e, o in json.loads(os.environ.get("KEFU_LOAD_CUSTOMERS", "[]"))]
_numbers = itertools.count()


class Customer(FastHttpUser):
    wait_time = constant_pacing(PACE_S) if PACE_S > 0 else constant(0)

    def on_start(self) -> None:
        self.number = next(_numbers)
        self.locale = "en" if self.number % 2 == 0 else "zh"
        self._open()

    def _open(self) -> None:
        self.script: list[str] = script_for(self.locale, CUSTOMERS[self.number % len(CUSTOMERS)])
        self.step = 0
        self.conversation: str | None = None
        with self.client.post(
            "/v1/conversations",
            json={"pack": "retail", "locale": self.locale},
            name="open",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            created: dict[str, Any] = response.json()
            self.conversation = str(created["id"])
            self.headers = {"Authorization": f"Bearer {created['token']}"}

    @task
    def turn(self) -> None:
        if self.conversation is None or self.step >= len(self.script):
            self._open()
            return
        text = self.script[self.step]
        self.step += 1
        with self.client.post(
            f"/v1/conversations/{self.conversation}/messages",
            json={"text": text, "client_msg_id": uuid.uuid4().hex},
            headers=self.headers,
            name="turn",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
            elif len(response.json().get("messages", ())) < 2:
                response.failure("no reply to the customer's message")


class Echo(FastHttpUser):
    wait_time = constant(0)

    @task
    def echo(self) -> None:
        self.client.post("/echo", json={"text": "where is my order?", "client_msg_id": "x"}, name="echo")
