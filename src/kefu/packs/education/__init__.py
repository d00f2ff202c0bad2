"""The education pack: a school's courses, students, enrolments, assignments and progress."""
