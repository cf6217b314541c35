"""PDQ index bench: Sentinela's multi-index against python-threatexchange's ``PDQIndex``."""
