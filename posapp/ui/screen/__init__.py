"""``posapp screen``: a kitchen screen that is a client of a running engine (docs/screen-api.md).

``client`` speaks the screen API (no Qt), ``wire`` turns its orders into domain orders, ``session`` glues the
two to a window, ``window`` shows the queue and the link, ``main`` is the command line.
"""
