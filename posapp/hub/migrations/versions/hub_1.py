"""hub: stores, platform keys, pushes, refusals, quarantine; and the upload tables of hq-receiver

Revision ID: hub_1
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "hub_1"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "hub_stores",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("token_digest", sa.String(64), unique=True),
        sa.Column("code_digest", sa.String(64)),
        sa.Column("code_expires", sa.DateTime()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime()),
        sa.Column("connected_at", sa.DateTime()),
        sa.Column("seen_at", sa.DateTime()),
        sa.Column("disconnected_at", sa.DateTime()),
        sa.Column("upload_backlog", sa.Integer()),
        sa.Column("reported_at", sa.DateTime()),
    )
    op.create_table(
        "hub_platform_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "store_id", sa.Integer(), sa.ForeignKey("hub_stores.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("store_key", sa.String(128), nullable=False),
        sa.Column("app_id", sa.String(128), nullable=False),
        sa.Column("secret_sealed", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.UniqueConstraint("platform", "store_key", name="uq_hub_platform_keys_key"),
    )
    op.create_table(
        "hub_pushes",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column(
            "store_id", sa.Integer(), sa.ForeignKey("hub_stores.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("message_key", sa.String(200), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("acked_at", sa.DateTime()),
        sa.UniqueConstraint("store_id", "platform", "message_key", name="uq_hub_pushes_message"),
    )
    op.create_index(
        "ix_hub_pushes_unacked",
        "hub_pushes",
        ["store_id", "id"],
        postgresql_where=sa.text("acked_at IS NULL"),
        sqlite_where=sa.text("acked_at IS NULL"),
    )
    op.create_index("ix_hub_pushes_received", "hub_pushes", ["received_at"])
    op.create_table(
        "hub_order_routes",
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("external_id", sa.String(128), primary_key=True),
        sa.Column(
            "store_id", sa.Integer(), sa.ForeignKey("hub_stores.id", ondelete="CASCADE"), nullable=False
        ),
    )
    op.create_table(
        "hub_refusals",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("store_id", sa.Integer()),
        sa.Column("store_key", sa.String(128)),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("remote", sa.String(64)),
    )
    op.create_index("ix_hub_refusals_at", "hub_refusals", ["at"])
    op.create_table(
        "hub_quarantine",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
    )
    _upload_tables()


def _upload_tables() -> None:
    """The tables of ``posapp hq-receiver`` (posapp/hq/models.py); a receiver's database already has them."""
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "hq_batches" not in existing:
        op.create_table(
            "hq_batches",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("store_id", sa.String(64), nullable=False),
            sa.Column("received_at", sa.DateTime(), nullable=False),
            sa.Column("rows", sa.Integer(), nullable=False),
            sa.Column("new_rows", sa.Integer(), nullable=False),
            sa.Column("rejected", sa.Integer(), nullable=False),
        )
    if "hq_changes" not in existing:
        op.create_table(
            "hq_changes",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("store_id", sa.String(64), nullable=False),
            sa.Column("key", sa.String(128), nullable=False),
            sa.Column("sequence", sa.Integer(), nullable=False),
            sa.Column("local_order_id", sa.Integer()),
            sa.Column("platform", sa.String(32), nullable=False),
            sa.Column("external_id", sa.String(128), nullable=False),
            sa.Column("event", sa.String(32), nullable=False),
            sa.Column("action", sa.String(16)),
            sa.Column("from_status", sa.String(16)),
            sa.Column("to_status", sa.String(16)),
            sa.Column("by", sa.String(64)),
            sa.Column("at", sa.String(40), nullable=False),
            sa.Column("reason", sa.Text()),
            sa.Column("order_json", sa.Text(), nullable=False),
            sa.Column("batch_id", sa.Integer(), nullable=False),
            sa.Column("received_at", sa.DateTime(), nullable=False),
            sa.Column("receipts", sa.Integer(), nullable=False),
            sa.UniqueConstraint("store_id", "key", name="uq_hq_changes_store_key"),
        )
        op.create_index(
            "ix_hq_changes_order", "hq_changes", ["store_id", "platform", "external_id", "sequence"]
        )
    if "hq_orders" not in existing:
        op.create_table(
            "hq_orders",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("store_id", sa.String(64), nullable=False),
            sa.Column("platform", sa.String(32), nullable=False),
            sa.Column("external_id", sa.String(128), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("last_sequence", sa.Integer(), nullable=False),
            sa.Column("order_json", sa.Text(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
            sa.UniqueConstraint("store_id", "platform", "external_id", name="uq_hq_orders_ref"),
        )


def downgrade() -> None:
    for table in (
        "hub_quarantine",
        "hub_refusals",
        "hub_order_routes",
        "hub_pushes",
        "hub_platform_keys",
        "hub_stores",
    ):
        op.drop_table(table)
