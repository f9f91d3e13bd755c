"""End-of-day and range reports as plain dataclasses; text, CSV and JSON renderings; CRM-lite."""
