"""finance pack: the bank's tables, records and applied actions

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bank_tables",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "bank_records",
        sa.Column("table_name", sa.String(length=128), nullable=False),
        sa.Column("record_id", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "record_id"),
    )
    with op.batch_alter_table("bank_records", schema=None) as batch_op:
        batch_op.create_index("ix_bank_records_table_position", ["table_name", "position"], unique=False)
    op.create_table(
        "bank_actions",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("bank_actions")
    with op.batch_alter_table("bank_records", schema=None) as batch_op:
        batch_op.drop_index("ix_bank_records_table_position")
    op.drop_table("bank_records")
    op.drop_table("bank_tables")
