"""chiiki — workbench for regional innovation ecosystem research."""

__version__ = "0.1.0"
