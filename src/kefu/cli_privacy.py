"""``kefu data purge`` (retention) and ``kefu vault rotate`` (re-encrypt under the current key)."""

from __future__ import annotations
