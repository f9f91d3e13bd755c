"""hub: rate-limit buckets named by text (pairing: one per client address and one for all), for every process

Revision ID: hub_3
Revises: hub_2
"""

import sqlalchemy as sa
from alembic import op

revision = "hub_3"
down_revision = "hub_2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_rate_keys",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("hub_rate_keys")
