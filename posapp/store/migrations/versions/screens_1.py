"""screens: the change feed (orders.version, orders.seq, feed_seq) and paired screens with their codes

Revision ID: screens_1
Revises: listener_1
"""

import sqlalchemy as sa
from alembic import op

revision = "screens_1"
down_revision = "listener_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("seq", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_index("ix_orders_seq", ["seq"], unique=False)
    # Orders already stored get a change number each, in the order they arrived.
    op.execute("UPDATE orders SET seq = id, version = 1")
    op.create_table(
        "feed_seq",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO feed_seq (id, value) SELECT 1, COALESCE(MAX(seq), 0) FROM orders")
    op.create_table(
        "screens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "screen_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("code_hash"),
    )


def downgrade() -> None:
    op.drop_table("screen_codes")
    op.drop_table("screens")
    op.drop_table("feed_seq")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_seq")
        batch_op.drop_column("seq")
        batch_op.drop_column("version")
