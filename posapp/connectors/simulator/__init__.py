"""A built-in delivery-platform simulator: a real HTTP server on loopback for the demo and the tests."""

from posapp.connectors.simulator.generator import OrderGenerator
from posapp.connectors.simulator.server import Simulator

__all__ = ["OrderGenerator", "Simulator"]
