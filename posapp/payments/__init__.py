"""Taking payment at the counter: the gateway contract (gateway.py) and one module per gateway.

A pure layer: domain, errors and httpx only; never Qt, the store or the services (tests/unit/test_layers.py).
"""
