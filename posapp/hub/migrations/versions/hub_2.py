"""hub: one rate-limit bucket per store shared by every process, office logins, a time zone per store

Revision ID: hub_2
Revises: hub_1
"""

import sqlalchemy as sa
from alembic import op

revision = "hub_2"
down_revision = "hub_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_rate",
        sa.Column("store_id", sa.Integer(), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "hub_admins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password", sa.String(256), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table("hub_stores") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(64)))


def downgrade() -> None:
    with op.batch_alter_table("hub_stores") as batch:
        batch.drop_column("time_zone")
    op.drop_table("hub_admins")
    op.drop_table("hub_rate")
