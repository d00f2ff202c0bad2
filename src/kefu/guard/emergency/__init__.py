"""The emergency rail's detector: is a customer's message a life-threatening emergency happening now?

The package: ``patterns`` (the documented patterns of ``patterns.yaml`` with their context guards:
``detect_emergency`` and ``explain_emergency`` use them alone) and ``model`` (the learned second opinion
trained on ``examples.jsonl``, and ``detect``, the rail's full decision: patterns, then the model). The
rail itself is ``kefu.guard.rails.EmergencyRail``.
"""

from kefu.guard.emergency.model import detect, pattern_verdict
from kefu.guard.emergency.patterns import (
    EMERGENCY,
    KINDS,
    LANGS,
    URGENT,
    Candidate,
    EmergencyMatch,
    Kind,
    Lang,
    detect_emergency,
    explain_emergency,
)

__all__ = [
    "EMERGENCY",
    "KINDS",
    "LANGS",
    "URGENT",
    "Candidate",
    "EmergencyMatch",
    "Kind",
    "Lang",
    "detect",
    "detect_emergency",
    "explain_emergency",
    "pattern_verdict",
]
