"""The demo school of the education pack, kept in kefu's database (tables ``school_*``).

Every record is one row of ``school_records`` (kind + id, JSON data, the ids it is found by). An active
enrolment holds ``active_key = student:course``, which is UNIQUE: two workers enrolling the same student
in the same course at once leave one enrolment. Mutations are recorded under their idempotency key, so a
retried side effect is applied once.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kefu.domain.errors import ToolError
from kefu.packs.education.school import ACTIVE, Record, SchoolData, check_enrolment, guardian_matches
from kefu.store.sql.schema import SchoolActionRow, SchoolRecordRow

_KINDS = {
    "teacher": "teachers",
    "course": "courses",
    "student": "students",
    "enrolment": "enrolments",
    "assignment": "assignments",
}


def _row(kind: str, position: int, rec: Record) -> SchoolRecordRow:
    student = rec.get("student") if kind == "enrolment" else rec.get("id") if kind == "student" else None
    course = rec.get("course") if kind in ("enrolment", "assignment") else None
    active = f"{rec['student']}:{rec['course']}" if kind == "enrolment" and rec["status"] == ACTIVE else None
    return SchoolRecordRow(
        kind=kind, id=str(rec["id"]), position=position, student_id=student, course_id=course,
        active_key=active, data=rec,
    )  # fmt: skip


class SqlSchool:
    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def load(self, data: SchoolData, replace: bool = True) -> dict[str, int]:
        with self._sessions() as session, session.begin():
            if replace:
                session.execute(delete(SchoolActionRow))
                session.execute(delete(SchoolRecordRow))
            session.merge(SchoolRecordRow(kind="school", id="school", position=0, data=data.school))
            for kind, attr in _KINDS.items():
                for i, rec in enumerate(getattr(data, attr)):
                    session.merge(_row(kind, i, rec))
        return {attr: len(getattr(data, attr)) for attr in _KINDS.values()}

    def is_empty(self) -> bool:
        with self._sessions() as session:
            return not session.scalar(select(func.count()).select_from(SchoolRecordRow))

    def snapshot(self) -> SchoolData:
        data = SchoolData()
        with self._sessions() as session:
            query = select(SchoolRecordRow).order_by(SchoolRecordRow.kind, SchoolRecordRow.position)
            for row in session.scalars(query):
                if row.kind == "school":
                    data.school = dict(row.data)
                else:
                    getattr(data, _KINDS[row.kind]).append(dict(row.data))
        return data

    def _get(self, session: Session, kind: str, rid: str) -> Record | None:
        row = session.get(SchoolRecordRow, (kind, rid))
        return dict(row.data) if row else None

    def _list(
        self, session: Session, kind: str, student: str | None = None, course: str | None = None
    ) -> list[Record]:
        query = select(SchoolRecordRow).where(SchoolRecordRow.kind == kind)
        if student is not None:
            query = query.where(SchoolRecordRow.student_id == student)
        if course is not None:
            query = query.where(SchoolRecordRow.course_id == course)
        return [dict(r.data) for r in session.scalars(query.order_by(SchoolRecordRow.position))]

    def get_student(self, student_id: str) -> Record | None:
        with self._sessions() as session:
            return self._get(session, "student", student_id.strip().upper())

    def find_student(self, student_id: str, birth_date: str) -> str | None:
        student = self.get_student(student_id)
        return student["id"] if student and student["birth_date"] == birth_date else None

    def find_by_guardian(self, student_id: str, guardian_phone: str) -> str | None:
        student = self.get_student(student_id)
        return student["id"] if student and guardian_matches(student, guardian_phone) else None

    def get_course(self, course_id: str) -> Record | None:
        with self._sessions() as session:
            return self._get(session, "course", course_id)

    def list_courses(self) -> list[Record]:
        with self._sessions() as session:
            return self._list(session, "course")

    def enrolments_of(self, student_id: str) -> list[Record]:
        with self._sessions() as session:
            return self._list(session, "enrolment", student=student_id)

    def assignments_of(self, course_id: str) -> list[Record]:
        with self._sessions() as session:
            return self._list(session, "assignment", course=course_id)

    def _done(self, session: Session, key: str) -> Record | None:
        row = session.get(SchoolActionRow, key)
        return dict(row.result) if row else None

    def enrol(self, student_id: str, course_id: str, idempotency_key: str) -> Record:
        try:
            with self._sessions() as session, session.begin():
                done = self._done(session, idempotency_key)
                if done is not None:
                    return done
                course = self._get(session, "course", course_id)
                if course is None:
                    raise ToolError("unknown_course", f"no course {course_id}")
                if self._get(session, "student", student_id) is None:
                    raise ToolError("unknown_student", f"no student {student_id}")
                taken = session.scalar(
                    select(func.count())
                    .select_from(SchoolRecordRow)
                    .where(SchoolRecordRow.kind == "enrolment", SchoolRecordRow.course_id == course_id)
                    .where(SchoolRecordRow.active_key.is_not(None))
                )
                check_enrolment(course, self._list(session, "enrolment", student=student_id), int(taken or 0))
                position = session.scalar(
                    select(func.count())
                    .select_from(SchoolRecordRow)
                    .where(SchoolRecordRow.kind == "enrolment")
                )
                now = datetime.now(UTC)
                enrolment: Record = {
                    "id": f"E-{uuid.uuid4().hex[:10]}", "student": student_id,
                    "course": course_id, "status": ACTIVE, "enrolled_at": now.date().isoformat(),
                    "lessons_done": 0, "quizzes": [], "final_score": None, "submitted": [],
                }  # fmt: skip
                session.add(_row("enrolment", int(position or 0), enrolment))
                session.add(SchoolActionRow(key=idempotency_key, result=enrolment, created_at=now))
                return enrolment
        except IntegrityError:
            with self._sessions() as session:
                done = self._done(session, idempotency_key)
            if done is not None:
                return done
            raise ToolError("already_enrolled", f"already enrolled in {course_id}") from None

    def set_interests(self, student_id: str, interests: list[str], idempotency_key: str) -> Record:
        with self._sessions() as session, session.begin():
            row = session.get(SchoolRecordRow, ("student", student_id))
            if row is None:
                raise ToolError("unknown_student", f"no student {student_id}")
            data = dict(row.data)
            data["interests"] = list(dict.fromkeys(interests))
            row.data = data
            return data
