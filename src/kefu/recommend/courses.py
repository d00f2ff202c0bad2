"""Course recommendations from a learner's record: completed courses and their scores, courses in
progress, stated interests, and what other learners went on to take (item kNN over enrolments).

A course whose prerequisites the learner has not passed is never offered as ready: it is returned only
with ``missing`` naming the prerequisites (ranked after every ready course), so the pack must say so.
Each suggestion carries its explanation in both languages' parts (course, score, interest).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from kefu.recommend.item_knn import ItemKNN
from kefu.recommend.matrix import Interaction, Interactions

PASS_MARK = 60.0


@dataclass(frozen=True)
class CourseInfo:
    course_id: str
    title: str
    title_zh: str
    subject: str
    level: int
    prerequisites: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()  # interest words in any language ("data", "数据", "web")
    open: bool = True


@dataclass(frozen=True)
class LearnerRecord:
    completed: Mapping[str, float] = field(default_factory=dict)  # course id → final score (0–100)
    in_progress: Collection[str] = ()
    interests: Collection[str] = ()


@dataclass(frozen=True)
class CourseSuggestion:
    course_id: str
    score: float
    builds_on: tuple[tuple[str, float], ...]  # (completed prerequisite or kin course, its score)
    interests: tuple[str, ...]  # the learner's interests the course matches
    missing: tuple[str, ...]  # prerequisites not passed yet; empty = ready to enrol
    taken_after: bool  # other learners with this record went on to it

    @property
    def ready(self) -> bool:
        return not self.missing


def enrolment_model(enrolments: Iterable[tuple[str, str]], courses: Iterable[str]) -> ItemKNN:
    """Item kNN over (student id, course id) enrolments."""
    data = Interactions.build((Interaction(s, c) for s, c in enrolments), items=sorted(courses))
    return ItemKNN.fit(data, neighbours=10, shrink=2.0)


def _matches(course: CourseInfo, interests: Collection[str]) -> tuple[str, ...]:
    words = {w.lower() for w in (*course.topics, course.subject)}
    title = f"{course.title} {course.title_zh}".lower()
    return tuple(i for i in interests if i.lower() in words or (len(i) > 1 and i.lower() in title))


def recommend_courses(
    catalogue: Mapping[str, CourseInfo],
    learner: LearnerRecord,
    k: int = 3,
    model: ItemKNN | None = None,
    include_blocked: bool = True,
) -> list[CourseSuggestion]:
    """The ``k`` best open courses the learner has neither passed nor started. Ready courses first;
    with ``include_blocked`` a strongly matching course with missing prerequisites may follow, flagged."""
    passed = {c: s for c, s in learner.completed.items() if s >= PASS_MARK}
    taken = set(learner.completed) | set(learner.in_progress)
    collab: dict[str, float] = {}
    if model is not None and (learner.completed or learner.in_progress):
        history = {c: 1.0 for c in taken}
        recs = model.recommend(history, k=len(catalogue), exclude=taken)
        collab = {r.item_id: r.score for r in recs if r.reason == "co_occurrence"}
    top = max(collab.values(), default=0.0) or 1.0
    suggestions: list[CourseSuggestion] = []
    for course in catalogue.values():
        if course.course_id in taken or not course.open:
            continue
        missing = tuple(p for p in course.prerequisites if p not in passed)
        builds = tuple((p, passed[p]) for p in course.prerequisites if p in passed)
        if not builds:  # a same-subject course one level up builds on what was passed
            builds = tuple(
                (c, s)
                for c, s in passed.items()
                if c in catalogue
                and catalogue[c].subject == course.subject
                and catalogue[c].level < course.level
            )[:1]
        interests = _matches(course, learner.interests)
        score = 0.0
        score += sum(0.5 + s / 200.0 for _, s in builds)  # a 90 % pass counts more than a 60 % one
        score += 1.0 * len(interests)
        score += 0.8 * collab.get(course.course_id, 0.0) / top
        if not passed and course.level <= 1:
            score += 0.3  # a beginner's first course
        if score <= 0:
            continue
        if missing:
            if not include_blocked or not interests:
                continue
            score -= 100.0  # after every ready course
        suggestions.append(
            CourseSuggestion(
                course_id=course.course_id,
                score=score,
                builds_on=builds,
                interests=interests,
                missing=missing,
                taken_after=course.course_id in collab,
            )
        )
    suggestions.sort(key=lambda s: (-s.score, catalogue[s.course_id].level, s.course_id))
    chosen = suggestions[:k]
    blocked = [s for s in suggestions if not s.ready]
    if k > 1 and blocked and all(s.ready for s in chosen):  # what they asked for, with what it needs
        chosen = [*chosen[: k - 1], blocked[0]]
    return chosen


def explain(suggestion: CourseSuggestion, catalogue: Mapping[str, CourseInfo], lang: str) -> str:
    """"because you finished Python 1 with 92 % and said you like data" / its Chinese twin; a course
    with missing prerequisites says which."""
    zh = lang == "zh"

    def title(cid: str) -> str:
        c = catalogue.get(cid)
        return cid if c is None else (c.title_zh if zh else c.title)

    parts: list[str] = []
    for cid, score in suggestion.builds_on:
        name = title(cid)
        parts.append(f"你以 {score:.0f} 分完成了{name}" if zh else f"you finished {name} with {score:.0f} %")
    if suggestion.interests:
        joined = "、".join(suggestion.interests) if zh else " and ".join(suggestion.interests)
        parts.append(f"你说过喜欢{joined}" if zh else f"you said you like {joined}")
    if suggestion.taken_after and not parts:
        parts.append(
            "和你学过同样课程的同学很多接着选了它" if zh else "students with your courses often take it next"
        )
    if not parts:
        parts.append("它适合入门" if zh else "it is a good first course")
    reason = ("因为" + "，并且".join(parts)) if zh else ("because " + " and ".join(parts))
    if suggestion.missing:
        names = ("、" if zh else ", ").join(title(m) for m in suggestion.missing)
        reason += f"（但你还需要先完成先修课：{names}）" if zh else f" (but you first need to pass {names})"
    return reason
