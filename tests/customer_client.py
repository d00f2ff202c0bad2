"""A tiny customer for API tests: opens a conversation and sends messages over HTTP."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient


class Customer:
    def __init__(
        self,
        client: TestClient,
        pack: str = "retail",
        locale: str | None = None,
        customer_token: str | None = None,
    ) -> None:
        body: dict[str, Any] = {"pack": pack}
        if locale:
            body["locale"] = locale
        if customer_token:
            body["customer_token"] = customer_token
        response = client.post("/v1/conversations", json=body)
        assert response.status_code == 201, response.text
        created = response.json()
        self.client = client
        self.id: str = created["id"]
        self.token: str = created["token"]
        self.welcome: list[dict[str, Any]] = created["messages"]
        self.status: str = created["status"]

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def send(self, text: str, client_msg_id: str | None = None) -> list[dict[str, Any]]:
        """Send one message; returns the bot replies (the stored customer message is dropped)."""
        body = {"text": text, "client_msg_id": client_msg_id or uuid.uuid4().hex}
        response = self.client.post(f"/v1/conversations/{self.id}/messages", json=body, headers=self.auth)
        assert response.status_code == 200, response.text
        data = response.json()
        self.status = data["status"]
        assert data["messages"][0]["role"] == "customer"
        return list(data["messages"][1:])

    def say(self, text: str) -> str:
        """Send one message; returns the bot replies joined into one string."""
        return "\n".join(m["text"] for m in self.send(text))
