"""Pulumi dynamic resource providers for Bandwidth hosted messaging."""

__version__ = "0.1.0"
