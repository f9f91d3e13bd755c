"""Alembic environment of the hub: runs on the connection posapp/hub/db.py hands over."""

from alembic import context

from posapp.hq.models import HqBase
from posapp.hub.tables import metadata

target_metadata = [metadata, HqBase.metadata]
connection = context.config.attributes.get("connection")

if connection is None:  # `alembic revision --autogenerate` from a developer's shell
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///:memory:"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,
    version_table="hub_alembic_version",  # beside a counter's or hq-receiver's tables, never theirs
)
with context.begin_transaction():
    context.run_migrations()
