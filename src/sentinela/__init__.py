"""Sentinela: national database of seized images and image signatures."""

__version__ = "0.1.0"
