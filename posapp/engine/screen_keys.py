"""The screen API's request keys (aiohttp wants them made at a module's top level). A module of their own,
imported when the API is first served, so that importing the engine does not load aiohttp."""

from __future__ import annotations

from aiohttp import web

SCREEN = web.RequestKey("screen", str)  # the name of the paired screen that sent the request
TOKEN = web.RequestKey("token", str)  # the SHA-256 of its token, to see a revoke while its feed is open
# the staff role whose view of a customer the screen gets (domain/privacy)
SIGHT = web.RequestKey("sight", str)
