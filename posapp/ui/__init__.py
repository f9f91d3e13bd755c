"""Qt widgets, models and delegates. Renders state and emits intents; no SQL, no HTTP, no business rules."""
