"""payouts: imported platform settlement statements and the refunds platforms report as money

Revision ID: payouts_1
Revises: cash_1
"""

import sqlalchemy as sa
from alembic import op

revision = "payouts_1"
down_revision = "cash_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payout_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("first_day", sa.String(length=10), nullable=True),
        sa.Column("last_day", sa.String(length=10), nullable=True),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("digest"),
    )
    op.create_table(
        "payout_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("external_id", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("gross", sa.Integer(), nullable=False),
        sa.Column("fees", sa.Integer(), nullable=False),
        sa.Column("net", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=True),
        sa.Column("note", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["payout_imports.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_payout_lines_platform_external", "payout_lines", ["platform", "external_id"])
    op.create_index("ix_payout_lines_day", "payout_lines", ["day"])
    op.create_table(
        "platform_refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_platform_refunds_order_id", "platform_refunds", ["order_id"])
    op.create_index("ix_platform_refunds_at", "platform_refunds", ["at"])


def downgrade() -> None:
    op.drop_index("ix_platform_refunds_at", table_name="platform_refunds")
    op.drop_index("ix_platform_refunds_order_id", table_name="platform_refunds")
    op.drop_table("platform_refunds")
    op.drop_index("ix_payout_lines_day", table_name="payout_lines")
    op.drop_index("ix_payout_lines_platform_external", table_name="payout_lines")
    op.drop_table("payout_lines")
    op.drop_table("payout_imports")
