"""Loopback simulators of the payment gateways' APIs (aiohttp), one module per gateway, for tests and the demo.

Each module exposes ``async def start(host="127.0.0.1", port=0, **scenario) -> Sim`` with ``.base_url``,
``.gateway_settings``, ``.secrets``, ``.set_scenario(code_or_reader, behaviour)`` and ``async .stop()``.
"""

from __future__ import annotations

import ssl

from aiohttp import web


async def serve(
    app: web.Application, host: str, port: int, *, tls: ssl.SSLContext | None = None
) -> tuple[web.AppRunner, int]:
    """Start a simulator's ``app`` on ``host:port`` (0: a free port): its runner and the bound port, which
    aiohttp exposes only through the asyncio server."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port, ssl_context=tls)
    await site.start()
    server = site._server
    assert server is not None
    return runner, int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]
