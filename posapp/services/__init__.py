"""Use cases: intake, order commands, and the workers that drain the durable job outbox."""
