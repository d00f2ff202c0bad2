"""Tokens: the conversation bearer token kefu issues, and the ``customer_token`` a business signs."""

from __future__ import annotations

import hmac
import time

import jwt

from kefu.domain.errors import Forbidden, Unauthorized

CONVERSATION_AUDIENCE = "kefu:conversation"


class TokenService:
    def __init__(self, secret_key: str, admin_token: str, conversation_ttl_s: int = 30 * 24 * 3600) -> None:
        self._secret = secret_key
        self._admin_token = admin_token
        self._ttl = conversation_ttl_s

    def issue_conversation_token(self, conversation_id: str) -> str:
        now = int(time.time())
        claims = {"sub": conversation_id, "aud": CONVERSATION_AUDIENCE, "iat": now, "exp": now + self._ttl}
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def check_conversation_token(self, token: str | None, conversation_id: str) -> None:
        """Accept the conversation's own token, or the admin token."""
        if not token:
            raise Unauthorized(
                "missing bearer token: send the conversation token as 'Authorization: Bearer …'"
            )
        if self.is_admin(token):
            return
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], audience=CONVERSATION_AUDIENCE)
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"invalid conversation token: {exc}") from exc
        if claims.get("sub") != conversation_id:
            raise Forbidden("this token belongs to another conversation")

    def customer_from_token(self, customer_token: str) -> str:
        """The ``sub`` of a business-signed HS256 JWT (signed with ``KEFU_SECRET_KEY``)."""
        try:
            claims = jwt.decode(
                customer_token,
                self._secret,
                algorithms=["HS256"],
                options={"require": ["sub"], "verify_aud": False},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"invalid customer_token: {exc}") from exc
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip():
            raise Unauthorized("customer_token has no usable 'sub'")
        return subject

    def sign_customer_token(self, customer_id: str, ttl_s: int = 3600) -> str:
        """For demos and tests: what a business's site would do with the shared secret."""
        now = int(time.time())
        return jwt.encode(
            {"sub": customer_id, "iat": now, "exp": now + ttl_s}, self._secret, algorithm="HS256"
        )

    def is_admin(self, token: str) -> bool:
        return hmac.compare_digest(token.encode(), self._admin_token.encode())
