"""Loopback simulators of the payment gateways' APIs (aiohttp), one module per gateway, for tests and the demo.

Each module exposes ``async def start(host="127.0.0.1", port=0, **scenario) -> Sim`` with ``.base_url``,
``.gateway_settings``, ``.secrets``, ``.set_scenario(code_or_reader, behaviour)`` and ``async .stop()``.
"""
