"""screens: station_bumps — which kitchen stations have finished their part of an order

Revision ID: screens_2
Revises: screens_1
"""

import sqlalchemy as sa
from alembic import op

revision = "screens_2"
down_revision = "screens_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_bumps",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.Column("bumped_at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("order_id", "station"),
    )


def downgrade() -> None:
    op.drop_table("station_bumps")
