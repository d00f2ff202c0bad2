"""``kefu eval injection``: recall and false-positive rate of the prompt-injection rail."""

from __future__ import annotations
