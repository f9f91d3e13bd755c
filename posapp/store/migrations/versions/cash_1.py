"""cash: cash_entries (opening float, paid in, paid out) and cash_counts (the drawer counted at day close)

Revision ID: cash_1
Revises: catalogue_1
"""

import sqlalchemy as sa
from alembic import op

revision = "cash_1"
down_revision = "catalogue_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cash_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cash_entries_at", "cash_entries", ["at"])
    op.create_table(
        "cash_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("pieces", sa.Text(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cash_counts_day", "cash_counts", ["day"])


def downgrade() -> None:
    op.drop_index("ix_cash_counts_day", "cash_counts")
    op.drop_table("cash_counts")
    op.drop_index("ix_cash_entries_at", "cash_entries")
    op.drop_table("cash_entries")
