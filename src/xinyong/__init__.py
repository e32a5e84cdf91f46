"""Xinyong (信用): social credit information sharing platform."""

__version__ = "0.1.0"
