"""The education pack's deterministic command generator and understander: the intent classifier and
patterns, the student's words grounded in the course catalogue, emitting ``kefu.dialogue`` commands."""

from __future__ import annotations

import re
from dataclasses import asdict

from kefu.dialogue.commands import (
    AnswerQuestion,
    ChitChat,
    Command,
    Confirm,
    Deny,
    EditPending,
    HandOff,
    ProvideIdentity,
    SetSlot,
    StartFlow,
)
from kefu.engine.context import TurnContext, Understanding
from kefu.nlu.intents import OUT_OF_SCOPE, IntentClassifier
from kefu.nlu.langid import detect_language
from kefu.nlu.sentiment import analyse_sentiment
from kefu.nlu.yesno import yes_or_no
from kefu.packs.education import reading
from kefu.packs.education.answers import COURSE, INTERESTS, OFFERED_TEACHER, SUGGESTED
from kefu.packs.education.flows import FLOW_INTENTS
from kefu.packs.education.host import EducationHost

CONFIDENT = 0.4
_HUMAN = re.compile(
    r"转人工|人工|找老师|真人|老师聊|\b(?:human|real person|agent|staff|talk to a teacher)\b", re.I
)
_DUE = re.compile(r"作业|要交|截止|due\b|homework|assignment|deadline|hand in", re.I)
_PROGRESS = re.compile(
    r"进度|学到|几节课|第几课|how far|progress|lessons? (?:have i|done)|how am i doing", re.I
)
_QUIZ = re.compile(r"测验|考得|分数|成绩|考了多少|quiz|test result|score|marks?\b|grade", re.I)
_RECOMMEND = re.compile(
    r"推荐|该学什么|学什么好|选什么课|报什么课|适合我|recommend|suggest|what should i (?:learn|take|study)"
    r"|take next|next course|which course (?:fits|should)",
    re.I,
)
_ENROL = re.compile(
    r"报名|报一?门|报这|选修|注册|enrol|enroll|sign (?:me|him|her|them) up|register|join the", re.I
)
_INFO = re.compile(
    r"介绍|讲什么|是谁教|谁教|几点上课|什么时候上|哪些课|课程列表|about the|what is .{0,30} about"
    r"|who teaches|what courses|course list|when is the",
    re.I,
)
_PRIVACY = re.compile(r"身份证|家庭住址|住址|银行卡|id card|home address|passport|social security", re.I)
_NOTHING_ELSE = re.compile(r"没有了|没别的|就这些|不用了|that'?s all|nothing else", re.I)


class EducationUnderstander:
    def __init__(self, classifier: IntentClassifier) -> None:
        self.classifier = classifier

    def read(self, text: str, lang: str | None = None) -> Understanding:
        prediction = self.classifier.predict(text)
        found = {
            "yes_no": yes_or_no(text),
            "sentiment": asdict(analyse_sentiment(text, lang or detect_language(text))),
        }
        return Understanding(prediction.intent, prediction.confidence, prediction.ranking, found)

    def understand(self, ctx: TurnContext) -> Understanding:
        return self.read(ctx.text, ctx.lang)


class EducationCommands:
    def __init__(self, understander: EducationUnderstander, host: EducationHost) -> None:
        self.understander = understander
        self.host = host

    def generate(self, ctx: TurnContext, text: str, focus: str | None = None) -> list[Command]:
        state = ctx.state
        facts = reading.identity_facts(text)
        commands: list[Command] = []
        if facts and not state.verified_customer:
            commands.append(ProvideIdentity(facts))
        u = (
            ctx.understanding
            if (text == ctx.text and ctx.understanding)
            else self.understander.read(text, ctx.lang)
        )
        yes_no = u.entities.get("yes_no")
        if focus is None and state.pending is not None:
            if yes_no == "yes":
                return [Confirm()]
            if yes_no == "no":
                return [Deny()]
        named = reading.courses_in(text, self.host.courses())
        interests = reading.interests_in(text, ctx.lang)
        if interests:
            state.private[INTERESTS] = list(dict.fromkeys([*state.private.get(INTERESTS, []), *interests]))
        if focus is None:
            commands += self._requests(ctx, text, u, yes_no, named, bool(facts))
        flow = focus or next((c.flow for c in commands if isinstance(c, StartFlow)), None) or state.flow
        if (
            flow == "enrol"
            and named
            and (state.asking == "course" or any(isinstance(c, StartFlow) for c in commands) or focus)
        ):
            commands.append(SetSlot("course", named[-1] if state.pending is not None else named[0]))
        if flow in ("progress", "quiz", "course_info") and named:
            state.private[COURSE] = named[0]
        if state.pending is not None and focus is None:
            commands = [EditPending(c.slot, c.value) if isinstance(c, SetSlot) else c for c in commands]
        return commands

    def _requests(
        self,
        ctx: TurnContext,
        text: str,
        u: Understanding,
        yes_no: str | None,
        named: list[str],
        identity: bool = False,
    ) -> list[Command]:
        state = ctx.state
        intent = u.intent if u.confidence >= CONFIDENT else OUT_OF_SCOPE
        if identity and not self._pattern(text):
            intent = OUT_OF_SCOPE  # "S1003, born 2006-09-19" answers the identity question, asks nothing
        if state.private.pop(OFFERED_TEACHER, None):
            if yes_no == "yes" or _HUMAN.search(text):
                return [HandOff("negative_sentiment" if reading.distressed(text) else "customer_request")]
            if yes_no == "no":
                return [ChitChat("thanks")]
        if reading.distressed(text):
            return [AnswerQuestion("distress", text)]
        if _HUMAN.search(text) or intent == "human":
            return [HandOff("customer_request")]
        if _PRIVACY.search(text):
            return [AnswerQuestion("privacy", text)]
        suggested = state.private.get(SUGGESTED)
        if state.flow is None and suggested and yes_no == "yes":
            state.private.pop(SUGGESTED, None)
            return [StartFlow("enrol", ""), SetSlot("course", suggested)]
        if state.asking == "course" and named:
            return []
        if state.asking == "course" and suggested and yes_no == "yes":
            state.private.pop(SUGGESTED, None)
            return [SetSlot("course", suggested)]
        wanted = self._pattern(text) or (intent if intent in FLOW_INTENTS else None)
        if wanted == "enrol" and not named and state.flow is None and suggested and _ENROL.search(text):
            return [StartFlow("enrol", ""), SetSlot("course", suggested)]
        if wanted is not None and wanted != state.flow:
            return [StartFlow(wanted, text)]
        if intent == "handbook" or (state.flow is None and self.host.handbook.find(text)):
            return [AnswerQuestion("knowledge", text)]
        if intent in ("greeting", "thanks", "goodbye"):
            return [ChitChat("goodbye" if intent == "thanks" and _NOTHING_ELSE.search(text) else intent)]
        if _NOTHING_ELSE.search(text):
            return [ChitChat("goodbye")]
        if named and state.flow is None:
            return [StartFlow("course_info", text)]
        return []

    def _pattern(self, text: str) -> str | None:
        if _ENROL.search(text) and not _RECOMMEND.search(text):
            return "enrol"
        if _RECOMMEND.search(text):
            return "recommend"
        if _QUIZ.search(text):
            return "quiz"
        if _PROGRESS.search(text):
            return "progress"
        if _DUE.search(text) and not re.search(r"迟交|晚交|late|extension", text, re.I):
            return "due"
        if _INFO.search(text):
            return "course_info"
        return None
