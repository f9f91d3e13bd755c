"""Local SQLite storage: tables, the database with its single worker thread, repositories, migrations."""

from posapp.store.db import Database, open_database

__all__ = ["Database", "open_database"]
