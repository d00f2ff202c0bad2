"""The healthcare pack: a hospital\x27s appointments, department triage, curated health knowledge."""
