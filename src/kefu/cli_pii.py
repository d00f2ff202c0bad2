"""``kefu eval pii``: precision, recall and F2 of PII detection per type."""

from __future__ import annotations
