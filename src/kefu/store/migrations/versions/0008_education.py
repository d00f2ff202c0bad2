"""education pack: the school's records (teachers, courses, students, enrolments, assignments) and actions

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "school_records",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.String(length=64), nullable=True),
        sa.Column("course_id", sa.String(length=64), nullable=True),
        sa.Column("active_key", sa.String(length=130), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "id"),
        sa.UniqueConstraint("active_key"),
    )
    op.create_index("ix_school_records_kind_student", "school_records", ["kind", "student_id"])
    op.create_index("ix_school_records_kind_course", "school_records", ["kind", "course_id"])
    op.create_table(
        "school_actions",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("school_actions")
    op.drop_index("ix_school_records_kind_course", table_name="school_records")
    op.drop_index("ix_school_records_kind_student", table_name="school_records")
    op.drop_table("school_records")
