"""sealed: blind indexes for the customer's phone and name, a sealed label on customer notes

The personal fields themselves are sealed (AES-256-GCM, store/sealed.py) by the one-time pass the database
runs when it first opens with a data key (store/sealing.py): Alembic has no keyring. Here only the columns
that pass fills: orders.customer_phone_index / customer_name_index (keyed HMACs; repeat customers are matched
on the phone's), customer_notes.label (the note's customer key, sealed; the key column becomes its index).
The index on the plain phone goes: an index keeps its own copy of every value.

Revision ID: sealed_1
Revises: offers_1
"""

import sqlalchemy as sa
from alembic import op

revision = "sealed_1"
down_revision = "offers_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("customer_phone_index", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("customer_name_index", sa.String(length=32), nullable=True))
        batch_op.create_index("ix_orders_customer_phone_index", ["customer_phone_index"], unique=False)
        batch_op.drop_index("ix_orders_customer_phone")
    with op.batch_alter_table("customer_notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("label", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customer_notes", schema=None) as batch_op:
        batch_op.drop_column("label")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_customer_phone", ["customer_phone"], unique=False)
        batch_op.drop_index("ix_orders_customer_phone_index")
        batch_op.drop_column("customer_name_index")
        batch_op.drop_column("customer_phone_index")
