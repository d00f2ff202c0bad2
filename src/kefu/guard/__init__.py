"""Trust rails: PII detection and masking (more guards arrive with later issues)."""
