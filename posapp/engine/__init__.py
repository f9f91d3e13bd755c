"""The order engine, which runs without Qt: headless (``posapp engine``) or under the desktop app's screens."""

from posapp.engine.engine import Engine, EngineOptions, listen_error

__all__ = ["Engine", "EngineOptions", "listen_error"]
