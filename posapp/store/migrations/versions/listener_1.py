"""listener: seen_messages makes platform events idempotent (a 催单 or rider update sent twice counts once)

Revision ID: listener_1
Revises: reports_2
"""

import sqlalchemy as sa
from alembic import op

revision = "listener_1"
down_revision = "reports_2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seen_messages",
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "key"),
    )
    with op.batch_alter_table("seen_messages", schema=None) as batch_op:
        batch_op.create_index("ix_seen_messages_received_at", ["received_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("seen_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_seen_messages_received_at")
    op.drop_table("seen_messages")
