"""Answers outside the flows: which department (triage), general questions from the curated knowledge
(cited, with the non-diagnostic disclaimer and the suggested department), refusals of diagnosis and
prescription, and the patient's readings against reference ranges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kefu.domain.messages import Citation
from kefu.engine.context import TurnContext
from kefu.packs.healthcare import ranges, render
from kefu.packs.healthcare.community import SOURCE as COMMUNITY_SOURCE
from kefu.packs.healthcare.community import URL as COMMUNITY_URL
from kefu.packs.healthcare.community import community
from kefu.packs.healthcare.knowledge import HealthKnowledge
from kefu.packs.healthcare.triage import Triage, TriageClassifier

if TYPE_CHECKING:
    from kefu.packs.healthcare.host import HealthHost

SUGGESTED = "hc_suggested"  # private: the department last suggested, for "yes, book it"


class HealthAnswers:
    def __init__(self, host: HealthHost, triage: TriageClassifier, knowledge: HealthKnowledge) -> None:
        self.host = host
        self.triage = triage
        self.knowledge = knowledge

    def _department(self, ctx: TurnContext, dept_id: str) -> str:
        return render.department_name(self.host.department(dept_id), ctx.lang)

    def suggest(self, ctx: TurnContext, text: str) -> Triage:
        found = self.triage.predict(text)
        ctx.state.private[SUGGESTED] = found.department
        ctx.tool_events.append(
            {"tool": "triage", "department": found.department, "confidence": found.confidence, "ok": True}
        )
        return found

    def which_department(self, ctx: TurnContext, text: str) -> None:
        found = self.suggest(ctx, text)
        if found.unsure:
            self.host.reply(ctx, "triage.unsure", self.host.chips(ctx, "chips.main"))
            return
        reason = ("、" if ctx.lang == "zh" else ", ").join(found.reason) or text[:20]
        self.host.reply(
            ctx,
            "triage.result",
            self.host.chips(ctx, "chips.confirm"),
            department=self._department(ctx, found.department),
            confidence=f"{found.confidence:.0%}",
            reason=reason,
        )

    def question(self, ctx: TurnContext, text: str) -> None:
        entry = self.knowledge.find(text)
        if entry is None:
            self._community_or_dont_know(ctx, text)
            return
        ctx.state.private[SUGGESTED] = entry.department
        ctx.tool_events.append({"tool": "knowledge", "entry": entry.id, "ok": True})
        self.host.reply(
            ctx,
            "kb.answer",
            citations=(Citation(entry.url, entry.source),),
            title=entry.title.get(ctx.lang, entry.title["en"]),
            text=entry.text.get(ctx.lang, entry.text["en"]),
            source=entry.source,
            url=entry.url,
            department=self._department(ctx, entry.department),
        )

    def _community_or_dont_know(self, ctx: TurnContext, text: str) -> None:
        qa = community() if ctx.lang == "zh" else None
        found = qa.find(text) if qa is not None else None
        if found is None:
            self.host.reply(ctx, "knowledge.dont_know", self.host.chips(ctx, "chips.main"))
            ctx.unhelpful = True
            return
        dept = self.suggest(ctx, text).department
        ctx.tool_events.append({"tool": "community_qa", "similarity": round(found.similarity, 3), "ok": True})
        self.host.reply(
            ctx,
            "kb.community",
            citations=(Citation(COMMUNITY_URL, COMMUNITY_SOURCE),),
            question=found.question[:60],
            text=found.answer,
            source=COMMUNITY_SOURCE,
            department=self._department(ctx, dept),
        )

    def refuse(self, ctx: TurnContext, kind: str, text: str) -> None:
        entry = self.knowledge.find(text)
        dept = entry.department if entry else self.suggest(ctx, text).department
        ctx.state.private[SUGGESTED] = dept
        ctx.tool_events.append({"tool": f"refused_{kind}", "ok": True})
        self.host.reply(
            ctx,
            f"refuse.{kind}",
            self.host.chips(ctx, "chips.confirm"),
            department=self._department(ctx, dept),
        )

    def readings(self, ctx: TurnContext) -> None:
        values = self.host.call(ctx, "get_measurements")["measurements"]
        if not values:
            self.host.reply(ctx, "health.none")
            return
        by_kind: dict[str, list[dict[str, object]]] = {}
        for m in values:
            by_kind.setdefault(str(m["kind"]), []).append(m)
        lines: list[str] = []
        worry: list[str] = []
        for kind in ranges.GUIDELINES:
            series = by_kind.get(kind)
            if not series:
                continue
            latest = series[-1]
            band = ranges.band(latest)
            guide = ranges.GUIDELINES[kind]
            if band.see_doctor:
                worry.append(guide.department)
            label = _KIND_NAMES[kind][0 if ctx.lang == "zh" else 1]
            trend = _TRENDS[ranges.trend(series)][0 if ctx.lang == "zh" else 1]
            category = band.zh if ctx.lang == "zh" else band.en
            taken = render.day(str(latest["taken_at"]), ctx.lang)
            shown = f"{label} {ranges.value_text(latest)} {guide.unit}"
            if ctx.lang == "zh":
                lines.append(f"- {shown}（{taken}）：{category}，{trend}  [{guide.source}]")
            else:
                lines.append(f"- {shown} ({taken}): {category}, {trend}  [{guide.source}]")
        if worry:
            ctx.state.private[SUGGESTED] = worry[0]
            advice = self.host.say.render(
                "health.advice.doctor", ctx.lang, department=self._department(ctx, worry[0])
            )
        else:
            advice = self.host.say.render("health.advice.fine", ctx.lang)
        self.host.reply(ctx, "health.summary", lines="\n".join(lines), advice=advice)


_KIND_NAMES = {
    "blood_pressure": ("血压", "Blood pressure"),
    "glucose_fasting": ("空腹血糖", "Fasting glucose"),
    "bmi": ("BMI", "BMI"),
    "heart_rate": ("静息心率", "Resting heart rate"),
    "spo2": ("血氧饱和度", "SpO₂"),
    "temperature": ("体温", "Temperature"),
    "steps": ("日步数", "Daily steps"),
}
_TRENDS = {
    "up": ("近期呈上升趋势", "rising lately"),
    "down": ("近期呈下降趋势", "falling lately"),
    "steady": ("近期平稳", "steady lately"),
}
