"""A built-in delivery-platform simulator: a real HTTP server on loopback for the demo and the tests."""

from posapp.connectors.simulator.base import PlatformSim, RecordedPush
from posapp.connectors.simulator.generator import OrderGenerator
from posapp.connectors.simulator.server import SIM_PLATFORMS, Simulator

__all__ = ["SIM_PLATFORMS", "OrderGenerator", "PlatformSim", "RecordedPush", "Simulator"]
