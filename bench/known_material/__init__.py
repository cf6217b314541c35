"""Known-material bench: hash-set import into the database, and case matching."""
