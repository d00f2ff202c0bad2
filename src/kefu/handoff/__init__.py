"""Humans in the loop: handoff triggers, the queue, agent actions."""
