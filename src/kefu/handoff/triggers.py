"""When to bring in a human: explicit requests in any phrasing, repeated failure, anger, policy."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from kefu.nlu.normalise import normalise

_HUMAN_EN = re.compile(
    r"\b(human|real person|real people|live (agent|person|chat)|(an?|the|your) agent|operator|representative|"
    r"rep|someone real|actual person|customer service (agent|person|rep)|supervisor|manager|staff member)\b",
    re.IGNORECASE,
)
_ASK_EN = re.compile(
    r"\b(talk|speak|chat|connect|transfer|put me through|get me|give me|want|need|let me|can i|could i|"
    r"escalate|switch)\b|\bplease\b|^(agent|human|operator)\b",
    re.IGNORECASE,
)
_NOT_A_REQUEST_EN = re.compile(
    r"\b(human error|human resources|travel agent|agent orange|are you (a )?human)\b", re.IGNORECASE
)
_HUMAN_ZH = re.compile(
    r"转人工|人工客服|人工服务|转接人工|找人工|要人工|接人工|人工$|^人工|真人|活人|找个人|找客服|客服人员|"
    r"人工坐席|在线客服|找你们(经理|主管|领导)|叫你们(经理|主管|领导)|投诉到(经理|主管)|别(用|让)机器人|不要机器人|"
    r"不想(和|跟)机器人"
)
_NOT_A_REQUEST_ZH = re.compile(r"人工智能|人工费|人工成本|不(用|要|需要)(转)?人工|你是(真人|人工|机器人)")


def asks_for_human(text: str) -> bool:
    """An explicit request for a human agent, in Chinese or English, however phrased."""
    t = normalise(text)
    if _HUMAN_ZH.search(t) and not _NOT_A_REQUEST_ZH.search(t):
        return True
    if _NOT_A_REQUEST_EN.search(t):
        return False
    return bool(_HUMAN_EN.search(t) and _ASK_EN.search(t))


@dataclass(frozen=True)
class HandoffRules:
    """A pack's handoff configuration."""

    on_request: bool = True
    max_failures: int = 2
    anger_intensity: float = 0.8
    worsening_turns: int = 3
    worsening_floor: float = -0.4
    complaint_intents: tuple[str, ...] = ()
    amount_limit: float | None = None  # money above this in a message goes to a human
    vip_flag: str = "vip"  # dialogue-memory key a pack sets for VIP customers
    support_hours: tuple[int, int] | None = None  # minutes after local midnight: [start, end)
    require_online_agent: bool = False


def parse_support_hours(text: str | None) -> tuple[int, int] | None:
    """``"09:00-21:00"`` → (540, 1260); ``None`` or empty → always staffed."""
    if not text:
        return None
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
    if not match:
        raise ValueError(f"support hours must look like 09:00-21:00, not {text!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if not (0 <= start < end <= 24 * 60 and m1 < 60 and m2 < 60):
        raise ValueError(f"support hours {text!r} must be within one day, start before end")
    return start, end


def worsening(scores: list[float], turns: int, floor: float) -> bool:
    """The last ``turns`` sentiment scores fall every turn and end below ``floor``."""
    tail = scores[-turns:]
    falling = all(b < a for a, b in itertools.pairwise(tail))
    return len(tail) == turns and falling and tail[-1] <= floor
