"""reports: one (placed_at, updated_at) index finds the orders of a summarised day that changed later

Replaces ix_orders_placed_at (its prefix) and ix_orders_updated_at: the day-close check asks "orders placed
in these days and changed after their summary", which this index answers without touching the table.

Revision ID: reports_2
Revises: reports_1
"""

from alembic import op

revision = "reports_2"
down_revision = "reports_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_placed_at_updated_at", ["placed_at", "updated_at"], unique=False)
        batch_op.drop_index("ix_orders_placed_at")
        batch_op.drop_index("ix_orders_updated_at")


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_updated_at", ["updated_at"], unique=False)
        batch_op.create_index("ix_orders_placed_at", ["placed_at"], unique=False)
        batch_op.drop_index("ix_orders_placed_at_updated_at")
