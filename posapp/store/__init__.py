"""Local SQLite storage: tables, the database with its single worker thread (store.db), repositories,
migrations. Nothing is imported here: the counter's first paint reads the file with store.peek alone."""
