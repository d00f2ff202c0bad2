"""When to bring in a human: explicit requests in any phrasing, repeated failure, anger, policy.

An explicit request is recognised in two steps, in Chinese and English alike:

1. Blank out the constructions that mention people, agents or bots without asking for one: declining
   (不用转人工了, I don't need an agent), questions about who is answering (你是真人吗, are you a
   bot?), compounds that are not the service desk (人工费, 人工智能, 真人秀, human error, travel agent),
   someone else's people (my manager) and past contacts (刚才人工客服已经…, the agent I spoke to).
2. Look in what is left for a request: a request verb before a human (转人工, 找个真人, 叫你们经理来,
   talk to a human, transfer me to customer service, get me a representative), a message that is only
   a human ("人工！！", "agent please"), or refusing the bot (别让机器人回答我, I don't want a bot).

Common typos are folded first (转人公, huamn, represenative).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from kefu.handoff.learned import request_probability
from kefu.nlu.normalise import normalise

# Chosen on tests/data/rails/handoff_val.jsonl with `kefu eval handoff` (whole turns: 84.7 % recall at 4.2 %
# false handoffs; before: 85.9 % at 8.5 %), never on the test part.
REQUEST_THRESHOLD = 0.95  # the model alone makes a request
OVERRULE_DECLINE = 0.99  # a message the patterns found declining or no request is one only above this
NOT_A_REQUEST = 0.5  # below this a message that mentions people is no request (the classifier is not asked)
REQUEST_VETO = 0.1  # below this the model overrules the patterns' request

# --- English ------------------------------------------------------------------------------------

_EN_TYPOS = (
    (re.compile(r"\b(?:huamn|humna|hmuan|humam|humen|hooman|huma|humnan)\b"), "human"),
    (re.compile(r"\b(?:agnet|agetn|agemt|angent)\b"), "agent"),
    (
        re.compile(r"\b(?:represen?tat?ive|repersentative|reprensentative|representitive|represenative)\b"),
        "rep",
    ),
    (re.compile(r"\b(?:preson|peson|persn|persom)\b"), "person"),
    (re.compile(r"\b(?:manger|mangaer|manageer|maneger)\b"), "manager"),
    (re.compile(r"\b(?:opperator|operater|oprator)\b"), "operator"),
    (re.compile(r"\b(?:pls|plz|plse|pleas|pleae)\b"), "please"),
)
# Words that may stand before a human: "a real live", "your", "an actual".
_DET = r"(?:(?:a|an|the|your|some|one|any|real|actual|live|human|proper|other|another|different|of)\s+)*"
_PERSON = (
    r"(?:human(?:\s+beings?)?|humans|person|(?:real|actual|live)\s+people|agents?|operators?|"
    r"rep(?:resentative)?s?|managers?|supervisors?|boss|staff(?:\s+members?)?|employees?|customer\s+(?:service|support|care)"
    r"(?:\s+(?:agents?|person|people|reps?|team|staff))?|support\s+(?:agents?|team|staff|person|people)|"
    r"live\s+(?:chat|support)|someone\s+(?:real|human|else|in\s+charge|from\s+(?:your|the)\s+\w+(?:\s+\w+)?)|"
    r"somebody\s+(?:real|human|else|in\s+charge)|anyone\s+(?:real|human))"
)
# ...but not as a modifier: "staff discount", "customer service hours", "your manager's email".
_NOT_MODIFIER = (
    r"(?![’']s\b)(?!\s+(?:discount|fee|hour|number|phone|email|address|price|code|id|portal|login|account|"
    r"special|policy|review|rating)s?\b)"
)
_HUMAN_EN = rf"{_DET}{_PERSON}\b{_NOT_MODIFIER}"
_BOT_EN = (
    r"(?:stupid\s+|dumb\s+|useless\s+)?"
    r"(?:bot|robot|chatbot|machine|ai|computer|automated\s+\w+|auto[- ]?reply)s?"
)

# What might be answering: "a real person", "an ai", "a chatbot".
_WHAT = (
    r"(?:(?:a|an|the|some)\s+)?(?:(?:real|actual|live)\s+)?"
    rf"(?:human(?:\s+being)?|person|{_BOT_EN}|real|live)\b"
)

_NOT_A_REQUEST_EN = tuple(
    re.compile(p)
    for p in (
        # compounds that are not the service desk, and someone else's people
        r"\bhuman\s+(?:error|resources|rights|nature|body|hair|skin|readable|size[d]?)\b|\bhuman(?:kind|ity)\b",
        r"\b(?:travel|real\s+estate|estate|insurance|shipping|customs|booking|sales|ticket(?:ing)?|secret|"
        r"free|talent|leasing|delivery|foreign|purchasing|buying)\s+(?:agents?|reps?)\b",
        r"\bdelivery\s+(?:person|people|guy|driver|man|woman)\b",
        r"\b(?:my|his|her|their|our)\s+(?:own\s+)?(?:\w+\s+)?(?:agents?|reps?|managers?|supervisors?|boss|"
        r"assistant|staff|person|people)\b",
        # declining: "I don't need an agent", "no need for a human", "please don't transfer me to a person"
        rf"\b(?:don'?t|do\s+not|doesn'?t|does\s+not|won'?t|will\s+not|no\s+need|not|never|without)\s+"
        rf"(?:(?:need|want|require|have|to|for|talk|speak|chat|with|transfer|connect|me|bother|get|call|"
        rf"involve|any|a|an|the)\s+){{0,5}}{_HUMAN_EN}",
        # who is answering: "are you a real person?", "is this a bot", "am I talking to a human?"
        rf"\b(?:are|r)\s+(?:you|u)\s+{_WHAT}(?:\s+or\s+{_WHAT})?",
        rf"\bis\s+(?:this|it|that)\s+{_WHAT}(?:\s+or\s+{_WHAT})?",
        rf"\b(?:am|are)\s+(?:i|we)\s+(?:talking|speaking|chatting)\s+(?:to|with)\s+{_WHAT}(?:\s+or\s+{_WHAT})?",
        # whether one is needed: "do I need a real person to sign for it?"
        rf"\b(?:do|does|will|would)\s+(?:i|we|you|it|they)\s+(?:need|have)\s+(?:to\s+\w+\s+)?{_HUMAN_EN}",
        # a past contact: "the agent I spoke to yesterday", "the representative already fixed it"
        rf"\b(?:the|that|an?|your)\s+(?:\w+\s+)?{_PERSON}\s+(?:i|who|that|you)?\s*(?:spoke|talked|chatted|"
        rf"had|was|were|already|said|told|helped|called|fixed|sorted|solved)\b",
    )
)
_REQUEST_EN = tuple(
    re.compile(p)
    for p in (
        rf"\b(?:talk|speak|chat|communicate)(?:ing)?\s+(?:to|with)\s+(?:{_HUMAN_EN}|(?:some|any)(?:one|body)\b)",
        rf"\b(?:transfer|connect|put|pass|hand|switch|route|forward|escalate|redirect)\w*\s+"
        rf"(?:(?:me|this|it|us|my\s+\w+|the\s+\w+)\s+)?(?:(?:through|over|back)\s+)?(?:to|with)\s+{_HUMAN_EN}",
        rf"\b(?:get|give|find|bring|send|fetch)\s+(?:me\s+|us\s+)?{_HUMAN_EN}",
        rf"\b(?:want|need|request|demand|prefer|require|(?:would|[’']d)\s+like)\s+"
        rf"(?:to\s+(?:have|get|see)\s+)?{_HUMAN_EN}",
        rf"^\W*(?:please\s+)?(?:{_HUMAN_EN}\W*)+(?:(?:please|now|asap|needed|here|help)\W*)*$",
        r"\b(?:is|are)\s+there\s+(?:a|an|any|some)?\s*(?:real\s+|live\s+|actual\s+)?"
        r"(?:human|person|people|agent|one\s+real|anyone\s+(?:real|human)|someone\s+real)",
        rf"{_HUMAN_EN}[^.?!]{{0,20}}\b(?:i|we)\s+(?:can|could)\s+(?:talk|speak|chat)\b",
        rf"\b(?:can|could|would|will|have|let)\s+{_HUMAN_EN}[^.?!]{{0,30}}?\b(?:call|contact|help|look|check|"
        rf"review|handle|assist|ring|phone|email|reach|take\s+over)\b",
        rf"\b(?:don'?t|do\s+not|dont)\s+(?:want|like|need)\s+(?:to\s+(?:talk|speak|chat)\s+(?:to|with)\s+)?"
        rf"(?:a\s+|an\s+|the\s+|this\s+|your\s+|some\s+)?{_BOT_EN}\b",
        rf"\b(?:stop|enough\s+with|no\s+more|quit)\s+(?:the\s+|this\s+|your\s+)?{_BOT_EN}\b",
        rf"\b(?:help|assistance|support)\s+from\s+{_HUMAN_EN}",
        r"\b(?:transfer|escalate)\s+(?:me|this|it)\s*(?:please|now|asap)?\W*$",
    )
)

# --- Chinese ------------------------------------------------------------------------------------

_ZH_TYPOS = ((re.compile(r"(?<!主)(?:人公|人功|仁工)"), "人工"),)
# Not the service desk: 人工费, 人工智能, 人工养殖的; 真人秀, 真人大小; managers approving something.
_ZH_NOT_DESK = (
    r"(?!智能|费|成本|合成|养殖|种植|编织|缝|制|打磨|刺绣|授粉|草|湖|降雨|呼吸|晶|宝石|钻|皮|繁殖|培育|色素|"
    r"香精|甜|添加|ai)"
)
_ZH_NOT_REAL = r"(?!秀|大小|尺寸|比例|版|cos|照|手办|娃娃|模特|图|实拍|发|同款|视频)"
_DESK_ZH = (
    rf"(?:人工(?:客服|服务|坐席|台)?{_ZH_NOT_DESK}|真人(?:客服)?{_ZH_NOT_REAL}|活人|"
    r"客服(?:人员|本人|小姐姐|小哥哥|专员|妹子)|"
    r"(?:你们的?)?(?:经理|主管|领导|负责人|老板|店长|上级|管事的人?|能做主的人?|说了算的人?)"
    r"(?!审批|审核|签字|批准|同意|确认))"
)
_ASK_ZH = (
    r"(?:转(?:接|到|给)?|接通?|找|要|换(?:成|到)?|叫|请|让|来|联系|呼叫|切(?:换)?(?:到)?|有没有|有无|需要|申请|"
    r"麻烦|给我|帮我|"
    r"(?:talk|speak|chat)\s*(?:to|with)\s*)"  # "let me talk to 人工"
)
_FILLER_ZH = r"(?:一下|下|一个|个|一位|位|你们的?|我|给我|帮我|在线的?|回)"
_BOT_ZH = r"(?:机器人|机器|自动回复|智能客服|ai|bot)(?!吸尘|扫地|玩具|模型|套件)"

_WHAT_ZH = r"(?:真人|人工智能|人工|机器人|ai|真的人|活人|自动回复|客服)"

_NOT_A_REQUEST_ZH = tuple(
    re.compile(p)
    for p in (
        r"人工(?:智能|费|成本|合成|养殖|种植|编织|缝制|制作|制造|打磨|刺绣|授粉|草|湖|降雨|呼吸|繁殖|培育)",
        r"真人(?:秀|大小|尺寸|比例|版|cos|照|手办|娃娃|模特|图|实拍|同款|视频)",
        # declining: 不用转人工了, 我不需要人工, 不想麻烦人工客服, 别转人工
        rf"(?:别|不(?:用|要|需要|必|想|想要|必要))(?:再)?(?:去)?(?:麻烦|打扰|转|找|接|叫|联系|给我转)?"
        rf"(?:个|一下)?{_DESK_ZH}",
        # who is answering: 你是真人还是机器人？ 是人工吗
        rf"你(?:们)?(?:是|是不是)(?:不是)?(?:一个|个)?{_WHAT_ZH}(?:吗|么|嘛|吧|呀|啊)?(?:还是(?:一个|个)?{_WHAT_ZH})?",
        rf"(?:是|是不是){_WHAT_ZH}(?:吗|么|嘛|还是(?:一个|个)?{_WHAT_ZH})",
        # a past contact: 刚才人工客服已经帮我处理好了, 昨天跟你们经理谈过了
        rf"(?:刚才|之前|上次|已经|昨天|前天|刚刚)[^，。！？,.!?]{{0,6}}{_DESK_ZH}",
    )
)
_REQUEST_ZH = tuple(
    re.compile(p)
    for p in (
        rf"{_ASK_ZH}{_FILLER_ZH}{{0,3}}{_DESK_ZH}",
        rf"(?:跟|和|与|同|给)(?:你们的?)?{_DESK_ZH}(?:说话|说|谈|聊|沟通|讲|对话|通话|打电话)(?![过了])",
        rf"{_DESK_ZH}(?:来|出来|过来)(?=回答|处理|说|跟我|和我|一下|吧|啊|呀|[!！。.]|$)",
        rf"{_DESK_ZH}(?:跟我|和我)(?:说|谈|聊|讲|沟通|对话)",
        rf"^\W*(?:(?:人工|真人|{_DESK_ZH})\W*)+(?:呢|吗|在吗|在哪|在哪里|在不在|啊|呀|吧|please)?\W*$",
        rf"有(?:没有)?{_DESK_ZH}(?:吗|么|嘛|没|不|啊|呀)",
        r"换(?:一)?个人(?=[来吧啊呀，。！!,.\s]|$|回答|处理|跟我|和我)",
        r"让(?:个|一个)?人来|(?:叫|找|来)(?:一)?个(?:真|活)?人(?=来|跟我|和我|回答|处理|说话|聊|$|[吧啊呀！!])",
        rf"(?:别|不要|不想|不用|不需要|受不了)(?:再)?(?:让|跟|和|用|要|听)?(?:你这个|这个|你们的?)?{_BOT_ZH}",
        rf"{_BOT_ZH}(?:别|不要|闭嘴|滚)",
    )
)


def _blank(text: str, patterns: tuple[re.Pattern[str], ...]) -> tuple[str, bool]:
    """``text`` with every match of ``patterns`` replaced by a comma, and whether any matched."""
    found = False
    for pattern in patterns:
        text, count = pattern.subn(",", text)
        found = found or count > 0
    return text, found


def human_request_verdict(text: str) -> bool | None:
    """True for an explicit request for a human; False when the message mentions people, agents or bots
    only in a way that is not a request (declining, asking what answers, 人工费, my travel agent);
    None when it says nothing either way, so another signal (an intent classifier) may decide.

    The patterns decide first; the learned second opinion (``kefu.handoff.learned``) then overrules them
    where it is sure: a request the patterns found stands unless the model finds it very unlikely, a
    confident model is a request, and a model that finds a request unlikely says False."""
    rules = pattern_verdict(text)
    probability = request_probability(text)
    if rules is True:
        return probability >= REQUEST_VETO
    if probability >= (OVERRULE_DECLINE if rules is False else REQUEST_THRESHOLD):
        return True
    if rules is None and probability < NOT_A_REQUEST and _MENTIONS_PEOPLE.search(normalise(text)):
        return False  # talks about people, agents or bots, and the model finds no request in it
    return rules


_MENTIONS_PEOPLE = re.compile(
    r"人|客服|经理|主管|领导|老板|机器|代理|ai|bot|agent|human|person|people|manager|boss|supervisor|staff|"
    r"\brep|someone|somebody|operator|employee|robot"
)


def pattern_verdict(text: str) -> bool | None:
    """``human_request_verdict`` by the patterns alone."""
    t = normalise(text)
    for pattern, replacement in (*_EN_TYPOS, *_ZH_TYPOS):
        t = pattern.sub(replacement, t)
    rest, declined_en = _blank(t, _NOT_A_REQUEST_EN)
    rest, declined_zh = _blank(rest, _NOT_A_REQUEST_ZH)
    if any(p.search(rest) for p in (*_REQUEST_EN, *_REQUEST_ZH)):
        return True
    return False if declined_en or declined_zh else None


def asks_for_human(text: str) -> bool:
    """An explicit request for a human agent, in Chinese or English, however phrased."""
    return human_request_verdict(text) is True


# Language that escalates whatever the sentiment score says: accusing the business of fraud,
# threatening to report, sue or expose it, and extreme anger.
_ESCALATION_ZH = re.compile(
    r"骗子|骗钱|骗人|诈骗|坑人|坑钱|黑心|黑店|欺诈|欺人太甚|忍无可忍|气炸|气死|太过分|有病|"
    r"垃圾(客服|服务|店|商家|平台)|破店|消协|12315|工商局?|报警|曝光|起诉|告你们|律师|投诉你们|媒体"
)
_ESCALATION_EN = re.compile(
    r"\b(scam\w*|fraud\w*|rip-?off|liars?|thie(f|ves)|stole|stealing|crooks?|con artists?|"
    r"report (you|this)|bbb|better business bureau|sue|lawyer|attorney|chargeback|police|"
    r"fuming|furious|outrageous|disgusting|unacceptable|are you kidding|sick of|fed up|"
    r"worst \w+( \w+)? (ever|i've ever|i have ever))\b",
    re.IGNORECASE,
)


def escalation_language(text: str) -> bool:
    """Accusations of fraud, threats to report or sue, extreme anger — in Chinese or English."""
    t = normalise(text)
    return bool(_ESCALATION_ZH.search(t) or _ESCALATION_EN.search(t))


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
