"""The shop's own setup screens: the first-run wizard and the Settings pages (they present SetupService)."""
