"""Read-only answers of the education pack: recommendations explained, what is due, progress and quiz
scores with encouragement shaped by the score and the student's sentiment, course information."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from kefu.engine.context import TurnContext
from kefu.packs.education.school import Record
from kefu.packs.education.tools import course_info
from kefu.recommend.courses import CourseSuggestion, explain

if TYPE_CHECKING:
    from kefu.packs.education.host import EducationHost

COURSE = "edu_course"  # private: the course a read-only question was about
INTERESTS = "edu_interests"  # private: interests the student stated in this conversation
SUGGESTED = "edu_suggested"  # private: the course last recommended (a "yes" enrols)
OFFERED_TEACHER = "edu_offered_teacher"  # private: a teacher was offered; a "yes" hands off
LOW_SCORE = 60.0
GREAT_SCORE = 85.0
_DAYS = {
    "en": ("", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("", "周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


class StudyAnswers:
    def __init__(self, host: EducationHost) -> None:
        self.host = host

    def recommend(self, ctx: TurnContext) -> None:
        interests = list(ctx.state.private.get(INTERESTS, []))
        found = self.host.call(ctx, "recommend_courses", interests=interests, k=3)["suggestions"]

        catalogue = {c["id"]: course_info(c) for c in self.host.courses()}
        if not found:
            self.host.reply(ctx, "recommend.none", self.host.chips(ctx, "chips.main"))
            return
        lines = []
        for i, s in enumerate(found, 1):
            sug = CourseSuggestion(
                s["course"],
                0.0,
                tuple((b[0], float(b[1])) for b in s["builds_on"]),
                tuple(s["interests"]),
                tuple(s["missing"]),
                bool(s["taken_after"]),
            )
            lines.append(f"{i}. {self.host.title(ctx, s['course'])} — {explain(sug, catalogue, ctx.lang)}")
        ready = next((s["course"] for s in found if not s["missing"]), None)
        if ready is None:
            self.host.reply(
                ctx,
                "recommend.list",
                self.host.chips(ctx, "chips.main"),
                lines="\n".join(lines),
                first=self.host.title(ctx, found[0]["missing"][0]),
            )
            ctx.state.private[SUGGESTED] = found[0]["missing"][0]
            return
        ctx.state.private[SUGGESTED] = ready
        self.host.reply(
            ctx,
            "recommend.list",
            self.host.chips(ctx, "chips.confirm"),
            lines="\n".join(lines),
            first=self.host.title(ctx, ready),
        )

    def due(self, ctx: TurnContext) -> None:
        found = self.host.call(ctx, "due_assignments", days=7)["assignments"]
        if not found:
            self.host.reply(ctx, "due.none", self.host.chips(ctx, "chips.main"))
            return
        lines = []
        for a in found:
            due = datetime.fromisoformat(str(a["due"]))
            day = _DAYS["zh" if ctx.lang == "zh" else "en"][due.isoweekday()]
            title = a.get("title_zh") if ctx.lang == "zh" else a["title"]
            lines.append(f"- {title}: {day} {due:%m-%d %H:%M}")
        self.host.reply(ctx, "due.list", self.host.chips(ctx, "chips.main"), lines="\n".join(lines))

    def _mine(self, ctx: TurnContext) -> tuple[list[Record], str | None]:
        mine = self.host.enrolments(ctx)
        wanted = ctx.state.private.get(COURSE)
        return mine, (str(wanted) if wanted else None)

    def progress(self, ctx: TurnContext) -> None:
        mine, wanted = self._mine(ctx)
        active = [e for e in mine if e["status"] == "active"]
        chosen = [e for e in mine if e["course"] == wanted] if wanted else active
        if wanted and not chosen:
            self.host.reply(
                ctx,
                "progress.not_enrolled",
                self.host.chips(ctx, "chips.main"),
                course=self.host.title(ctx, wanted),
            )
            return
        if not chosen:
            self.host.reply(ctx, "progress.none", self.host.chips(ctx, "chips.main"))
            return
        for e in chosen:
            avg = e.get("quiz_average")
            quiz = (
                self.host.say.render("progress.quiz", ctx.lang, avg=f"{avg:.0f}") if avg is not None else ""
            )
            self.host.reply(
                ctx,
                "progress.one",
                course=self.host.title(ctx, e["course"]),
                done=e["lessons_done"],
                lessons=e["lessons"],
                pct=f"{100 * e['share']:.0f}",
                quiz=quiz,
            )
        scores = [e["quiz_average"] for e in chosen if e.get("quiz_average") is not None]
        self._encourage(ctx, min(scores) if scores else None)

    def quiz(self, ctx: TurnContext) -> None:
        mine, wanted = self._mine(ctx)
        chosen = (
            [e for e in mine if e["course"] == wanted]
            if wanted
            else [e for e in mine if e["status"] == "active"]
        )
        if wanted and not chosen:
            self.host.reply(
                ctx,
                "progress.not_enrolled",
                self.host.chips(ctx, "chips.main"),
                course=self.host.title(ctx, wanted),
            )
            return
        if not chosen:
            self.host.reply(ctx, "progress.none", self.host.chips(ctx, "chips.main"))
            return
        lowest: float | None = None
        for e in chosen:
            if e.get("last_quiz_pct") is None:
                self.host.reply(ctx, "quiz.none", course=self.host.title(ctx, e["course"]))
                continue
            pct = float(e["last_quiz_pct"])
            lowest = pct if lowest is None else min(lowest, pct)
            self.host.reply(ctx, "quiz.last", course=self.host.title(ctx, e["course"]), score=f"{pct:.0f}")
        self._encourage(ctx, lowest)

    def _encourage(self, ctx: TurnContext, score: float | None) -> None:
        """Feedback shaped by the score and by how the student sounds: a low score, or a worried or upset
        message, gets encouragement and the offer of a teacher."""
        sentiment = (ctx.understanding.entities.get("sentiment") if ctx.understanding else None) or {}
        upset = sentiment.get("label") == "negative" and float(sentiment.get("intensity", 0)) >= 0.3
        if (score is not None and score < LOW_SCORE) or upset:
            ctx.state.private[OFFERED_TEACHER] = True
            self.host.reply(ctx, "encourage.low", self.host.chips(ctx, "chips.teacher"))
        elif score is not None and score >= GREAT_SCORE:
            self.host.reply(ctx, "encourage.great", self.host.chips(ctx, "chips.main"))
        elif score is not None:
            self.host.reply(ctx, "encourage.ok", self.host.chips(ctx, "chips.main"))

    def course_info(self, ctx: TurnContext) -> None:
        wanted = ctx.state.private.get(COURSE)
        course = self.host.course(str(wanted)) if wanted else None
        if course is None:
            lines = ("、" if ctx.lang == "zh" else ", ").join(
                self.host.title(ctx, c["id"]) for c in self.host.courses()
            )
            self.host.reply(ctx, "course.list", self.host.chips(ctx, "chips.main"), lines=lines)
            return
        zh = ctx.lang == "zh"
        level = f"{course['level']} 级" if zh else f"level {course['level']}"
        prereqs = ("、" if zh else ", ").join(
            self.host.title(ctx, p) for p in course.get("prerequisites", [])
        )
        language = {
            "zh": ("中文", "Chinese"),
            "en": ("英文", "English"),
            "both": ("中英双语", "Chinese and English"),
        }
        lang_name = language.get(str(course.get("language")), ("", ""))[0 if zh else 1]
        self.host.reply(
            ctx,
            "course.info",
            self.host.chips(ctx, "chips.main"),
            level=level,
            lessons=course["lessons"],
            prereqs=prereqs or ("无" if zh else "none"),
            language=lang_name,
            **self.host._course_fields(ctx, course),
        )

    # -- the rest -----------------------------------------------------------------------------------
