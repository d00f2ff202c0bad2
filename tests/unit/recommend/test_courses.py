"""Course recommendations: prerequisites, scores, interests and what others took next, explained."""

from __future__ import annotations

from kefu.recommend.courses import CourseInfo, LearnerRecord, enrolment_model, explain, recommend_courses

CATALOGUE = {
    "PY1": CourseInfo("PY1", "Python 1", "Python 入门", "programming", 1, (), ("python",)),
    "DA": CourseInfo("DA", "Data Analysis", "数据分析", "data", 2, ("PY1",), ("data", "数据")),
    "LA": CourseInfo("LA", "Linear Algebra", "线性代数", "math", 2, ("CALC",), ("math", "data", "数据")),
    "CALC": CourseInfo("CALC", "Calculus", "微积分", "math", 1, (), ("math",)),
    "ART": CourseInfo("ART", "Digital Drawing", "数字绘画", "art", 1, (), ("art",)),
    "WEB2": CourseInfo("WEB2", "JavaScript Apps", "JS", "web", 2, ("WEB1",), ("web",), open=False),
}


def test_passed_prerequisite_and_interest_come_first_and_are_explained() -> None:
    learner = LearnerRecord(completed={"PY1": 92.0}, interests=("data",))
    recs = recommend_courses(CATALOGUE, learner, k=3)
    assert recs[0].course_id == "DA" and recs[0].ready
    expected = "because you finished Python 1 with 92 % and you said you like data"
    assert explain(recs[0], CATALOGUE, "en") == expected
    zh = recommend_courses(CATALOGUE, LearnerRecord(completed={"PY1": 92.0}, interests=("数据",)), k=1)[0]
    assert explain(zh, CATALOGUE, "zh") == "因为你以 92 分完成了Python 入门，并且你说过喜欢数据"


def test_missing_prerequisites_are_never_offered_as_ready() -> None:
    learner = LearnerRecord(completed={"PY1": 92.0}, interests=("data",))
    recs = recommend_courses(CATALOGUE, learner, k=5)
    blocked = [r for r in recs if r.course_id == "LA"]
    assert blocked and blocked[0].missing == ("CALC",) and not blocked[0].ready
    assert recs.index(blocked[0]) > recs.index(next(r for r in recs if r.course_id == "DA"))
    assert "first need to pass Calculus" in explain(blocked[0], CATALOGUE, "en")
    assert "先修课：微积分" in explain(blocked[0], CATALOGUE, "zh")
    ready_only = recommend_courses(CATALOGUE, learner, k=5, include_blocked=False)
    assert all(r.ready for r in ready_only)


def test_a_failed_course_is_not_a_passed_prerequisite_and_closed_courses_are_skipped() -> None:
    learner = LearnerRecord(completed={"PY1": 45.0}, interests=("data", "web"))
    recs = recommend_courses(CATALOGUE, learner, k=6)
    da = next(r for r in recs if r.course_id == "DA")
    assert da.missing == ("PY1",)
    assert "WEB2" not in {r.course_id for r in recs}
    assert "PY1" not in {r.course_id for r in recs}  # taken (failed) courses are not re-offered here


def test_beginner_without_history_gets_first_level_courses() -> None:
    recs = recommend_courses(CATALOGUE, LearnerRecord(), k=3)
    assert recs and all(CATALOGUE[r.course_id].level == 1 for r in recs)
    assert explain(recs[0], CATALOGUE, "en") == "because it is a good first course"


def test_what_others_took_next_counts() -> None:
    enrolments = [(f"s{i}", c) for i in range(6) for c in ("CALC", "ART")] + [("x", "CALC"), ("x", "PY1")]
    model = enrolment_model(enrolments, CATALOGUE)
    recs = recommend_courses(CATALOGUE, LearnerRecord(completed={"CALC": 80.0}), k=2, model=model)
    assert recs[0].course_id == "LA"  # builds on the passed Calculus
    assert recs[1].course_id == "ART" and recs[1].taken_after  # what Calculus students took alongside
    assert explain(recs[1], CATALOGUE, "en") == "because students with your courses often take it next"
