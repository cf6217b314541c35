"""Hashing bench: Sentinela vs python-threatexchange vs the draft-decode floor."""
