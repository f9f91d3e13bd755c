"""The manager section: PIN pad, end-of-day reports, audit log and customers."""
