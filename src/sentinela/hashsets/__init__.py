"""Known hash sets with provenance, and category schemes kept as data (``schemes/*.toml``)."""
