"""posapp: one kitchen-counter queue for every delivery platform."""

__version__ = "0.1.0"
