"""catalogue: menu_items.price and menu_item_platforms — each platform's ids for a dish of the menu catalogue

Revision ID: catalogue_1
Revises: screens_2
"""

import sqlalchemy as sa
from alembic import op

revision = "catalogue_1"
down_revision = "screens_2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("menu_items") as batch:
        batch.add_column(
            sa.Column("price", sa.Integer(), nullable=True)
        )  # minor units of the store's currency
        batch.add_column(
            sa.Column("source", sa.String(length=16), nullable=True)
        )  # orders, csv, meituan, ...
    op.create_table(
        "menu_item_platforms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("menu_item_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=128), nullable=False),
        sa.Column("sku_id", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(["menu_item_id"], ["menu_items.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("menu_item_id", "platform", name="uq_menu_item_platforms_item_platform"),
    )
    op.create_index("ix_menu_item_platforms_platform_item", "menu_item_platforms", ["platform", "item_id"])


def downgrade() -> None:
    op.drop_index("ix_menu_item_platforms_platform_item", table_name="menu_item_platforms")
    op.drop_table("menu_item_platforms")
    with op.batch_alter_table("menu_items") as batch:
        batch.drop_column("source")
        batch.drop_column("price")
