"""Vault throughput benchmark: ``python -m bench.vault``."""
