"""reports: indexes for end-of-day reports, the per-business-day report cache, customer notes

Revision ID: reports_1
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "reports_1"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_days",
        sa.Column("config", sa.String(length=96), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("config", "day"),
    )
    op.create_table(
        "customer_notes",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_updated_at", ["updated_at"], unique=False)
        batch_op.create_index("ix_orders_customer_phone", ["customer_phone"], unique=False)
    with op.batch_alter_table("order_events", schema=None) as batch_op:
        batch_op.create_index("ix_order_events_kind_at", ["kind", "at"], unique=False)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_action_at", ["action", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_action_at")
    with op.batch_alter_table("order_events", schema=None) as batch_op:
        batch_op.drop_index("ix_order_events_kind_at")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_customer_phone")
        batch_op.drop_index("ix_orders_updated_at")
    op.drop_table("customer_notes")
    op.drop_table("report_days")
